package report

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
)

// sarifFindings holds the paths SARIF consumers get wrong (a space and CJK in a folder,
// ",", ":" and "%" in a name), a finding with a known end, one on a whole file (line 0)
// and both of the gate's rules.
func sarifFindings() *Findings {
	at := func(file string, l, c, el, ec int) pos.Range {
		return pos.Range{Start: pos.Position{File: file, Line: l, Column: c}, End: pos.Position{File: file, Line: el, Column: ec}}
	}
	return &Findings{
		Tool: "reqtrail check", Version: "test", Files: 3, RepoPrefix: "docs/需求",
		Diagnostics: []diag.Diagnostic{
			{Rule: "schema", Severity: diag.Error, Range: at("reqs/产品 需求/REQ-0002.md", 4, 9, 4, 17), Message: "status: unknown value", ID: "REQ-0002"},
			{Rule: "id-filename", Severity: diag.Error, Range: at("odd,na:me%.md", 1, 1, 0, 0), Message: "file name is not REQ-0003.md", ID: "REQ-0003"},
			{Rule: "parse", Severity: diag.Error, Range: at("reqs/empty.md", 0, 0, 0, 0), Message: "no front matter"},
			{Rule: "untraced-change", Severity: diag.Error, Range: at("reqs/REQ-0001.md", 2, 1, 2, 30), Message: "REQ-0001 changed in meaning", ID: "REQ-0001"},
			{Rule: "status-transition", Severity: diag.Error, Range: at("reqs/REQ-0001.md", 5, 9, 5, 20), Message: "status new → released skips approval", ID: "REQ-0001"},
			{Rule: "citation-unknown", Severity: diag.Warning, Range: at("src/a b.go", 3, 4, 3, 12), Message: "cites REQ-0099"},
		},
		Rules: []RuleDoc{
			{ID: "schema", Severity: diag.Error, Doc: "the front matter breaks the JSON Schema", Fix: "Correct the field."},
			{ID: "untraced-change", Severity: diag.Error, Doc: "(check only) a requirement changed without an authorising change request", Fix: "Use a change request with `affects: [ID]`."},
			{ID: "status-transition", Severity: diag.Error, Doc: "(check only) a requirement's status moved along an illegal transition"},
		},
	}
}

// TestSARIFSchema validates the SARIF output against the official OASIS SARIF 2.1.0 JSON
// Schema (testdata/sarif-schema-2.1.0.json) and checks what GitHub code scanning needs.
func TestSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	c.LoadURL = func(u string) (r io.ReadCloser, err error) { return nil, os.ErrNotExist }
	raw, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("sarif.json", bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*Findings{"findings": sarifFindings(), "clean": {Tool: "reqtrail lint"}} {
		out := print(t, SARIF, f)
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: the SARIF log breaks the SARIF 2.1.0 schema: %#v\n%s", name, err, out)
		}
	}
	// The schema does reject what is wrong: a region at line 0, an unknown column kind.
	for _, bad := range []string{
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "bytes"}]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if schema.Validate(v) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
	var log struct {
		Runs []struct {
			ColumnKind string
			Tool       struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID                                string
						ShortDescription, FullDescription struct{ Text string }
						Help                              struct{ Text, Markdown string }
						HelpURI                           string
					}
				}
			}
			Results []struct {
				RuleID    string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           *struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				PartialFingerprints map[string]string
			}
		}
	}
	out := print(t, SARIF, sarifFindings())
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" || run.Tool.Driver.Name != "reqtrail" {
		t.Errorf("run: %+v", run)
	}
	ids := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		ids[r.ID] = true
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" || !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s lacks a description, help or helpUri: %+v", r.ID, r)
		}
	}
	for _, id := range []string{"untraced-change", "status-transition", "id-filename", "parse"} {
		if !ids[id] {
			t.Errorf("rule %s missing from the driver's rules", id)
		}
	}
	wantURI := map[string]string{
		"schema":      "docs/%E9%9C%80%E6%B1%82/reqs/%E4%BA%A7%E5%93%81%20%E9%9C%80%E6%B1%82/REQ-0002.md",
		"id-filename": "docs/%E9%9C%80%E6%B1%82/odd%2Cna%3Ame%25.md",
	}
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID == "" || r.Message.Text == "" || loc.ArtifactLocation.URI == "" || loc.ArtifactLocation.URIBaseID != SRCROOT || r.PartialFingerprints["reqtrailFinding/v1"] == "" {
			t.Errorf("result lacks what code scanning needs: %+v", r)
		}
		if w, ok := wantURI[r.RuleID]; ok && loc.ArtifactLocation.URI != w {
			t.Errorf("%s: uri %q, want %q", r.RuleID, loc.ArtifactLocation.URI, w)
		}
		switch r.RuleID {
		case "schema":
			if reg := loc.Region; reg == nil || reg.StartLine != 4 || reg.StartColumn != 9 || reg.EndLine != 4 || reg.EndColumn != 17 {
				t.Errorf("schema region %+v", reg)
			}
		case "parse":
			if loc.Region != nil {
				t.Errorf("a whole-file finding has a region %+v", loc.Region)
			}
		}
	}
	// Fingerprints are the same in another run and after the lines moved.
	moved := sarifFindings()
	for i := range moved.Diagnostics {
		moved.Diagnostics[i].Range.Start.Line += 10
		if moved.Diagnostics[i].Range.End.Line > 0 {
			moved.Diagnostics[i].Range.End.Line += 10
		}
	}
	var again struct {
		Runs []struct {
			Results []struct{ PartialFingerprints map[string]string }
		}
	}
	if err := json.Unmarshal([]byte(print(t, SARIF, moved)), &again); err != nil {
		t.Fatal(err)
	}
	for i, r := range again.Runs[0].Results {
		if got, want := r.PartialFingerprints["reqtrailFinding/v1"], run.Results[i].PartialFingerprints["reqtrailFinding/v1"]; got != want {
			t.Errorf("result %d: fingerprint %s moved to %s with its lines", i, want, got)
		}
	}
}
