// Package citation finds the requirement ids that code and tests cite: it walks the trace:
// paths of a project through its fs.FS and matches ids there as whole words (SPEC §4).
package citation

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Matcher finds the well-formed ids of one kind (a prefix and a digit count) in text. An id
// matches as a whole word: no letter or digit, of any script, right before or right after
// it; it may be written with "_" for "-" (Test_REQ_0001_latency). The number must be well
// formed: exactly digits digits, or more without a leading zero.
type Matcher struct {
	prefix   string   // the canonical prefix, e.g. "REQ"
	patterns [][]byte // what is searched: the prefix, and its "_" form if it holds a "-"
	digits   int
}

// NewMatcher returns a matcher for ids prefix-NNNN with digits digits.
func NewMatcher(prefix string, digits int) *Matcher {
	m := &Matcher{prefix: prefix, digits: max(digits, 1), patterns: [][]byte{[]byte(prefix)}}
	if u := strings.ReplaceAll(prefix, "-", "_"); u != prefix {
		m.patterns = append(m.patterns, []byte(u))
	}
	return m
}

// Match is one id found in a text.
type Match struct {
	// ID is the id in its canonical form (with "-").
	ID string
	// Offset is the byte offset of the match; Line and Column are 1-based, the column
	// counted in Unicode code points.
	Offset       int
	Line, Column int
}

// Find calls fn for every id in data, in order of position. The same id on one line is
// reported once (at its first column).
func (m *Matcher) Find(data []byte, fn func(Match)) {
	if len(m.prefix) == 0 {
		return
	}
	type hit struct {
		off int
		num []byte
	}
	var hits []hit
	for _, p := range m.patterns {
		for i := 0; ; {
			j := bytes.Index(data[i:], p)
			if j < 0 {
				break
			}
			pos := i + j
			i = pos + 1
			if pos > 0 && isWordByteBefore(data[:pos]) {
				continue
			}
			k := pos + len(p)
			if k >= len(data) || (data[k] != '-' && data[k] != '_') {
				continue
			}
			k++
			s := k
			for k < len(data) && data[k] >= '0' && data[k] <= '9' {
				k++
			}
			if k == s || (k < len(data) && isWordByteAfter(data[k:])) {
				continue
			}
			num := data[s:k]
			if len(num) != m.digits && (len(num) < m.digits || num[0] == '0') {
				continue
			}
			hits = append(hits, hit{pos, num})
			i = k
		}
	}
	if len(m.patterns) > 1 {
		slices.SortFunc(hits, func(a, b hit) int { return a.off - b.off })
	}
	line, last, lineStart := 1, 0, 0
	var done []string // numbers already reported on the current line
	for _, h := range hits {
		if n := bytes.Count(data[last:h.off], nl); n > 0 {
			line += n
			lineStart = bytes.LastIndexByte(data[:h.off], '\n') + 1
			done = done[:0]
		}
		last = h.off
		if slices.Contains(done, string(h.num)) {
			continue
		}
		done = append(done, string(h.num))
		fn(Match{
			ID:     m.prefix + "-" + string(h.num),
			Offset: h.off,
			Line:   line,
			Column: utf8.RuneCount(data[lineStart:h.off]) + 1,
		})
	}
}

var nl = []byte{'\n'}

// isWordByteBefore reports whether the rune ending b is a letter or a digit.
func isWordByteBefore(b []byte) bool {
	c := b[len(b)-1]
	if c < utf8.RuneSelf {
		return isASCIIWord(c)
	}
	r, _ := utf8.DecodeLastRune(b)
	return isWordRune(r)
}

// isWordByteAfter reports whether the rune starting b is a letter or a digit.
func isWordByteAfter(b []byte) bool {
	c := b[0]
	if c < utf8.RuneSelf {
		return isASCIIWord(c)
	}
	r, _ := utf8.DecodeRune(b)
	return isWordRune(r)
}

func isASCIIWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
