package matrix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/report"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// Width is the width in terminal columns the text table fits in.
const Width = 100

// Formats lists the formats of the matrix report.
var Formats = []report.Format{report.Text, report.JSON, report.CSV, report.Markdown, report.HTML}

// SummaryLine is the one-line summary: total and each coverage state with its share.
func (m *Matrix) SummaryLine() string {
	s := m.Summary
	var b strings.Builder
	b.WriteString(report.Count(s.Total, "requirement", "requirements"))
	for _, c := range graph.States(m.HasResults) {
		fmt.Fprintf(&b, " · %s %d (%s)", c, s.Count(c), report.Percent(s.Count(c), s.Total))
	}
	return b.String()
}

// Link returns the forge URL of file (relative to the project root) at line, "" without a
// repo-url; line 0 links the file.
func (m *Matrix) Link(file string, line int) string {
	if m.RepoURL == "" {
		return ""
	}
	u := strings.TrimSuffix(m.RepoURL, "/") + "/blob/HEAD/" + m.Prefix + file
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return u
}

// Report is the matrix for every format: the rows as JSON (SPEC §4), one table (text
// shows the counts and the deciding acceptance, the other formats the lists) and the
// coverage summary.
func (m *Matrix) Report() *report.Report {
	t := &report.Table{Width: Width, Columns: []report.Column{
		{Key: "id", Head: "ID"},
		{Key: "title", Head: "Title", Flex: true},
		{Key: "status", Head: "Status"},
		{Key: "priority", Head: "Priority", Only: []report.Format{report.CSV}},
		{Key: "release", Head: "Release", Only: []report.Format{report.CSV}},
		{Key: "coverage", Head: "Coverage"},
		{Key: "parent", Head: "Parent", Not: []report.Format{report.Text}},
		{Key: "children", Head: "Children", Not: []report.Format{report.Text}},
		{Key: "changes", Head: "Changes", Not: []report.Format{report.Text}},
		{Key: "acceptance", Head: "Acceptance", Not: []report.Format{report.Text}},
		{Key: "acceptance_shown", Head: "Acceptance", Max: 18, Only: []report.Format{report.Text}},
		{Key: "cr", Head: "CR", Right: true, Only: []report.Format{report.Text}},
		{Key: "impl_count", Head: "Impl", Right: true, Only: []report.Format{report.Text}},
		{Key: "tests_count", Head: "Tests", Right: true, Only: []report.Format{report.Text}},
		{Key: "impl", Head: "Implementation", Not: []report.Format{report.Text}},
		{Key: "tests", Head: "Tests", Not: []report.Format{report.Text}},
		{Key: "file", Head: "File", Only: []report.Format{report.CSV}},
	}}
	// A Suspect column when some row has suspect links (Markdown and HTML; JSON always has them).
	anySuspect := false
	for _, r := range m.Rows {
		anySuspect = anySuspect || len(r.Suspect) > 0
	}
	if anySuspect {
		t.Columns = append(t.Columns, report.Column{Key: "suspect", Head: "Suspect", Only: []report.Format{report.Markdown, report.HTML}})
	}
	if m.HasFeedback {
		t.Columns = append(t.Columns,
			report.Column{Key: "demand", Head: "Demand", Right: true},
			report.Column{Key: "feedback", Head: "Feedback", Not: []report.Format{report.Text}})
	}
	// An Evaluations column when some row has effect evaluations (CSV always has it).
	anyEval := false
	for _, r := range m.Rows {
		anyEval = anyEval || len(r.Evaluations) > 0
	}
	evalFormats := []report.Format{report.CSV}
	if anyEval {
		evalFormats = append(evalFormats, report.Markdown, report.HTML)
	}
	t.Columns = append(t.Columns, report.Column{Key: "evaluations", Head: "Evaluations", Only: evalFormats})
	if m.HasResults {
		t.Columns = append(t.Columns,
			report.Column{Key: "results_shown", Head: "Results", Only: []report.Format{report.Text}},
			report.Column{Key: "results", Head: "Results", Not: []report.Format{report.Text}})
	}
	for _, r := range m.Rows {
		parent := report.Cell{}
		if r.Parent != nil {
			parent = report.IDCell(*r.Parent).Link("#" + *r.Parent)
		}
		children := report.ListCell()
		for _, c := range r.Children {
			children.Items = append(children.Items, report.IDCell(c).Link("#"+c))
		}
		acc := report.ListCell()
		for _, a := range r.Acceptance {
			acc.Items = append(acc.Items, report.Str(acceptanceText(a)))
		}
		evals := report.ListCell()
		for _, e := range r.Evaluations {
			evals.Items = append(evals.Items, report.Str(strings.TrimSpace(e.ID+" "+e.Verdict)))
		}
		cells := []report.Cell{report.IDCell(r.ID).Link(m.Link(r.File, 0)), report.Str(r.Title), report.Str(r.Status),
			report.Str(r.Priority), report.Str(r.Release), report.Str(string(r.Coverage)).AsBadge(),
			parent, children, report.IDs(r.Changes), acc, report.Str(acceptanceCell(r)),
			report.CountCell(len(r.Changes)), report.CountCell(len(r.Impl)), report.CountCell(len(r.Tests)),
			m.refList(r.Impl), m.refList(r.Tests), report.Str(r.File)}
		if anySuspect {
			cells = append(cells, report.IDs(r.Suspect))
		}
		if m.HasFeedback {
			cells = append(cells, report.IntCell(r.Demand), report.IDs(r.Feedback))
		}
		cells = append(cells, evals)
		if m.HasResults {
			list := report.ListCell()
			for _, x := range r.Results {
				list.Items = append(list.Items, report.Str(fmt.Sprintf("%s %s %ss", x.Name, x.Status, strconv.FormatFloat(x.Time, 'f', -1, 64))))
			}
			cells = append(cells, report.Str(resultsCell(r)), list)
		}
		t.Add(cells...)
	}
	sum := &report.Table{Columns: []report.Column{
		{Key: "coverage", Head: "Coverage"}, {Key: "requirements", Head: "Requirements", Right: true},
		{Key: "share", Head: "Share", Right: true},
	}}
	for _, c := range graph.States(m.HasResults) {
		sum.Add(report.Str(string(c)).AsBadge(), report.IntCell(m.Summary.Count(c)), report.Str(report.Percent(m.Summary.Count(c), m.Summary.Total)))
	}
	sum.Add(report.Str("total"), report.IntCell(m.Summary.Total), report.Str("100%"))
	title := "Traceability matrix"
	if m.Project != "" {
		title += " — " + m.Project
	}
	doc := &report.Document{Title: title}
	human := []report.Format{report.Markdown, report.HTML}
	doc.Add(report.OnlyIn{Formats: []report.Format{report.HTML}, Blocks: []report.Block{
		report.Heading{Level: 1, Text: report.Inline{report.Plain(title)}},
	}})
	if len(m.Rows) > 0 {
		doc.Add(t, report.Break{})
	}
	doc.Add(report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: []report.Block{report.Para(report.Plain(m.SummaryLine()))}},
		report.OnlyIn{Formats: human, Blocks: []report.Block{sum}})
	if !m.Traced {
		doc.Add(report.Paragraph{Text: report.Rich("No `trace:` paths in `reqtrail.yaml`, so no code or test citations were sought.")})
	}
	return &report.Report{Data: m, Doc: doc, Table: t}
}

