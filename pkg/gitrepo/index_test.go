package gitrepo

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/internal/gittest"
)

// indexSandbox is a repository whose index has every kind of file: nested folders, an
// executable, a symbolic link, a gitlink (a submodule's commit) and names that sort
// differently as paths and as tree entries ("a-b" and "a/").
func indexSandbox(t *testing.T) *sandbox {
	s := newSandbox(t)
	s.write("reqtrail.yaml", "project: x\n")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "draft", "one"))
	s.write("reqs/g1/REQ-0002.md", req("REQ-0002", "draft", "two"))
	s.write("reqs/g1/deep/REQ-0003.md", req("REQ-0003", "draft", "three"))
	s.write("a/x", "1")
	s.write("a-b/x", "2")
	s.write("a.b", "3")
	s.write("run.sh", "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(s.dir, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("REQ-0001.md", filepath.Join(s.dir, "reqs", "link.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	s.git("add", "-A")
	s.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/sub")
	s.git("commit", "-q", "-m", "base")
	return s
}

// lsFiles is git's own account of the index: "mode hash stage\tpath" per file.
func lsFiles(s *sandbox) string {
	return s.git("ls-files", "-s")
}

func (ix *Index) lsFiles() string {
	var b strings.Builder
	for i, f := range ix.Files {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%06o %s 0\t%s", uint32(f.Mode), f.Hash, f.Path)
	}
	return b.String()
}

