//go:build linux

package repo_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestLoadDeviceNode: a real character device (the null device's numbers) in a record folder
// is a parse finding; it needs CAP_MKNOD, so it is skipped where it cannot be made.
func TestLoadDeviceNode(t *testing.T) {
	root := t.TempDir()
	write(t, root, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: good\n---\n")
	if err := syscall.Mknod(filepath.Join(root, "reqs", "REQ-0002.md"), syscall.S_IFCHR|0o644, 0x0103); err != nil {
		t.Skip("cannot make a device node here (needs CAP_MKNOD):", err)
	}
	got := rulesByFile(repo.Load(os.DirFS(root)).Diags)
	if want := "parse: a device, not a regular file; records must be regular files"; len(got["reqs/REQ-0002.md"]) != 1 || got["reqs/REQ-0002.md"][0] != want {
		t.Errorf("device node: got %q, want %q", got["reqs/REQ-0002.md"], want)
	}
}