// resultsCell sums up a row's test results: "2 passed", "1 failed, 3 passed", "—".
func resultsCell(r Row) string {
	if len(r.Results) == 0 {
		return "—"
	}
	n := map[results.Status]int{}
	for _, x := range r.Results {
		n[x.Status]++
	}
	var parts []string
	for _, st := range []results.Status{results.Failed, results.Passed, results.Skipped} {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
		}
	}
	return strings.Join(parts, ", ")
}

// acceptanceCell shows the acceptance that counts (the latest by date, then id number; SPEC
// §6), marked stale or with its verdict when not accepted, and how many more (superseded)
// there are.
func acceptanceCell(r Row) string {
	if len(r.Acceptance) == 0 {
		return ""
	}
	a := r.Acceptance[len(r.Acceptance)-1]
	s := a.ID
	switch a.Verdict {
	case "accepted":
	case "conditional":
		s += " cond."
	default:
		s += " " + a.Verdict
	}
	if a.Stale {
		s += " stale"
	}
	if more := len(r.Acceptance) - 1; more > 0 {
		s += " +" + strconv.Itoa(more)
	}
	return s
}

// acceptanceText is "ACC-0001 accepted 2024-10-02", with " stale" when stale and
// " superseded" when a newer acceptance counts.
func acceptanceText(a Acceptance) string {
	s := strings.TrimSpace(a.ID + " " + a.Verdict + " " + a.Date)
	if a.Stale {
		s += " stale"
	}
	if a.Superseded {
		s += " superseded"
	}
	return s
}

func (m *Matrix) refList(refs []Ref) report.Cell {
	c := report.ListCell()
	for _, r := range refs {
		c.Items = append(c.Items, report.Str(r.File+":"+strconv.Itoa(r.Line)).Link(m.Link(r.File, r.Line)))
	}
	return c
}
