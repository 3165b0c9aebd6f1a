package gate

import (
	"fmt"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/report"
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

func headName(revs Revisions) string {
	if revs.HeadHash != "" && revs.Head != revs.HeadHash {
		return fmt.Sprintf("%s (%s)", revs.Head, shortHash(revs.HeadHash))
	}
	return revs.Head
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
	if c.Class == Meaning && c.OldFingerprint != c.NewFingerprint {
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

// Report is the check for every format: JSON (SPEC §6), the findings for the diagnostics
// printers (github, sarif, junit), and a document — for a terminal the changed records, the
// findings compiler-style, the pre-existing ones apart and a verdict line; for the
// pull-request comment a verdict, the changed records with their authorising change
// requests, the findings with how to fix each, the pre-existing ones folded. prefix is the
// project root in the repository (for paths). Parts fold, most important first, when the
// Markdown must fit GitHub's limits.
func (r *Result) Report(revs Revisions, prefix string) *report.Report {
	return &report.Report{Data: r.JSON(revs), Doc: r.Document(revs, prefix), Limit: report.CommentLimit}
}

// Document is the check report as a document (see Report); another part (impact) is one
// more d.Section.
func (r *Result) Document(revs Revisions, prefix string) *report.Document {
	d := &report.Document{Title: "reqtrail check"}
	text := func(b ...report.Block) report.Block {
		return report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: b}
	}
	rich := func(b ...report.Block) report.Block {
		return report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: b}
	}
	line := func(s string) report.Paragraph { return report.Para(report.Plain(s)) }
	s := diag.Summarize(r.Diagnostics, r.Files)

	// The verdict.
	verdict := report.Heading{Level: 2, Text: report.Inline{report.Plain("✅ reqtrail check passed")}}
	if r.Failed() {
		verdict.Text = report.Inline{report.Plain("❌ reqtrail check failed: " + report.Count(s.Errors, "blocking finding", "blocking findings"))}
	}
	d.Add(text(line(fmt.Sprintf("check: %s (merge base %s) → %s", revs.Base, shortHash(revs.MergeBase), headName(revs)))),
		rich(verdict, report.Para(report.Plain("Compared "), report.Code(revs.Base), report.Plain(" (merge base "),
			report.Code(shortHash(revs.MergeBase)), report.Plain(") with "), report.Code(headName(revs)), report.Plain("."))))

	// The changed records.
	if len(r.Changes) == 0 {
		d.Add(text(line("no record changed")), rich(line("No requirement, change request or acceptance record changed.")))
	} else {
		lines := &report.List{}
		t := (&report.Table{Columns: []report.Column{{Key: "record", Head: "Record"}, {Key: "title", Head: "Title"},
			{Key: "change", Head: "Change"}, {Key: "detail", Head: "What changed"}, {Key: "authorised_by", Head: "Authorised by"}}}).Fold(2, "records")
		for _, c := range r.Changes {
			l := fmt.Sprintf("  %-10s %-10s %s", c.ID, c.Class, c.File)
			if dt := c.detail(); dt != "" {
				l += "  (" + dt + ")"
			}
			if len(c.AuthorisedBy) > 0 {
				l += "  authorised by " + strings.Join(c.AuthorisedBy, ", ")
			}
			lines.Items = append(lines.Items, report.Item{Text: report.Inline{report.Plain(l)}})
			auth := report.Str("—")
			if len(c.AuthorisedBy) > 0 {
				auth = report.IDs(c.AuthorisedBy)
			} else if c.Kind == record.RequirementKind && needsAuth(c) {
				auth = report.Str("none").AsStrong()
			}
			t.Add(report.IDCell(c.ID), report.Str(c.Title), report.Str(c.Class), report.Str(c.detail()), auth)
		}
		d.Add(text(line(report.Count(len(r.Changes), "record", "records")+" changed:"), lines))
		d.Add(rich(report.Heading{Level: 3, Text: report.Inline{report.Plain(fmt.Sprintf("Changed records (%d)", len(r.Changes)))}}, t))
	}

	// The findings: errors first, then warnings, then what the merge base already had.
	var all, errs, warns []report.Item
	for _, dg := range r.Diagnostics {
		all = append(all, report.Item{Text: report.Inline{report.Plain(report.DiagnosticLine(dg))}})
		it := report.FindingItem(prefix, dg, FixHint(dg))
		if dg.Severity == diag.Error {
			errs = append(errs, it)
		} else {
			warns = append(warns, it)
		}
	}
	d.Add(text(&report.List{Items: all}))
	if len(errs) > 0 {
		d.Add(rich(report.Heading{Level: 3, Text: report.Inline{report.Plain(fmt.Sprintf("Blocking findings (%d)", len(errs)))}},
			&report.List{Items: errs, Priority: 0, More: "blocking findings"}))
	}
	if len(warns) > 0 {
		d.Add(rich(report.Heading{Level: 3, Text: report.Inline{report.Plain(fmt.Sprintf("Warnings (%d)", len(warns)))}},
			&report.List{Items: warns, Priority: 1, More: "warnings"}))
	}
	if n := len(r.PreExisting); n > 0 {
		var plain, rs []report.Item
		for _, dg := range r.PreExisting {
			plain = append(plain, report.Item{Text: report.Inline{report.Plain(report.DiagnosticLine(dg))}})
			rs = append(rs, report.Item{Text: report.Inline{report.Code(fmt.Sprintf("%s:%d", report.RepoPath(prefix, dg.File()), dg.Range.Start.Line)),
				report.Plain(" " + string(dg.Severity) + " "), report.Strong(dg.Rule), report.Plain(" — " + dg.Message)}})
		}
		d.Add(text(report.Details{Summary: report.Inline{report.Plain("pre-existing at the merge base (not blocking):")},
			Blocks: []report.Block{&report.List{Items: plain}}}))
		d.Add(rich(report.Details{Summary: report.Inline{report.Plain(report.Count(n, "pre-existing finding", "pre-existing findings") + " (already at the merge base; not blocking)")},
			Blocks: []report.Block{&report.List{Items: rs, Priority: 3, More: "pre-existing findings"}}}))
	}
	verdictWord := "passed"
	if r.Failed() {
		verdictWord = "FAILED"
	}
	d.Add(text(line(fmt.Sprintf("check %s: %s, %s, %d pre-existing, in %s", verdictWord,
		report.Count(s.Errors, "error", "errors"), report.Count(s.Warnings, "warning", "warnings"),
		len(r.PreExisting), report.Count(s.Files, "file", "files")))))
	return d
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
