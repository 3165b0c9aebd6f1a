package ids

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func req(id string) string { return "---\nid: " + id + "\ntitle: T " + id + "\n---\nBody\n" }

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var sig = &object.Signature{Name: "Ada", Email: "ada@example.com", When: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}

func commit(t *testing.T, r *git.Repository, msg string) plumbing.Hash {
	t.Helper()
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func next(t *testing.T, dir string, kind record.Kind) string {
	t.Helper()
	id, _, err := Next(repo.Load(os.DirFS(dir)), dir, kind)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestNextWorkTreeOnly(t *testing.T) {
	dir := t.TempDir()
	if got := next(t, dir, record.RequirementKind); got != "REQ-0001" {
		t.Errorf("empty project: got %s", got)
	}
	write(t, dir, "reqs/a/REQ-0007.md", req("REQ-0007"))
	write(t, dir, "reqs/REQ-0002.md", req("REQ-0002"))
	write(t, dir, "reqs/broken.md", "---\nid: REQ-0011\n") // unparsed: the name does not count, nor the id
	write(t, dir, "reqs/REQ-0009.md", "not a record")      // unparsed: its name counts
	write(t, dir, "changes/CR-0001.md", "---\nid: CR-0001\ntitle: T\naction: remove\naffects: [REQ-0010]\n---\n")
	if got := next(t, dir, record.RequirementKind); got != "REQ-0011" {
		t.Errorf("got %s, want REQ-0011 (REQ-0010 is named by a change request)", got)
	}
	if got := next(t, dir, record.ChangeKind); got != "CR-0002" {
		t.Errorf("got %s, want CR-0002", got)
	}
	if got := next(t, dir, record.AcceptanceKind); got != "ACC-0001" {
		t.Errorf("got %s, want ACC-0001", got)
	}
}

// TestNextRemoteBranch: a clone whose remote-tracking branch already used the next id.
func TestNextRemoteBranch(t *testing.T) {
	upstreamDir := t.TempDir()
	up, err := git.PlainInit(upstreamDir, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, upstreamDir, "reqs/REQ-0001.md", req("REQ-0001"))
	commit(t, up, "first")

	cloneDir := t.TempDir()
	clone, err := git.PlainClone(cloneDir, false, &git.CloneOptions{URL: upstreamDir})
	if err != nil {
		t.Fatal(err)
	}
	if got := next(t, cloneDir, record.RequirementKind); got != "REQ-0002" {
		t.Fatalf("fresh clone: got %s", got)
	}

	// Someone else pushes REQ-0002 (in a sub-folder); the clone fetches but does not merge.
	write(t, upstreamDir, "reqs/chat/REQ-0002.md", req("REQ-0002"))
	commit(t, up, "second")
	if err := clone.Fetch(&git.FetchOptions{RemoteName: "origin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cloneDir, "reqs/chat/REQ-0002.md")); err == nil {
		t.Fatal("the work tree should not have REQ-0002")
	}
	if got := next(t, cloneDir, record.RequirementKind); got != "REQ-0003" {
		t.Errorf("after fetch: got %s, want REQ-0003", got)
	}

	// A local branch with REQ-0005, not checked out.
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName("other"), mustCommitOnTop(t, clone, cloneDir, "reqs/REQ-0005.md"))
	if err := clone.Storer.SetReference(ref); err != nil {
		t.Fatal(err)
	}
	if got := next(t, cloneDir, record.RequirementKind); got != "REQ-0006" {
		t.Errorf("with local branch: got %s, want REQ-0006", got)
	}
	_, used, _ := Next(repo.Load(os.DirFS(cloneDir)), cloneDir, record.RequirementKind)
	if used.MaxWhere != "branch other: reqs/REQ-0005.md" {
		t.Errorf("MaxWhere = %q", used.MaxWhere)
	}
}

// mustCommitOnTop commits a new file on a detached commit and returns to the branch, leaving
// the work tree as it was; it returns the new commit.
func mustCommitOnTop(t *testing.T, r *git.Repository, dir, name string) plumbing.Hash {
	t.Helper()
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, name, req("REQ-0005"))
	h := commit(t, r, "on other")
	wt, _ := r.Worktree()
	if err := wt.Reset(&git.ResetOptions{Commit: head.Hash(), Mode: git.HardReset}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		t.Fatal("reset left the file")
	}
	return h
}

func TestNextProjectInSubfolder(t *testing.T) {
	top := t.TempDir()
	r, err := git.PlainInit(top, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, top, "docs/reqtrail.yaml", "kinds:\n  requirement: {dir: requirements, prefix: R, digits: 3}\n")
	write(t, top, "docs/requirements/R-041.md", req("R-041"))
	h := commit(t, r, "first")
	if err := r.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "main"), h)); err != nil {
		t.Fatal(err)
	}
	_, _ = r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}})
	if err := os.Remove(filepath.Join(top, "docs/requirements/R-041.md")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, filepath.Join(top, "docs"), record.RequirementKind); got != "R-042" {
		t.Errorf("got %s, want R-042", got)
	}
}

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		id string
		n  int
		ok bool
	}{
		{"REQ-0001", 1, true}, {"REQ-12345", 12345, true}, {"REQ-1", 1, true},
		{"REQ-", 0, false}, {"REQ-00a1", 0, false}, {"CR-0001", 0, false}, {"REQ-9999999999", 0, false},
	} {
		n, ok := Number("REQ", tt.id)
		if n != tt.n || ok != tt.ok {
			t.Errorf("Number(%q) = %d, %v", tt.id, n, ok)
		}
	}
}
