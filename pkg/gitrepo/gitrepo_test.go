package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/internal/gittest"
	"gopkg.in/yaml.v3"
)

// sandbox is a git repository built with the git tool in a temporary folder.
type sandbox struct {
	*gittest.Repo
	t   *testing.T
	dir string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	g := gittest.New(t)
	return &sandbox{Repo: g, t: t, dir: g.Dir}
}

func (s *sandbox) git(args ...string) string { s.t.Helper(); return s.Git(args...) }

func (s *sandbox) write(name, content string) { s.t.Helper(); s.Write(name, content) }

func (s *sandbox) commit(msg string) string { s.t.Helper(); return s.Commit(msg) }

func runGit(t *testing.T, dir string, tick *int, args ...string) string {
	t.Helper()
	return gittest.Run(t, dir, tick, args...)
}

func (s *sandbox) open() *Repo {
	s.t.Helper()
	r, err := Open(s.dir)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { r.Close() })
	return r
}

func req(id, status, body string) string {
	return fmt.Sprintf("---\nid: %s\ntitle: Title of %s\nstatus: %s\n---\n%s\n", id, id, status, body)
}

func TestOpen(t *testing.T) {
	s := newSandbox(t)
	s.write("a/b/c.txt", "x")
	s.commit("first")
	want, _ := filepath.EvalSymlinks(s.dir)
	for _, dir := range []string{s.dir, filepath.Join(s.dir, "a"), filepath.Join(s.dir, "a", "b")} {
		r, err := Open(dir)
		if err != nil {
			t.Fatalf("Open(%s): %v", dir, err)
		}
		got, _ := filepath.EvalSymlinks(r.Top())
		if got != want {
			t.Errorf("Open(%s).Top() = %s, want %s", dir, got, want)
		}
		r.Close()
	}
	// A linked worktree: .git is a file pointing into the main repository.
	wt := filepath.Join(t.TempDir(), "wt")
	s.git("worktree", "add", "-q", "-b", "feature", wt)
	r, err := Open(filepath.Join(wt, "a"))
	if err != nil {
		t.Fatalf("Open(worktree): %v", err)
	}
	defer r.Close()
	gotTop, _ := filepath.EvalSymlinks(r.Top())
	wantTop, _ := filepath.EvalSymlinks(wt)
	if gotTop != wantTop {
		t.Errorf("worktree Top = %s, want %s", gotTop, wantTop)
	}
	if _, err := r.Resolve("HEAD"); err != nil {
		t.Errorf("worktree Resolve(HEAD): %v", err)
	}
	if _, err := r.Resolve("feature"); err != nil {
		t.Errorf("worktree Resolve(feature): %v", err)
	}

	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("Open(non-repo) = %v, want ErrNotRepository", err)
	}
}

func TestResolve(t *testing.T) {
	s := newSandbox(t)
	s.write("f", "1")
	c1 := s.commit("one")
	s.write("f", "2")
	c2 := s.commit("two")
	s.git("tag", "light")
	s.git("tag", "-a", "-m", "annotated", "v1.0")
	s.git("checkout", "-q", "-b", "side", c1)
	s.write("g", "side")
	c3 := s.commit("side")
	s.git("checkout", "-q", "main")
	s.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	m := s.git("rev-parse", "HEAD")
	s.git("update-ref", "refs/remotes/origin/main", c2)
	r := s.open()
	cases := map[string]string{
		"HEAD": m, "@": m, "@~1": c2, "main": m, "refs/heads/main": m, "HEAD~1": c2, "HEAD~2": c1, "main^": c2, "main^2": c3,
		"HEAD^2~1": c1, "HEAD^0": m, "light": c2, "v1.0": c2, "v1.0~1": c1, "origin/main": c2,
		c1: c1, c1[:7]: c1, c3[:10]: c3, "side": c3,
	}
	for rev, want := range cases {
		got, err := r.Resolve(rev)
		if err != nil {
			t.Errorf("Resolve(%q): %v", rev, err)
			continue
		}
		if got.String() != want {
			t.Errorf("Resolve(%q) = %s, want %s", rev, got, want)
		}
	}
	for _, rev := range []string{"nope", "HEAD~9", "main^3", "", "~1", "HEAD@{1}", "main..side", "0000000", "a:b", "HEAD^{tree}"} {
		if h, err := r.Resolve(rev); !errors.Is(err, ErrUnknownRevision) {
			t.Errorf("Resolve(%q) = %v, %v; want ErrUnknownRevision", rev, h, err)
		}
	}
}

