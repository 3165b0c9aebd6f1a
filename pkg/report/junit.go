package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
)

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name      string      `xml:"name,attr"`
		Tests     int         `xml:"tests,attr"`
		Failures  int         `xml:"failures,attr"`
		Errors    int         `xml:"errors,attr"`
		Skipped   int         `xml:"skipped,attr"`
		Time      string      `xml:"time,attr"`
		Timestamp string      `xml:"timestamp,attr"`
		Hostname  string      `xml:"hostname,attr"`
		Cases     []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// printJUnit writes JUnit XML as Jenkins, GitLab and the common parsers read it: one test
// case per file and rule with findings (at most one <failure>, for errors; warnings go to
// <system-out> and do not fail), and one passing case per checked file without findings.
func printJUnit(w io.Writer, f *Findings) error {
	name := f.Tool
	if name == "" {
		name = "reqtrail"
	}
	type key struct{ file, rule string }
	groups := map[key][]diag.Diagnostic{}
	var keys []key
	withFindings := map[string]bool{}
	for _, d := range f.Diagnostics {
		k := key{d.File(), d.Rule}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], d)
		withFindings[d.File()] = true
	}
	for _, fn := range f.FileNames {
		if !withFindings[fn] {
			withFindings[fn] = false
			keys = append(keys, key{fn, ""})
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return strings.Compare(a.rule, b.rule)
	})
	ts := f.Start
	if ts.IsZero() {
		ts = time.Unix(0, 0)
	}
	secs := strconv.FormatFloat(f.Elapsed.Seconds(), 'f', 3, 64)
	s := junitSuite{Name: name, Time: secs, Timestamp: ts.UTC().Format("2006-01-02T15:04:05"), Hostname: "localhost"}
	for _, k := range keys {
		file := RepoPath(f.RepoPrefix, k.file)
		tc := junitCase{Name: k.rule, Classname: Clean(file), Time: "0.000"}
		if k.rule == "" {
			tc.Name = "all rules"
		}
		var errs, lines []string
		for _, d := range groups[k] {
			lines = append(lines, DiagnosticLine(d))
			if d.Severity == diag.Error {
				errs = append(errs, Clean(d.Message))
			}
		}
		if len(errs) > 0 {
			msg := errs[0]
			if len(errs) > 1 {
				msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
			}
			tc.Failure = &junitFailure{Message: msg, Type: k.rule, Text: strings.Join(lines, "\n")}
			s.Failures++
		} else if len(lines) > 0 {
			tc.SystemOut = strings.Join(lines, "\n")
		}
		s.Cases = append(s.Cases, tc)
	}
	if len(s.Cases) == 0 {
		s.Cases = []junitCase{{Name: "all rules", Classname: name, Time: "0.000"}}
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: name, Tests: s.Tests, Failures: s.Failures, Time: secs, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
