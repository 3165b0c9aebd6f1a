package lsp

import (
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding is the negotiated position encoding: how Position.Character counts.
type encoding string

const (
	utf8Enc  encoding = "utf-8"
	utf16Enc encoding = "utf-16"
	utf32Enc encoding = "utf-32"
)

// negotiate picks the encoding from the client's offer: utf-32 (lint's own columns), then
// utf-8, else the protocol's default UTF-16.
func negotiate(offered []string) encoding {
	for _, want := range []encoding{utf32Enc, utf8Enc} {
		for _, o := range offered {
			if encoding(o) == want {
				return want
			}
		}
	}
	return utf16Enc
}

// text is a document's content with its line index.
type text struct {
	s     string
	lines []int // byte offset of each line's start
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// line returns line i (0-based) without its line ending; "" past the end.
func (t *text) line(i int) string {
	if i < 0 || i >= len(t.lines) {
		return ""
	}
	end := len(t.s)
	if i+1 < len(t.lines) {
		end = t.lines[i+1] - 1
	}
	return strings.TrimSuffix(t.s[t.lines[i]:end], "\r")
}

// offset converts a position to a byte offset, clamped to the document and to the line.
func (t *text) offset(p Position, enc encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(t.lines) {
		return len(t.s)
	}
	start := t.lines[p.Line]
	l := t.line(p.Line)
	return start + byteIndex(l, p.Character, enc)
}

// position converts byte offset off (clamped to the document) to a position in enc.
func (t *text) position(off int, enc encoding) Position {
	off = min(max(off, 0), len(t.s))
	li := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	return Position{Line: li, Character: units(t.s[t.lines[li]:off], enc)}
}

// diffEdit is the one edit that turns t into after: the bytes between their common prefix
// and common suffix (kept on character boundaries).
func (t *text) diffEdit(after string, enc encoding) textEdit {
	a := t.s
	p := 0
	for p < len(a) && p < len(after) && a[p] == after[p] {
		p++
	}
	for p > 0 && (p < len(a) && !utf8.RuneStart(a[p]) || p < len(after) && !utf8.RuneStart(after[p])) {
		p--
	}
	q := 0
	for q < len(a)-p && q < len(after)-p && a[len(a)-1-q] == after[len(after)-1-q] {
		q++
	}
	for q > 0 && !utf8.RuneStart(a[len(a)-q]) {
		q--
	}
	return textEdit{Range: Range{Start: t.position(p, enc), End: t.position(len(a)-q, enc)}, NewText: after[p : len(after)-q]}
}

// byteIndex returns the byte index in l of character ch counted in enc, clamped to l; an
// index inside a character moves to its start.
func byteIndex(l string, ch int, enc encoding) int {
	if ch <= 0 {
		return 0
	}
	if enc == utf8Enc {
		ch = min(ch, len(l))
		for ch > 0 && ch < len(l) && !utf8.RuneStart(l[ch]) {
			ch--
		}
		return ch
	}
	n := 0
	for i, r := range l {
		w := 1
		if enc == utf16Enc && r >= 0x10000 {
			w = 2
		}
		if n+w > ch {
			return i
		}
		n += w
		if n == ch {
			return i + utf8.RuneLen(r)
		}
	}
	return len(l)
}

// units counts s in enc's code units.
func units(s string, enc encoding) int {
	switch enc {
	case utf8Enc:
		return len(s)
	case utf32Enc:
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// fromColumn converts lint's 1-based code-point column on line l to a character in enc.
func fromColumn(l string, col int, enc encoding) int {
	if col <= 1 {
		return 0
	}
	i := 0
	for n := 1; n < col && i < len(l); n++ {
		_, w := utf8.DecodeRuneInString(l[i:])
		i += w
	}
	return units(l[:i], enc)
}

// apply applies one content change to t and returns the new text.
func (t *text) apply(c contentChange, enc encoding) *text {
	if c.Range == nil {
		return newText(c.Text)
	}
	a, b := t.offset(c.Range.Start, enc), t.offset(c.Range.End, enc)
	if b < a {
		a, b = b, a
	}
	return newText(t.s[:a] + c.Text + t.s[b:])
}
