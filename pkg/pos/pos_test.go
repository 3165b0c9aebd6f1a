package pos

import (
	"testing"
	"unicode/utf8"
)

func TestLines(t *testing.T) {
	text := []byte("ab\r\n你好x\n\nlast")
	l := NewLines(text)
	if l.Count() != 4 {
		t.Fatalf("Count = %d", l.Count())
	}
	for _, c := range []struct {
		line, col, off int
	}{
		{1, 1, 0}, {1, 3, 2}, {2, 1, 4}, {2, 2, 7}, {2, 3, 10}, {2, 4, 11}, {3, 1, 12}, {4, 5, 17},
	} {
		if got := l.Offset(c.line, c.col); got != c.off {
			t.Errorf("Offset(%d, %d) = %d, want %d", c.line, c.col, got, c.off)
		}
		if p := l.At("f", c.off); p.Line != c.line || p.Column != c.col || p.Offset != c.off || p.File != "f" {
			t.Errorf("At(%d) = %+v, want %d:%d", c.off, p, c.line, c.col)
		}
	}
	// Past the end of a line or of the text: clamped.
	if got := l.Offset(1, 99); got != 3 {
		t.Errorf("Offset past line end = %d", got)
	}
	if got := l.Offset(9, 1); got != len(text) {
		t.Errorf("Offset past text end = %d", got)
	}
	if got := string(l.Line(1)); got != "ab" {
		t.Errorf("Line(1) = %q", got)
	}
	if got := l.Line(5); got != nil {
		t.Errorf("Line(5) = %q", got)
	}
}

func TestRange(t *testing.T) {
	r := FileStart("a.md")
	if !r.HasEnd() || r.Start != r.End || r.String() != "a.md:1:1-1:1" {
		t.Errorf("FileStart = %v", r)
	}
	p := Position{File: "a.md", Line: 3, Column: 4}
	if s := p.Span(); s.HasEnd() || s.Start != p || s.String() != "a.md:3:4" {
		t.Errorf("Span = %v", s)
	}
	if (Position{}).Known() || !p.Known() {
		t.Error("Known")
	}
	if Compare(p, Position{File: "a.md", Line: 3, Column: 5}) >= 0 || Compare(p, Position{File: "b.md"}) >= 0 {
		t.Error("Compare")
	}
	if s := (Position{Line: 2, Column: 1}).String(); s != "2:1" {
		t.Errorf("String without file = %q", s)
	}
}

// FuzzLines checks that At and Offset agree on any text: every offset at a character
// boundary maps to a line and column that map back to it.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "a\nb", "ab\r\n你好x\n\nlast", "\n\n", "\xff\xfe\n\x80"} {
		f.Add([]byte(s), 3)
	}
	f.Fuzz(func(t *testing.T, text []byte, off int) {
		l := NewLines(text)
		if off < 0 {
			off = -off
		}
		if len(text) > 0 {
			off %= len(text) + 1
		} else {
			off = 0
		}
		p := l.At("f", off)
		if p.Line < 1 || p.Line > l.Count() || p.Column < 1 || p.Offset != off {
			t.Fatalf("At(%d) = %+v", off, p)
		}
		if back := l.Offset(p.Line, p.Column); back > len(text) || back < l.Offset(p.Line, 1) {
			t.Fatalf("Offset(%d, %d) = %d outside its line", p.Line, p.Column, back)
		}
		if utf8.Valid(text) && utf8.RuneStart(at(text, off)) {
			if back := l.Offset(p.Line, p.Column); back != off {
				t.Fatalf("Offset(At(%d)) = %d", off, back)
			}
		}
	})
}

func at(b []byte, i int) byte {
	if i >= len(b) {
		return 0
	}
	return b[i]
}