func TestEmptyRepository(t *testing.T) {
	s := newSandbox(t)
	r := s.open()
	for _, rev := range []string{"HEAD", "HEAD~1", "main", "abc123"} {
		if _, err := r.Resolve(rev); !errors.Is(err, ErrNoCommits) {
			t.Errorf("Resolve(%s) in an empty repository = %v, want ErrNoCommits", rev, err)
		}
	}
}

func TestFS(t *testing.T) {
	s := newSandbox(t)
	s.write("proj/reqtrail.yaml", "project: x\n")
	s.write("proj/reqs/REQ-0001.md", req("REQ-0001", "new", "Body"))
	s.write("proj/reqs/group/REQ-0002.md", req("REQ-0002", "new", "Body 2"))
	s.write("proj/reqs/a.b", "dotted")
	s.write("proj/reqs/a/x", "folder a sorts after a.b")
	s.write("proj/run.sh", "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(s.dir, "proj/run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("reqs/REQ-0001.md", filepath.Join(s.dir, "proj/link.md")); err != nil {
		t.Fatal(err)
	}
	s.write("other.txt", "outside")
	c := s.commit("tree")
	// The work tree changes afterwards; the FS must show the commit.
	s.write("proj/reqs/REQ-0001.md", "changed in the work tree")
	s.write("proj/untracked.md", "x")

	r := s.open()
	h := plumbing.NewHash(c)
	fsys, err := r.FS(h, "proj")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "reqtrail.yaml", "reqs/REQ-0001.md", "reqs/group/REQ-0002.md", "run.sh", "link.md", "reqs/a/x"); err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fsys, "reqs/REQ-0001.md")
	if err != nil || string(data) != req("REQ-0001", "new", "Body") {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if _, err := fs.Stat(fsys, "untracked.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("untracked file visible: %v", err)
	}
	if _, err := fs.Stat(fsys, "../other.txt"); err == nil {
		t.Errorf("path outside the root visible")
	}
	fi, err := fs.Lstat(fsys, "link.md")
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(link.md) = %v, %v; want a symlink", fi, err)
	}
	if target, err := fs.ReadLink(fsys, "link.md"); err != nil || target != "reqs/REQ-0001.md" {
		t.Errorf("ReadLink = %q, %v", target, err)
	}
	fi, err = fs.Stat(fsys, "run.sh")
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("Stat(run.sh) = %v, %v", fi, err)
	}
	var walked []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		walked = append(walked, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ". link.md reqs reqs/REQ-0001.md reqs/a reqs/a/x reqs/a.b reqs/group reqs/group/REQ-0002.md reqtrail.yaml run.sh"
	if got := strings.Join(walked, " "); got != want {
		t.Errorf("WalkDir:\n got %s\nwant %s", got, want)
	}
	// The whole repository, too.
	top, err := r.FS(h, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(top, "other.txt", "proj/reqs/REQ-0001.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.FS(h, "nope"); err == nil {
		t.Error("FS(missing folder) succeeded")
	}
	if _, err := r.FS(h, "other.txt"); err == nil {
		t.Error("FS(file) succeeded")
	}
	if _, err := r.FS(plumbing.NewHash("1234567890123456789012345678901234567890"), ""); err == nil {
		t.Error("FS(missing commit) succeeded")
	}
}

func TestFSConcurrent(t *testing.T) {
	s := newSandbox(t)
	for i := range 200 {
		s.write(fmt.Sprintf("reqs/g%d/REQ-%04d.md", i%7, i), req(fmt.Sprintf("REQ-%04d", i), "new", strings.Repeat("body ", i)))
	}
	c := s.commit("many")
	s.git("gc", "-q") // read from a pack file
	r := s.open()
	fsys, err := r.FS(plumbing.NewHash(c), "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 200; i += 3 {
				name := fmt.Sprintf("reqs/g%d/REQ-%04d.md", i%7, i)
				data, err := fs.ReadFile(fsys, name)
				if err != nil || !strings.Contains(string(data), fmt.Sprintf("REQ-%04d", i)) {
					t.Errorf("ReadFile(%s) = %v", name, err)
				}
				if _, err := fs.Stat(fsys, name); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestMergeBase(t *testing.T) {
	s := newSandbox(t)
	s.write("f", "1")
	c1 := s.commit("one")
	s.write("f", "2")
	c2 := s.commit("two")
	s.git("checkout", "-q", "-b", "feature")
	s.write("g", "1")
	f1 := s.commit("feature one")
	s.git("checkout", "-q", "main")
	s.write("f", "3")
	m3 := s.commit("three")
	r := s.open()
	H := plumbing.NewHash
	check := func(a, b, want string) {
		t.Helper()
		got, err := r.MergeBase(H(a), H(b))
		if err != nil || got.String() != want {
			t.Errorf("MergeBase(%.7s, %.7s) = %.7s, %v; want %.7s", a, b, got, err, want)
		}
	}
	check(m3, f1, c2)
	check(f1, m3, c2)
	check(c1, f1, c1)
	check(f1, f1, f1)
	// After merging main into feature, the merge base moves to main's tip.
	s.git("checkout", "-q", "feature")
	s.git("merge", "-q", "--no-ff", "-m", "merge main", "main")
	f2 := s.git("rev-parse", "HEAD")
	r2 := s.open()
	if got, err := r2.MergeBase(H(m3), H(f2)); err != nil || got.String() != m3 {
		t.Errorf("after merge: %v %v, want %s", got, err, m3)
	}
	// Unrelated histories.
	s.git("checkout", "-q", "--orphan", "lonely")
	s.write("z", "z")
	z := s.commit("lonely")
	r3 := s.open()
	if _, err := r3.MergeBase(H(z), H(m3)); !errors.Is(err, ErrNoMergeBase) {
		t.Errorf("unrelated: %v, want ErrNoMergeBase", err)
	}
}

func TestShallow(t *testing.T) {
	s := newSandbox(t)
	s.write("reqs/REQ-0001.md", req("REQ-0001", "new", "a"))
	s.commit("one")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "analysis", "a"))
	base := s.commit("two")
	s.git("checkout", "-q", "-b", "feature")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "review", "a"))
	s.commit("three")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "approved", "a"))
	head := s.commit("four")

	clone := filepath.Join(t.TempDir(), "clone")
	tick := 0
	runGit(t, s.dir, &tick, "clone", "-q", "--depth", "1", "--branch", "feature", "file://"+s.dir, clone)
	r, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.Shallow() {
		t.Fatal("clone not detected as shallow")
	}
	if _, err := r.Resolve("origin/main"); err == nil || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("Resolve(origin/main) in a shallow clone = %v, want the fetch hint", err)
	}
	if _, err := r.Resolve("HEAD~1"); !errors.Is(err, ErrShallow) || !strings.Contains(err.Error(), "--unshallow") {
		t.Errorf("Resolve(HEAD~1) = %v, want ErrShallow with the hint", err)
	}
	if _, err := r.MergeBase(plumbing.NewHash(base), plumbing.NewHash(head)); !errors.Is(err, ErrShallow) {
		t.Errorf("MergeBase with a missing base = %v, want ErrShallow", err)
	}
	h, err := r.History(plumbing.NewHash(head), []string{"reqs"})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Truncated || len(h.Records["REQ-0001"].Touches) != 1 {
		t.Errorf("shallow history = %+v", h)
	}

	// Deeper: the base is there, the walk still stops at the boundary.
	clone2 := filepath.Join(t.TempDir(), "clone2")
	runGit(t, s.dir, &tick, "clone", "-q", "--depth", "3", "--no-single-branch", "file://"+s.dir, clone2)
	r2, err := Open(clone2)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	b, err := r2.Resolve("origin/main")
	if err != nil {
		t.Fatal(err)
	}
	mb, err := r2.MergeBase(b, plumbing.NewHash(head))
	if err != nil || mb.String() != base {
		t.Errorf("MergeBase in a deep enough clone = %v, %v", mb, err)
	}
}

