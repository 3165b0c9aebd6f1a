package gate

import (
	"strings"
	"testing"
)

func TestWordDiff(t *testing.T) {
	cases := []struct{ old, new, want string }{
		{"the agent must respond", "the agent shall respond", "the agent [-must-]{+shall+} respond"},
		{"a b c", "a b c", "a b c"},
		{"", "new text", "{+new text+}"},
		{"old text", "", "[-old text-]"},
		{"one two three four", "one three four five", "one [-two -]three four{+ five+}"},
		{"客服响应时间", "客服回复时间", "客服[-响应-]{+回复+}时间"},
		{"x, y.", "x; y.", "x[-,-]{+;+} y."},
	}
	for _, c := range cases {
		if got := wordDiffText(WordDiff(c.old, c.new)); got != c.want {
			t.Errorf("WordDiff(%q, %q) = %q, want %q", c.old, c.new, got, c.want)
		}
	}
}

func TestWordDiffLarge(t *testing.T) {
	a := strings.Repeat("alpha beta ", 5000)
	b := strings.Repeat("gamma delta ", 5000)
	segs := WordDiff(a, b)
	var olds, news string
	for _, s := range segs {
		if s.Op != Insert {
			olds += s.Text
		}
		if s.Op != Delete {
			news += s.Text
		}
	}
	if olds != a || news != b {
		t.Error("large diff does not reconstruct both texts")
	}
}

func FuzzWordDiff(f *testing.F) {
	f.Add("the agent must respond", "the agent shall respond")
	f.Add("客服响应", "客服回复")
	f.Fuzz(func(t *testing.T, a, b string) {
		var olds, news strings.Builder
		for _, s := range WordDiff(a, b) {
			if s.Op != Insert {
				olds.WriteString(s.Text)
			}
			if s.Op != Delete {
				news.WriteString(s.Text)
			}
		}
		if olds.String() != a || news.String() != b {
			t.Errorf("WordDiff(%q, %q) does not reconstruct its inputs", a, b)
		}
	})
}
