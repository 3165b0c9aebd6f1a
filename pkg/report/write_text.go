package report

import (
	"bufio"
	"io"
	"strings"
)

// gap is the space between text table columns.
const gap = 2

// WriteTextTable writes t as a text table aligned by display width, every cell cleaned of
// control characters; when t.Width > 0 the Flex column is cut with "…" so lines fit.
func WriteTextTable(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	textTable(bw, t, "")
	return bw.Flush()
}

func textTable(bw *bufio.Writer, t *Table, indent string) {
	cols, rows := t.view(Text)
	cells := make([][]string, len(rows)+1)
	widths := make([]int, len(cols))
	cells[0] = make([]string, len(cols))
	for i, c := range cols {
		cells[0][i] = strings.ToUpper(c.Head)
		if !t.HideHead {
			widths[i] = Width(cells[0][i])
		}
	}
	for r, row := range rows {
		line := make([]string, len(cols))
		for i := range cols {
			s := "-"
			if i < len(row) && !row[i].IsEmpty() {
				s = Clean(row[i].Text())
			}
			line[i] = s
			widths[i] = max(widths[i], Width(s))
		}
		cells[r+1] = line
	}
	flex := -1
	for i, c := range cols {
		if c.Max > 0 {
			widths[i] = min(widths[i], max(c.Max, Width(cells[0][i])))
		}
		if c.Flex {
			flex = i
		}
	}
	if t.Width > 0 && flex >= 0 {
		total := Width(indent) + gap*(len(cols)-1)
		for _, wd := range widths {
			total += wd
		}
		if over := total - t.Width; over > 0 {
			widths[flex] = max(widths[flex]-over, min(widths[flex], 20), Width(cols[flex].Head))
		}
	}
	if t.HideHead {
		cells = cells[1:]
	}
	for _, line := range cells {
		var b strings.Builder
		b.WriteString(indent)
		for i, v := range line {
			v = Truncate(v, widths[i])
			pad := strings.Repeat(" ", widths[i]-Width(v))
			if i > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			if cols[i].Right {
				b.WriteString(pad + v)
			} else {
				b.WriteString(v + pad)
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
}

// WriteText writes d for a terminal: one line per heading, paragraph and list item, tables
// aligned, folded details indented under their summary; all record text cleaned of control
// characters.
func WriteText(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	textBlocks(bw, d.Blocks, "")
	return bw.Flush()
}

func textBlocks(bw *bufio.Writer, blocks []Block, indent string) {
	for _, b := range blocks {
		switch b := b.(type) {
		case Heading:
			bw.WriteString(indent + textInline(b.Text) + "\n")
		case Paragraph:
			bw.WriteString(indent + textInline(b.Text) + "\n")
		case Break:
			bw.WriteString("\n")
		case *Table:
			textTable(bw, b, indent)
		case *List:
			for _, it := range b.Items {
				bw.WriteString(indent + b.Indent + textInline(it.Text) + "\n")
				if len(it.Detail) > 0 {
					bw.WriteString(indent + b.Indent + "  " + textInline(it.Detail) + "\n")
				}
			}
		case Details:
			bw.WriteString(indent + textInline(b.Summary) + "\n")
			textBlocks(bw, b.Blocks, indent+"  ")
		case WordDiff:
			label := ""
			if b.Label != "" {
				label = Clean(b.Label) + " "
			}
			bw.WriteString(indent + label + TextDiff(b) + "\n")
		case Fields:
			textFields(bw, b, indent)
		case Terminal:
			bw.WriteString(b.Text)
		}
	}
}

func textInline(in Inline) string { return Clean(in.Text()) }

// TextDiff renders a word diff as text: [-removed-]{+added+}; line breaks stay, other
// control characters become spaces.
func TextDiff(d WordDiff) string { return diffMarkup(d, CleanLines, "", textMarks) }
