package cli

import (
	"os"
	"strings"
	"testing"
)

// TestREADMERules keeps the README's rules table equal to the registry: regenerate it with
// `reqtrail lint --list-rules --format markdown` when a rule changes.
func TestREADMERules(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	begin := strings.Index(s, "<!-- BEGIN rules")
	end := strings.Index(s, "<!-- END rules -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no <!-- BEGIN rules … --> … <!-- END rules --> block")
	}
	block := s[begin:end]
	block = block[strings.Index(block, "-->")+len("-->"):]
	if got, want := strings.TrimSpace(block), strings.TrimSpace(RulesMarkdown()); got != want {
		t.Errorf("README rules table is out of date; regenerate it with reqtrail lint --list-rules --format markdown.\ngot:\n%s\nwant:\n%s", got, want)
	}
}
