// Package diag holds diagnostics: findings with a rule id, a severity and a file position.
package diag

import (
	"cmp"
	"fmt"
	"slices"
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

// Diagnostic is one finding. File is relative to the project root with forward slashes;
// Line and Column are 1-based, columns counted in Unicode code points.
type Diagnostic struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	ID       string   `json:"id"`
}

// String formats d compiler-style: file:line:col: severity: message [rule].
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Rule)
}

// Compare orders diagnostics by file, line, column, rule and message.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.ID, b.ID),
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
