// Package output turns diagnostics into text for people and machines: compiler-style text,
// JSON, SARIF 2.1.0, GitHub Actions annotations and JUnit XML.
package output

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
)

// RuleDoc describes a rule for formats that list rules (SARIF).
type RuleDoc struct {
	ID       string
	Severity diag.Severity
	Doc      string
	Fix      string // how to resolve a finding, when known
}

// Report is everything a diagnostics formatter needs.
type Report struct {
	Tool        string // "reqtrail lint", for JUnit suite names
	Version     string
	Diagnostics []diag.Diagnostic
	Files       int
	Rules       []RuleDoc
	// RepoPrefix is the project root relative to the git work tree's top ("" when they are
	// the same); github and sarif paths are prefixed with it.
	RepoPrefix string
	// Color enables ANSI colours in text output.
	Color bool
}

// Formats lists the diagnostics formats.
var Formats = []string{"text", "json", "sarif", "github", "junit"}

// Write writes rep in format.
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "text", "":
		return Text(w, rep)
	case "json":
		return JSON(w, rep)
	case "sarif":
		return SARIF(w, rep)
	case "github":
		return GitHub(w, rep)
	case "junit":
		return JUnit(w, rep)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	reset  = "\x1b[0m"
)

// Text writes compiler-style lines and a summary line.
func Text(w io.Writer, rep *Report) error {
	var b strings.Builder
	for _, d := range rep.Diagnostics {
		if rep.Color {
			c := yellow
			if d.Severity == diag.Error {
				c = red
			}
			fmt.Fprintf(&b, "%s%s:%d:%d:%s %s%s:%s %s [%s]\n", bold, d.File(), d.Range.Start.Line, d.Range.Start.Column, reset, c, d.Severity, reset, d.Message, d.Rule)
		} else {
			b.WriteString(d.String())
			b.WriteByte('\n')
		}
	}
	s := diag.Summarize(rep.Diagnostics, rep.Files)
	fmt.Fprintf(&b, "%d %s, %d %s in %d %s\n", s.Errors, plural(s.Errors, "error", "errors"), s.Warnings, plural(s.Warnings, "warning", "warnings"), s.Files, plural(s.Files, "file", "files"))
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// JSON writes {"diagnostics": [...], "summary": {...}} (SPEC §7).
func JSON(w io.Writer, rep *Report) error {
	return WriteJSON(w, struct {
		Diagnostics []diag.Diagnostic `json:"diagnostics"`
		Summary     diag.Summary      `json:"summary"`
	}{nonNil(rep.Diagnostics), diag.Summarize(rep.Diagnostics, rep.Files)})
}

// WriteJSON writes v as indented JSON without HTML escaping.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func nonNil(ds []diag.Diagnostic) []diag.Diagnostic {
	if ds == nil {
		return []diag.Diagnostic{}
	}
	return ds
}

func repoPath(prefix, file string) string {
	if prefix == "" || prefix == "." {
		return file
	}
	return path.Join(prefix, file)
}

// GitHub writes GitHub Actions workflow commands, one annotation per diagnostic.
func GitHub(w io.Writer, rep *Report) error {
	var b strings.Builder
	for _, d := range rep.Diagnostics {
		level := "warning"
		if d.Severity == diag.Error {
			level = "error"
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			escapeProperty(repoPath(rep.RepoPrefix, d.File())), d.Range.Start.Line, d.Range.Start.Column,
			escapeProperty("reqtrail "+d.Rule), escapeData(d.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// SARIF writes a SARIF 2.1.0 log with one rule entry per rule id.
func SARIF(w io.Writer, rep *Report) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription msg    `json:"shortDescription"`
		Help             *msg   `json:"help,omitempty"`
		HelpURI          string `json:"helpUri,omitempty"`
		DefaultConfig    struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		RuleIndex int        `json:"ruleIndex"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	docs := slices.Clone(rep.Rules)
	index := map[string]int{}
	for i, r := range docs {
		index[r.ID] = i
	}
	for _, d := range rep.Diagnostics {
		if _, ok := index[d.Rule]; !ok {
			index[d.Rule] = len(docs)
			docs = append(docs, RuleDoc{ID: d.Rule, Severity: d.Severity})
		}
	}
	rules := make([]rule, len(docs))
	for i, r := range docs {
		rules[i].ID = r.ID
		rules[i].ShortDescription.Text = r.Doc
		if r.Doc == "" {
			rules[i].ShortDescription.Text = r.ID
		}
		if r.Fix != "" {
			rules[i].Help = &msg{r.Fix}
		}
		rules[i].HelpURI = "https://github.com/reqtrail/reqtrail#lint-rules"
		rules[i].DefaultConfig.Level = sarifLevel(r.Severity)
	}
	results := make([]result, 0, len(rep.Diagnostics))
	for _, d := range rep.Diagnostics {
		res := result{RuleID: d.Rule, RuleIndex: index[d.Rule], Level: sarifLevel(d.Severity), Message: msg{d.Message}}
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = repoPath(rep.RepoPrefix, d.File())
		loc.PhysicalLocation.Region = region{d.Range.Start.Line, d.Range.Start.Column}
		res.Locations = []location{loc}
		results = append(results, res)
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":           "reqtrail",
				"version":        rep.Version,
				"informationUri": "https://github.com/reqtrail/reqtrail",
				"rules":          rules,
			}},
			"columnKind": "unicodeCodePoints",
			"results":    results,
		}},
	}
	return WriteJSON(w, log)
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Off:
		return "none"
	}
	return "warning"
}

// JUnit writes one test case per file with findings; each error or warning is a failure.
func JUnit(w io.Writer, rep *Report) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string    `xml:"name,attr"`
		Classname string    `xml:"classname,attr"`
		Failures  []failure `xml:"failure"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	byFile := map[string][]diag.Diagnostic{}
	var files []string
	for _, d := range rep.Diagnostics {
		if _, ok := byFile[d.File()]; !ok {
			files = append(files, d.File())
		}
		byFile[d.File()] = append(byFile[d.File()], d)
	}
	name := rep.Tool
	if name == "" {
		name = "reqtrail"
	}
	s := suite{Name: name}
	for _, f := range files {
		tc := testcase{Name: f, Classname: name}
		for _, d := range byFile[f] {
			tc.Failures = append(tc.Failures, failure{
				Message: fmt.Sprintf("%s [%s]", d.Message, d.Rule),
				Type:    string(d.Severity),
				Text:    d.String(),
			})
		}
		s.Cases = append(s.Cases, tc)
	}
	if len(s.Cases) == 0 {
		s.Cases = []testcase{{Name: "all records", Classname: name}}
	}
	s.Tests = len(s.Cases)
	s.Failures = len(files)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
