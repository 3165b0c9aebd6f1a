package impact

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/mdterm"
)

// Formats lists the output formats of Write.
var Formats = []string{"text", "json", "markdown"}

// Write writes the report in format (one of Formats).
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "markdown":
		return r.WriteMarkdown(w, 2)
	case "text", "":
		return r.WriteText(w)
	}
	return fmt.Errorf("unknown format %q", format)
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
		count(c.Requirements, "downstream requirement", "downstream requirements"),
		count(c.Changes, "change request", "change requests"),
		count(c.Acceptance, "acceptance", "acceptances"),
		count(c.Impl, "code citation", "code citations"),
		count(c.Tests, "test citation", "test citations"),
		count(c.Feedback, "feedback", "feedback"),
		count(c.Evaluations, "evaluation", "evaluations"),
	}
	return strings.Join(parts, ", ")
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// WriteText writes the report for a terminal: record text is stripped of control
// characters.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	t := mdterm.Sanitize
	if len(r.Changed) == 0 {
		fmt.Fprintln(bw, "no requirement changed meaning: nothing is impacted")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "Impact of %s: %s\n", strings.Join(r.Changed, ", "), r.Counts.Summary())
	fmt.Fprintln(bw, "\nRequirements:")
	for _, q := range r.Requirements {
		fmt.Fprintf(bw, "  %s  %s  [%s]  depth %d, %s\n", q.ID, t(q.Title), t(q.Status), q.Depth, q.reached())
	}
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(bw, "\n%s (%d):\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(bw, "  %s\n", l)
		}
	}
	section("Change requests", r.grouped("affects", func(q Requirement) []string {
		var out []string
		for _, c := range q.Changes {
			out = append(out, fmt.Sprintf("%s  %s  [%s]", c.ID, t(c.Title), t(c.Status)))
		}
		return out
	}))
	section("Acceptance that would go stale", r.grouped("accepts", func(q Requirement) []string {
		var out []string
		for _, a := range q.Acceptance {
			s := fmt.Sprintf("%s  %s %s", a.ID, t(a.Verdict), t(a.Date))
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
				out = append(out, fmt.Sprintf("%s:%d", t(c.File), c.Line))
			}
			return out
		}
	}
	section("Code", r.grouped("cites", cite(func(q Requirement) []Citation { return q.Impl })))
	section("Tests", r.grouped("cites", cite(func(q Requirement) []Citation { return q.Tests })))
	section("Feedback", r.grouped("names", func(q Requirement) []string { return q.Feedback }))
	section("Evaluations", r.grouped("names", func(q Requirement) []string { return q.Evaluations }))
	return bw.Flush()
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

// WriteMarkdown writes the report as Markdown with headings at level (2: "##"), the details
// folded under <details> so that a pull-request comment stays short.
func (r *Report) WriteMarkdown(w io.Writer, level int) error {
	bw := bufio.NewWriter(w)
	h := strings.Repeat("#", max(level, 1))
	if len(r.Changed) == 0 {
		fmt.Fprintf(bw, "%s Impact\n\nNo requirement changed meaning.\n", h)
		return bw.Flush()
	}
	for _, id := range r.Changed {
		sub := r.Of(id)
		fmt.Fprintf(bw, "%s Impact of %s\n\n", h, id)
		fmt.Fprintf(bw, "%s.\n\n", sub.Counts.Summary())
		fmt.Fprintf(bw, "<details><summary>What depends on %s</summary>\n\n", id)
		fmt.Fprintln(bw, "| requirement | title | status | depth | reached | change requests | acceptance | code | tests |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
		for _, q := range sub.Requirements {
			var crs, accs, impl, tests []string
			for _, c := range q.Changes {
				crs = append(crs, c.ID+" ("+md(c.Status)+")")
			}
			for _, a := range q.Acceptance {
				s := a.ID + " (" + md(a.Verdict) + ")"
				if a.Stale {
					s += " stale"
				}
				accs = append(accs, s)
			}
			for _, c := range q.Impl {
				impl = append(impl, fmt.Sprintf("%s:%d", md(c.File), c.Line))
			}
			for _, c := range q.Tests {
				tests = append(tests, fmt.Sprintf("%s:%d", md(c.File), c.Line))
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %d | %s | %s | %s | %s | %s |\n", q.ID, md(q.Title), md(q.Status), q.Depth, md(q.reached()),
				joinOr(crs), joinOr(accs), joinOr(impl), joinOr(tests))
		}
		fmt.Fprint(bw, "\n</details>\n\n")
	}
	return bw.Flush()
}

// Of returns the part of the report reached from changed requirement id alone (the whole
// report when it has one changed requirement).
func (r *Report) Of(id string) *Report {
	if len(r.Changed) == 1 && r.Changed[0] == id {
		return r
	}
	byID := map[string]*Requirement{}
	for i := range r.Requirements {
		byID[r.Requirements[i].ID] = &r.Requirements[i]
	}
	sub := &Report{Changed: []string{id}, Requirements: []Requirement{}}
	// Requirements reached through id: follow Via back to id.
	for _, q := range r.Requirements {
		cur, ok := &q, false
		for range len(r.Requirements) + 1 {
			if cur.Via == nil {
				ok = cur.ID == id
				break
			}
			cur = byID[cur.Via.From]
			if cur == nil {
				break
			}
		}
		if ok {
			sub.Requirements = append(sub.Requirements, q)
		}
	}
	sub.Counts = countOf(sub.Requirements)
	return sub
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

func joinOr(s []string) string {
	if len(s) == 0 {
		return "—"
	}
	return strings.Join(s, ", ")
}

var mdReplacer = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "`", "'", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// md makes record text safe in a Markdown table cell: no HTML, pipes or line breaks.
func md(s string) string { return mdReplacer.Replace(html.EscapeString(mdterm.Sanitize(s))) }
