package citation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/config"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A trace folder that is itself a symbolic link to outside the project is not followed.
func TestScanSymlinkedTraceFolder(t *testing.T) {
	outside, root := t.TempDir(), t.TempDir()
	write(t, filepath.Join(outside, "secret.go"), "// implements REQ-0001\n")
	write(t, filepath.Join(root, "src/main.go"), "// implements REQ-0002\n")
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Skip("symbolic links unsupported:", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "src/inner")); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: "linked", Role: Impl}, {Path: "linked/deeper", Role: Test}, {Path: "src", Role: Impl}}
	res := Scan(os.DirFS(root), cfg)
	if len(res.Citations) != 1 || res.Citations[0].ID != "REQ-0002" {
		t.Errorf("citations %v, want only REQ-0002 from src/main.go", res.Citations)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "symbolic link, not followed") {
		t.Errorf("errors %v, want one symbolic-link warning", res.Errors)
	}
}

// The site's output folder (public/, or any folder holding the site marker) is no code.
func TestScanSkipsSiteOutput(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "public/index.html"), "REQ-0001 REQ-0002")
	write(t, filepath.Join(root, "docs/site/"+config.SiteMarker), "index.html\n")
	write(t, filepath.Join(root, "docs/site/index.html"), "REQ-0003")
	write(t, filepath.Join(root, "docs/guide.md"), "REQ-0004")
	write(t, filepath.Join(root, "src/main.go"), "// REQ-0005")
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: ".", Role: Impl}, {Path: "docs/site", Role: Test}}
	res := Scan(os.DirFS(root), cfg)
	var got []string
	for _, c := range res.Citations {
		got = append(got, c.ID+"@"+c.File())
	}
	if strings.Join(got, " ") != "REQ-0004@docs/guide.md REQ-0005@src/main.go" {
		t.Errorf("citations %v", got)
	}
}
