package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
)

var sample = &Report{
	Tool:    "reqtrail lint",
	Version: "test",
	Files:   3,
	Diagnostics: []diag.Diagnostic{
		{Rule: "schema", Severity: diag.Error, Range: pos.Range{Start: pos.Position{File: "reqs/REQ-0001.md", Line: 4, Column: 9}}, Message: "status: value must be one of \"new\", \"analysis\"", ID: "REQ-0001"},
		{Rule: "acceptance-stale", Severity: diag.Warning, Range: pos.Range{Start: pos.Position{File: "acceptance/ACC-0001.md", Line: 7, Column: 18}}, Message: "stale: 100% changed,\nreally", ID: "ACC-0001"},
	},
	Rules:      []RuleDoc{{ID: "schema", Severity: diag.Error, Doc: "the front matter breaks the JSON Schema"}, {ID: "acceptance-stale", Severity: diag.Warning, Doc: "an acceptance is stale"}},
	RepoPrefix: "examples/cs",
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, sample); err != nil {
		t.Fatal(err)
	}
	want := "reqs/REQ-0001.md:4:9: error: status: value must be one of \"new\", \"analysis\" [schema]\n" +
		"acceptance/ACC-0001.md:7:18: warning: stale: 100% changed,\nreally [acceptance-stale]\n" +
		"1 error, 1 warning in 3 files\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	color := *sample
	color.Color = true
	_ = Text(&b, &color)
	if !strings.Contains(b.String(), "\x1b[31merror") {
		t.Errorf("no colour: %q", b.String())
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, &Report{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(b.String()), ""); got != `{"diagnostics":[],"summary":{"errors":0,"warnings":0,"files":0}}` {
		t.Errorf("empty report: %s", got)
	}
	b.Reset()
	_ = JSON(&b, sample)
	var v struct {
		Diagnostics []map[string]any
		Summary     map[string]int
	}
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
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
	var b bytes.Buffer
	_ = GitHub(&b, sample)
	want := "::error file=examples/cs/reqs/REQ-0001.md,line=4,col=9,title=reqtrail schema::status: value must be one of \"new\", \"analysis\"\n" +
		"::warning file=examples/cs/acceptance/ACC-0001.md,line=7,col=18,title=reqtrail acceptance-stale::stale: 100%25 changed,%0Areally\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, sample); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || len(run.Tool.Driver.Rules) != 2 || run.Tool.Driver.Rules[0].ShortDescription.Text == "" {
		t.Errorf("bad SARIF header: %s", b.String())
	}
	r := run.Results[1]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "acceptance-stale" || r.RuleIndex != 1 || r.Level != "warning" || loc.ArtifactLocation.URI != "examples/cs/acceptance/ACC-0001.md" || loc.Region.StartLine != 7 || loc.Region.StartColumn != 18 {
		t.Errorf("bad result %+v", r)
	}
}

func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, sample); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name     string `xml:"name,attr"`
			Failures []struct {
				Type string `xml:"type,attr"`
			} `xml:"failure"`
		} `xml:"testcase"`
	}
	if err := xml.Unmarshal(b.Bytes(), &s); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if s.Tests != 2 || s.Failures != 2 || s.Cases[0].Name != "reqs/REQ-0001.md" || s.Cases[1].Failures[0].Type != "warning" {
		t.Errorf("bad JUnit: %+v", s)
	}
	b.Reset()
	_ = JUnit(&b, &Report{})
	if !strings.Contains(b.String(), `tests="1" failures="0"`) {
		t.Errorf("clean JUnit: %s", b.String())
	}
}
