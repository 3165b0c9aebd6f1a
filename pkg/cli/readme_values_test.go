package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsValues checks that docs/format.md shows what the commands print today for values:
// and urgency:, and that docs/site.md's Chinese excerpt is on the example's page.
func TestDocsValues(t *testing.T) {
	doc := readDoc(t, "docs/format.md")
	code, stdout, stderr := runIn("../lint/testdata/values", "lint")
	if code != 1 || stdout == "" {
		t.Fatalf("lint of the values fixture: %d %s", code, stderr)
	}
	if !strings.Contains(doc, "$ reqtrail -C pkg/lint/testdata/values lint\n"+stdout) {
		t.Errorf("docs/format.md does not show the lint output of pkg/lint/testdata/values:\n%s", stdout)
	}

	code, stdout, stderr = runIn("../../examples/customer-service", "schema", "requirement")
	if code != 0 {
		t.Fatalf("schema: %s", stderr)
	}
	i := strings.Index(stdout, "\n    \"type\": {\n")
	j := strings.Index(stdout[i+1:], "\n    },\n")
	if i < 0 || j < 0 {
		t.Fatalf("no type property in\n%s", stdout)
	}
	if block := stdout[i+1 : i+1+j+len("\n    },\n")]; !strings.Contains(block, `"epic"`) || !strings.Contains(doc, "…\n"+block+"…\n") {
		t.Errorf("docs/format.md does not show the example's type enum:\n%s", block)
	}

	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("reqtrail.yaml", "urgency: {urgent: 4}\n")
	write("reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: Urgent thing\nurgency: urgent\nsource: {date: 2020-01-01}\n---\n")
	t.Setenv("REQTRAIL_TODAY", "2020-01-02")
	code, stdout, stderr = runIn(dir, "rank")
	if code != 0 {
		t.Fatalf("rank: %s", stderr)
	}
	if !strings.Contains(doc, "$ REQTRAIL_TODAY=2020-01-02 reqtrail rank\n"+stdout) {
		t.Errorf("docs/format.md does not show rank with urgency:\n%s", stdout)
	}

	// The Chinese site's excerpt.
	site := readDoc(t, "docs/site.md")
	ex := filepath.Join(t.TempDir(), "ex")
	if err := os.CopyFS(ex, os.DirFS("../../examples/customer-service")); err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile(filepath.Join(ex, "reqtrail.yaml"))
	if err := os.WriteFile(filepath.Join(ex, "reqtrail.yaml"), []byte(strings.Replace(string(cfg), "lang: en", "lang: zh-CN", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runIn(ex, "site", "-o", out); code != 0 {
		t.Fatalf("site: %s", stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "r", "REQ-0002.html"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(site, "```html\n")
	end := strings.Index(site[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("docs/site.md has no html excerpt")
	}
	for _, line := range strings.Split(strings.TrimSpace(site[start+8:start+8+end]), "\n") {
		if !strings.Contains(string(page), line) {
			t.Errorf("docs/site.md shows a line that r/REQ-0002.html of the Chinese example lacks:\n%s", line)
		}
	}
}
