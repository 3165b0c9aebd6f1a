package site

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// exampleFS copies the example project into memory, to edit it.
func exampleFS(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	src := os.DirFS(exampleDir)
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sameSite fails unless two sites hold the same files, byte for byte.
func sameSite(t *testing.T, what string, got, want *Files) {
	t.Helper()
	if !slices.Equal(got.Names(), want.Names()) {
		t.Fatalf("%s: file lists differ:\n%v\n%v", what, got.Names(), want.Names())
	}
	for _, n := range want.Names() {
		x, _ := got.Get(n)
		y, _ := want.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs from a full build", what, n)
		}
	}
}

// TestIncremental edits records one at a time and checks that the incremental build renders
// only the pages the edit touches (the record, the pages that link to it, the records whose
// trace changed) and that the site it gives is byte for byte a full build's.
func TestIncremental(t *testing.T) {
	m := exampleFS(t)
	r := repo.Load(m)
	opts := testOptions(r)
	var inc Incremental
	var early *Files
	inc.Early = func(f *Files) { early = f }
	files, st, err := inc.Build(r, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameSite(t, "first build", files, build(t, r, opts))
	recordPages := st.RecordPages
	if !st.Full || recordPages < 30 {
		t.Fatalf("first build: %+v", st)
	}
	edit := func(file, old, new string) {
		t.Helper()
		data := string(m[file].Data)
		if !strings.Contains(data, old) {
			t.Fatalf("%s has no %q", file, old)
		}
		m[file] = &fstest.MapFile{Data: []byte(strings.Replace(data, old, new, 1))}
	}
	steps := []struct {
		what, file, old, new string
		full                 bool
	}{
		{"a title", "reqs/chat/REQ-0001.md", "title: Omnichannel live chat", "title: Omnichannel chat", false},
		{"a body", "reqs/chat/REQ-0001.md", "\n---\n", "\n---\nNow with REQ-0002 mentioned.\n\n", false},
		{"a status", "reqs/chat/REQ-0001.md", "status: development", "status: approved", false},
		{"an acceptance verdict", "acceptance/ACC-0001.md", "verdict: accepted", "verdict: rejected", false},
		{"a new record", "reqs/chat/REQ-0999.md", "", "---\nid: REQ-0999\ntitle: New\n---\n", true},
	}
	for _, s := range steps {
		if s.old == "" {
			m[s.file] = &fstest.MapFile{Data: []byte(s.new)}
		} else {
			edit(s.file, s.old, s.new)
		}
		next := repo.LoadWith(m, repo.Options{Reuse: r})
		r = next
		var ist IncrementalStats
		early = nil
		if files, ist, err = inc.Build(r, opts); err != nil {
			t.Fatal(err)
		}
		if !s.full {
			// The early site already shows the edited record as the final one does.
			page := "r/" + strings.TrimSuffix(s.file[strings.LastIndex(s.file, "/")+1:], ".md") + ".html"
			if early == nil {
				t.Fatalf("%s: no early site", s.what)
			}
			e, _ := early.Get(page)
			f, _ := files.Get(page)
			if !bytes.Equal(e, f) {
				t.Errorf("%s: the early %s differs from the final one", s.what, page)
			}
		}
		if ist.Full != s.full {
			t.Errorf("%s: full build = %v, want %v", s.what, ist.Full, s.full)
		}
		if !s.full && (ist.Changed != 1 || ist.Touched == 0 || ist.Touched > recordPages/2) {
			t.Errorf("%s: %d records changed, %d of %d record pages rendered", s.what, ist.Changed, ist.Touched, recordPages)
		}
		t.Logf("%s: %d record pages rendered of %d", s.what, ist.Touched, recordPages)
		sameSite(t, s.what, files, build(t, r, opts))
	}
}
