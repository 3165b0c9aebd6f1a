package report

import (
	"html"
	"io"
	"strings"
)

// Page is what a standalone HTML page needs besides its document: the stylesheet (the
// site's, so there is one copy of reqtrail's look) and a note under the title.
type Page struct {
	CSS string
}

const htmlCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"

// WriteHTML writes d as one self-contained HTML page: inline CSS, no script, nothing
// loaded from the network (a Content-Security-Policy says so), every text escaped and
// only http(s) and fragment links kept.
func WriteHTML(w io.Writer, d *Document, p Page) error {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"" + htmlCSP + "\">\n")
	b.WriteString("<meta name=\"referrer\" content=\"no-referrer\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"generator\" content=\"reqtrail\">\n")
	b.WriteString("<title>" + esc(d.Title) + "</title>\n")
	if p.CSS != "" {
		b.WriteString("<style>\n" + strings.ReplaceAll(p.CSS, "</", `<\/`) + "</style>\n")
	}
	b.WriteString("</head>\n<body>\n<main class=\"wrap\">\n")
	htmlBlocks(&b, d.Blocks)
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func esc(s string) string { return html.EscapeString(Clean(s)) }

func htmlBlocks(b *strings.Builder, blocks []Block) {
	for _, bl := range blocks {
		switch bl := bl.(type) {
		case Heading:
			l := string(rune('0' + min(max(bl.Level, 1), 6)))
			b.WriteString("<h" + l + ">" + htmlInline(bl.Text) + "</h" + l + ">\n")
		case Paragraph:
			b.WriteString("<p>" + htmlInline(bl.Text) + "</p>\n")
		case Break:
		case *Table:
			htmlTable(b, bl)
		case *List:
			b.WriteString("<ul>\n")
			for _, it := range bl.Items {
				b.WriteString("<li>" + htmlInline(it.Text))
				if len(it.Detail) > 0 {
					b.WriteString("<br>" + htmlInline(it.Detail))
				}
				b.WriteString("</li>\n")
			}
			b.WriteString("</ul>\n")
		case Details:
			b.WriteString("<details><summary>" + htmlInline(bl.Summary) + "</summary>\n")
			htmlBlocks(b, bl.Blocks)
			b.WriteString("</details>\n")
		case WordDiff:
			b.WriteString("<p class=\"wdiff\">" + htmlDiff(bl) + "</p>\n")
		case Fields:
			htmlTable(b, bl.table())
		}
	}
}

func htmlInline(in Inline) string {
	var b strings.Builder
	for _, s := range in {
		t := esc(s.Text)
		switch s.Style {
		case CodeStyle:
			t = "<code>" + t + "</code>"
		case StrongStyle:
			t = "<strong>" + t + "</strong>"
		case EmphStyle:
			t = "<em>" + t + "</em>"
		}
		if s.Href != "" && safeHref(s.Href) {
			t = "<a href=\"" + html.EscapeString(s.Href) + "\">" + t + "</a>"
		}
		b.WriteString(t)
	}
	return b.String()
}

func htmlDiff(d WordDiff) string {
	label := ""
	if d.Label != "" {
		label = "<strong>" + esc(d.Label) + "</strong> "
	}
	return diffMarkup(d, esc, label, tagMarks)
}

func htmlTable(b *strings.Builder, t *Table) {
	cols, rows := t.view(HTML)
	b.WriteString("<div class=\"table-wrap\"><table class=\"tbl\">\n<thead><tr>")
	for _, c := range cols {
		b.WriteString("<th>" + esc(c.Head) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range rows {
		b.WriteString("<tr")
		if len(row) > 0 && row[0].Kind == IDKind {
			b.WriteString(" id=\"" + esc(row[0].Str) + "\"")
		}
		b.WriteString(">")
		for i, c := range cols {
			class := ""
			if c.Right {
				class = " class=\"num\""
			}
			cell := Cell{}
			if i < len(row) {
				cell = row[i]
			}
			b.WriteString("<td" + class + ">" + htmlCell(cell) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table></div>\n")
}

func htmlCell(c Cell) string {
	if c.IsEmpty() {
		return ""
	}
	var s string
	switch c.Kind {
	case ListKind:
		var b strings.Builder
		for i, it := range c.Items {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(htmlCell(it))
		}
		s = b.String()
	case IDKind:
		s = "<code>" + esc(c.Str) + "</code>"
	default:
		s = esc(c.Text())
	}
	if c.Strong {
		s = "<strong>" + s + "</strong>"
	}
	if c.Badge {
		s = "<span class=\"badge k-" + badgeClass(c.Text()) + "\">" + s + "</span>"
	}
	if c.Href != "" && safeHref(c.Href) {
		s = "<a href=\"" + html.EscapeString(c.Href) + "\">" + s + "</a>"
	}
	return s
}

// badgeClass keeps letters, digits and hyphens of v, lower-cased.
func badgeClass(v string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, v)
}
