package repo_test

import (
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestByIDFirstFileWins(t *testing.T) {
	r := repo.Load(fstest.MapFS{
		"reqs/b/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: b\n---\n")},
		"reqs/a/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: a\n---\n")},
		"reqs/c/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: c\n---\n")},
	})
	if got := r.ByID["REQ-0001"].File; got != "reqs/a/REQ-0001.md" {
		t.Fatalf("ByID holds %s", got)
	}
}