func readIndex(t *testing.T, s *sandbox) *Index {
	t.Helper()
	ix, err := s.open().ReadIndex()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestIndexSameAsGit: the index as read here is the index as git lists it, in every version
// git writes, and its cache tree holds the commit's tree ids.
func TestIndexSameAsGit(t *testing.T) {
	s := indexSandbox(t)
	want := lsFiles(s)
	for _, version := range []string{"2", "3", "4", "2"} {
		s.git("update-index", "--index-version", version)
		ix := readIndex(t, s)
		if got := ix.lsFiles(); got != want {
			t.Fatalf("version %s:\n%s\nwant\n%s", version, got, want)
		}
		// git writes the cache tree at a commit; read-tree primes it again after the rewrite.
		s.git("read-tree", "HEAD")
		ix = readIndex(t, s)
		var dirs []string
		for _, line := range strings.Split(s.git("ls-tree", "-r", "-d", "--format=%(objecttype) %(path)", "HEAD"), "\n") {
			if d, ok := strings.CutPrefix(line, "tree "); ok {
				dirs = append(dirs, d)
			}
		}
		for _, d := range append(dirs, "") {
			h, ok := ix.Tree(d)
			if want := s.git("rev-parse", "HEAD:"+d); !ok || h.String() != want {
				t.Errorf("version %s: tree of %q = %s, %v; want %s", version, d, h, ok, want)
			}
		}
		n := 0
		ix.Trees(func(string, plumbing.Hash) { n++ })
		if n != len(dirs)+1 {
			t.Errorf("version %s: %d folders in the cache tree, want %d", version, n, len(dirs)+1)
		}
	}
}

// TestIndexCacheTreeOutOfDate: a file staged since the commit takes its folders and the top
// out of the cache tree; the folders beside them keep their ids.
func TestIndexCacheTreeOutOfDate(t *testing.T) {
	s := indexSandbox(t)
	s.write("reqs/g1/REQ-0002.md", req("REQ-0002", "approved", "two"))
	s.git("add", "reqs/g1/REQ-0002.md")
	ix := readIndex(t, s)
	for _, d := range []string{"", "reqs", "reqs/g1"} {
		if _, ok := ix.Tree(d); ok {
			t.Errorf("%q still has a tree id", d)
		}
	}
	if h, ok := ix.Tree("reqs/g1/deep"); !ok || h.String() != s.git("rev-parse", "HEAD:reqs/g1/deep") {
		t.Errorf("reqs/g1/deep: %s, %v", h, ok)
	}
}

// TestIndexFlags: a file added with --intent-to-add is not listed (no commit holds it); a
// sparse checkout's file is, marked.
func TestIndexFlags(t *testing.T) {
	s := indexSandbox(t)
	s.write("reqs/REQ-0009.md", req("REQ-0009", "draft", "new"))
	s.git("add", "-N", "reqs/REQ-0009.md")
	s.git("update-index", "--skip-worktree", "a/x")
	ix := readIndex(t, s)
	var skipped []string
	for _, f := range ix.Files {
		if f.Path == "reqs/REQ-0009.md" {
			t.Error("an intent-to-add file is listed")
		}
		if f.SkipWorktree {
			skipped = append(skipped, f.Path)
		}
	}
	if fmt.Sprint(skipped) != "[a/x]" {
		t.Errorf("skip-worktree: %v", skipped)
	}
}

// TestIndexUnsupported: a split index, a sparse index and a conflict are refused as such.
func TestIndexUnsupported(t *testing.T) {
	t.Run("split", func(t *testing.T) {
		s := indexSandbox(t)
		s.git("update-index", "--split-index")
		if _, err := s.open().ReadIndex(); !errors.Is(err, ErrIndexUnsupported) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("sparse", func(t *testing.T) {
		s := indexSandbox(t)
		// As sparse-checkout init --cone --sparse-index would, without the worktree-config
		// extension go-git does not open.
		s.git("config", "core.sparseCheckout", "true")
		s.git("config", "core.sparseCheckoutCone", "true")
		s.git("config", "index.sparse", "true")
		s.write(".git/info/sparse-checkout", "/*\n!/*/\n/reqs/\n")
		s.git("sparse-checkout", "reapply")
		if !strings.Contains(s.git("ls-files", "-s", "--sparse"), "040000 ") {
			t.Fatal("git wrote no sparse index")
		}
		if _, err := s.open().ReadIndex(); !errors.Is(err, ErrIndexUnsupported) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("conflict", func(t *testing.T) {
		s := indexSandbox(t)
		s.git("checkout", "-q", "-b", "other")
		s.write("a/x", "other")
		s.commit("other")
		s.git("checkout", "-q", "main")
		s.write("a/x", "main")
		s.commit("main")
		merge := exec.Command("git", "-c", "user.name=x", "-c", "user.email=x@x", "merge", "-q", "other")
		merge.Dir = s.dir
		if out, err := merge.CombinedOutput(); err == nil {
			t.Fatalf("the merge did not conflict: %s", out)
		}
		if _, err := s.open().ReadIndex(); !errors.Is(err, ErrIndexUnsupported) {
			t.Errorf("got %v", err)
		}
	})
}

// TestIndexDamage: a flipped byte fails the checksum; a truncated index is an error; a zero
// trailer (index.skipHash) is not checked; nothing panics.
func TestIndexDamage(t *testing.T) {
	s := indexSandbox(t)
	data, err := os.ReadFile(filepath.Join(s.dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), data...)
	bad[len(bad)/2] ^= 1
	if _, err := ParseIndex(bad); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("flipped byte: %v", err)
	}
	for n := 0; n < len(data); n += max(1, len(data)/97) {
		if _, err := ParseIndex(data[:n]); err == nil {
			t.Errorf("truncated at %d: no error", n)
		}
	}
	zero := append(append([]byte(nil), data[:len(data)-sha1.Size]...), make([]byte, sha1.Size)...)
	ix, err := ParseIndex(zero)
	if err != nil || ix.lsFiles() != lsFiles(s) {
		t.Errorf("zero trailer: %v", err)
	}
}

// TestIndexLinkedWorktree: a linked worktree's index is its own.
func TestIndexLinkedWorktree(t *testing.T) {
	s := indexSandbox(t)
	wt := filepath.Join(t.TempDir(), "wt")
	s.git("worktree", "add", "-q", "-b", "side", wt)
	runGit(t, wt, &s.Tick, "rm", "-q", "a/x")
	r, err := Open(wt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ix, err := r.ReadIndex()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range ix.Files {
		paths = append(paths, f.Path)
	}
	if !sort.StringsAreSorted(paths) || strings.Contains(strings.Join(paths, " "), "a/x") {
		t.Errorf("linked worktree's index: %v", paths)
	}
	if main := readIndex(t, s); !strings.Contains(main.lsFiles(), "\ta/x") {
		t.Error("the main worktree's index lost a/x")
	}
}

// FuzzIndex: ParseIndex never panics, and whatever it accepts is in strict path order. The
// fuzzer's bytes are tried as they are and with a valid trailer, so it reaches past the
// checksum.
func FuzzIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00"))
	// Real indexes of every version, without their trailers.
	g := gittest.New(f)
	g.Write("reqs/REQ-0001.md", "a")
	g.Write("reqs/g/REQ-0002.md", "b")
	g.Write("x", "c")
	g.Commit("seed")
	g.Git("update-index", "--skip-worktree", "x")
	for _, v := range []string{"2", "3", "4"} {
		g.Git("update-index", "--index-version", v)
		g.Git("read-tree", "HEAD")
		data, err := os.ReadFile(filepath.Join(g.Dir, ".git", "index"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:len(data)-sha1.Size])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := sha1.Sum(body)
		for _, data := range [][]byte{body, append(append([]byte(nil), body...), sum[:]...)} {
			ix, err := ParseIndex(data)
			if err != nil {
				continue
			}
			for i := 1; i < len(ix.Files); i++ {
				if ix.Files[i-1].Path >= ix.Files[i].Path {
					t.Fatalf("out of order: %q, %q", ix.Files[i-1].Path, ix.Files[i].Path)
				}
			}
		}
	})
}
