package report

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// GitHub's limits for Markdown: a pull-request comment holds 65,536 characters, a job's step
// summary 1 MiB.
const (
	CommentLimit = 65536
	SummaryLimit = 1 << 20
)

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
)

// EscapeMarkdown is the one Markdown escaper for text from records: control characters
// become spaces, Markdown punctuation is backslash-escaped, HTML is written as entities
// (so no tag, image or link comes through), and @mentions and #123 references are broken
// with U+200B so that a title never pings anyone or links an issue.
func EscapeMarkdown(s string) string {
	s = mdReplacer.Replace(Clean(s))
	if s != "" && strings.ContainsRune("-+=#", rune(s[0])) {
		s = `\` + s
	}
	return breakRefs(s)
}

// breakRefs puts U+200B after every @ and # that is followed by a letter, digit or
// underscore-like character.
func breakRefs(s string) string {
	if !strings.ContainsAny(s, "@#") {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		b.WriteRune(r)
		if r == '@' || r == '#' {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if next != utf8.RuneError && next != ' ' && next != '\u200b' {
				b.WriteRune('\u200b')
			}
		}
	}
	return b.String()
}

// CodeSpan writes s as a Markdown code span: fenced with more backticks than any run in
// s, control characters as spaces; in a table, pipes are escaped (GFM reads them first).
func CodeSpan(s string, inTable bool) string {
	s = Clean(s)
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MarkdownInline is inline text as Markdown, the way every Markdown report writes it: for
// Markdown written outside a Document (the generated reference pages). In a table cell
// (inTable) pipes in code spans are escaped too.
func MarkdownInline(in Inline, inTable bool) string { return mdInline(in, inTable) }

func mdInline(in Inline, inTable bool) string {
	var b strings.Builder
	for _, s := range in {
		var t string
		switch s.Style {
		case CodeStyle:
			t = CodeSpan(s.Text, inTable)
		case StrongStyle:
			t = "**" + EscapeMarkdown(s.Text) + "**"
		case EmphStyle:
			t = "*" + EscapeMarkdown(s.Text) + "*"
		default:
			t = EscapeMarkdown(s.Text)
		}
		if s.Href != "" && safeHref(s.Href) {
			t = "[" + t + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(s.Href) + ")"
		}
		b.WriteString(t)
	}
	return b.String()
}

// safeHref accepts http(s) links and fragments only.
func safeHref(h string) bool {
	return strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "http://") || strings.HasPrefix(h, "#")
}

func mdCell(c Cell) string {
	if c.IsEmpty() {
		return "-"
	}
	if c.Strong {
		c.Strong = false
		return "**" + mdCell(c) + "**"
	}
	if c.Kind == IDKind {
		return CodeSpan(c.Str, true)
	}
	if c.Kind == ListKind {
		parts := make([]string, 0, len(c.Items))
		for _, it := range c.Items {
			if !it.IsEmpty() {
				parts = append(parts, mdCell(it))
			}
		}
		return strings.Join(parts, ", ")
	}
	return EscapeMarkdown(c.Text())
}

// WriteMarkdownTable writes t as a GitHub-flavoured Markdown table.
func WriteMarkdownTable(w io.Writer, t *Table) error {
	return WriteMarkdown(w, &Document{Blocks: []Block{t}}, 0)
}

// mdChunk is one block rendered: a head, items that may be folded away, and the fold line
// for n items left out.
type mdChunk struct {
	head     string
	items    []string
	tail     string
	foldable bool
	priority int
	more     func(n int) string
	keep     int
}

func (c *mdChunk) String() string {
	var b strings.Builder
	b.WriteString(c.head)
	for _, it := range c.items[:c.keep] {
		b.WriteString(it)
	}
	if n := len(c.items) - c.keep; n > 0 {
		b.WriteString(c.more(n))
	}
	b.WriteString(c.tail)
	return b.String()
}

// WriteMarkdown writes d as GitHub-flavoured Markdown. With limit > 0 (CommentLimit,
// SummaryLimit) the output stays within limit characters (UTF-16 code units, as GitHub
// counts): lists and tables are folded, those of lowest Priority keeping their items first,
// each ending with "… and N more".
func WriteMarkdown(w io.Writer, d *Document, limit int) error {
	chunks := mdBlocks(d.Blocks)
	total := max(len(chunks)-1, 0) // the blank lines between blocks count too
	for _, c := range chunks {
		c.keep = len(c.items)
		total += size(c.String())
	}
	if limit > 0 && total > limit {
		fit(chunks, limit)
	}
	var b strings.Builder
	for i, c := range chunks {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(c.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fit folds the chunks' items so that the document fits limit.
func fit(chunks []*mdChunk, limit int) {
	used := len(chunks) - 1 // the blank lines between blocks
	for _, c := range chunks {
		c.keep = 0
		used += size(c.head) + size(c.tail)
		if len(c.items) > 0 {
			used += size(c.more(len(c.items)))
		}
	}
	order := slices.Clone(chunks)
	slices.SortStableFunc(order, func(a, b *mdChunk) int { return a.priority - b.priority })
	for _, c := range order {
		for c.keep < len(c.items) {
			n := size(c.items[c.keep])
			if used+n > limit {
				break
			}
			used += n
			c.keep++
		}
		if c.keep < len(c.items) {
			return
		}
	}
}

// size counts s as GitHub does: UTF-16 code units.
func size(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func moreLine(prefix, noun string) func(int) string {
	what := "more"
	if noun != "" {
		what = "more " + noun
	}
	return func(n int) string { return prefix + "… and " + strconv.Itoa(n) + " " + what + "\n" }
}

func mdBlocks(blocks []Block) []*mdChunk {
	var out []*mdChunk
	for _, b := range blocks {
		switch b := b.(type) {
		case Heading:
			lvl := min(max(b.Level, 1), 6)
			out = append(out, &mdChunk{head: strings.Repeat("#", lvl) + " " + mdInline(b.Text, false) + "\n"})
		case Paragraph:
			out = append(out, &mdChunk{head: mdInline(b.Text, false) + "\n"})
		case Break:
		case *Table:
			out = append(out, mdTable(b))
		case *List:
			c := &mdChunk{foldable: true, priority: b.Priority, more: moreLine("- ", b.More)}
			for _, it := range b.Items {
				s := "- " + mdInline(it.Text, false)
				if len(it.Detail) > 0 {
					s += "<br>\n  " + mdInline(it.Detail, false)
				}
				c.items = append(c.items, s+"\n")
			}
			out = append(out, c)
		case Details:
			out = append(out, mdDetails(b))
		case WordDiff:
			out = append(out, &mdChunk{head: mdDiff(b) + "\n"})
		case Fields:
			out = append(out, mdTable(b.table()))
		}
	}
	return out
}

func mdTable(t *Table) *mdChunk {
	cols, rows := t.view(Markdown)
	var h strings.Builder
	h.WriteString("|")
	for _, c := range cols {
		h.WriteString(" " + EscapeMarkdown(c.Head) + " |")
	}
	h.WriteString("\n|")
	for _, c := range cols {
		if c.Right {
			h.WriteString(" ---: |")
		} else {
			h.WriteString(" --- |")
		}
	}
	h.WriteString("\n")
	c := &mdChunk{head: h.String(), foldable: true, priority: t.priority}
	more := t.more
	c.more = func(n int) string {
		noun := "more"
		if more != "" {
			noun = "more " + more
		}
		return "| … and " + strconv.Itoa(n) + " " + noun + " |" + strings.Repeat(" |", len(cols)-1) + "\n"
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString("|")
		for i := range cols {
			cell := "-"
			if i < len(row) {
				cell = mdCell(row[i])
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
		c.items = append(c.items, b.String())
	}
	return c
}

// mdDiff renders a word diff with <del>removed</del> and <ins>added</ins> text (our tags;
// the text inside is escaped).
func mdDiff(d WordDiff) string {
	label := ""
	if d.Label != "" {
		label = "**" + EscapeMarkdown(d.Label) + "** "
	}
	return diffMarkup(d, EscapeMarkdown, label, tagMarks)
}

// diffMarks are what a writer puts around removed and added parts of a word diff.
type diffMarks struct{ delOpen, delClose, insOpen, insClose string }

// tagMarks are the <del> and <ins> tags Markdown and HTML both read; textMarks are
// git's --word-diff=plain marks.
var (
	tagMarks  = diffMarks{"<del>", "</del>", "<ins>", "</ins>"}
	textMarks = diffMarks{"[-", "-]", "{+", "+}"}
)

// diffMarkup writes label, then the diff's parts through esc, marked with m around the
// removed and added ones: the one word-diff renderer of every format.
func diffMarkup(d WordDiff, esc func(string) string, label string, m diffMarks) string {
	var b strings.Builder
	b.WriteString(label)
	for _, p := range d.Parts {
		t := esc(p.Text)
		switch p.Op {
		case Deleted:
			b.WriteString(m.delOpen + t + m.delClose)
		case Inserted:
			b.WriteString(m.insOpen + t + m.insClose)
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// mdDetails folds blocks under a summary; the first foldable block inside stays foldable.
func mdDetails(d Details) *mdChunk {
	c := &mdChunk{head: "<details><summary>" + mdInline(d.Summary, false) + "</summary>\n\n"}
	after := false
	for i, ic := range mdBlocks(d.Blocks) {
		sep := ""
		if i > 0 {
			sep = "\n"
		}
		switch {
		case ic.foldable && !c.foldable:
			c.head += sep + ic.head
			c.items, c.more, c.foldable, c.priority, c.tail = ic.items, ic.more, true, ic.priority, ic.tail
			after = true
		case after:
			ic.keep = len(ic.items)
			c.tail += sep + ic.String()
		default:
			ic.keep = len(ic.items)
			c.head += sep + ic.String()
		}
	}
	c.tail += "\n</details>\n"
	return c
}
