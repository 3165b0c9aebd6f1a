// Package citation finds the requirement ids that code and tests cite: it walks the trace:
// paths of a project through its fs.FS and matches ids there as whole words (SPEC §4).
package citation

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// Matcher finds the well-formed ids of one kind (a prefix and a digit count) in text. An id
// matches as a whole word: no ASCII letter or digit right before or right after it (other
// scripts do not stop it: 实现REQ-0001。 cites); it may be written with "_" for "-" (Test_REQ_0001_latency). The number must be well
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

// Range returns where the match is in file: from its first character to just after the id.
func (x Match) Range(file string) pos.Range {
	n := len(x.ID)
	return pos.Range{
		Start: pos.Position{File: file, Line: x.Line, Column: x.Column, Offset: x.Offset},
		End:   pos.Position{File: file, Line: x.Line, Column: x.Column + utf8.RuneCountInString(x.ID), Offset: x.Offset + n},
	}
}

// Find calls fn for every id in data, in order of position. The same id on one line is
// reported once (at its first column).
func (m *Matcher) Find(data []byte, fn func(Match)) { m.find(data, nil, fn) }

// find is Find with ids interned in ids when it is not nil (so that a scan does not allocate
// a string per citation).
func (m *Matcher) find(data []byte, ids map[string]string, fn func(Match)) {
	if len(m.prefix) == 0 {
		return
	}
	if len(m.patterns) == 1 {
		m.findPattern(data, m.patterns[0], ids, fn)
		return
	}
	// A prefix with a hyphen is searched in both spellings, then reported in order.
	var all []Match
	for _, p := range m.patterns {
		m.findPattern(data, p, ids, func(x Match) { all = append(all, x) })
	}
	slices.SortFunc(all, func(a, b Match) int { return a.Offset - b.Offset })
	var onLine lineSet
	for i, x := range all {
		if i == 0 || all[i-1].Line != x.Line {
			onLine.reset()
		}
		if onLine.add([]byte(x.ID)) {
			fn(x)
		}
	}
}

// findPattern reports the ids written with p as their prefix.
func (m *Matcher) findPattern(data, p []byte, ids map[string]string, fn func(Match)) {
	line, last := 1, 0
	colOff, col := 0, 1 // the column of offset colOff, on the current line
	var done lineSet    // numbers already reported on the current line
	for i := 0; ; {
		j := bytes.Index(data[i:], p)
		if j < 0 {
			return
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
		i = k
		if n := bytes.Count(data[last:pos], nl); n > 0 {
			line += n
			colOff, col = bytes.LastIndexByte(data[:pos], '\n')+1, 1
			done.reset()
		}
		last = pos
		col += utf8.RuneCount(data[colOff:pos])
		colOff = pos
		if !done.add(num) {
			continue
		}
		id, ok := ids[string(num)]
		if !ok {
			id = m.prefix + "-" + string(num)
			if ids != nil {
				ids[string(num)] = id
			}
		}
		fn(Match{
			ID:     id,
			Offset: pos,
			Line:   line,
			Column: col,
		})
	}
}

// lineSet holds the ids seen on one line: a short list, or a map once a line holds many
// (a minified file can hold thousands on one line).
type lineSet struct {
	few  [][]byte
	many map[string]bool
}

func (s *lineSet) reset() {
	s.few = s.few[:0]
	s.many = nil
}

// add adds b and reports whether it was new. b must stay unchanged while in the set.
func (s *lineSet) add(b []byte) bool {
	if s.many != nil {
		if s.many[string(b)] {
			return false
		}
		s.many[string(b)] = true
		return true
	}
	if slices.ContainsFunc(s.few, func(d []byte) bool { return bytes.Equal(d, b) }) {
		return false
	}
	s.few = append(s.few, b)
	if len(s.few) > 16 {
		s.many = make(map[string]bool, 64)
		for _, d := range s.few {
			s.many[string(d)] = true
		}
	}
	return true
}

var nl = []byte{'\n'}

// isWordByteBefore reports whether b ends with an ASCII letter or digit. Only ASCII stops an
// id from citing (SPEC §4): Chinese, Japanese and Korean text puts no spaces around ids, so
// 实现REQ-0001。 cites REQ-0001. The bytes of a multi-byte rune are never ASCII.
func isWordByteBefore(b []byte) bool { return isASCIIWord(b[len(b)-1]) }

// isWordByteAfter reports whether b starts with an ASCII letter or digit.
func isWordByteAfter(b []byte) bool { return isASCIIWord(b[0]) }

func isASCIIWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
