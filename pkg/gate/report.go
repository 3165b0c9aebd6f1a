package gate

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Revisions names what a check or diff compared, for reports.
type Revisions struct {
	Base      string `json:"base"`       // as given on the command line
	MergeBase string `json:"merge_base"` // commit hash ("" for diff)
	Head      string `json:"head"`       // as given, or WORKTREE
	HeadHash  string `json:"head_commit"`
}

// JSONReport is the shape of `check --format json`.
type JSONReport struct {
	Revisions
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	Summary     diag.Summary      `json:"summary"`
	Changes     []Change          `json:"changes"`
	PreExisting []diag.Diagnostic `json:"preexisting"`
}

// JSON returns the JSON report of a check.
func (r *Result) JSON(revs Revisions) JSONReport {
	cs := r.Changes
	if cs == nil {
		cs = []Change{}
	}
	return JSONReport{Revisions: revs, Diagnostics: r.Diagnostics, Summary: diag.Summarize(r.Diagnostics, r.Files),
		Changes: cs, PreExisting: r.PreExisting}
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// WriteText writes the check result for a terminal: the changed records, then the findings
// compiler-style, the pre-existing ones apart, and a verdict line.
func (r *Result) WriteText(w io.Writer, revs Revisions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "check: %s (merge base %s) → %s\n", revs.Base, shortHash(revs.MergeBase), headName(revs))
	if len(r.Changes) == 0 {
		b.WriteString("no record changed\n")
	} else {
		fmt.Fprintf(&b, "%d %s changed:\n", len(r.Changes), plural(len(r.Changes), "record", "records"))
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "  %-10s %-10s %s", c.ID, c.Class, c.File)
			if d := c.detail(); d != "" {
				fmt.Fprintf(&b, "  (%s)", d)
			}
			if len(c.AuthorisedBy) > 0 {
				fmt.Fprintf(&b, "  authorised by %s", strings.Join(c.AuthorisedBy, ", "))
			}
			b.WriteByte('\n')
		}
	}
	for _, d := range r.Diagnostics {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	if len(r.PreExisting) > 0 {
		fmt.Fprintf(&b, "pre-existing at the merge base (not blocking):\n")
		for _, d := range r.PreExisting {
			b.WriteString("  " + d.String() + "\n")
		}
	}
	s := diag.Summarize(r.Diagnostics, r.Files)
	verdict := "passed"
	if r.Failed() {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "check %s: %d %s, %d %s, %d pre-existing, in %d %s\n", verdict,
		s.Errors, plural(s.Errors, "error", "errors"), s.Warnings, plural(s.Warnings, "warning", "warnings"),
		len(r.PreExisting), s.Files, plural(s.Files, "file", "files"))
	_, err := io.WriteString(w, b.String())
	return err
}

