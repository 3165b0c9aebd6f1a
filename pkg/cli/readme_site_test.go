package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMESite checks that the README's site section shows what `reqtrail site` prints on
// the example today (the time taken aside) and the usage lines of site and serve.
func TestREADMESite(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	begin, end := strings.Index(readme, "<!-- BEGIN site -->"), strings.Index(readme, "<!-- END site -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no <!-- BEGIN site --> … <!-- END site --> block")
	}
	section := readme[begin:end]
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
		t.Errorf("the README's site section does not show the current output; it should show %q", want)
	}
	for _, usage := range []string{"reqtrail site [-o DIR] [--at REV] [--base-url URL] [--diff-base REV]", "reqtrail serve [--addr 127.0.0.1:8080]"} {
		if !strings.Contains(section, usage) {
			t.Errorf("the README's site section lacks the usage %q", usage)
		}
	}
	for _, f := range []string{"docs/dashboard.png", ".github/workflows/pages.yml"} {
		if _, err := os.Stat(filepath.Join("../..", f)); err != nil || !strings.Contains(section, f) {
			t.Errorf("%s: %v, or the README's site section does not show it", f, err)
		}
	}
}
