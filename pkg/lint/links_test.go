package lint_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// TestPinnedLinkCombinations runs link-suspect and link-unpinned over every combination of
// reference (parent, each link type), pin state (unpinned, pinned to the target's current
// fingerprint, pinned to an old one, naming an unknown target) and configuration (default,
// pin-links: true, rules: setting link-unpinned, rules: raising link-suspect to error).
func TestPinnedLinkCombinations(t *testing.T) {
	const target = "---\nid: REQ-0001\ntitle: Target\n---\nThe target's body.\n"
	current := record.Fingerprint("Target", nil, "The target's body.\n")
	const old = "0123456789ab"
	configs := map[string]string{
		"default":       "",
		"pin-links":     "pin-links: true\n",
		"rules-unpin":   "rules: {link-unpinned: error}\n",
		"suspect-error": "rules: {link-suspect: error}\n",
		"pin-links-off": "pin-links: true\nrules: {link-unpinned: off}\n",
	}
	refs := []string{"parent", "depends-on", "conflicts-with", "derived-from", "relates-to"}
	pins := []string{"unpinned", "current", "old", "unknown"}
	for cfgName, cfg := range configs {
		for _, ref := range refs {
			for _, pin := range pins {
				t.Run(cfgName+"/"+ref+"/"+pin, func(t *testing.T) {
					to, fp := "REQ-0001", ""
					switch pin {
					case "current":
						fp = current
					case "old":
						fp = old
					case "unknown":
						to, fp = "REQ-0099", old
					}
					var line string
					switch {
					case ref == "parent" && fp == "":
						line = "parent: " + to
					case ref == "parent":
						line = fmt.Sprintf("parent: {id: %s, fingerprint: %s}", to, fp)
					case fp == "":
						line = fmt.Sprintf("links:\n  - {type: %s, to: %s}", ref, to)
					default:
						line = fmt.Sprintf("links:\n  - {type: %s, to: %s, fingerprint: %s}", ref, to, fp)
					}
					fsys := fstest.MapFS{
						"reqtrail.yaml":    {Data: []byte(cfg)},
						"reqs/REQ-0001.md": {Data: []byte(target)},
						"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: Child\n" + line + "\n---\n")},
					}
					r := repo.Load(fsys)
					var got []string
					for _, d := range lint.Run(r, lint.Options{}) {
						if d.File() == "reqs/REQ-0002.md" {
							got = append(got, fmt.Sprintf("%d:%d %s %s", d.Pos().Line, d.Pos().Column, d.Severity, d.Rule))
							if d.Rule == "link-suspect" && (!strings.Contains(d.Message, old) || !strings.Contains(d.Message, current) || !strings.Contains(d.Message, "REQ-0001")) {
								t.Errorf("link-suspect message names neither both fingerprints nor the target: %s", d.Message)
							}
						}
					}
					// Where the pin is (fingerprint value) and where the reference is (id).
					pinPos, refPos := "4:37", "4:9"
					if ref != "parent" {
						pinPos = fmt.Sprintf("5:%d", len("  - {type: "+ref+", to: REQ-0001, fingerprint: ")+1)
						refPos = fmt.Sprintf("5:%d", len("  - {type: "+ref+", to: ")+1)
					} else if fp != "" {
						refPos = "4:14"
					}
					var want []string
					switch pin {
					case "old":
						sev := "warning"
						if cfgName == "suspect-error" {
							sev = "error"
						}
						want = append(want, pinPos+" "+sev+" link-suspect")
					case "unpinned":
						switch cfgName {
						case "pin-links":
							want = append(want, refPos+" warning link-unpinned")
						case "rules-unpin":
							want = append(want, refPos+" error link-unpinned")
						}
					case "unknown":
						want = append(want, refPos+" error ref-unknown")
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s\ngot  %q\nwant %q", line, got, want)
					}
				})
			}
		}
	}
}

func TestLinkUnpinnedDefaultOff(t *testing.T) {
	r := repo.Load(fstest.MapFS{})
	if got := lint.Severity(r, "link-unpinned"); got != diag.Off {
		t.Errorf("link-unpinned defaults to %s", got)
	}
	r = repo.Load(fstest.MapFS{"reqtrail.yaml": {Data: []byte("pin-links: true\n")}})
	if got := lint.Severity(r, "link-unpinned"); got != diag.Warning {
		t.Errorf("link-unpinned with pin-links: %s", got)
	}
}

// TestUntestedCountsOnlyTestsThatRan: with test results given, requirement-untested counts
// only cases that ran (passed or failed), not a citation nor a skipped case.
func TestUntestedCountsOnlyTestsThatRan(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":    {Data: []byte("trace:\n  - {path: tests, role: test}\n")},
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: T\nstatus: testing\n---\n")},
		"tests/a_test.go":  {Data: []byte("func Test_REQ_0001(t *testing.T) {}\n")},
	}
	for _, c := range []struct {
		results []results.Result
		given   bool
		want    int
	}{
		{nil, false, 0}, // a citation is enough without results
		{nil, true, 1},
		{[]results.Result{{Name: "Test_REQ_0001", Status: results.Skipped}}, true, 1},
		{[]results.Result{{Name: "Test_REQ_0001", Status: results.Failed}}, true, 0},
		{[]results.Result{{Name: "Test_REQ_0001", Status: results.Passed}}, true, 0},
	} {
		r := repo.Load(fsys)
		g := graph.Load(r)
		if c.given {
			g.ApplyResults(map[string][]results.Result{"REQ-0001": c.results})
		}
		n := 0
		for _, d := range lint.Run(r, lint.Options{Graph: g}) {
			if d.Rule == lint.RuleRequirementUntested {
				n++
			}
		}
		if n != c.want {
			t.Errorf("results %v (given %v): %d requirement-untested, want %d", c.results, c.given, n, c.want)
		}
	}
}
