package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
)

var sample = &Findings{
	Tool:    "reqtrail lint",
	Version: "test",
	Files:   3,
	Diagnostics: []diag.Diagnostic{
		{Rule: "schema", Severity: diag.Error, Range: pos.Range{Start: pos.Position{File: "reqs/REQ-0001.md", Line: 4, Column: 9}}, Message: "status: value must be one of \"new\", \"analysis\"", ID: "REQ-0001"},
		{Rule: "acceptance-stale", Severity: diag.Warning, Range: pos.Range{Start: pos.Position{File: "acceptance/ACC-0001.md", Line: 7, Column: 18}}, Message: "stale: 100% changed,\nreally \x1b[31m", ID: "ACC-0001"},
	},
	FileNames:  []string{"reqs/REQ-0001.md", "acceptance/ACC-0001.md", "reqs/REQ-0002.md"},
	Rules:      []RuleDoc{{ID: "schema", Severity: diag.Error, Doc: "the front matter breaks the JSON Schema"}, {ID: "acceptance-stale", Severity: diag.Warning, Doc: "an acceptance is stale", Fix: "Run `reqtrail accept --again`."}},
	RepoPrefix: "examples/cs",
}

func print(t *testing.T, f Format, fs *Findings) string {
	t.Helper()
	var b bytes.Buffer
	if err := PrintDiagnostics(&b, f, fs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestText(t *testing.T) {
	want := "reqs/REQ-0001.md:4:9: error: status: value must be one of \"new\", \"analysis\" [schema]\n" +
		"acceptance/ACC-0001.md:7:18: warning: stale: 100% changed, really  [31m [acceptance-stale]\n" +
		"1 error, 1 warning in 3 files\n"
	if got := print(t, Text, sample); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	color := *sample
	color.Color = true
	if got := print(t, Text, &color); !strings.Contains(got, "\x1b[31merror") || strings.Count(got, "\x1b[31m") != 1 {
		t.Errorf("colour wrong (only ours, never the record's): %q", got)
	}
}

func TestJSONShape(t *testing.T) {
	if got := strings.Join(strings.Fields(print(t, JSON, &Findings{})), ""); got != `{"diagnostics":[],"summary":{"errors":0,"warnings":0,"files":0}}` {
		t.Errorf("empty report: %s", got)
	}
	var v struct {
		Diagnostics []map[string]any
		Summary     map[string]int
	}
	if err := json.Unmarshal([]byte(print(t, JSON, sample)), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule", "severity", "file", "line", "column", "message", "id"} {
		if _, ok := v.Diagnostics[0][k]; !ok {
			t.Errorf("diagnostic has no %q", k)
		}
	}
	if v.Summary["errors"] != 1 || v.Summary["warnings"] != 1 || v.Summary["files"] != 3 {
		t.Errorf("summary %v", v.Summary)
	}
}

func TestGitHub(t *testing.T) {
	want := "::error file=examples/cs/reqs/REQ-0001.md,line=4,col=9,title=reqtrail schema::status: value must be one of \"new\", \"analysis\"\n" +
		"::warning file=examples/cs/acceptance/ACC-0001.md,line=7,col=18,title=reqtrail acceptance-stale::stale: 100%25 changed,%0Areally  [31m\n"
	if got := print(t, GitHub, sample); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestJUnitCases(t *testing.T) {
	var s struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Tests     int    `xml:"tests,attr"`
			Failures  int    `xml:"failures,attr"`
			Timestamp string `xml:"timestamp,attr"`
			Time      string `xml:"time,attr"`
			Cases     []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failures  []struct {
					Type string `xml:"type,attr"`
				} `xml:"failure"`
				Out string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	out := print(t, JUnit, sample)
	if err := xml.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	suite := s.Suites[0]
	// One case per file and rule, plus the passing file; the warning does not fail.
	if s.Tests != 3 || s.Failures != 1 || suite.Failures != 1 || len(suite.Cases) != 3 || suite.Timestamp == "" || suite.Time == "" {
		t.Fatalf("bad JUnit: %+v\n%s", s, out)
	}
	for _, c := range suite.Cases {
		switch c.Classname {
		case "examples/cs/reqs/REQ-0001.md":
			if c.Name != "schema" || len(c.Failures) != 1 {
				t.Errorf("error case %+v", c)
			}
		case "examples/cs/acceptance/ACC-0001.md":
			if len(c.Failures) != 0 || !strings.Contains(c.Out, "stale") {
				t.Errorf("warning case %+v", c)
			}
		case "examples/cs/reqs/REQ-0002.md":
			if c.Name != "all rules" || len(c.Failures) != 0 {
				t.Errorf("passing case %+v", c)
			}
		default:
			t.Errorf("unexpected case %+v", c)
		}
	}
	warn := *sample
	warn.Diagnostics = sample.Diagnostics[1:]
	if got := print(t, JUnit, &warn); !strings.Contains(got, `failures="0"`) || strings.Contains(got, "<failure") {
		t.Errorf("warnings-only run fails:\n%s", got)
	}
	if got := print(t, JUnit, &Findings{}); !strings.Contains(got, `tests="1" failures="0"`) {
		t.Errorf("clean JUnit: %s", got)
	}
}

func TestEncodePath(t *testing.T) {
	for in, want := range map[string]string{
		"reqs/产品 需求/REQ-0002.md": "reqs/%E4%BA%A7%E5%93%81%20%E9%9C%80%E6%B1%82/REQ-0002.md",
		"odd,na:me%.md":          "odd%2Cna%3Ame%25.md",
		"a/b-c_d.e~f":            "a/b-c_d.e~f",
	} {
		if got := EncodePath(in); got != want {
			t.Errorf("EncodePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFingerprintStable(t *testing.T) {
	d := diag.Diagnostic{Rule: "ref-unknown", Severity: diag.Error, Range: pos.Range{Start: pos.Position{File: "reqs/REQ-0001.md", Line: 4, Column: 3}}, Message: "parent: REQ-0009 does not exist (see REQ-0002.md:12)", ID: "REQ-0001"}
	moved := d
	moved.Range.Start.Line, moved.Range.Start.Column, moved.Message = 40, 7, "parent: REQ-0009 does not exist (see REQ-0002.md:19)"
	if FindingKey("", d) != FindingKey("", moved) {
		t.Error("fingerprint moves with lines")
	}
	other := d
	other.Message = "parent: REQ-0010 does not exist (see REQ-0002.md:12)"
	if FindingKey("", d) == FindingKey("", other) {
		t.Error("different findings share a fingerprint")
	}
}

// TestJUnitSchema validates JUnit output against the Jenkins xUnit plugin's JUnit schema
// with xmllint (libxml2-utils, installed by .ci/run), for a run with errors, a
// warnings-only run and a clean one.
func TestJUnitSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	warn := *sample
	warn.Diagnostics = sample.Diagnostics[1:]
	hostile := *sample
	hostile.Diagnostics = append([]diag.Diagnostic{{Rule: "schema", Severity: diag.Error, Range: pos.Range{Start: pos.Position{File: "reqs/产品 需求/a&b<c>.md", Line: 1, Column: 1}},
		Message: "]]> <x> & \"q\" \x00\x1b bad"}}, sample.Diagnostics...)
	for name, f := range map[string]*Findings{"errors": sample, "warnings": &warn, "clean": {}, "hostile": &hostile} {
		path := filepath.Join(t.TempDir(), name+".xml")
		if err := os.WriteFile(path, []byte(print(t, JUnit, f)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit-10.xsd"), path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: xmllint rejects the JUnit output: %v\n%s", name, err, out)
		}
	}
}