func headName(revs Revisions) string {
	if revs.HeadHash != "" && revs.Head != revs.HeadHash {
		return fmt.Sprintf("%s (%s)", revs.Head, shortHash(revs.HeadHash))
	}
	return revs.Head
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// detail says briefly what changed: status moves, the fields, a move.
func (c Change) detail() string {
	var parts []string
	if c.OldStatus != c.NewStatus && c.OldStatus != "" && c.NewStatus != "" {
		parts = append(parts, fmt.Sprintf("status %s → %s", c.OldStatus, c.NewStatus))
	}
	if c.Class == Added && c.Kind == record.RequirementKind {
		parts = append(parts, "status "+c.NewStatus)
	}
	if c.OldFile != "" {
		parts = append(parts, "moved from "+c.OldFile)
	}
	if c.Class != Added && c.Class != Deleted {
		var fs []string
		for _, f := range c.Fields {
			if f.Field != "status" {
				fs = append(fs, f.Field)
			}
		}
		if len(fs) > 0 {
			parts = append(parts, strings.Join(fs, ", "))
		}
	}
	if c.Class == Meaning {
		parts = append(parts, fmt.Sprintf("fingerprint %s → %s", c.OldFingerprint, c.NewFingerprint))
	}
	return strings.Join(parts, "; ")
}

// FixHint says how to resolve a finding, for the pull-request comment: the finding's own
// fix (the gate sets one on each of its findings), else its rule's.
func FixHint(d diag.Diagnostic) string {
	if d.Fix != "" {
		return d.Fix
	}
	if rule := lint.Lookup(d.Rule); rule != nil {
		if rule.Fix != "" {
			return rule.Fix
		}
		return "Fix the record so that the rule no longer fires: " + rule.Doc + "."
	}
	return ""
}

// mdEscape makes user text safe in a Markdown table cell or line: no HTML, no pipes, no
// line breaks.
func mdEscape(s string) string {
	s = html.EscapeString(s)
	s = strings.NewReplacer("|", `\|`, "\n", " ", "\r", "", "`", "'", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`).Replace(s)
	return s
}

// WriteMarkdown writes the pull-request comment / job summary: a verdict, the table of
// changed records with their authorising change requests, and every finding with how to fix
// it. prefix is the project root in the repository (for paths).
func (r *Result) WriteMarkdown(w io.Writer, revs Revisions, prefix string) error {
	var b strings.Builder
	s := diag.Summarize(r.Diagnostics, r.Files)
	if r.Failed() {
		fmt.Fprintf(&b, "## ❌ reqtrail check failed: %d blocking %s\n\n", s.Errors, plural(s.Errors, "finding", "findings"))
	} else {
		fmt.Fprintf(&b, "## ✅ reqtrail check passed\n\n")
	}
	fmt.Fprintf(&b, "Compared `%s` (merge base `%s`) with `%s`.\n\n", mdEscape(revs.Base), shortHash(revs.MergeBase), mdEscape(headName(revs)))
	repoFile := func(f string) string {
		if prefix == "" {
			return f
		}
		return prefix + "/" + f
	}
	if len(r.Changes) == 0 {
		b.WriteString("No requirement, change request or acceptance record changed.\n\n")
	} else {
		b.WriteString("### Changed records\n\n| Record | Title | Change | What changed | Authorised by |\n| --- | --- | --- | --- | --- |\n")
		for _, c := range r.Changes {
			auth := "—"
			if len(c.AuthorisedBy) > 0 {
				auth = strings.Join(c.AuthorisedBy, ", ")
			} else if c.Kind == record.RequirementKind && needsAuth(c) {
				auth = "**none**"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.ID, mdEscape(c.Title), c.Class, mdEscape(c.detail()), auth)
		}
		b.WriteByte('\n')
	}
	var errs, warns []diag.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		} else {
			warns = append(warns, d)
		}
	}
	list := func(title string, ds []diag.Diagnostic, hints bool) {
		if len(ds) == 0 {
			return
		}
		fmt.Fprintf(&b, "### %s\n\n", title)
		for _, d := range ds {
			fmt.Fprintf(&b, "- `%s:%d` **%s** — %s", mdEscape(repoFile(d.File())), d.Range.Start.Line, d.Rule, mdEscape(d.Message))
			if h := FixHint(d); hints && h != "" {
				fmt.Fprintf(&b, "<br>\n  *How to fix:* %s", h)
			}
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	list("Blocking findings", errs, true)
	list("Warnings", warns, true)
	if len(r.PreExisting) > 0 {
		fmt.Fprintf(&b, "<details><summary>%d pre-existing %s (already at the merge base; not blocking)</summary>\n\n", len(r.PreExisting), plural(len(r.PreExisting), "finding", "findings"))
		for _, d := range r.PreExisting {
			fmt.Fprintf(&b, "- `%s:%d` %s **%s** — %s\n", mdEscape(repoFile(d.File())), d.Range.Start.Line, d.Severity, d.Rule, mdEscape(d.Message))
		}
		b.WriteString("\n</details>\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// needsAuth reports whether a requirement change needs an authorising change request.
func needsAuth(c Change) bool {
	switch c.Class {
	case Meaning, Deleted:
		return true
	case Added:
		return c.NewStatus != "new"
	}
	return c.OldFingerprint != c.NewFingerprint
}
