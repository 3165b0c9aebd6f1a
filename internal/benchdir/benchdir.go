// Package benchdir is where benchmarks keep what they generate and write when several
// benchmark processes run in a row (make bench-compare): the folder REQTRAIL_BENCH_DIR
// names. There the generated corpora and git repositories are made once and reused by
// every later process, and the folders benchmarks build into are left in place, so no
// benchmark process deletes tens of thousands of files just before the next one creates
// its own. On this machine's ext4, which has no journal, every file created within minutes
// of such a deletion costs the kernel a scan over the freed inodes (seconds for a site of
// 12,000 files); the deletions are the benchmark loop's, not what a user's first build on
// a fresh checkout meets. Whoever sets the variable removes the folder at the end.
// Without it, everything goes into the test's temporary folders as before.
package benchdir

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env is the variable naming the shared folder.
const Env = "REQTRAIL_BENCH_DIR"

// Root returns the shared folder, or "" when none is set.
func Root() string { return os.Getenv(Env) }

// Out returns a new, empty folder for a benchmark to write into: below the shared folder,
// left in place, when one is set; tb.TempDir() otherwise.
func Out(tb testing.TB) string {
	tb.Helper()
	root := Root()
	if root == "" {
		return tb.TempDir()
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "out-")
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Shared returns the folder named name below the shared folder, made by calling make on a
// temporary folder beside it and renaming that into place, so that a process cut off while
// making it leaves nothing another would take for finished. When it is already there, mk
// is not called. ok is false when no shared folder is set (and nothing was made).
func Shared(name string, mk func(dir string) error) (dir string, ok bool, err error) {
	root := Root()
	if root == "" {
		return "", false, nil
	}
	dir = filepath.Join(root, name)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir, true, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", true, err
	}
	tmp, err := os.MkdirTemp(root, "making-"+name+"-")
	if err != nil {
		return "", true, err
	}
	if err := mk(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", true, fmt.Errorf("making %s: %w", name, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if fi, serr := os.Stat(dir); serr == nil && fi.IsDir() {
			return dir, true, nil // another process made it first
		}
		return "", true, err
	}
	return dir, true, nil
}
