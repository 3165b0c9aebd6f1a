package impact

import (
	"fmt"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/report"
)

// Formats lists the output formats of the report (the writers are pkg/report's).
var Formats = []report.Format{report.Text, report.JSON, report.Markdown}

// Report returns the impact report for pkg/report's writers to write in format f: the report
// itself for JSON, a document for text and Markdown (Markdown headings at level: 2 is "##").
// Only f's document is built: the Markdown sections analyse each changed requirement again.
func (r *Report) Report(level int, f report.Format) *report.Report {
	rep := &report.Report{Data: r, Doc: &report.Document{}}
	switch f {
	case report.Text:
		rep.Doc.Blocks = r.textBlocks()
	case report.Markdown, report.HTML:
		rep.Doc.Blocks = r.Sections(level)
	}
	return rep
}

// reached says how a requirement was reached, as a reader says it.
func (q Requirement) reached() string {
	if q.Via == nil {
		return "changed"
	}
	s := "child of " + q.Via.From
	if q.Via.Type != "parent" {
		s = q.Via.Type + " " + q.Via.From
	}
	if q.Suspect {
		s += " (suspect)"
	}
	return s
}

// Summary is the counts in one line: "3 requirements, 1 change request, …".
func (c Counts) Summary() string {
	parts := []string{
		report.Count(c.Requirements, "downstream requirement", "downstream requirements"),
		report.Count(c.Changes, "change request", "change requests"),
		report.Count(c.Acceptance, "acceptance", "acceptances"),
		report.Count(c.Impl, "code citation", "code citations"),
		report.Count(c.Tests, "test citation", "test citations"),
		report.Count(c.Feedback, "feedback", "feedback"),
		report.Count(c.Evaluations, "evaluation", "evaluations"),
	}
	return strings.Join(parts, ", ")
}

// textBlocks is the report for a terminal: a summary line, the requirements, then one
// section per category with the requirements each item concerns.
func (r *Report) textBlocks() []report.Block {
	if len(r.Changed) == 0 {
		return []report.Block{report.Para(report.Plain("no requirement changed meaning: nothing is impacted"))}
	}
	out := []report.Block{
		report.Para(report.Plain(fmt.Sprintf("Impact of %s: %s", strings.Join(r.Changed, ", "), r.Counts.Summary()))),
		report.Break{}, report.Para(report.Plain("Requirements:")),
	}
	reqs := &report.List{Indent: "  "}
	for _, q := range r.Requirements {
		reqs.Items = append(reqs.Items, report.Item{Text: report.Inline{report.Plain(
			fmt.Sprintf("%s  %s  [%s]  depth %d, %s", q.ID, q.Title, q.Status, q.Depth, q.reached()))}})
	}
	out = append(out, reqs)
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		l := &report.List{Indent: "  "}
		for _, s := range lines {
			l.Items = append(l.Items, report.Item{Text: report.Inline{report.Plain(s)}})
		}
		out = append(out, report.Break{}, report.Para(report.Plain(fmt.Sprintf("%s (%d):", title, len(lines)))), l)
	}
	section("Change requests", r.grouped("affects", func(q Requirement) []string {
		var out []string
		for _, c := range q.Changes {
			out = append(out, fmt.Sprintf("%s  %s  [%s]", c.ID, c.Title, c.Status))
		}
		return out
	}))
	section("Acceptance that would go stale", r.grouped("accepts", func(q Requirement) []string {
		var out []string
		for _, a := range q.Acceptance {
			s := fmt.Sprintf("%s  %s %s", a.ID, a.Verdict, a.Date)
			if a.Stale {
				s += " (already stale)"
			}
			out = append(out, s)
		}
		return out
	}))
	cite := func(role func(Requirement) []Citation) func(Requirement) []string {
		return func(q Requirement) []string {
			var out []string
			for _, c := range role(q) {
				out = append(out, fmt.Sprintf("%s:%d", c.File, c.Line))
			}
			return out
		}
	}
	section("Code", r.grouped("cites", cite(func(q Requirement) []Citation { return q.Impl })))
	section("Tests", r.grouped("cites", cite(func(q Requirement) []Citation { return q.Tests })))
	section("Feedback", r.grouped("names", func(q Requirement) []string { return q.Feedback }))
	section("Evaluations", r.grouped("names", func(q Requirement) []string { return q.Evaluations }))
	return out
}

