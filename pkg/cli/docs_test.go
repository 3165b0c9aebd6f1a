package cli

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// update is the package's one -update flag: it rewrites generated docs and golden files.
var update = flag.Bool("update", false, "rewrite the generated docs (docs/commands/, docs/rules.md) and golden files")

// TestDocsReference keeps the generated references equal to the code: docs/commands/ to the
// command definitions and docs/rules.md to the rule registry. Regenerate with `make docs`.
func TestDocsReference(t *testing.T) {
	want := CommandReference()
	dir := filepath.Join("..", "..", "docs", "commands")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "rules.md"), []byte(RulesReference()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (generate the command reference with make docs)", err)
	}
	var have []string
	for _, e := range entries {
		have = append(have, e.Name())
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("docs/commands/%s documents no command; regenerate with make docs", e.Name())
		}
	}
	var names []string
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/commands/%s is missing; regenerate with make docs", name)
			continue
		}
		if string(got) != want[name] {
			t.Errorf("docs/commands/%s is out of date; regenerate with make docs", name)
		}
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil || string(got) != RulesReference() {
		t.Errorf("docs/rules.md is out of date (%v); regenerate with make docs", err)
	}
	if !strings.Contains(want["README.md"], "reqtrail_new.md") || len(have) < 10 {
		t.Errorf("the command reference lists %d pages", len(have))
	}
}
