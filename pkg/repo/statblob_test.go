//go:build linux || darwin

package repo

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/internal/filestat"
)

// TestBlobFromStatData: a file read with the stat data the listing (git's index) recorded
// for it, modified before the listing was written, gets the listing's blob id without being
// hashed — as git status trusts it; any other file is hashed: one whose stat data differs,
// one the listing does not know, and every file when the listing was written in the same
// instant as the files (racily clean).
func TestBlobFromStatData(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n",
		"reqs/REQ-0002.md": "---\nid: REQ-0002\ntitle: Two\n---\n",
		"reqs/REQ-0003.md": "---\nid: REQ-0003\ntitle: Three\n---\n",
	}
	var newest filestat.Stamp // the newest file's modification time
	stats := map[string]filestat.Stat{}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		st, ok := filestat.FromSys(fi.Sys().(*syscall.Stat_t))
		if !ok {
			t.Skip("no stat data here")
		}
		stats[name] = st
		if mt := fi.ModTime(); mt.Unix() > newest.Sec || mt.Unix() == newest.Sec && int64(mt.Nanosecond()) > newest.Nsec {
			newest = filestat.Stamp{Sec: mt.Unix(), Nsec: int64(mt.Nanosecond()), Known: true}
		}
	}
	// The listing's ids are not the files' content: a record that gets one was not hashed.
	listed := func(b byte) [20]byte {
		var id [20]byte
		for i := range id {
			id[i] = b
		}
		return id
	}
	differs := stats["reqs/REQ-0002.md"]
	differs.MtimeNsec++
	l := &Listing{Files: []ListedFile{
		{Path: "reqs/REQ-0001.md", ID: listed(1), Stat: stats["reqs/REQ-0001.md"], HasStat: true},
		{Path: "reqs/REQ-0002.md", ID: listed(2), Stat: differs, HasStat: true},
		// REQ-0003 is not listed.
	}}
	load := func(at filestat.Stamp) map[string][20]byte {
		t.Helper()
		l.Stamp = at
		known := newKnownFuture()
		known.set(newKnownBlobs(l))
		r := LoadWith(dirfs.New(dir), Options{BlobIDs: true, known: known})
		got := map[string][20]byte{}
		for _, rec := range r.Records {
			id, ok := rec.Blob()
			if !ok {
				t.Fatalf("%s: no blob id", rec.File)
			}
			got[rec.File] = id
		}
		return got
	}
	hashed := func(name string) [20]byte { return BlobIDOf([]byte(files[name])) }

	later := filestat.Stamp{Sec: newest.Sec + 1, Known: true}
	got := load(later)
	if got["reqs/REQ-0001.md"] != listed(1) {
		t.Errorf("REQ-0001: the index's stat data is the file's, but its blob was not taken from it")
	}
	for _, name := range []string{"reqs/REQ-0002.md", "reqs/REQ-0003.md"} {
		if got[name] != hashed(name) {
			t.Errorf("%s: blob %x, want the file's own", name, got[name])
		}
	}
	// Written in the instant REQ-0001 was modified: racily clean, so hashed.
	one := stats["reqs/REQ-0001.md"]
	if got := load(filestat.Stamp{Sec: int64(one.MtimeSec), Nsec: int64(one.MtimeNsec), Known: true}); got["reqs/REQ-0001.md"] != hashed("reqs/REQ-0001.md") {
		t.Errorf("REQ-0001: racily clean, but its blob was taken from its stat data")
	}
	if got := load(filestat.Stamp{}); got["reqs/REQ-0001.md"] != hashed("reqs/REQ-0001.md") {
		t.Errorf("no index time: REQ-0001's blob was taken from its stat data")
	}
}
