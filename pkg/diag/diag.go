// Package diag holds diagnostics: findings with a rule id, a severity and a range in a file.
package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// The rule ids of the findings the loader itself makes (every other rule id is a constant
// in package lint, which re-exports these two).
const (
	RuleParse  = "parse"
	RuleSchema = "schema"
)

// Severity of a diagnostic.
type Severity string

// Severities, in the spelling reqtrail.yaml and the JSON output use.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Off     Severity = "off"
)

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return s == Error || s == Warning || s == Off }

// Diagnostic is one finding. Range.Start.File is relative to the project root with forward
// slashes; lines and columns are 1-based, columns counted in Unicode code points. The range's
// end is set where it is known (the end of the offending YAML scalar or key); whole-file
// problems are at 1:1.
type Diagnostic struct {
	Rule     string
	Severity Severity
	Range    pos.Range
	Message  string
	ID       string
	// Fix says how to resolve this finding when it is more specific than the rule's Fix
	// (the gate sets it); "" otherwise. Not part of the JSON shape.
	Fix string
	// Subject is what the finding is about, set where it is made (lint.Report); the gate
	// tells findings apart across revisions by it (SPEC §6 rule 9). Not part of the JSON shape.
	Subject Subject
}

// Subject is what a finding is about, independent of where the text puts it and how the
// message words it: the field path it points at (keys joined by ".", sequence items as
// "[]", "" for the record as a whole) and the other records it names, by id, sorted and
// joined by "," (a string keeps Diagnostic comparable).
type Subject struct {
	Field string
	IDs   string
	// Known is true when the finding's maker set the subject.
	Known bool
}

// At returns a diagnostic of rule with message at r (a pos.Position or pos.Range).
func At(r pos.Spanner, rule string, sev Severity, message string) Diagnostic {
	return Diagnostic{Rule: rule, Severity: sev, Range: r.Span(), Message: message}
}

// File returns the file the diagnostic is in.
func (d Diagnostic) File() string { return d.Range.Start.File }

// Pos returns where the diagnostic starts.
func (d Diagnostic) Pos() pos.Position { return d.Range.Start }

// String formats d compiler-style: file:line:col: severity: message [rule].
func (d Diagnostic) String() string {
	s := d.Range.Start
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", s.File, s.Line, s.Column, d.Severity, d.Message, d.Rule)
}

// jsonDiagnostic is the JSON shape of SPEC §7.
type jsonDiagnostic struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	ID       string   `json:"id"`
}

// MarshalJSON writes the SPEC §7 shape: rule, severity, file, line, column, message, id.
func (d Diagnostic) MarshalJSON() ([]byte, error) {
	s := d.Range.Start
	return json.Marshal(jsonDiagnostic{d.Rule, d.Severity, s.File, s.Line, s.Column, d.Message, d.ID})
}

// UnmarshalJSON reads the SPEC §7 shape.
func (d *Diagnostic) UnmarshalJSON(b []byte) error {
	var j jsonDiagnostic
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Diagnostic{Rule: j.Rule, Severity: j.Severity, Message: j.Message, ID: j.ID,
		Range: pos.Range{Start: pos.Position{File: j.File, Line: j.Line, Column: j.Column}}}
	return nil
}

// Compare orders diagnostics by file, line, column, rule and message.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		pos.Compare(a.Range.Start, b.Range.Start),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.ID, b.ID),
		pos.Compare(a.Range.End, b.Range.End),
		cmp.Compare(a.Fix, b.Fix),
	)
}

// Sort sorts ds in place into the stable output order and drops exact duplicates.
func Sort(ds []Diagnostic) []Diagnostic {
	slices.SortFunc(ds, Compare)
	return slices.Compact(ds)
}

// Summary counts diagnostics by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Files    int `json:"files"`
}

// Summarize counts errors and warnings in ds; files is the number of files checked.
func Summarize(ds []Diagnostic, files int) Summary {
	s := Summary{Files: files}
	for _, d := range ds {
		switch d.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		}
	}
	return s
}
