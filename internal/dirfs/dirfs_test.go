package dirfs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFile: New reads what os.DirFS reads, with the same errors, for files of
// every size around the buffer's first capacity, an empty file, a folder, a missing file,
// a symbolic link and invalid names.
func TestReadFile(t *testing.T) {
	root := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 100_000} {
		data := bytes.Repeat([]byte("x"), n)
		if err := os.WriteFile(filepath.Join(root, "f"+strings.Repeat("0", n%7)+string(rune('a'+n%26))), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("fa", filepath.Join(root, "link")); err != nil {
		t.Skip(err)
	}
	entries, _ := os.ReadDir(root)
	names := []string{"missing", "dir/missing", "../x", "/abs", "a\x00b", ".", ""}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want, got := os.DirFS(root).(fs.ReadFileFS), New(root).(fs.ReadFileFS)
	for _, name := range names {
		w, werr := want.ReadFile(name)
		g, gerr := got.ReadFile(name)
		if !bytes.Equal(w, g) || cap(g) != cap(w) && werr == nil {
			t.Errorf("%q: read %d bytes (cap %d), want %d (cap %d)", name, len(g), cap(g), len(w), cap(w))
		}
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%q: error %v, want %v", name, gerr, werr)
		}
		var wp, gp *fs.PathError
		if errors.As(werr, &wp) != errors.As(gerr, &gp) || wp != nil && (wp.Op != gp.Op || wp.Path != gp.Path || !errors.Is(gerr, wp.Err)) {
			t.Errorf("%q: error %#v, want %#v", name, gerr, werr)
		}
	}
}

// TestReadFileMax: ReadFileMax reads a file whole when it has at most max bytes and
// max+1 bytes of a larger one, whatever the sizes around the buffer's first capacity.
func TestReadFileMax(t *testing.T) {
	root := t.TempDir()
	fsys := New(root).(interface {
		ReadFileMax(string, int) ([]byte, error)
	})
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 100_000} {
		data := bytes.Repeat([]byte("y"), n)
		if err := os.WriteFile(filepath.Join(root, "f"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, max := range []int{0, 1, 100, 511, 512, 513, 4095, 4096, 100_000, 1 << 20} {
			got, err := fsys.ReadFileMax("f", max)
			want := data[:min(n, max+1)]
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("size %d, max %d: read %d bytes, %v; want %d", n, max, len(got), err, len(want))
			}
		}
	}
	if _, err := fsys.ReadFileMax("missing", 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := fsys.ReadFileMax("../x", 10); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("invalid name: %v", err)
	}
}
