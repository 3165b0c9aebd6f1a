package pos

import (
	"testing"
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
