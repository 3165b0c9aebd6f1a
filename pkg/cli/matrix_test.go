package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestMatrixExample: the example shows every coverage state, and docs/traceability.md shows the
// matrix exactly as reqtrail prints it.
func TestMatrixExample(t *testing.T) {
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		app := &App{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		if code := app.Run(append([]string{"-C", "../../examples/customer-service", "matrix"}, args...)); code != 0 {
			t.Fatalf("matrix %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	var m struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(run("--format", "json")), &m); err != nil {
		t.Fatal(err)
	}
	for _, state := range []string{"accepted", "verified", "implemented", "untraced"} {
		if m.Summary[state] == 0 {
			t.Errorf("the example has no %s requirement: %v", state, m.Summary)
		}
	}

	readme := []byte(readDoc(t, "docs/traceability.md"))
	const head = "$ reqtrail -C examples/customer-service matrix\n"
	i := bytes.Index(readme, []byte(head))
	if i < 0 {
		t.Fatal("docs/traceability.md: no matrix output of the example")
	}
	block := string(readme[i+len(head):])
	block = block[:strings.Index(block, "```")]
	if got := run(); got != block {
		t.Errorf("docs/traceability.md's matrix output is out of date; replace it with:\n%s", got)
	}
}
