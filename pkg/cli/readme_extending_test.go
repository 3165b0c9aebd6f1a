package cli

import (
	"os"
	"path/filepath"
	"strconv"
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
	blocks := 0
	for _, block := range fencedBlocks(doc) {
		if !strings.HasPrefix(block, "$ ") {
			continue
		}
		blocks++
		last := 0
		for _, step := range splitSteps(block) {
			var got string
			args := shellWords(step.cmd)
			switch {
			case len(args) > 0 && args[0] == "reqtrail":
				var errOut string
				last, got, errOut = runIn(dir, args[1:]...)
				got += errOut
			case step.cmd == "echo $?":
				got = strconv.Itoa(last) + "\n"
			case len(args) == 3 && args[0] == "head":
				n, _ := strconv.Atoi(strings.TrimPrefix(args[1], "-"))
				lines := strings.SplitAfter(authoringRead(t, dir, args[2]), "\n")
				got = strings.Join(lines[:min(n, len(lines))], "")
			default:
				t.Fatalf("docs/extending.md command not understood by this test: %s", step.cmd)
			}
			if got != step.want {
				t.Errorf("docs/extending.md is out of date for\n$ %s\nthe guide shows:\n%s\nreqtrail prints:\n%s", step.cmd, step.want, got)
			}
		}
	}
	if blocks < 2 {
		t.Errorf("found only %d command blocks in docs/extending.md", blocks)
	}
	// The SARIF excerpt the guide shows is the first finding's region.
	_, sarif, _ := runIn(dir, "lint", "--format", "sarif")
	const region = "\"region\": {\n                  \"startLine\": 4,\n                  \"startColumn\": 9,\n                  \"endLine\": 4,\n                  \"endColumn\": 17\n                }"
	if !strings.Contains(sarif, region) || !strings.Contains(doc, region) {
		t.Errorf("the guide's SARIF region excerpt is not in the SARIF output:\n%s", sarif)
	}
}
