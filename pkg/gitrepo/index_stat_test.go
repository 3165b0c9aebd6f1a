//go:build linux || darwin

package gitrepo

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/reqtrail/reqtrail/internal/filestat"
)

// TestIndexStatData: the stat data read out of the index is what git recorded of each file —
// the file's own, as filestat.FromSys reads it — and the index's time is after the files',
// so git's rule trusts them; a file rewritten since (same size, its time set back) is not
// trusted.
func TestIndexStatData(t *testing.T) {
	s := indexSandbox(t)
	for _, version := range []string{"2", "4"} {
		s.git("update-index", "--index-version", version)
		ix := readIndex(t, s)
		if !ix.Stamp.Known {
			t.Fatalf("version %s: the index's time is unknown", version)
		}
		files := 0
		for _, f := range ix.Files {
			fi, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(f.Path)))
			if err != nil || !fi.Mode().IsRegular() {
				continue // the gitlink and the symbolic link
			}
			files++
			st, ok := filestat.FromSys(fi.Sys().(*syscall.Stat_t))
			if !ok || st != f.Stat && !st.Same(f.Stat) {
				t.Errorf("version %s: %s: index stat %+v, file %+v", version, f.Path, f.Stat, st)
			}
			if !filestat.Trusted(st, f.Stat, ix.Stamp) {
				t.Errorf("version %s: %s: not trusted (index written at %+v)", version, f.Path, ix.Stamp)
			}
		}
		if files < 5 {
			t.Fatalf("version %s: %d regular files", version, files)
		}
	}

	// The same size, the modification time put back: the change time tells.
	p := filepath.Join(s.dir, "reqs", "REQ-0001.md")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(p)
	changed := append([]byte{}, old...)
	changed[len(changed)-2] ^= 1
	if err := os.WriteFile(p, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	ix := readIndex(t, s)
	fi2, _ := os.Stat(p)
	st, _ := filestat.FromSys(fi2.Sys().(*syscall.Stat_t))
	for _, f := range ix.Files {
		if f.Path == "reqs/REQ-0001.md" && filestat.Trusted(st, f.Stat, ix.Stamp) {
			t.Errorf("a rewritten file of the same size and time is trusted: file %+v, index %+v", st, f.Stat)
		}
	}
}
