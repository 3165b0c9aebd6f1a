package site

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// fastHTML renders the bodies most records have — ATX headings, paragraphs of plain text,
// tight lists of one level and simple tables, separated by blank lines — without goldmark,
// into exactly the HTML goldmark writes for them (record ids mentioned in the text linked,
// headings with their anchors). Anything else, or anything it is not sure of (emphasis,
// links, code, HTML, entities, escapes, URLs, indentation, a block that follows another
// without a blank line…), gives ok false and goldmark renders the body: FuzzFastHTML checks
// that what fastHTML accepts is byte for byte goldmark's output.
func (m *markdown) fastHTML(dst []byte, body, self string) (out []byte, ok bool) {
	if !fastSafeBody(body) {
		return dst, false
	}
	f := fastMD{m: m, self: self, out: dst, ids: headingIDs{seen: map[string]bool{}}}
	if !f.render(body) {
		return dst, false
	}
	return f.out, true
}

// fastSafeBody reports whether body holds only valid UTF-8 without control characters
// (tabs and carriage returns included) and none of the bytes that start Markdown syntax the
// fast renderer leaves to goldmark.
func fastSafeBody(body string) bool {
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\n':
		case c < 0x20 || c == 0x7f:
			return false
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(body[i:])
			if r == utf8.RuneError || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
				return false
			}
			i += size - 1
		default:
			switch c {
			case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '@', '$', '{', '}':
				return false
			case ':':
				if strings.HasPrefix(body[i:], "://") {
					return false
				}
			case 'w', 'W':
				if len(body)-i >= 4 && strings.EqualFold(body[i:i+4], "www.") {
					return false
				}
			}
		}
	}
	return true
}

type fastMD struct {
	m    *markdown
	self string
	out  []byte
	ids  headingIDs
	cols int // of the table being written
}

// The kinds of block a line may start or continue.
const (
	fastNone = iota
	fastPara
	fastList
)

func (f *fastMD) render(body string) bool {
	lines := strings.Split(body, "\n")
	block := fastNone // the open block
	var para []string
	blank := true // the line before was blank, a heading, or the start
	// afterList is set when blank lines closed a list: another item after them would
	// continue it as a loose list.
	afterList := false
	closePara := func() {
		if len(para) == 0 {
			return
		}
		f.s("<p>")
		for i, l := range para {
			if i > 0 {
				f.s("\n")
			}
			f.inline(l)
		}
		f.s("</p>\n")
		para = para[:0]
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimLeft(l, " ") == "" {
			closePara()
			if block == fastList {
				f.s("</ul>\n")
				afterList = true
			}
			block, blank = fastNone, true
			continue
		}
		if l[0] == ' ' {
			return false // indentation: code, continuation, lazy lines
		}
		switch {
		case l[0] == '#':
			level := 0
			for level < len(l) && l[level] == '#' {
				level++
			}
			if level > 6 || level == len(l) || l[level] != ' ' {
				return false
			}
			text := strings.Trim(l[level:], " ")
			if text == "" || strings.HasSuffix(text, "#") || strings.Contains(text, "|") {
				return false
			}
			closePara()
			if block == fastList {
				f.s("</ul>\n")
			}
			block, blank, afterList = fastNone, true, false
			f.heading(level, text)
		case l[0] == '|':
			if !blank || i+1 >= len(lines) {
				return false
			}
			afterList = false
			cols, ok := fastCells(l)
			if !ok {
				return false
			}
			delims, ok := fastCells(lines[i+1])
			if !ok || len(delims) != len(cols) {
				return false
			}
			for _, d := range delims {
				if d == "" || strings.Trim(d, "-") != "" {
					return false
				}
			}
			f.cols = len(cols)
			f.s("<table>\n<thead>\n")
			if !f.tableRow(l, "th") {
				return false
			}
			f.s("</thead>\n")
			i++
			blank = false
			// The rows follow up to a blank line or the end; the table is closed there (a
			// table without rows has no body).
			rows := false
			for i+1 < len(lines) && strings.TrimLeft(lines[i+1], " ") != "" {
				i++
				if !rows {
					f.s("<tbody>\n")
					rows = true
				}
				if lines[i][0] != '|' || !f.tableRow(lines[i], "td") {
					return false
				}
			}
			if rows {
				f.s("</tbody>\n")
			}
			f.s("</table>\n")
		case l[0] == '-':
			if len(l) < 3 || l[1] != ' ' || l[2] == ' ' || !fastParaStart(l[2:]) {
				return false
			}
			if block != fastList {
				if !blank || afterList {
					return false
				}
				f.s("<ul>\n")
				block = fastList
			}
			f.s("<li>")
			f.inline(strings.TrimRight(l[2:], " "))
			f.s("</li>\n")
			blank = false
		default:
			if !fastParaStart(l) {
				return false
			}
			if block != fastPara {
				if block != fastNone || !blank {
					return false
				}
				block, afterList = fastPara, false
			}
			trimmed := strings.TrimRight(l, " ")
			if len(l)-len(trimmed) >= 2 && i+1 < len(lines) && strings.TrimLeft(lines[i+1], " ") != "" {
				return false // a hard line break
			}
			para = append(para, trimmed)
			blank = false
		}
	}
	closePara()
	if block == fastList {
		f.s("</ul>\n")
	}
	return true
}

