package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
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
