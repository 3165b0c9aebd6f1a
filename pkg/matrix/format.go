package matrix

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/output"
)

// Width is the width in terminal columns the text table fits in.
const Width = 100

// Write writes m to w in format (one of Formats).
func (m *Matrix) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return m.WriteText(w)
	case "json":
		return output.WriteJSON(w, m)
	case "csv":
		return m.WriteCSV(w)
	case "markdown":
		return m.WriteMarkdown(w)
	case "html":
		return m.WriteHTML(w)
	}
	return fmt.Errorf("unknown matrix format %q", format)
}

// SummaryLine is the one-line summary: total and each coverage state with its share.
func (m *Matrix) SummaryLine() string {
	s := m.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "%d requirement%s", s.Total, plural(s.Total))
	for _, c := range graph.Coverages {
		fmt.Fprintf(&b, " · %s %d (%s)", c, s.Count(c), percent(s.Count(c), s.Total))
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strconv.Itoa((n*1000/total+5)/10) + "%"
}

// WriteText writes a table that fits Width terminal columns: titles are cut with "…", wide
// (CJK) characters count as two columns.
func (m *Matrix) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	type column struct {
		head  string
		cell  func(Row) string
		right bool
		max   int // 0: no limit
	}
	// Parent and children do not fit in 100 columns; the other formats show them.
	cols := []column{
		{head: "ID", cell: func(r Row) string { return r.ID }},
		{head: "TITLE", cell: func(r Row) string { return r.Title }},
		{head: "STATUS", cell: func(r Row) string { return r.Status }},
		{head: "COVERAGE", cell: func(r Row) string { return string(r.Coverage) }},
		{head: "ACCEPTANCE", cell: acceptanceCell, max: 18},
		{head: "CR", cell: func(r Row) string { return count(len(r.Changes)) }, right: true},
		{head: "IMPL", cell: func(r Row) string { return count(len(r.Impl)) }, right: true},
		{head: "TESTS", cell: func(r Row) string { return count(len(r.Tests)) }, right: true},
	}
	const gap = 2
	cells := make([][]string, len(m.Rows))
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = uniseg.StringWidth(c.head)
	}
	for ri, r := range m.Rows {
		cells[ri] = make([]string, len(cols))
		for i, c := range cols {
			s := clean(c.cell(r))
			cells[ri][i] = s
			widths[i] = max(widths[i], uniseg.StringWidth(s))
		}
	}
	for i, c := range cols {
		if c.max > 0 {
			widths[i] = min(widths[i], c.max)
		}
	}
	rest := Width - gap*(len(cols)-1)
	for i := range cols {
		if i != 1 {
			rest -= widths[i]
		}
	}
	widths[1] = max(min(widths[1], rest), len("TITLE"))

	line := func(vals []string) {
		var b strings.Builder
		for i, v := range vals {
			v = truncate(v, widths[i])
			pad := strings.Repeat(" ", widths[i]-uniseg.StringWidth(v))
			if cols[i].right {
				b.WriteString(pad + v)
			} else {
				b.WriteString(v)
				if i < len(vals)-1 {
					b.WriteString(pad)
				}
			}
			if i < len(vals)-1 {
				b.WriteString(strings.Repeat(" ", gap))
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	line(heads)
	for _, r := range cells {
		line(r)
	}
	if len(m.Rows) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString(m.SummaryLine() + "\n")
	if !m.Traced {
		bw.WriteString("No trace: paths in reqtrail.yaml, so no code or test citations were sought.\n")
	}
	return bw.Flush()
}

func count(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// acceptanceCell shows the acceptance that decides coverage (the latest valid one), else the
// latest, marked stale or with its verdict when not accepted, and how many more there are.
func acceptanceCell(r Row) string {
	if len(r.Acceptance) == 0 {
		return "-"
	}
	pick := len(r.Acceptance) - 1
	for i, a := range r.Acceptance {
		if a.Verdict == "accepted" && !a.Stale {
			pick = i
		}
	}
	a := r.Acceptance[pick]
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

// truncate cuts s to at most width terminal columns, ending it with "…" when cut.
func truncate(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	used, state := 0, -1
	for s != "" {
		var cluster string
		var w int
		cluster, s, w, state = uniseg.FirstGraphemeClusterInString(s, state)
		if used+w > width-1 {
			break
		}
		b.WriteString(cluster)
		used += w
	}
	return b.String() + "…"
}

// clean replaces control characters, which a terminal would act on, with spaces.
func clean(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

// WriteCSV writes one line per row with a header; lists are joined with "; ".
func (m *Matrix) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "title", "status", "priority", "release", "coverage", "parent", "children", "changes", "acceptance", "impl", "tests", "file"})
	for _, r := range m.Rows {
		parent := ""
		if r.Parent != nil {
			parent = *r.Parent
		}
		var acc []string
		for _, a := range r.Acceptance {
			acc = append(acc, acceptanceText(a))
		}
		cw.Write([]string{r.ID, r.Title, r.Status, r.Priority, r.Release, string(r.Coverage), parent,
			strings.Join(r.Children, "; "), strings.Join(r.Changes, "; "), strings.Join(acc, "; "),
			refList(r.Impl, "; "), refList(r.Tests, "; "), r.File})
	}
	cw.Flush()
	return cw.Error()
}

// acceptanceText is "ACC-0001 accepted 2024-10-02", with " stale" when stale.
func acceptanceText(a Acceptance) string {
	s := strings.TrimSpace(a.ID + " " + a.Verdict + " " + a.Date)
	if a.Stale {
		s += " stale"
	}
	return s
}

func refList(refs []Ref, sep string) string {
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = r.File + ":" + strconv.Itoa(r.Line)
	}
	return strings.Join(parts, sep)
}

// WriteMarkdown writes a GitHub-flavoured Markdown table and a summary table.
func (m *Matrix) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("| ID | Title | Status | Coverage | Parent | Children | Changes | Acceptance | Implementation | Tests |\n")
	bw.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range m.Rows {
		parent := ""
		if r.Parent != nil {
			parent = *r.Parent
		}
		var acc []string
		for _, a := range r.Acceptance {
			acc = append(acc, acceptanceText(a))
		}
		cells := []string{r.ID, r.Title, r.Status, string(r.Coverage), parent, strings.Join(r.Children, ", "),
			strings.Join(r.Changes, ", "), strings.Join(acc, ", "), refList(r.Impl, ", "), refList(r.Tests, ", ")}
		for i, c := range cells {
			cells[i] = mdEscape(c)
		}
		bw.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	bw.WriteString("\n| Coverage | Requirements | Share |\n| --- | ---: | ---: |\n")
	for _, c := range graph.Coverages {
		fmt.Fprintf(bw, "| %s | %d | %s |\n", c, m.Summary.Count(c), percent(m.Summary.Count(c), m.Summary.Total))
	}
	fmt.Fprintf(bw, "| **total** | **%d** | |\n", m.Summary.Total)
	if !m.Traced {
		bw.WriteString("\nNo `trace:` paths in `reqtrail.yaml`, so no code or test citations were sought.\n")
	}
	return bw.Flush()
}

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "*", `\*`, "_", `\_`,
	"[", `\[`, "]", `\]`, "`", "\\`", "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdReplacer.Replace(s) }