// fastParaStart reports whether a line may start or continue a paragraph: it starts no
// other block (list markers, thematic breaks, setext underlines, quotes, fences, HTML, a
// table's delimiter row) and is no ordered-list item.
func fastParaStart(l string) bool {
	switch l[0] {
	case '-', '+', '*', '=', '>', '#', '|', '~', '`', '<', '_':
		return false
	}
	n := 0
	for n < len(l) && n < 10 && l[n] >= '0' && l[n] <= '9' {
		n++
	}
	if n > 0 && n < len(l) && (l[n] == '.' || l[n] == ')') {
		return false
	}
	// A table's delimiter row needs no pipes (":-" under a line makes a table of it).
	if strings.Trim(l, "-: ") == "" {
		return false
	}
	return !strings.Contains(l, "|")
}

// fastCells splits a table row that starts and ends with '|' into its trimmed cells.
func fastCells(l string) ([]string, bool) {
	l = strings.TrimRight(l, " ")
	if len(l) < 2 || l[0] != '|' || l[len(l)-1] != '|' {
		return nil, false
	}
	cells := strings.Split(l[1:len(l)-1], "|")
	for i, c := range cells {
		cells[i] = strings.Trim(c, " ")
	}
	return cells, true
}

// tableRow writes one row of the table whose column count is f.cols; every cell holds
// something (an empty one is left to goldmark).
func (f *fastMD) tableRow(l, tag string) bool {
	cells, ok := fastCells(l)
	if !ok || len(cells) != f.cols {
		return false
	}
	f.s("<tr>\n")
	for _, c := range cells {
		if c == "" {
			return false
		}
		f.s("<")
		f.s(tag)
		f.s(">")
		f.inline(c)
		f.s("</")
		f.s(tag)
		f.s(">\n")
	}
	f.s("</tr>\n")
	return true
}

func (f *fastMD) heading(level int, text string) {
	id := f.ids.Generate([]byte(text), 0)
	lv := string(rune('0' + level))
	f.s("<h" + lv + ` id="`)
	f.out = append(f.out, util.EscapeHTML(id)...)
	f.s(`">`)
	f.inline(text)
	f.s(`<a href="`)
	f.out = append(f.out, util.EscapeHTML(util.URLEscape(append([]byte("#"), id...), true))...)
	f.s(`" class="anchor">#</a></h` + lv + ">\n")
}

// inline writes a line of plain text (fastSafeBody's bytes only), linking the ids of
// records it mentions as goldmark's pass does (linkRewriter).
func (f *fastMD) inline(text string) {
	t := []byte(text)
	pos := 0
	for _, mt := range f.m.rw.mentions(t, f.self) {
		f.text(text[pos:mt.start])
		id := text[mt.start:mt.end]
		f.s(`<a href="`)
		f.out = append(f.out, util.EscapeHTML(util.URLEscape([]byte(f.m.rw.s.recordHref("", id)), true))...)
		f.s(`"`)
		if rec := f.m.rw.s.r.ByID[id]; rec != nil && rec.Title != "" {
			f.s(` title="`)
			f.out = append(f.out, util.EscapeHTML([]byte(rec.Title))...)
			f.s(`"`)
		}
		f.s(">")
		f.text(id)
		f.s("</a>")
		pos = mt.end
	}
	f.text(text[pos:])
}

// text writes plain text: of the characters HTML escapes, only '"' can be in it.
func (f *fastMD) text(s string) {
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			f.s(s)
			return
		}
		f.s(s[:i])
		f.s("&quot;")
		s = s[i+1:]
	}
}

func (f *fastMD) s(s string) { f.out = append(f.out, s...) }
