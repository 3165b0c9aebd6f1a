package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMESite checks that the site guide (docs/site.md) shows what `reqtrail site` prints on
// the example today (the time taken aside) and the usage lines of site and serve.
func TestREADMESite(t *testing.T) {
	section := readDoc(t, "docs/site.md")
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runIn("../../examples/customer-service", "site", "-o", out)
	if code != 0 {
		t.Fatalf("site: %s", stderr)
	}
	m := regexp.MustCompile(`^wrote (\d+) pages to .* \((\d+) requirements\) in [0-9.]+s; open `).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("unexpected output %q", stdout)
	}
	want := "wrote " + m[1] + " pages to examples/customer-service/public (" + m[2] + " requirements)"
	if !strings.Contains(section, want) {
		t.Errorf("docs/site.md does not show the current output; it should show %q", want)
	}
	if !serveUpdateLine.MatchString(section) {
		t.Errorf("docs/site.md does not show what serve prints after an edit (%s)", serveUpdateLine)
	}
	for _, usage := range []string{"reqtrail site [-o DIR] [--at REV] [--base-url URL] [--diff-base REV]", "reqtrail serve [--addr 127.0.0.1:8080]"} {
		if !strings.Contains(section, usage) {
			t.Errorf("docs/site.md lacks the usage %q", usage)
		}
	}
	for _, f := range []string{"docs/dashboard.png", ".github/workflows/pages.yml"} {
		link := "](" + strings.TrimPrefix(f, "docs/")
		if !strings.HasPrefix(f, "docs/") {
			link = "](../" + f
		}
		if _, err := os.Stat(filepath.Join("../..", f)); err != nil || !strings.Contains(section, link) {
			t.Errorf("%s: %v, or docs/site.md does not link it", f, err)
		}
	}
}
