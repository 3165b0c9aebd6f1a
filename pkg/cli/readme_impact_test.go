package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// docBlock returns the output shown after the command line head in a doc, up to the end of
// its code block.
func docBlock(t *testing.T, doc, head string) string {
	t.Helper()
	text := readDoc(t, doc)
	i := strings.Index(text, head)
	if i < 0 {
		t.Fatalf("%s: no %q", doc, strings.TrimSpace(head))
	}
	block := text[i+len(head):]
	return block[:strings.Index(block, "```")]
}

func runExample(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := app.Run(append([]string{"-C", "../../examples/customer-service"}, args...)); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestDocsImpact: docs/traceability.md shows impact exactly as reqtrail prints it.
func TestDocsImpact(t *testing.T) {
	want := docBlock(t, "docs/traceability.md", "$ reqtrail -C examples/customer-service impact REQ-0032\n")
	if got := runExample(t, "impact", "REQ-0032"); got != want {
		t.Errorf("docs/traceability.md's impact output is out of date; replace it with:\n%s", got)
	}
}

// TestDocsMatrixResults: docs/traceability.md shows the matrix with the example's real go test
// -json results exactly as reqtrail prints it.
func TestDocsMatrixResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example's go test")
	}
	results := filepath.Join(t.TempDir(), "results.json")
	cmd := exec.Command("go", "test", "-json", "./...")
	cmd.Dir = "../../examples/customer-service"
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -json in the example: %v\n%s", err, out)
	}
	if err := os.WriteFile(results, out, 0o644); err != nil {
		t.Fatal(err)
	}
	want := docBlock(t, "docs/traceability.md", "$ reqtrail matrix --results results.json\n")
	if got := runExample(t, "matrix", "--results", results); got != want {
		t.Errorf("docs/traceability.md's matrix --results output is out of date; replace it with:\n%s", got)
	}
}
