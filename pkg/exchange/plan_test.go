package exchange

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

const req1 = `---
id: REQ-0001
title: Chat replies in real time   # the headline
type: functional
status: approved
priority:
  moscow: must
owner: chat-team   # who answers
tags: [chat]
unknown-key: kept
---
## Description

Agents answer within 30 seconds.
`

func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noReserved(record.Kind) int { return 0 }

func TestPrepareUpdateCreateDeclare(t *testing.T) {
	dir := project(t, map[string]string{
		"reqtrail.yaml":      "project: P   # the name\nrules:\n  requirement-untested: off\n",
		"reqs/REQ-0001.md":   req1,
		"changes/.keep":      "",
		"acceptance/.keep":   "",
		"reqs/sub/.keep":     "",
		"reqs/sub/README.md": "not a record\n",
	})
	r := repo.Load(os.DirFS(dir))
	body := "## Description\r\n\r\nAgents answer within 30 seconds.\r\n\r\n"
	newBody := "A new requirement."
	items := []Item{
		{Pos: Pos{File: "s.csv", Line: 2}, Kind: record.RequirementKind, ID: "REQ-0001",
			Set:    map[string]any{"title": "Chat replies in real time", "owner": "bot-team", "priority.moscow": "must", "tags": []string{"chat"}},
			Remove: []string{"status"}, Body: &body},
		{Pos: Pos{File: "s.csv", Line: 3}, Kind: record.RequirementKind, Origin: Origin{ID: "X-7"},
			Set:  map[string]any{"title": "Voice", "priority.ice.impact": 3, "备注": "pilot", "parent": SourceRef("X-8"), "release": "2024.3"},
			Body: &newBody},
		{Pos: Pos{File: "s.csv", Line: 4}, Kind: record.RequirementKind, Origin: Origin{ID: "X-8"},
			Set: map[string]any{"title": "Parent", "source.date": "2024-05-03"}},
	}
	p, err := Prepare(r, dir, items, Options{System: "s", Reserved: noReserved})
	if err != nil {
		t.Fatal(err)
	}
	if !p.OK() {
		t.Fatalf("problems: %v", p.Result.Problems)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	got := read(t, dir, "reqs/REQ-0001.md")
	want := strings.Replace(strings.Replace(req1, "owner: chat-team   #", "owner: bot-team #", 1), "status: approved\n", "", 1)
	if got != want {
		t.Errorf("REQ-0001:\n%s\nwant\n%s", got, want)
	}
	r2 := read(t, dir, "reqs/REQ-0002.md")
	for _, s := range []string{"parent: REQ-0003", "ice: {impact: 3}", `release: "2024.3"`, "备注: pilot", "origin: {system: s, id: X-7}", "A new requirement.\n"} {
		if !strings.Contains(r2, s) {
			t.Errorf("REQ-0002 lacks %q:\n%s", s, r2)
		}
	}
	if out, err := format.Source(record.RequirementKind, []byte(r2), false, nil); err != nil || string(out) != r2 {
		t.Errorf("REQ-0002 is not canonical: %v\n%s", err, out)
	}
	if c := read(t, dir, "reqtrail.yaml"); !strings.Contains(c, "project: P   # the name") || !strings.Contains(c, "备注: {type: string}") {
		t.Errorf("reqtrail.yaml:\n%s", c)
	}

	// Importing the same again changes nothing.
	r = repo.Load(os.DirFS(dir))
	for i := range items {
		items[i].Origin.System = ""
	}
	p, err = Prepare(r, dir, items, Options{System: "s", Reserved: noReserved})
	if err != nil || !p.OK() {
		t.Fatal(err, p.Result.Problems)
	}
	if n := p.Result.Count(Unchanged); n != 3 {
		t.Errorf("second import: %d unchanged, want 3: %+v", n, p.Result.Changes)
	}
}

func TestPrepareAllOrNothing(t *testing.T) {
	dir := project(t, map[string]string{"reqs/REQ-0001.md": req1})
	r := repo.Load(os.DirFS(dir))
	items := []Item{
		{Pos: Pos{File: "s.xlsx", Sheet: "需求表", Line: 2}, Kind: record.RequirementKind, Set: map[string]any{"title": "ok"}},
		{Pos: Pos{File: "s.xlsx", Sheet: "需求表", Line: 3}, Kind: record.RequirementKind, Set: map[string]any{"title": "bad", "type": "nonsense"},
			At: map[string]Pos{"type": {File: "s.xlsx", Sheet: "需求表", Line: 3, Column: 4}}},
		{Pos: Pos{File: "s.xlsx", Sheet: "需求表", Line: 4}, Kind: record.RequirementKind, Origin: Origin{ID: "c"}, Set: map[string]any{"title": "refers", "parent": SourceRef("nowhere")}},
	}
	p, err := Prepare(r, dir, items, Options{System: "s", Reserved: noReserved})
	if err != nil {
		t.Fatal(err)
	}
	if p.OK() || len(p.Result.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", p.Result.Problems)
	}
	if got := p.Result.Problems[0].String(); !strings.HasPrefix(got, "s.xlsx:需求表!D3: ") {
		t.Errorf("problem position: %s", got)
	}
	if err := p.Apply(); err == nil {
		t.Error("Apply of an invalid plan succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "reqs/REQ-0002.md")); err == nil {
		t.Error("a file was written")
	}
	// --skip-invalid writes the valid one.
	p, err = Prepare(r, dir, items, Options{System: "s", SkipInvalid: true, Reserved: noReserved})
	if err != nil {
		t.Fatal(err)
	}
	if !p.OK() || p.Result.Skipped != 2 || p.Result.Count(Create) != 1 {
		t.Fatalf("skip: ok=%v skipped=%d changes=%+v problems=%v", p.OK(), p.Result.Skipped, p.Result.Changes, p.Result.Problems)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, dir, "reqs/REQ-0002.md"); !strings.Contains(got, "title: ok") {
		t.Error(got)
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd": "passwd", "a b/c d.png": "c-d.png", ".hidden": "hidden", "x.md": "x",
		"图 1.png": "图-1.png", "__init__.yaml": "init__", "": "",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	if ColumnName(1) != "A" || ColumnName(28) != "AB" {
		t.Error(ColumnName(28))
	}
}

// TestPrepareSameOnEveryCore: an import of more items than one window (prepareItems), with
// references between them, references to nothing, updates and creations, plans the same
// records, changes and problems on one core as on several.
func TestPrepareSameOnEveryCore(t *testing.T) {
	dir := project(t, map[string]string{
		"reqtrail.yaml":    "project: P\nrules:\n  requirement-untested: off\n",
		"reqs/REQ-0001.md": req1,
	})
	r := repo.Load(os.DirFS(dir))
	var items []Item
	for i := range 3*prepareWindow + 7 {
		body := fmt.Sprintf("Body %d.", i)
		it := Item{Pos: Pos{File: "s.csv", Line: i + 2}, Kind: record.RequirementKind, Origin: Origin{ID: fmt.Sprintf("X-%d", i)},
			Set: map[string]any{"title": fmt.Sprintf("Item %d", i), "owner": "team", "tags": []string{"a", "b"}}, Body: &body}
		switch {
		case i == 0:
			it = Item{Pos: it.Pos, Kind: record.RequirementKind, ID: "REQ-0001", Origin: it.Origin, Set: map[string]any{"title": "Chat replies in real time", "owner": "bot-team"}}
		case i%97 == 0:
			it.Set["parent"] = SourceRef("NOWHERE")
		case i%5 != 0:
			it.Set["parent"] = SourceRef(fmt.Sprintf("X-%d", i-i%5))
		}
		if i%11 == 0 {
			it.Set["links"] = []any{map[string]any{"type": "relates-to", "to": SourceRef(fmt.Sprintf("X-%d", i+1))}}
		}
		items = append(items, it)
	}
	plan := func(procs int) (*Result, map[string][]byte) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p, err := Prepare(r, dir, slices.Clone(items), Options{System: "s", Reserved: noReserved, SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		return p.Result, p.plan.Files()
	}
	res1, files1 := plan(1)
	res4, files4 := plan(4)
	if len(res1.Problems) == 0 || res1.Count(Create) < 2*prepareWindow || res1.Count(Update) != 1 {
		t.Fatalf("%d problems, %d created, %d updated: %v", len(res1.Problems), res1.Count(Create), res1.Count(Update), res1.Problems[:3])
	}
	if !reflect.DeepEqual(res1, res4) {
		t.Errorf("the result on 4 cores differs from the result on one")
	}
	if !reflect.DeepEqual(files1, files4) {
		t.Errorf("the files planned on 4 cores differ from those planned on one")
	}
}
