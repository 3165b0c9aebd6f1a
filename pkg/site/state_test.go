package site

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// copyTree copies the folder src to dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree returns every file under dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildDir builds the site of the project at root into out and returns the build's figures.
func buildDir(t testing.TB, root, out string, opts func(*repo.Repo) Options) Stats {
	t.Helper()
	r := repo.Load(os.DirFS(root))
	d, err := NewDir(out)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Build(r, d, opts(r))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDiskRebuild changes a project in every way a record page can depend on and checks
// that a rebuild into the last build's folder, which renders only the record pages whose
// inputs changed, leaves exactly the files (marker and state included) of a full build into
// an empty folder.
func TestDiskRebuild(t *testing.T) {
	root := filepath.Join(t.TempDir(), "project")
	copyTree(t, exampleDir, root)
	out := filepath.Join(t.TempDir(), "public")
	source := Source{Commit: strings.Repeat("ab", 20), Rev: "v1.0", Time: commitTime}
	opts := func(r *repo.Repo) Options {
		return Options{Source: source, History: fakeHistory(r)}
	}
	first := buildDir(t, root, out, opts)
	if first.Kept != 0 || first.RecordPages < 30 {
		t.Fatalf("first build: %+v", first)
	}
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(name, old, new string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s has no %q", name, old)
		}
		write(name, strings.Replace(string(data), old, new, 1))
	}
	steps := []struct {
		what string
		do   func()
		// most is the most record pages the rebuild may render (-1: every page).
		most int
	}{
		{"nothing", func() {}, 0},
		{"a title", func() { edit("reqs/chat/REQ-0002.md", "title: ", "title: Edited ") }, 12},
		{"a parent's status", func() { edit("reqs/chat/REQ-0001.md", "status: development", "status: approved") }, 20},
		{"a linked record's title", func() { edit("reqs/routing/REQ-0024.md", "title: ", "title: Linked ") }, 12},
		{"a body mentioning a record", func() { edit("reqs/chat/REQ-0003.md", "\n---\n", "\n---\nSee REQ-0005.\n\n") }, 12},
		{"an acceptance verdict", func() { edit("acceptance/ACC-0001.md", "verdict: accepted", "verdict: rejected") }, 20},
		{"a source file citing a record", func() {
			write("src/chat/extra.go", "package chat\n\n// implements REQ-0004\nfunc extra() {}\n")
		}, 12},
		{"a source file citing no record", func() { write("src/chat/other.go", "package chat\n\nfunc other() {}\n") }, 0},
		{"an image a body shows", func() {
			write("reqs/chat/flow.png", "\x89PNG one")
			edit("reqs/chat/REQ-0005.md", "\n---\n", "\n---\n![flow](flow.png)\n\n")
		}, 12},
		{"the image's bytes", func() { write("reqs/chat/flow.png", "\x89PNG two") }, 12},
		{"the configuration", func() { edit("reqtrail.yaml", "title: Customer Service Platform", "title: CSP") }, -1},
		{"a new record", func() { write("reqs/chat/REQ-0999.md", "---\nid: REQ-0999\ntitle: New\nparent: REQ-0001\n---\n") }, -1},
		{"a removed record", func() { os.Remove(filepath.Join(root, "reqs/chat/REQ-0999.md")) }, -1},
		{"a new commit", func() { source.Commit, source.Time = strings.Repeat("cd", 20), commitTime.Add(time.Hour) }, -1},
		{"a page removed from the output", func() { os.Remove(filepath.Join(out, "r", "REQ-0010.html")) }, 2},
		{"a damaged state", func() {
			p := filepath.Join(out, StateName)
			data, _ := os.ReadFile(p)
			data[len(data)/2] ^= 0xff
			os.WriteFile(p, data, 0o644)
		}, -1},
		{"a truncated state", func() {
			p := filepath.Join(out, StateName)
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/3], 0o644)
		}, -1},
		{"another binary", func() {
			old := binaryStamp
			binaryStamp = func() string { return old() + " other" }
			t.Cleanup(func() { binaryStamp = old })
		}, -1},
	}
	for _, s := range steps {
		s.do()
		st := buildDir(t, root, out, opts)
		fresh := filepath.Join(t.TempDir(), "fresh")
		full := buildDir(t, root, fresh, opts)
		rendered := st.RecordPages - st.Kept
		t.Logf("%s: %d of %d record pages rendered", s.what, rendered, st.RecordPages)
		if s.most < 0 && st.Kept != 0 {
			t.Errorf("%s: kept %d pages, want a full build", s.what, st.Kept)
		}
		if s.most >= 0 && rendered > s.most {
			t.Errorf("%s: rendered %d record pages, want at most %d", s.what, rendered, s.most)
		}
		st.Kept = 0
		if st != full {
			t.Errorf("%s: figures %+v, a full build's %+v", s.what, st, full)
		}
		got, want := readTree(t, out), readTree(t, fresh)
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Fatalf("%s: file lists differ:\n%v\n%v", s.what, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Errorf("%s: %s differs from a full build's", s.what, name)
			}
		}
	}
}

// TestDecodeStateDamaged checks that a state cut or changed anywhere is refused, and that a
// good one reads back as written.
func TestDecodeStateDamaged(t *testing.T) {
	s := &siteState{pages: map[string]pageState{
		"REQ-0001": {page: "REQ-0001.html", digest: 7, size: 1234, linked: []string{"REQ-0002"}},
		"REQ-0002": {page: "REQ-0002.html", files: true},
	}}
	s.site[0] = 9
	data := s.encode()
	got, err := decodeState(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.site != s.site || len(got.pages) != 2 || !slices.Equal(got.pages["REQ-0001"].linked, []string{"REQ-0002"}) ||
		got.pages["REQ-0001"].size != 1234 || !got.pages["REQ-0002"].files {
		t.Fatalf("read back %+v", got)
	}
	for i := range data {
		if _, err := decodeState(data[:i]); err == nil {
			t.Fatalf("a state cut at %d was read", i)
		}
		bad := slices.Clone(data)
		bad[i] ^= 0x40
		if _, err := decodeState(bad); err == nil {
			t.Fatalf("a state changed at %d was read", i)
		}
	}
}

// FuzzDecodeState feeds the state reader arbitrary bytes with a valid checksum (so that the
// fuzzer reaches past it): an error or a state, never a panic; a state read encodes to bytes
// that read back to the same state.
func FuzzDecodeState(f *testing.F) {
	s := &siteState{pages: map[string]pageState{"REQ-0001": {page: "REQ-0001.html", size: 300, linked: []string{"A", "B"}}}, search: 77}
	data := s.encode()
	f.Add(data[:len(data)-4])
	f.Add([]byte(stateHeader))
	f.Fuzz(func(t *testing.T, body []byte) {
		data := binary.BigEndian.AppendUint32(slices.Clip(body), crc32.ChecksumIEEE(body))
		st, err := decodeState(data)
		if err != nil {
			return
		}
		again, err := decodeState(st.encode())
		if err != nil {
			t.Fatalf("a state read does not read back: %v", err)
		}
		if !reflect.DeepEqual(st, again) {
			t.Fatalf("read back %+v, want %+v", again, st)
		}
	})
}
