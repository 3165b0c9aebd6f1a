package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsEditors replays the reqtrail commands docs/editors.md shows in a copy of the
// example, and checks its schema excerpt against reqtrail schema requirement.
func TestDocsEditors(t *testing.T) {
	doc := readDoc(t, "docs/editors.md")
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)
	n := 0
	for _, block := range fencedBlocks(doc) {
		if strings.HasPrefix(block, "{\n  \"$schema\"") {
			_, got, _ := runIn(dir, "schema", "requirement")
			if !strings.HasPrefix(got, block) {
				t.Errorf("docs/editors.md's excerpt of reqtrail schema requirement is out of date; it starts:\n%s", got[:min(len(got), len(block)+200)])
			}
			n++
			continue
		}
		if !strings.HasPrefix(block, "$ reqtrail ") {
			continue
		}
		for _, step := range splitSteps(block) {
			_, got, errOut := runIn(dir, shellWords(step.cmd)[1:]...)
			if got+errOut != step.want {
				t.Errorf("docs/editors.md is out of date for\n$ %s\nthe guide shows:\n%s\nreqtrail prints:\n%s", step.cmd, step.want, got+errOut)
			}
			n++
		}
	}
	if n < 2 {
		t.Fatalf("docs/editors.md: found %d checked blocks, want the schema excerpt and editor setup", n)
	}
	if _, err := os.Stat(filepath.Join(dir, ".vscode", "settings.json")); err != nil {
		t.Errorf("editor setup wrote no settings.json: %v", err)
	}
}