// grouped collects fn's items over the set, each once in first-seen order, followed by
// verb and the requirements of the set it concerns: "CR-0001  …  affects REQ-0002, REQ-0003".
func (r *Report) grouped(verb string, fn func(Requirement) []string) []string {
	var order []string
	reqs := map[string][]string{}
	for _, q := range r.Requirements {
		for _, item := range fn(q) {
			if _, ok := reqs[item]; !ok {
				order = append(order, item)
			}
			if l := reqs[item]; len(l) == 0 || l[len(l)-1] != q.ID {
				reqs[item] = append(l, q.ID)
			}
		}
	}
	out := make([]string, 0, len(order))
	for _, item := range order {
		out = append(out, item+"  "+verb+" "+strings.Join(reqs[item], ", "))
	}
	return out
}

// Sections is the report as document sections, for a pull-request comment and `check`'s
// report: for each changed requirement a heading at level ("Impact of REQ-0001"), the counts,
// and what depends on it as a table folded under a details element.
func (r *Report) Sections(level int) []report.Block {
	if len(r.Changed) == 0 {
		return []report.Block{report.Heading{Level: level, Text: report.Inline{report.Plain("Impact")}},
			report.Para(report.Plain("No requirement changed meaning."))}
	}
	var out []report.Block
	for _, id := range r.Changed {
		sub := r.Of(id)
		t := &report.Table{Columns: []report.Column{
			{Key: "requirement", Head: "Requirement"}, {Key: "title", Head: "Title", Flex: true}, {Key: "status", Head: "Status"},
			{Key: "depth", Head: "Depth", Right: true}, {Key: "reached", Head: "Reached"}, {Key: "changes", Head: "Change requests"},
			{Key: "acceptance", Head: "Acceptance"}, {Key: "code", Head: "Code"}, {Key: "tests", Head: "Tests"},
		}}
		for _, q := range sub.Requirements {
			var crs, accs []string
			for _, c := range q.Changes {
				crs = append(crs, c.ID)
			}
			for _, a := range q.Acceptance {
				accs = append(accs, a.ID)
			}
			t.Add(report.IDCell(q.ID), report.Str(q.Title), report.Str(q.Status), report.IntCell(q.Depth), report.Str(q.reached()),
				report.IDs(crs), report.IDs(accs), citeCell(q.Impl), citeCell(q.Tests))
		}
		out = append(out, report.Heading{Level: level, Text: report.Inline{report.Plain("Impact of "), report.Code(id)}},
			report.Para(report.Plain(sub.Counts.Summary()+".")),
			report.Details{Summary: report.Inline{report.Plain("What depends on " + id)}, Blocks: []report.Block{t}})
	}
	return out
}

func citeCell(cs []Citation) report.Cell {
	l := report.ListCell()
	for _, c := range cs {
		l.Items = append(l.Items, report.Str(fmt.Sprintf("%s:%d", c.File, c.Line)))
	}
	return l
}

// Of returns the impact of changed requirement id alone: everything downstream of it, the
// other changed requirements and what hangs below them included (a child that changed too is
// still its child). It is the whole report when id is its only changed requirement (or when
// the report was not made by Analyze and has no graph).
func (r *Report) Of(id string) *Report {
	if len(r.Changed) == 1 && r.Changed[0] == id || r.g == nil {
		return r
	}
	return Analyze(r.g, []string{id})
}

func countOf(reqs []Requirement) Counts {
	var c Counts
	sets := [6]map[string]bool{{}, {}, {}, {}, {}, {}}
	for _, q := range reqs {
		if q.Depth > 0 {
			c.Requirements++
		}
		for _, x := range q.Changes {
			sets[0][x.ID] = true
		}
		for _, x := range q.Acceptance {
			sets[1][x.ID] = true
		}
		for _, x := range q.Impl {
			sets[2][fmt.Sprintf("%s:%d", x.File, x.Line)] = true
		}
		for _, x := range q.Tests {
			sets[3][fmt.Sprintf("%s:%d", x.File, x.Line)] = true
		}
		for _, x := range q.Feedback {
			sets[4][x] = true
		}
		for _, x := range q.Evaluations {
			sets[5][x] = true
		}
	}
	c.Changes, c.Acceptance, c.Impl, c.Tests, c.Feedback, c.Evaluations = len(sets[0]), len(sets[1]), len(sets[2]), len(sets[3]), len(sets[4]), len(sets[5])
	return c
}
