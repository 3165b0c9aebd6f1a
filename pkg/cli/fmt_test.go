package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fmtMessy = "---\ntitle: Messy\nstatus: new   # aligned comment\nid: REQ-0002\npriority:\n    kano: basic\n    moscow: must\n---\nBody  kept\n"
const fmtClean = "---\nid: REQ-0002\ntitle: Messy\nstatus: new   # aligned comment\npriority:\n  moscow: must\n  kano: basic\n---\nBody  kept\n"

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", authoringReq1)
	authoringWrite(t, dir, "reqs/sub/REQ-0002.md", fmtMessy)

	code, out, _ := runIn(dir, "fmt", "--check")
	if code != 1 || out != "reqs/sub/REQ-0002.md\n" {
		t.Fatalf("check: exit %d, %q", code, out)
	}
	if authoringRead(t, dir, "reqs/sub/REQ-0002.md") != fmtMessy {
		t.Fatal("--check changed the file")
	}
	code, out, errOut := runIn(dir, "fmt", "reqs/sub")
	if code != 0 || out != "reqs/sub/REQ-0002.md\n" {
		t.Fatalf("fmt: exit %d, %q %s", code, out, errOut)
	}
	if got := authoringRead(t, dir, "reqs/sub/REQ-0002.md"); got != fmtClean {
		t.Errorf("got\n%s\nwant\n%s", got, fmtClean)
	}
	if code, out, _ := runIn(dir, "fmt", "--check"); code != 0 || out != "" {
		t.Errorf("after fmt, check: exit %d, %q", code, out)
	}
	if code, out, _ := runIn(dir, "fmt"); code != 0 || out != "" {
		t.Errorf("fmt twice: exit %d, %q", code, out)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "reqs", "sub"))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestFmtProblems(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", "---\ntitle: [broken\n---\n")
	authoringWrite(t, dir, "reqs/REQ-0002.md", fmtMessy)
	code, out, errOut := runIn(dir, "fmt")
	if code != 1 || !strings.Contains(errOut, "reqs/REQ-0001.md: cannot format") || out != "reqs/REQ-0002.md\n" {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	for _, args := range [][]string{{"fmt", "nope.md"}, {"fmt", "reqtrail.yaml"}, {"fmt", "/"}} {
		authoringWrite(t, dir, "reqtrail.yaml", "project: x\n")
		if code, _, _ := runIn(dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestFmtFailedWrite: a write that fails leaves the original file untouched.
func TestFmtFailedWrite(t *testing.T) {
	dir := t.TempDir()
	// A name so long that the temporary file's name (".<name>.tmp…") cannot be created.
	long := "REQ-0002-" + strings.Repeat("x", 240) + ".md"
	authoringWrite(t, dir, "reqs/"+long, fmtMessy)
	code, _, errOut := runIn(dir, "fmt")
	if code != 2 || !strings.Contains(errOut, "not rewritten") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := authoringRead(t, dir, "reqs/"+long); got != fmtMessy {
		t.Error("the original changed")
	}

}

// TestFmtExample: the example repository is canonical.
func TestFmtExample(t *testing.T) {
	code, out, errOut := runIn("../../examples/customer-service", "fmt", "--check")
	if code != 0 {
		t.Errorf("fmt --check on the example: exit %d\n%s%s", code, out, errOut)
	}
}
