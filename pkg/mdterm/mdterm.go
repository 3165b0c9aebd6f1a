// Package mdterm renders Markdown (CommonMark with GitHub tables, task lists and
// strikethrough) as plain text for a terminal: headings underlined, paragraphs wrapped,
// lists with bullets, tables aligned, code indented, HTML comments dropped, and, when asked,
// bold, italic and code in ANSI colours. Control characters of the input never reach the
// terminal.
package mdterm

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Options control rendering.
type Options struct {
	// Width is the column paragraphs are wrapped at; 0 means no wrapping.
	Width int
	// Color enables ANSI styles (bold headings and strong text, italic, coloured code).
	Color bool
}

// ANSI styles.
const (
	bold   = "\x1b[1m"
	italic = "\x1b[3m"
	dim    = "\x1b[2m"
	cyan   = "\x1b[36m"
	strike = "\x1b[9m"
	reset  = "\x1b[0m"
)

var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

// Render returns src rendered for a terminal, ending with one newline ("" for an empty
// document).
func Render(src []byte, opt Options) string {
	doc := md.Parser().Parse(text.NewReader(src))
	r := &renderer{src: src, opt: opt}
	blocks := r.blocks(doc, opt.Width)
	out := strings.TrimRight(strings.Join(blocks, "\n\n"), "\n ")
	if out == "" {
		return ""
	}
	return out + "\n"
}

type renderer struct {
	src []byte
	opt Options
}

func (r *renderer) style(s, code string) string {
	if !r.opt.Color || s == "" {
		return s
	}
	return code + s + reset
}

// blocks renders the block children of n, each as lines fitting width (0: no limit).
func (r *renderer) blocks(n ast.Node, width int) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := r.block(c, width); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *renderer) block(n ast.Node, width int) string {
	switch n := n.(type) {
	case *ast.Heading:
		t := r.inline(n)
		switch n.Level {
		case 1:
			return r.style(t, bold) + "\n" + strings.Repeat("=", max(displayWidth(t), 3))
		case 2:
			return r.style(t, bold) + "\n" + strings.Repeat("-", max(displayWidth(t), 3))
		}
		return r.style(strings.Repeat("#", n.Level)+" "+t, bold)
	case *ast.Paragraph, *ast.TextBlock:
		return wrap(r.inline(n), width)
	case *ast.ThematicBreak:
		w := 40
		if width > 0 {
			w = min(width, 40)
		}
		return strings.Repeat("─", w)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			line := strings.TrimRight(sanitize(string(seg.Value(r.src))), "\n")
			b.WriteString("    " + r.style(line, cyan) + "\n")
		}
		return strings.TrimRight(b.String(), "\n")
	case *ast.HTMLBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(r.src))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(r.src))
		}
		s := stripComments(b.String())
		return strings.TrimRight(sanitize(s), "\n ")
	case *ast.Blockquote:
		inner := strings.Join(r.blocks(n, sub(width, 2)), "\n\n")
		return prefixLines(inner, r.style("│ ", dim), r.style("│ ", dim))
	case *ast.List:
		return r.list(n, width)
	case *east.Table:
		return r.table(n)
	}
	if n.HasChildren() {
		return strings.Join(r.blocks(n, width), "\n\n")
	}
	return ""
}

func sub(width, n int) int {
	if width == 0 {
		return 0
	}
	return max(width-n, 20)
}

func (r *renderer) list(l *ast.List, width int) string {
	var items []string
	num := l.Start
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		marker := "• "
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		var parts []string
		for b := c.FirstChild(); b != nil; b = b.NextSibling() {
			if s := r.block(b, sub(width, displayWidth(marker))); s != "" {
				parts = append(parts, s)
			}
		}
		sep := "\n"
		if !l.IsTight {
			sep = "\n\n"
		}
		body := strings.Join(parts, sep)
		items = append(items, prefixLines(body, marker, strings.Repeat(" ", displayWidth(marker))))
	}
	if l.IsTight {
		return strings.Join(items, "\n")
	}
	return strings.Join(items, "\n\n")
}

