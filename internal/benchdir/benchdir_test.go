package benchdir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSharedMadeOnceAndKept(t *testing.T) {
	root := filepath.Join(t.TempDir(), "shared")
	t.Setenv(Env, root)
	calls := 0
	mk := func(dir string) error {
		calls++
		return os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644)
	}
	for range 2 {
		dir, ok, err := Shared("thing", mk)
		if !ok || err != nil || dir != filepath.Join(root, "thing") {
			t.Fatalf("Shared = %q, %v, %v", dir, ok, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "f")); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Errorf("made %d times, want once", calls)
	}
	// A failed make leaves nothing that a later call would take for made.
	if _, ok, err := Shared("broken", func(dir string) error { return errors.New("no") }); !ok || err == nil {
		t.Fatalf("failed make: ok %v, err %v", ok, err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	out := Out(t)
	if filepath.Dir(out) != root {
		t.Errorf("Out = %q, not below %q", out, root)
	}
}

func TestWithoutSharedFolder(t *testing.T) {
	t.Setenv(Env, "")
	if _, ok, err := Shared("thing", func(string) error { t.Fatal("made without a folder"); return nil }); ok || err != nil {
		t.Fatalf("ok %v, err %v", ok, err)
	}
	if out := Out(t); out == "" {
		t.Fatal("no folder")
	}
}