func TestHistory(t *testing.T) {
	s := newSandbox(t)
	s.write("p/reqs/REQ-0001.md", req("REQ-0001", "new", "a"))
	s.write("p/reqs/README.md", "not a record")
	s.write("p/src/x.go", "package x")
	c1 := s.commit("add REQ-0001")
	s.write("p/reqs/REQ-0001.md", req("REQ-0001", "analysis", "a"))
	s.write("p/reqs/REQ-0002.md", req("REQ-0002", "new", "b"))
	c2 := s.commit("analyse REQ-0001\n\nlonger text")
	s.write("p/src/x.go", "package y")
	s.commit("code only")
	if err := os.MkdirAll(filepath.Join(s.dir, "p/reqs/chat"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.git("mv", "p/reqs/REQ-0001.md", "p/reqs/chat/REQ-0001.md")
	c4 := s.commit("move REQ-0001")
	s.git("checkout", "-q", "-b", "side")
	s.write("p/reqs/chat/REQ-0001.md", req("REQ-0001", "review", "a"))
	c5 := s.commit("review on a branch")
	s.git("checkout", "-q", "main")
	s.git("rm", "-q", "p/reqs/REQ-0002.md")
	c6 := s.commit("delete REQ-0002")
	s.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	s.write("p/changes/CR-0001.yaml", "id: CR-0001\nstatus: approved\n")
	c8 := s.commit("cr")

	r := s.open()
	h, err := r.History(plumbing.NewHash(c8), []string{"p/reqs", "p/changes", "p/acceptance", "p/reqs/chat", "p/changes"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Truncated {
		t.Error("Truncated in a full clone")
	}
	type row struct{ hash, action, status, path string }
	got := func(id string) []row {
		var out []row
		if h.Records[id] == nil {
			t.Fatalf("no history for %s", id)
		}
		for _, tc := range h.Records[id].Touches {
			out = append(out, row{tc.Hash, tc.Action, tc.Status, tc.Path})
		}
		return out
	}
	want1 := []row{
		{c5, Modified, "review", "p/reqs/chat/REQ-0001.md"},
		{c4, Renamed, "analysis", "p/reqs/chat/REQ-0001.md"},
		{c2, Modified, "analysis", "p/reqs/REQ-0001.md"},
		{c1, Added, "new", "p/reqs/REQ-0001.md"},
	}
	if g := got("REQ-0001"); fmt.Sprint(g) != fmt.Sprint(want1) {
		t.Errorf("REQ-0001:\n got %v\nwant %v", g, want1)
	}
	want2 := []row{{c6, Deleted, "", "p/reqs/REQ-0002.md"}, {c2, Added, "new", "p/reqs/REQ-0002.md"}}
	if g := got("REQ-0002"); fmt.Sprint(g) != fmt.Sprint(want2) {
		t.Errorf("REQ-0002:\n got %v\nwant %v", g, want2)
	}
	if g := got("CR-0001"); len(g) != 1 || g[0].status != "approved" {
		t.Errorf("CR-0001: %v", g)
	}
	if _, ok := h.Records["README"]; ok {
		t.Error("README.md taken as a record")
	}
	r1 := h.Records["REQ-0001"]
	if r1.Created().Hash != c1 || r1.LastChange().Hash != c5 || r1.Created().Subject != "add REQ-0001" || r1.Created().Author != gittest.Author {
		t.Errorf("Created/LastChange = %+v / %+v", r1.Created(), r1.LastChange())
	}
	if h.Records["REQ-0001"].Touches[2].Subject != "analyse REQ-0001" {
		t.Errorf("subject = %q", h.Records["REQ-0001"].Touches[2].Subject)
	}
}

func TestFrontMatterField(t *testing.T) {
	cases := []struct{ in, want string }{
		{"---\nstatus: approved\n---\nbody", "approved"},
		{"---\r\nid: X\r\nstatus: review\r\n---\r\n", "review"},
		{"status: new\n", "new"},
		{"---\nstatus: [a]\n---\n", ""},
		{"---\nstatus: x\n", ""},
		{"---\n: : :\n---\n", ""},
		{"---\na: &x [1]\nb: *x\nstatus: ok\n---\n", "ok"},
		{"", ""},
	}
	for _, c := range cases {
		if got := FrontMatterField([]byte(c.in), "status"); got != c.want {
			t.Errorf("FrontMatterField(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzFrontMatterField(f *testing.F) {
	f.Add([]byte("---\nstatus: approved\n---\nbody"))
	f.Add([]byte("---\na: &a [*a]\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		FrontMatterField(data, "status")
	})
}

func FuzzParseRevision(f *testing.F) {
	for _, s := range []string{"HEAD~3", "main^2", "v1.0^0~1", "a~~^", "x@{1}", "~", "HEAD~99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rev string) {
		base, steps, err := ParseRevision(rev)
		if err == nil && (base == "" || strings.ContainsAny(base, "~^")) {
			t.Errorf("ParseRevision(%q) = %q, %v", rev, base, steps)
		}
	})
}

// FuzzQuickField checks the line scan against the YAML parser wherever both answer.
func FuzzQuickField(f *testing.F) {
	for _, s := range []string{
		"id: X\nstatus: approved\n", "title: \"a\nstatus: b\"\n", "status: a\nstatus: b\n",
		"a: |\n  x\nstatus: ok\n", "tags: [a,\n  b]\nstatus: x\n", "status: 'x'\n", "status: x # c\n",
		"a:\n  status: nested\nstatus: top\n", "a: b\n c\nstatus: d\n", "status:  word\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, fm []byte) {
		v, ok := quickField(fm, "status")
		if !ok {
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(fm, &doc); err != nil {
			return
		}
		if want := yamlField(fm, "status"); v != want {
			t.Errorf("quickField(%q) = %q, YAML says %q", fm, v, want)
		}
	})
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 a.md\x00aaaaaaaaaaaaaaaaaaaa40000 b\x00bbbbbbbbbbbbbbbbbbbb"))
	f.Add([]byte("100644 b\x00bbbbbbbbbbbbbbbbbbbb100644 a\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := parseTree(data)
		if err == nil && tr == nil {
			t.Error("nil tree without error")
		}
	})
}

func TestParseTree(t *testing.T) {
	tr, err := parseTree([]byte("100644 a.b\x00aaaaaaaaaaaaaaaaaaaa40000 a\x00bbbbbbbbbbbbbbbbbbbb"))
	if err != nil || len(tr.Entries) != 2 || !tr.sorted || tr.Entries[1].Name != "a" || tr.Entries[1].Mode.String() != "0040000" {
		t.Errorf("parseTree = %+v, %v", tr, err)
	}
	tr, err = parseTree([]byte("100644 b\x00bbbbbbbbbbbbbbbbbbbb100644 a\x00aaaaaaaaaaaaaaaaaaaa"))
	if err != nil || tr.sorted {
		t.Errorf("unsorted tree: %+v, %v", tr, err)
	}
	for _, bad := range []string{"100644 a", "1x0644 a\x00aaaaaaaaaaaaaaaaaaaa", " a\x00aaaaaaaaaaaaaaaaaaaa", "100644 a\x00short"} {
		if _, err := parseTree([]byte(bad)); err == nil {
			t.Errorf("parseTree(%q) succeeded", bad)
		}
	}
}

// In a clone of depth 2 of a pull request's merge commit, the base branch's tip is the merge
// commit's first parent: check --base HEAD^1 works without more history.
func TestShallowMergeCommit(t *testing.T) {
	s := newSandbox(t)
	s.write("reqs/REQ-0001.md", req("REQ-0001", "new", "a"))
	s.commit("one")
	s.git("checkout", "-q", "-b", "feature")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "analysis", "a"))
	s.commit("two")
	s.git("checkout", "-q", "main")
	s.write("other", "x")
	base := s.commit("three")
	s.git("merge", "-q", "--no-ff", "-m", "merge", "feature")
	clone := filepath.Join(t.TempDir(), "clone")
	tick := 0
	runGit(t, s.dir, &tick, "clone", "-q", "--depth", "2", "file://"+s.dir, clone)
	r, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := r.Resolve("HEAD^1")
	if err != nil || b.String() != base {
		t.Fatalf("Resolve(HEAD^1) = %v, %v", b, err)
	}
	h, _ := r.Resolve("HEAD")
	if mb, err := r.MergeBase(b, h); err != nil || mb != b {
		t.Errorf("MergeBase = %v, %v; want %s", mb, err, base)
	}
}

// TestHistoryMissingTree: a tree object missing from the repository (a damaged clone) is an
// error of the walk, wherever in the history it is, not a hang or a partial history; the
// commits before and after it span several of the differs' chunks.
func TestHistoryMissingTree(t *testing.T) {
	s := newSandbox(t)
	var heads []string
	for i := range 3 * chunkSize {
		s.write(fmt.Sprintf("reqs/g%d/REQ-%04d.md", i%3, i+1), req(fmt.Sprintf("REQ-%04d", i+1), "new", "x"))
		heads = append(heads, s.commit(fmt.Sprintf("add %d", i+1)))
	}
	// The reqs/g1 tree of a commit in the middle of the history.
	mid := heads[len(heads)/2]
	tree := strings.TrimSpace(s.git("rev-parse", mid+":reqs/g1"))
	if err := os.Remove(filepath.Join(s.dir, ".git", "objects", tree[:2], tree[2:])); err != nil {
		t.Fatal(err)
	}
	r := s.open()
	for _, opts := range []HistoryOptions{{}, {NoStatus: true}} {
		h, err := r.HistoryWith(plumbing.NewHash(heads[len(heads)-1]), []string{"reqs"}, opts)
		if err == nil {
			t.Fatalf("%+v: no error; %d records", opts, len(h.Records))
		}
	}
}

// TestSharedClone reads a clone made with `git clone --shared`, which holds no objects of
// its own: objects/info/alternates names the source's object folder (CI systems use such
// clones, and `--reference`, to save fetching). Revisions, files, sizes and history come
// from the source's packs and its loose objects.
func TestSharedClone(t *testing.T) {
	s := newSandbox(t)
	s.write("reqs/REQ-0001.md", req("REQ-0001", "new", "a"))
	s.write("reqtrail.yaml", "project: x\n")
	c1 := s.commit("one")
	s.write("reqs/REQ-0001.md", req("REQ-0001", "analysis", "a"))
	c2 := s.commit("two")
	s.git("repack", "-q", "-a", "-d")
	// A commit after the repack stays loose in the source.
	s.write("reqs/REQ-0002.md", req("REQ-0002", "new", "b"))
	c3 := s.commit("three")

	clone := filepath.Join(t.TempDir(), "clone")
	tick := 0
	runGit(t, s.dir, &tick, "clone", "-q", "--shared", s.dir, clone)
	if alt, err := os.ReadFile(filepath.Join(clone, ".git", "objects", "info", "alternates")); err != nil || len(alt) == 0 {
		t.Fatalf("no alternates in the shared clone: %q, %v", alt, err)
	}
	r, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for rev, want := range map[string]string{"HEAD": c3, "HEAD~1": c2, "HEAD~2": c1} {
		h, err := r.Resolve(rev)
		if err != nil || h.String() != want {
			t.Errorf("Resolve(%s) = %v, %v; want %s", rev, h, err, want)
		}
	}
	for _, c := range []string{c1, c3} {
		fsys, err := r.FS(plumbing.NewHash(c), "")
		if err != nil {
			t.Fatal(err)
		}
		data, err := fs.ReadFile(fsys, "reqs/REQ-0001.md")
		if err != nil {
			t.Fatalf("%s: ReadFile: %v", c, err)
		}
		fi, err := fs.Stat(fsys, "reqs/REQ-0001.md")
		if err != nil || fi.Size() != int64(len(data)) {
			t.Errorf("%s: Stat = %v, %v; want size %d", c, fi, err, len(data))
		}
	}
	h, err := r.History(plumbing.NewHash(c3), []string{"reqs"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.Records["REQ-0001"].Touches); n != 2 || h.Records["REQ-0001"].Created().Hash != c1 {
		t.Errorf("REQ-0001 history in the shared clone: %+v", h.Records["REQ-0001"])
	}
	if h.Records["REQ-0002"] == nil || h.Records["REQ-0002"].Created().Hash != c3 {
		t.Errorf("REQ-0002 history in the shared clone: %+v", h.Records["REQ-0002"])
	}
}