func (r *renderer) table(t *east.Table) string {
	var rows [][]string
	var header int
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, r.inline(c))
		}
		if _, ok := row.(*east.TableHeader); ok {
			header = len(rows) + 1
		}
		rows = append(rows, cells)
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	widths := make([]int, cols)
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for ri, row := range rows {
		for i := 0; i < cols; i++ {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				b.WriteString(" │ ")
			}
			if i < len(t.Alignments) && t.Alignments[i] == east.AlignRight {
				b.WriteString(pad + c)
			} else if i < cols-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
		if ri+1 == header {
			for i := 0; i < cols; i++ {
				if i > 0 {
					b.WriteString("─┼─")
				}
				b.WriteString(strings.Repeat("─", widths[i]))
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// inline renders the inline children of n as one string (hard breaks as newlines).
func (r *renderer) inline(n ast.Node) string {
	var b strings.Builder
	r.inlines(n, &b)
	return strings.TrimSpace(b.String())
}

func (r *renderer) inlines(n ast.Node, b *strings.Builder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inlineNode(c, b)
	}
}

func (r *renderer) inlineNode(n ast.Node, b *strings.Builder) {
	switch n := n.(type) {
	case *ast.Text:
		b.WriteString(sanitize(string(n.Segment.Value(r.src))))
		switch {
		case n.HardLineBreak():
			b.WriteString("\n")
		case n.SoftLineBreak():
			b.WriteString(softBreak(b.String(), n.NextSibling(), r.src))
		}
	case *ast.String:
		b.WriteString(sanitize(string(n.Value)))
	case *ast.CodeSpan:
		var cb strings.Builder
		r.inlines(n, &cb)
		if r.opt.Color {
			b.WriteString(r.style(cb.String(), cyan))
		} else {
			b.WriteString("`" + cb.String() + "`")
		}
	case *ast.Emphasis:
		var eb strings.Builder
		r.inlines(n, &eb)
		if n.Level >= 2 {
			b.WriteString(r.style(eb.String(), bold))
		} else {
			b.WriteString(r.style(eb.String(), italic))
		}
	case *east.Strikethrough:
		var sb strings.Builder
		r.inlines(n, &sb)
		if r.opt.Color {
			b.WriteString(r.style(sb.String(), strike))
		} else {
			b.WriteString("~~" + sb.String() + "~~")
		}
	case *ast.Link:
		var lb strings.Builder
		r.inlines(n, &lb)
		label, dest := lb.String(), sanitize(string(n.Destination))
		b.WriteString(label)
		if dest != "" && dest != label {
			b.WriteString(" (" + r.style(dest, dim) + ")")
		}
	case *ast.AutoLink:
		b.WriteString(sanitize(string(n.URL(r.src))))
	case *ast.Image:
		var ib strings.Builder
		r.inlines(n, &ib)
		b.WriteString("[image: " + ib.String() + "] (" + r.style(sanitize(string(n.Destination)), dim) + ")")
	case *ast.RawHTML:
		var hb strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			hb.Write(seg.Value(r.src))
		}
		h := hb.String()
		switch {
		case strings.HasPrefix(h, "<!--"):
		case brTag.MatchString(h):
			b.WriteString("\n")
		default:
			b.WriteString(sanitize(h))
		}
	case *east.TaskCheckBox:
		if n.IsChecked {
			b.WriteString("[x] ")
		} else {
			b.WriteString("[ ] ")
		}
	default:
		r.inlines(n, b)
	}
}

var brTag = regexp.MustCompile(`(?i)^<br\s*/?>$`)

// softBreak is what a soft line break becomes: a space, or nothing between two CJK
// characters (Chinese text is written without spaces).
func softBreak(before string, next ast.Node, src []byte) string {
	last, _ := utf8.DecodeLastRuneInString(before)
	var first rune
	if t, ok := next.(*ast.Text); ok {
		first, _ = utf8.DecodeRune(t.Segment.Value(src))
	}
	if isCJK(last) && isCJK(first) {
		return ""
	}
	return " "
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

var commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)

func stripComments(s string) string { return commentRE.ReplaceAllString(s, "") }

// sanitize replaces control characters other than newline and tab, so a record cannot send
// escape sequences to the terminal.
func sanitize(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '�'
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
}

// Sanitize replaces control characters other than newline and tab by U+FFFD.
func Sanitize(s string) string { return sanitize(s) }

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// displayWidth is the width of s in terminal columns, ANSI styles excluded.
func displayWidth(s string) int {
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansiRE.ReplaceAllString(s, "")
	}
	return uniseg.StringWidth(s)
}

// DisplayWidth is the width of s in terminal columns (wide characters count two), ANSI
// styles excluded.
func DisplayWidth(s string) int { return displayWidth(s) }

func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			lines[i] = strings.TrimRight(p, " ")
		} else {
			lines[i] = p + l
		}
	}
	return strings.Join(lines, "\n")
}

// Wrap breaks each line of s at spaces (and between CJK characters) so lines fit width
// columns where possible; width 0 leaves s as it is.
func Wrap(s string, width int) string { return wrap(s, width) }

// wrap breaks each line of s at spaces (and between CJK characters) so lines fit width
// columns; width 0 leaves s as it is.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// wrapLine breaks one line greedily. Tokens are words, and single CJK characters (which may
// be broken between); a token wider than width is put on its own line.
func wrapLine(line string, width int) []string {
	type token struct {
		s     string
		space bool // preceded by a space
	}
	var toks []token
	var cur bytes.Buffer
	space := false
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, token{cur.String(), space})
			cur.Reset()
			space = false
		}
	}
	inANSI := false
	for _, r := range line {
		switch {
		case r == 0x1b:
			inANSI = true
			cur.WriteRune(r)
		case inANSI:
			cur.WriteRune(r)
			if r == 'm' {
				inANSI = false
			}
		case r == ' ':
			flush()
			space = true
		case isCJK(r):
			flush()
			cur.WriteRune(r)
			toks = append(toks, token{cur.String(), space})
			cur.Reset()
			space = false
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	var lines []string
	var b strings.Builder
	w := 0
	for _, t := range toks {
		tw := displayWidth(t.s)
		sep := 0
		if t.space && w > 0 {
			sep = 1
		}
		if w > 0 && w+sep+tw > width && !isClosingPunct(t.s) {
			lines = append(lines, b.String())
			b.Reset()
			w, sep = 0, 0
		}
		if sep == 1 {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
		w += sep + tw
	}
	if b.Len() > 0 || len(lines) == 0 {
		lines = append(lines, b.String())
	}
	return lines
}

// isClosingPunct keeps CJK closing punctuation on the line before it.
func isClosingPunct(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("，。、；：！？）」』】》", r)
}
