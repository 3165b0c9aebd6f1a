package repo_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/internal/gittest"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func req(id, status string, extra ...string) string {
	return "---\nid: " + id + "\ntitle: T " + id + "\nstatus: " + status + "\n" + strings.Join(extra, "") + "---\nBody of " + id + ".\n"
}

// takeOverProject is a project whose folders exercise what the walk must get right when it
// takes a folder over: a kind's folder nested in another's, hidden and underscore folders,
// a record with findings, one that does not parse, one too large, and the project root as
// a kind's folder.
func takeOverProject(g *gittest.Repo, big bool) {
	g.Write("reqtrail.yaml", "project: takeover\nkinds:\n  change: {dir: reqs/crs}\n  feedback: {dir: .}\n")
	g.Write("reqs/a/REQ-0001.md", req("REQ-0001", "approved"))
	g.Write("reqs/a/REQ-0002.md", req("REQ-0002", "nonsense", "unknown-key: 1\n"))
	g.Write("reqs/a/REQ-0003.md", "---\nid: [broken\n---\n")
	g.Write("reqs/a/deep/REQ-0004.md", req("REQ-0004", "draft"))
	g.Write("reqs/a/notes.txt", "not a record")
	g.Write("reqs/a/.hidden/REQ-0091.md", req("REQ-0091", "draft"))
	g.Write("reqs/a/_draft/REQ-0092.md", req("REQ-0092", "draft"))
	g.Write("reqs/b/REQ-0005.md", req("REQ-0005", "analysis"))
	if big {
		g.Write("reqs/big/REQ-0006.md", req("REQ-0006", "draft", "description: "+strings.Repeat("x", 1<<20)+"\n"))
	} else {
		g.Write("reqs/big/REQ-0006.md", req("REQ-0006", "draft"))
	}
	g.Write("reqs/REQ-0007.md", req("REQ-0007", "draft"))
	g.Write("reqs/crs/CR-0001.md", "---\nid: CR-0001\ntitle: c\nstatus: approved\naction: modify\naffects: [REQ-0001]\n"+
		"requested-by: x\nrequested: 2024-01-02\nreason: why\n---\n")
	g.Write("FB-0001.md", "---\nid: FB-0001\ntitle: f\n---\n")
}

// TestReuseTakesOverFolders: loading a revision with an earlier load of another revision as
// Options.Reuse takes over every folder whose git tree the earlier load listed, and gives
// exactly the load without it — from git, and from a clean work tree (LoadAgainst; a record
// too large to read keeps a work tree from standing in for its commit, so that case has none).
func TestReuseTakesOverFolders(t *testing.T) {
	for _, big := range []bool{true, false} {
		g := gittest.New(t)
		takeOverProject(g, big)
		base := g.Commit("base")
		g.Write("reqs/b/REQ-0005.md", req("REQ-0005", "review"))
		g.Write("reqs/c/REQ-0008.md", req("REQ-0008", "draft"))
		g.Remove("reqs/REQ-0007.md")
		head := g.Commit("head")

		gr, err := gitrepo.Open(g.Dir)
		if err != nil {
			t.Fatal(err)
		}
		fsAt := func(rev string) fs.FS {
			t.Helper()
			fsys, err := gr.FS(plumbing.NewHash(rev), "")
			if err != nil {
				t.Fatal(err)
			}
			return fsys
		}
		load := func(rev string, reuse *repo.Repo) *repo.Repo {
			t.Helper()
			return repo.LoadWith(fsAt(rev), repo.Options{Reuse: reuse})
		}
		want := load(base, nil)

		// reqs/a (with its nested folders), reqs/big and reqs/crs are taken over; the root,
		// reqs and reqs/b are not (they changed).
		n := repo.FoldersTakenOver()
		headRepo := load(head, nil)
		same(t, "from git", load(base, headRepo), want)
		if taken := repo.FoldersTakenOver() - n; taken != 3 {
			t.Errorf("from git: %d folders taken over, want 3 (reqs/a, reqs/big, reqs/crs)", taken)
		}

		if !big {
			n = repo.FoldersTakenOver()
			wt, clean := repo.LoadAgainst(dirfs.New(g.Dir), fsAt(head), repo.Options{})
			if !clean {
				t.Fatal("the work tree is head's checkout")
			}
			same(t, "from the work tree", load(base, wt), want)
			if taken := repo.FoldersTakenOver() - n; taken != 3 {
				t.Errorf("from the work tree: %d folders taken over, want 3", taken)
			}
		}

		// The same revision: the project root, the feedback kind's folder, is taken over
		// whole, and so is each other kind's folder below it.
		n = repo.FoldersTakenOver()
		same(t, "same revision", load(head, headRepo), headRepo)
		if taken := repo.FoldersTakenOver() - n; taken != 3 {
			t.Errorf("same revision: %d folders taken over, want 3 (., reqs, reqs/crs)", taken)
		}

		// Under other kinds (reqs/crs as requirements), nothing is taken over.
		g.Write("reqtrail.yaml", "project: takeover\nkinds:\n  feedback: {dir: .}\n")
		other := g.Commit("other kinds")
		n = repo.FoldersTakenOver()
		same(t, "other kinds", load(other, headRepo), load(other, nil))
		if taken := repo.FoldersTakenOver() - n; taken != 0 {
			t.Errorf("other kinds: %d folders taken over", taken)
		}
		gr.Close()
	}
}

// TestReuseDirtyWalk: an earlier load whose walk reported something (a symbolic link) lends
// no folders, and a folder that changed only by a symbolic link is listed again.
func TestReuseDirtyWalk(t *testing.T) {
	g := gittest.New(t)
	takeOverProject(g, true)
	base := g.Commit("base")
	if err := os.Symlink("REQ-0001.md", filepath.Join(g.Dir, "reqs", "a", "REQ-0099.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	head := g.Commit("symlink")
	gr, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer gr.Close()
	load := func(rev string, reuse *repo.Repo) *repo.Repo {
		t.Helper()
		fsys, err := gr.FS(plumbing.NewHash(rev), "")
		if err != nil {
			t.Fatal(err)
		}
		return repo.LoadWith(fsys, repo.Options{Reuse: reuse})
	}
	headRepo := load(head, nil)
	baseRepo := load(base, nil)
	n := repo.FoldersTakenOver()
	same(t, "base from a dirty head", load(base, headRepo), baseRepo)
	same(t, "head from base", load(head, baseRepo), headRepo)
	if taken := repo.FoldersTakenOver() - n; taken != 4 {
		// base (clean) lends reqs/a/deep, reqs/b, reqs/big and reqs/crs to head; head (dirty)
		// lends nothing.
		t.Errorf("%d folders taken over, want 4", taken)
	}
}
