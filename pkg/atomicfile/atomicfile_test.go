package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteStream: the streamed content replaces the file; a failing writer leaves the old
// file and no temporary file behind.
func TestWriteStream(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.reqif")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteStream(name, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, "new content")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new content" {
		t.Fatalf("file holds %q", b)
	}
	boom := errors.New("boom")
	if err := WriteStream(name, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new content" {
		t.Fatalf("a failed write changed the file to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the folder holds %d entries (a temporary file left?)", len(entries))
	}
}

// TestPrepareAll: many files are prepared on several cores and linked into place; a name
// that exists is refused, and nothing but the files linked remains (no temporary files).
func TestPrepareAll(t *testing.T) {
	dir := t.TempDir()
	var names []string
	var data [][]byte
	for i := range 300 {
		names = append(names, filepath.Join(dir, fmt.Sprintf("f%d", i%3), fmt.Sprintf("r%d.md", i)))
		data = append(data, []byte(fmt.Sprintf("record %d\n", i)))
	}
	if err := os.MkdirAll(filepath.Join(dir, "f1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(names[1], []byte("already here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := PrepareAll(names, data, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		err := p.Link()
		if i == 1 {
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("linking over an existing file: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	Discard(ps)
	for i, name := range names {
		got, err := os.ReadFile(name)
		want := string(data[i])
		if i == 1 {
			want = "already here\n"
		}
		if err != nil || string(got) != want {
			t.Fatalf("%s: %q %v, want %q", name, got, err, want)
		}
	}
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != len(names) {
		t.Errorf("%d files in the folder, want %d (temporary files left?)", n, len(names))
	}
}

// TestPrepareAllFails: when one file cannot be written (its name is too long for the file
// system), PrepareAll fails and leaves no temporary file behind.
func TestPrepareAllFails(t *testing.T) {
	dir := t.TempDir()
	var names []string
	var data [][]byte
	for i := range 300 {
		base := fmt.Sprintf("r%d.md", i)
		if i == 200 {
			base = strings.Repeat("x", 250) + ".md"
		}
		names = append(names, filepath.Join(dir, base))
		data = append(data, []byte("x\n"))
	}
	if _, err := PrepareAll(names, data, 0o644); err == nil {
		t.Fatal("PrepareAll wrote a file whose name is too long")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("%d files left behind, the first %s", len(entries), entries[0].Name())
	}
}

// TestPrepareAllFolders: the folders of hundreds of files, nested and in any order, are made
// on several cores; a file in the way of a folder gives MkdirAll's error.
func TestPrepareAllFolders(t *testing.T) {
	dir := t.TempDir()
	var names []string
	var data [][]byte
	for i := range 400 {
		// Children before their parents, and parents that only lead to folders.
		names = append(names, filepath.Join(dir, "a", fmt.Sprintf("b%d", i%7), fmt.Sprintf("c%d", i%50), "r.md"))
		data = append(data, []byte("x"))
		if i%40 == 0 {
			names = append(names, filepath.Join(dir, "a", fmt.Sprintf("r%d.md", i)))
			data = append(data, []byte("y"))
		}
	}
	ps, err := PrepareAll(names, data, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	Discard(ps)
	for _, n := range names {
		if fi, err := os.Stat(filepath.Dir(n)); err != nil || !fi.IsDir() {
			t.Fatalf("%s: %v", filepath.Dir(n), err)
		}
	}
	// A file where a folder should be.
	block := filepath.Join(dir, "file")
	if err := os.WriteFile(block, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want := os.MkdirAll(filepath.Join(block, "sub"), 0o755)
	bad := append(slices.Clone(names[:300]), filepath.Join(block, "sub", "r.md"))
	if _, err := PrepareAll(bad, make([][]byte, len(bad)), 0o644); err == nil || want == nil || err.Error() != want.Error() {
		t.Fatalf("err %v, want %v", err, want)
	}
}
