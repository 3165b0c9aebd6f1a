// Package pos holds positions in source files — a Position (file, line, column, byte offset)
// and a Range from a start to an end — shared by diagnostics, record references, citations
// and every report that points into a file.
package pos

import (
	"cmp"
	"fmt"
	"unicode/utf8"
)

// Position is a place in a file. File is a slash path relative to the project root ("" when
// the file is implied by context); Line and Column are 1-based, columns counted in Unicode
// code points; Offset is the 0-based byte offset from the start of the file. The zero
// Position is unknown.
type Position struct {
	File   string
	Line   int
	Column int
	Offset int
}

// Known reports whether p has a line.
func (p Position) Known() bool { return p.Line > 0 }

// String formats p as file:line:col (file omitted when empty).
func (p Position) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Compare orders positions by file, line and column.
func Compare(a, b Position) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// Span returns p as a range without a known end.
func (p Position) Span() Range { return Range{Start: p} }

// Range is a span of one file from Start to End. End is exclusive (the position just after
// the last character, as SARIF and LSP count it); its zero value means the end is not known.
// A whole-file problem is the empty range at 1:1.
type Range struct {
	Start Position
	End   Position
}

// Span returns r itself, so that a Range and a Position both satisfy Spanner.
func (r Range) Span() Range { return r }

// HasEnd reports whether r's end is known.
func (r Range) HasEnd() bool { return r.End.Line > 0 }

// String formats r as file:line:col or file:line:col-line:col.
func (r Range) String() string {
	if !r.HasEnd() {
		return r.Start.String()
	}
	return fmt.Sprintf("%s-%d:%d", r.Start, r.End.Line, r.End.Column)
}

// Spanner is a Position or a Range: anything a diagnostic can be placed at.
type Spanner interface{ Span() Range }

// FileStart is the empty range at line 1, column 1 of file: where whole-file problems go.
func FileStart(file string) Range {
	p := Position{File: file, Line: 1, Column: 1}
	return Range{Start: p, End: p}
}

// Lines maps between byte offsets and line/column positions of one text.
type Lines struct {
	text  []byte
	start []int // byte offset of each line's first byte
}

// NewLines indexes text's line starts.
func NewLines(text []byte) *Lines {
	l := &Lines{text: text, start: []int{0}}
	for i, c := range text {
		if c == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	return l
}

// Text returns the indexed text.
func (l *Lines) Text() []byte { return l.text }

// Count returns the number of lines.
func (l *Lines) Count() int { return len(l.start) }

// Line returns the text of 1-based line n without its line end ("" when out of range).
func (l *Lines) Line(n int) []byte {
	if n < 1 || n > len(l.start) {
		return nil
	}
	end := len(l.text)
	if n < len(l.start) {
		end = l.start[n] - 1
	}
	b := l.text[l.start[n-1]:end]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

// Offset returns the byte offset of line and column (1-based, code points); a column past
// the end of its line is clamped to the line end, a line past the end to the text's end.
func (l *Lines) Offset(line, column int) int {
	if line < 1 {
		return 0
	}
	if line > len(l.start) {
		return len(l.text)
	}
	off := l.start[line-1]
	end := len(l.text)
	if line < len(l.start) {
		end = l.start[line] - 1
	}
	for c := 1; c < column && off < end; c++ {
		_, size := utf8.DecodeRune(l.text[off:end])
		off += size
	}
	return off
}

// Position returns the position of line and column in file, with its byte offset.
func (l *Lines) Position(file string, line, column int) Position {
	return Position{File: file, Line: line, Column: column, Offset: l.Offset(line, column)}
}

// At returns the position of byte offset off in file (clamped to the text).
func (l *Lines) At(file string, off int) Position {
	off = max(0, min(off, len(l.text)))
	lo, hi := 0, len(l.start)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.start[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col := 1 + utf8.RuneCount(l.text[l.start[lo]:off])
	return Position{File: file, Line: lo + 1, Column: col, Offset: off}
}
