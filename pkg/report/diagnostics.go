package report

import (
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
)

// RuleDoc describes a rule for the formats that document rules (SARIF, Markdown).
type RuleDoc struct {
	ID       string
	Severity diag.Severity
	Doc      string
	Fix      string // how to resolve a finding, when known
}

// Findings is everything a diagnostics printer needs.
type Findings struct {
	Tool        string // "reqtrail lint", the JUnit suite name
	Version     string
	Diagnostics []diag.Diagnostic
	Files       int
	// FileNames are the files checked (project-relative), so JUnit lists passing files.
	FileNames []string
	Rules     []RuleDoc
	// RepoPrefix is the project root relative to the git work tree's top ("" when they are
	// the same); github, sarif and junit paths are prefixed with it.
	RepoPrefix string
	// Color enables ANSI colours in text output.
	Color bool
	// Start and Elapsed time the run (JUnit's timestamp and time).
	Start   time.Time
	Elapsed time.Duration
	// RulesURL is where the rules reference lives; a rule's anchor is appended.
	RulesURL string
}

// Printer writes diagnostics in one format.
type Printer interface {
	Print(w io.Writer, f *Findings) error
}

// PrinterFunc adapts a function to Printer.
type PrinterFunc func(w io.Writer, f *Findings) error

// Print calls p.
func (p PrinterFunc) Print(w io.Writer, f *Findings) error { return p(w, f) }

// Printers are the diagnostics printers by format.
var Printers = map[Format]Printer{
	Text:     PrinterFunc(printText),
	JSON:     PrinterFunc(printJSON),
	GitHub:   PrinterFunc(printGitHub),
	SARIF:    PrinterFunc(printSARIF),
	JUnit:    PrinterFunc(printJUnit),
	Markdown: PrinterFunc(printMarkdown),
}

// DiagnosticFormats are the formats of the diagnostics printers, text first.
var DiagnosticFormats = []Format{Text, JSON, SARIF, GitHub, JUnit, Markdown}

// PrintDiagnostics writes f in format.
func PrintDiagnostics(w io.Writer, format Format, f *Findings) error {
	p, ok := Printers[format]
	if !ok {
		return fmt.Errorf("unknown diagnostics format %q (want one of %s)", format, Join(DiagnosticFormats))
	}
	return p.Print(w, f)
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	reset  = "\x1b[0m"
)

// DiagnosticLine is d compiler-style with the message cleaned of control characters:
// file:line:col: severity: message [rule].
func DiagnosticLine(d diag.Diagnostic) string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", Clean(d.File()), d.Range.Start.Line, d.Range.Start.Column, d.Severity, Clean(d.Message), d.Rule)
}

// SummaryLine is "2 errors, 1 warning in 5 files".
func SummaryLine(s diag.Summary) string {
	return fmt.Sprintf("%s, %s in %s", Count(s.Errors, "error", "errors"), Count(s.Warnings, "warning", "warnings"), Count(s.Files, "file", "files"))
}

func printText(w io.Writer, f *Findings) error {
	var b strings.Builder
	for _, d := range f.Diagnostics {
		if f.Color {
			c := yellow
			if d.Severity == diag.Error {
				c = red
			}
			fmt.Fprintf(&b, "%s%s:%d:%d:%s %s%s:%s %s [%s]\n", bold, Clean(d.File()), d.Range.Start.Line, d.Range.Start.Column, reset, c, d.Severity, reset, Clean(d.Message), d.Rule)
		} else {
			b.WriteString(DiagnosticLine(d) + "\n")
		}
	}
	b.WriteString(SummaryLine(diag.Summarize(f.Diagnostics, f.Files)) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// DiagnosticsJSON is the JSON shape of SPEC §7: {"diagnostics": [...], "summary": {...}}.
type DiagnosticsJSON struct {
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	Summary     diag.Summary      `json:"summary"`
}

func printJSON(w io.Writer, f *Findings) error {
	return WriteJSON(w, DiagnosticsJSON{NonNil(f.Diagnostics), diag.Summarize(f.Diagnostics, f.Files)})
}

// NonNil returns ds, or an empty list for nil (JSON writes [] rather than null).
func NonNil(ds []diag.Diagnostic) []diag.Diagnostic {
	if ds == nil {
		return []diag.Diagnostic{}
	}
	return ds
}

// RepoPath is file (project-relative) relative to the repository top.
func RepoPath(prefix, file string) string {
	if prefix == "" || prefix == "." {
		return file
	}
	return path.Join(prefix, file)
}

func printGitHub(w io.Writer, f *Findings) error {
	var b strings.Builder
	for _, d := range f.Diagnostics {
		level := "warning"
		if d.Severity == diag.Error {
			level = "error"
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			escapeProperty(RepoPath(f.RepoPrefix, d.File())), max(d.Range.Start.Line, 1), max(d.Range.Start.Column, 1),
			escapeProperty("reqtrail "+d.Rule), escapeData(d.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// GitHub's workflow-command escaping; other control characters are cleaned first.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(cleanKeepNL(s))
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(cleanKeepNL(s))
}

func cleanKeepNL(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\r' && IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// printMarkdown writes the findings as a Markdown report within a comment's size.
func printMarkdown(w io.Writer, f *Findings) error {
	return WriteMarkdown(w, FindingsDocument(f), CommentLimit)
}

// FindingsDocument is the findings as a document: a summary line, the errors (with how to
// fix them) and the warnings, each folded when a comment cannot hold them all.
func FindingsDocument(f *Findings) *Document {
	d := &Document{Title: f.Tool}
	s := diag.Summarize(f.Diagnostics, f.Files)
	d.Add(Para(Strong(f.Tool), Plain(": "+SummaryLine(s))))
	fixes := map[string]string{}
	for _, r := range f.Rules {
		fixes[r.ID] = r.Fix
	}
	var errs, warns []Item
	for _, dg := range f.Diagnostics {
		fix := dg.Fix
		if fix == "" {
			fix = fixes[dg.Rule]
		}
		it := FindingItem(f.RepoPrefix, dg, fix)
		if dg.Severity == diag.Error {
			errs = append(errs, it)
		} else {
			warns = append(warns, it)
		}
	}
	if len(errs) > 0 {
		d.Section("Errors", &List{Items: errs, Priority: 0, More: "errors"})
	}
	if len(warns) > 0 {
		d.Section("Warnings", &List{Items: warns, Priority: 1, More: "warnings"})
	}
	return d
}

// FindingItem is one finding as a list item: `file:line` **rule** — message, and how to
// fix it as the detail.
func FindingItem(prefix string, d diag.Diagnostic, fix string) Item {
	it := Item{Text: Inline{Code(fmt.Sprintf("%s:%d", RepoPath(prefix, d.File()), d.Range.Start.Line)), Plain(" "), Strong(d.Rule), Plain(" — " + d.Message)}}
	if fix != "" {
		it.Detail = append(Inline{Emph("How to fix:"), Plain(" ")}, Rich(fix)...)
	}
	return it
}
