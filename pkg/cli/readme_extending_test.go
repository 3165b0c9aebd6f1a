package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsExtending replays the command examples of docs/extending.md in a copy of
// examples/customer-service with the guide's broken requirement added, and checks that each
// printed output is what reqtrail prints today.
func TestDocsExtending(t *testing.T) {
	doc := readDoc(t, "docs/extending.md")
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)
	const broken = "---\nid: REQ-0099\ntitle: \"Agents see the queue \\\"live\\\"\"\nparent: REQ-0404\nlinks: [{type: depends-on, to: CR-0001}]\n---\nA draft.\n"
	if err := os.WriteFile(filepath.Join(dir, "reqs", "REQ-0099.md"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if blocks, _ := replayDoc(t, "docs/extending.md", doc, dir, nil); blocks < 2 {
		t.Errorf("found only %d command blocks in docs/extending.md", blocks)
	}
	// The SARIF excerpt the guide shows is the first finding's region.
	_, sarif, _ := runIn(dir, "lint", "--format", "sarif")
	const region = "\"region\": {\n                  \"startLine\": 4,\n                  \"startColumn\": 9,\n                  \"endLine\": 4,\n                  \"endColumn\": 17\n                }"
	if !strings.Contains(sarif, region) || !strings.Contains(doc, region) {
		t.Errorf("the guide's SARIF region excerpt is not in the SARIF output:\n%s", sarif)
	}
}
