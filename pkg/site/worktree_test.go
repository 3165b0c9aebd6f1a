package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestWorkTree reloads a project after edits the watcher reports: only the changed files are
// read again, and the records are a fresh load's.
func TestWorkTree(t *testing.T) {
	root := filepath.Join(t.TempDir(), "project")
	copyTree(t, exampleDir, root)
	tree := NewWorkTree(root)
	last := repo.Load(os.DirFS(root))
	tree.Loaded(last)
	reload := func(c Change) *repo.Repo {
		t.Helper()
		tree.Changed(c)
		r := repo.LoadWith(tree, repo.Options{Reuse: last})
		tree.Loaded(r)
		fresh := repo.Load(os.DirFS(root))
		if len(r.Records) != len(fresh.Records) {
			t.Fatalf("%d records, a fresh load has %d", len(r.Records), len(fresh.Records))
		}
		for i, rec := range r.Records {
			if f := fresh.Records[i]; rec.File != f.File || string(rec.Raw) != string(f.Raw) || rec.Title != f.Title {
				t.Errorf("%s differs from a fresh load's", rec.File)
			}
		}
		if len(r.Diags) != len(fresh.Diags) {
			t.Errorf("%d findings, a fresh load has %d", len(r.Diags), len(fresh.Diags))
		}
		return r
	}
	reused := func(r *repo.Repo) int {
		n := 0
		for _, rec := range r.Records {
			if last.ByID[rec.ID] == rec {
				n++
			}
		}
		return n
	}
	file := filepath.Join(root, "reqs", "chat", "REQ-0002.md")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(data), "title: ", "title: Edited ", 1)), 0o644)
	r := reload(Change{Paths: []string{file}})
	if got := r.ByID["REQ-0002"].Title; !strings.HasPrefix(got, "Edited ") {
		t.Errorf("the edited title is %q", got)
	}
	if n := reused(r); n != len(r.Records)-1 {
		t.Errorf("%d of %d records reused, want all but the edited one", n, len(r.Records))
	}
	last = r
	// A folder renamed away and another put in its place: its files are read again.
	os.Rename(filepath.Join(root, "reqs", "chat"), filepath.Join(root, "reqs", "chat-old"))
	copyTree(t, filepath.Join(root, "reqs", "chat-old"), filepath.Join(root, "reqs", "chat"))
	os.RemoveAll(filepath.Join(root, "reqs", "chat-old"))
	other := filepath.Join(root, "reqs", "chat", "REQ-0003.md")
	data, _ = os.ReadFile(other)
	os.WriteFile(other, []byte(strings.Replace(string(data), "title: ", "title: Moved ", 1)), 0o644)
	r = reload(Change{Paths: []string{filepath.Join(root, "reqs", "chat-old"), filepath.Join(root, "reqs", "chat")}})
	if got := r.ByID["REQ-0003"].Title; !strings.HasPrefix(got, "Moved ") {
		t.Errorf("the title in the replaced folder is %q", got)
	}
	last = r
	// Unknown changes: every file is compared again.
	data, _ = os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(data), "title: Edited ", "title: Again ", 1)), 0o644)
	r = reload(Change{All: true})
	if got := r.ByID["REQ-0002"].Title; !strings.HasPrefix(got, "Again ") {
		t.Errorf("after a change of everything the title is %q", got)
	}
}
