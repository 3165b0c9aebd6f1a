package lint_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// want comments in fixture files mark the diagnostics expected on their line
// ("# want: rule-a rule-b"), or on another line ("# want@1: rule").
var wantRE = regexp.MustCompile(`want(?:@(\d+))?: ([a-z -]+)`)

type key struct {
	file string
	line int
	rule string
}

func wants(t *testing.T, fsys fs.FS) map[key]int {
	t.Helper()
	out := map[key]int{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			for _, m := range wantRE.FindAllStringSubmatch(sc.Text(), -1) {
				line := n
				if m[1] != "" {
					line, _ = strconv.Atoi(m[1])
				}
				for _, rule := range strings.Fields(m[2]) {
					out[key{p, line, rule}]++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRules runs lint over every fixture project in testdata and checks that exactly the
// diagnostics marked with want comments fire: each rule both fires and stays quiet.
func TestRules(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			fsys := os.DirFS(filepath.Join("testdata", d.Name()))
			r := repo.Load(fsys)
			opts := lint.Options{Graph: graph.Load(r)}
			got := map[key]int{}
			for _, dg := range lint.Run(r, opts) {
				got[key{dg.File(), dg.Range.Start.Line, dg.Rule}]++
				fired[dg.Rule] = true
				if dg.Range.Start.Line < 1 || dg.Range.Start.Column < 1 {
					t.Errorf("bad position: %s", dg)
				}
				checkRange(t, fsys, dg)
				if dg.Message == "" {
					t.Errorf("empty message: %s", dg)
				}
			}
			want := wants(t, fsys)
			for k, n := range want {
				if got[k] < n {
					t.Errorf("%s:%d: want %d × %s, got %d", k.file, k.line, n, k.rule, got[k])
				}
			}
			for k, n := range got {
				if want[k] == 0 {
					for _, dg := range lint.Run(r, opts) {
						if dg.File() == k.file && dg.Range.Start.Line == k.line && dg.Rule == k.rule {
							t.Errorf("unexpected (%d): %s", n, dg)
						}
					}
				}
			}
		})
	}
	for _, id := range []string{"parse", "schema", "id-format", "id-filename", "id-duplicate", "ref-unknown", "ref-self", "parent-cycle", "change-decision", "release-unaccepted", "acceptance-stale", "acceptance-fingerprint", "dates-order", "acceptance-unmet", "requirement-untested", "citation-unknown", "metric-unknown", "evaluation-unmet"} {
		if !fired[id] {
			t.Errorf("no fixture makes rule %s fire", id)
		}
	}
}

func TestEveryRuleDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range lint.Rules() {
		if r.ID == "" || r.Doc == "" || !r.Severity.Valid() || r.Severity == diag.Off && r.SeverityFor == nil {
			t.Errorf("rule %+v is incomplete", r)
		}
		if seen[r.ID] {
			t.Errorf("rule %s registered twice", r.ID)
		}
		seen[r.ID] = true
	}
}

func TestSeverityOverride(t *testing.T) {
	base := fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: t\nstart: 2024-02-01\ndue: 2024-01-01\nparent: REQ-0001\n---\n")},
	}
	run := func(cfg string) []diag.Diagnostic {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		if cfg != "" {
			fsys["reqtrail.yaml"] = &fstest.MapFile{Data: []byte(cfg)}
		}
		return lint.Run(repo.Load(fsys), lint.Options{})
	}
	rules := func(ds []diag.Diagnostic) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Rule+"="+string(d.Severity))
		}
		return out
	}
	if got, want := rules(run("")), []string{"dates-order=error", "ref-self=error"}; !slices.Equal(got, want) {
		t.Errorf("defaults: got %v, want %v", got, want)
	}
	if got, want := rules(run("rules:\n  dates-order: warning\n  ref-self: off\n")), []string{"dates-order=warning"}; !slices.Equal(got, want) {
		t.Errorf("overrides: got %v, want %v", got, want)
	}
	got := run("rules:\n  no-such-rule: off\n")
	if !slices.ContainsFunc(got, func(d diag.Diagnostic) bool {
		return d.File() == "reqtrail.yaml" && d.Rule == "schema" && d.Range.Start.Line == 2 && strings.Contains(d.Message, "no-such-rule")
	}) {
		t.Errorf("unknown rule id not reported: %v", got)
	}
}

