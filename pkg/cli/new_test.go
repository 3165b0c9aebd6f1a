package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func authoringWrite(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func authoringRead(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func authoringCommit(t *testing.T, r *git.Repository, msg string) {
	t.Helper()
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Ada", Email: "ada@example.com", When: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
}

const authoringReq1 = `---
id: REQ-0001
title: Customers can reset their password
status: approved
acceptance-criteria:
  - A reset link arrives within one minute
---
Body.
`

// TestNewAfterFetch: two people branch from main; one pushes REQ-0002; the other fetches
// and runs new: it must not pick REQ-0002 again.
func TestNewAfterFetch(t *testing.T) {
	t.Setenv("REQTRAIL_TODAY", "2024-06-01")
	upDir := t.TempDir()
	up, err := git.PlainInit(upDir, false)
	if err != nil {
		t.Fatal(err)
	}
	authoringWrite(t, upDir, "reqtrail.yaml", "project: P\n")
	authoringWrite(t, upDir, "reqs/REQ-0001.md", authoringReq1)
	authoringCommit(t, up, "first")

	dir := t.TempDir()
	clone, err := git.PlainClone(dir, false, &git.CloneOptions{URL: upDir})
	if err != nil {
		t.Fatal(err)
	}
	authoringWrite(t, upDir, "reqs/REQ-0002.md", strings.ReplaceAll(authoringReq1, "REQ-0001", "REQ-0002"))
	authoringCommit(t, up, "pushed by someone else")
	if err := clone.Fetch(&git.FetchOptions{RemoteName: "origin"}); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runIn(dir, "new", "requirement", "--title", "Export tickets to CSV")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := filepath.Join(dir, "reqs", "REQ-0003.md")
	if got := strings.TrimSpace(out); got != want && !strings.HasSuffix(want, got) {
		t.Errorf("printed %q, want the path of %s", got, want)
	}
	got := authoringRead(t, dir, "reqs/REQ-0003.md")
	for _, s := range []string{"id: REQ-0003\n", "title: Export tickets to CSV\n", "status: new\n", "  date: \"2024-06-01\"\n"} {
		if !strings.Contains(got, s) {
			t.Errorf("new file lacks %q:\n%s", s, got)
		}
	}
	if code, _, errOut := runIn(dir, "lint"); code != 0 {
		t.Errorf("lint on the new file: exit %d\n%s", code, errOut)
	}
	if code, out, _ := runIn(dir, "fmt", "--check"); code != 0 {
		t.Errorf("the new file is not canonical: %s", out)
	}
}

func TestNewTemplatesAndSet(t *testing.T) {
	t.Setenv("REQTRAIL_TODAY", "2024-06-01")
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "fields:\n  requirement:\n    customer-tier: {enum: [gold, silver]}\n")
	authoringWrite(t, dir, "reqs/chat/REQ-0001.md", authoringReq1)

	code, _, errOut := runIn(dir, "new", "requirement", "--title", "Chat: typing indicator", "--parent", "REQ-0001",
		"--set", "priority.moscow=must", "--set", "priority.ice.impact=8", "--set", "priority.ice.ease=5",
		"--set", "priority.ice.confidence=6", "--set", "release=2024.4", "--set", "tags=chat, ux",
		"--set", "due=2024-09-30", "--set", "customer-tier=gold", "--set", "links=[{type: relates-to, to: REQ-0001}]")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := authoringRead(t, dir, "reqs/chat/REQ-0002.md")
	want := `---
id: REQ-0002
title: "Chat: typing indicator"
type: functional
status: new
priority:
  moscow: must
  ice: {impact: 8, confidence: 6, ease: 5}
source:
  date: "2024-06-01"
release: "2024.4"
due: "2024-09-30"
parent: REQ-0001
links: [{type: relates-to, to: REQ-0001}]
tags: [chat, ux]
customer-tier: gold
---
`
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant front matter\n%s", got, want)
	}

	if code, _, errOut := runIn(dir, "new", "change", "--title", "Drop the indicator", "--parent", "REQ-0002", "--set", "impact.cost=low"); code != 0 {
		t.Fatalf("change: exit %d: %s", code, errOut)
	}
	got = authoringRead(t, dir, "changes/CR-0001.md")
	if !strings.HasPrefix(got, "---\nid: CR-0001\ntitle: Drop the indicator\nstatus: proposed\naction: modify\naffects: [REQ-0002]\nrequested: \"2024-06-01\"\nimpact:\n  cost: low\n---\n") {
		t.Errorf("change:\n%s", got)
	}

	// An acceptance has no verdict until the customer's is filled in: lint says so.
	code, out, errOut := runIn(dir, "new", "acceptance", "--title", "Accepted", "--parent", "REQ-0001", "--dir", "2024")
	if code != 0 || !strings.Contains(out, "fill in: verdict") {
		t.Fatalf("acceptance: exit %d: %s%s", code, out, errOut)
	}
	got = authoringRead(t, dir, "acceptance/2024/ACC-0001.md")
	for _, s := range []string{"# verdict: accepted | conditional | rejected\n", "  - id: REQ-0001\n    fingerprint: ", "{criterion: A reset link arrives within one minute, requirement: REQ-0001}"} {
		if !strings.Contains(got, s) {
			t.Errorf("acceptance lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "\nverdict:") {
		t.Errorf("a new acceptance has a verdict before the customer gave one:\n%s", got)
	}
	if code, out, errOut := runIn(dir, "lint"); code != 1 || !strings.Contains(out, `acceptance/2024/ACC-0001.md:1:1: error: missing required key "verdict" [schema]`) {
		t.Errorf("lint of an unfilled acceptance: exit %d\n%s%s", code, out, errOut)
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", authoringReq1)
	for _, args := range [][]string{
		{"new", "requirement"},                                         // no title
		{"new", "widget", "--title", "x"},                              // unknown kind
		{"new", "requirement", "--title", "x", "--parent", "REQ-0099"}, // unknown parent
		{"new", "requirement", "--title", "x", "--set", "priority.moscow=musst"},
		{"new", "requirement", "--title", "x", "--set", "id=REQ-0005"},
		{"new", "requirement", "--title", "x", "--set", "nokey"},
		{"new", "requirement", "--title", "x", "--set", "title.x=1"},
		{"new", "requirement", "--title", "x", "--folder", "../elsewhere"},
		{"new", "change", "--title", "x"}, // affects nothing
		{"new", "acceptance", "--title", "x"},
	} {
		code, _, errOut := runIn(dir, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "reqs"))
	if len(entries) != 1 {
		t.Errorf("a failed new wrote files: %v", entries)
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", authoringReq1)
	// REQ-0002.md is a symbolic link: the loader does not read it, so the allocator picks
	// REQ-0002; new must neither write through nor over the link: it takes the next id.
	if err := os.Symlink("REQ-0001.md", filepath.Join(dir, "reqs", "REQ-0002.md")); err != nil {
		t.Skip("no symlinks:", err)
	}
	code, out, errOut := runIn(dir, "new", "requirement", "--title", "x")
	if code != 0 || !strings.HasSuffix(out, "REQ-0003.md\n") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if authoringRead(t, dir, "reqs/REQ-0001.md") != authoringReq1 {
		t.Error("REQ-0001 changed")
	}
	if fi, err := os.Lstat(filepath.Join(dir, "reqs", "REQ-0002.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

func TestNewEditor(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", authoringReq1)
	script := filepath.Join(t.TempDir(), "ed.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'Edited.' >> \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(env map[string]string, args ...string) (int, string) {
		var out, errb strings.Builder
		app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
		return app.Run(append([]string{"-C", dir}, args...)), errb.String()
	}
	if code, errOut := run(map[string]string{"EDITOR": script}, "new", "requirement", "--title", "x", "--editor"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := authoringRead(t, dir, "reqs/REQ-0002.md"); !strings.HasSuffix(got, "Edited.\n") {
		t.Errorf("the editor did not run on the new file:\n%s", got)
	}
	code, errOut := run(nil, "new", "requirement", "--title", "y", "--editor")
	if code != 2 || !strings.Contains(errOut, "set $EDITOR") {
		t.Errorf("no editor: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "reqs", "REQ-0003.md")); err != nil {
		t.Error("the file should be created even when no editor is set")
	}
}