// TestOneBadFileHidesNothing: a broken file next to good ones still lets every other
// file's findings through.
func TestOneBadFileHidesNothing(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: [\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: t\nparent: REQ-0009\n---\n")},
		"reqs/REQ-0003.md": {Data: []byte("\xff\xfe")},
		"reqs/REQ-0004.md": {Data: []byte("---\nid: REQ-0004\ntitle: t\nstatus: nope\n---\n")},
	}
	var got []string
	for _, d := range lint.Run(repo.Load(fsys), lint.Options{}) {
		got = append(got, fmt.Sprintf("%s:%s", d.File(), d.Rule))
	}
	want := []string{"reqs/REQ-0001.md:parse", "reqs/REQ-0002.md:ref-unknown", "reqs/REQ-0003.md:parse", "reqs/REQ-0004.md:schema"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEveryLintRuleSaysHowToFix(t *testing.T) {
	for _, r := range lint.Rules() {
		if !r.Gate && r.Fix == "" {
			t.Errorf("rule %s has no Fix hint", r.ID)
		}
	}
}

// checkRange checks that a diagnostic's range is in its file: the offset matches line and
// column, and the end, where known, is on or after the start.
func checkRange(t *testing.T, fsys fs.FS, d diag.Diagnostic) {
	t.Helper()
	data, err := fs.ReadFile(fsys, d.File())
	if err != nil {
		t.Errorf("%s: %v", d, err)
		return
	}
	l := pos.NewLines(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	bom := len(data) - len(l.Text())
	st := d.Range.Start
	if want := l.Offset(st.Line, st.Column) + bom; st.Offset != want && !(st.Line == 1 && st.Column == 1) {
		t.Errorf("%s: offset %d, want %d", d, st.Offset, want)
	}
	if d.Range.HasEnd() {
		if d.Range.End.File != d.File() || pos.Compare(d.Range.End, st) < 0 || d.Range.End.Offset < st.Offset || d.Range.End.Offset > len(data) {
			t.Errorf("%s: bad range %v (offsets %d-%d)", d, d.Range, st.Offset, d.Range.End.Offset)
		}
	}
}

// TestRemovedValue: a value reqtrail.yaml's values: no longer lists is a schema error whose
// range is the value itself, and the message says where extra values come from.
func TestRemovedValue(t *testing.T) {
	r := repo.Load(os.DirFS(filepath.Join("testdata", "values")))
	var got []diag.Diagnostic
	for _, d := range lint.Run(r, lint.Options{Graph: graph.Load(r)}) {
		if d.Rule == diag.RuleSchema {
			got = append(got, d)
		}
	}
	want := []struct {
		line, col, end int
		key            string
	}{{4, 7, 12, "type"}, {6, 12, 20, "source.channel"}, {8, 12, 22, "links.type"}}
	if len(got) != len(want) {
		t.Fatalf("schema findings: %v", got)
	}
	for i, w := range want {
		d := got[i]
		if d.File() != "reqs/REQ-0002.md" || d.Range.Start.Line != w.line || d.Range.Start.Column != w.col || d.Range.End.Line != w.line || d.Range.End.Column != w.end {
			t.Errorf("finding %d at %v, want %d:%d-%d", i, d.Range, w.line, w.col, w.end)
		}
		if !strings.Contains(d.Message, "values: "+w.key+":") {
			t.Errorf("finding %d: %q does not point to values: %s:", i, d.Message, w.key)
		}
	}
}

// TestBlockScalarRanges: a finding on a block scalar (|, >) or a plain value over several
// lines covers the whole value, through its last line (SARIF regions, LSP ranges).
func TestBlockScalarRanges(t *testing.T) {
	src := "---\nid: REQ-0001\ntitle: |\n  A title over\n  two lines\nstatus: >-\n  not a\n  status\npriority:\n  moscow: not\n    a priority\n---\nBody.\n"
	r := repo.Load(fstest.MapFS{"reqs/REQ-0001.md": {Data: []byte(src)}})
	want := map[string][4]int{"status": {6, 9, 8, 9}, "moscow": {10, 11, 11, 15}}
	found := 0
	for _, d := range lint.Run(r, lint.Options{}) {
		for word, w := range want {
			if !strings.Contains(d.Message, word) {
				continue
			}
			found++
			rg := d.Range
			if got := [4]int{rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column}; got != w {
				t.Errorf("%s: range %v, want %v (%s)", word, got, w, d.Message)
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of the %d findings", found, len(want))
	}
}
