package gate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is the kind of a diff segment.
type Op string

// Segment operations.
const (
	Equal  Op = "="
	Insert Op = "+"
	Delete Op = "-"
)

// Segment is a run of text that is kept, inserted or deleted.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// maxDiffTokens bounds the word diff: beyond it, the changed middle is shown as one deletion
// and one insertion.
const maxDiffTokens = 200000

// WordDiff returns a word-level diff from old to new: words, runs of white space and single
// punctuation marks are the units, and each Han, Hiragana, Katakana or Hangul character is a
// word of its own (those scripts do not separate words with spaces).
func WordDiff(old, new string) []Segment {
	a, b := tokens(old), tokens(new)
	// Trim the common prefix and suffix.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var segs []Segment
	add := func(op Op, toks []string) {
		if len(toks) == 0 {
			return
		}
		text := strings.Join(toks, "")
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += text
			return
		}
		segs = append(segs, Segment{op, text})
	}
	add(Equal, a[:pre])
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)+len(mb) > maxDiffTokens {
		add(Delete, ma)
		add(Insert, mb)
	} else {
		edits, ok := myers(ma, mb)
		if !ok {
			add(Delete, ma)
			add(Insert, mb)
		}
		for _, e := range edits {
			add(e.op, e.toks)
		}
	}
	add(Equal, a[len(a)-suf:])
	return segs
}

type edit struct {
	op   Op
	toks []string
}

// maxEdits bounds the edit distance myers searches (its memory grows with its square).
const maxEdits = 1000

// myers computes a shortest edit script from a to b (Myers' O(ND) algorithm); ok is false
// when the texts differ by more than maxEdits tokens.
func myers(a, b []string) (edits []edit, ok bool) {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil, true
	}
	maxD := min(n+m, maxEdits)
	off := maxD
	v := make([]int, 2*maxD+2)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, v, a, b, d, off), true
			}
		}
	}
	return nil, false
}

func backtrack(trace [][]int, last []int, a, b []string, d, off int) []edit {
	var rev []edit
	x, y := len(a), len(b)
	trace = append(trace[1:], last)
	for ; d > 0; d-- {
		v := trace[d-1]
		k := x - y
		var pk int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[off+pk]
		py := px - pk
		for x > px && y > py {
			rev = append(rev, edit{Equal, a[x-1 : x]})
			x--
			y--
		}
		if x == px {
			rev = append(rev, edit{Insert, b[y-1 : y]})
			y--
		} else {
			rev = append(rev, edit{Delete, a[x-1 : x]})
			x--
		}
	}
	for x > 0 && y > 0 {
		rev = append(rev, edit{Equal, a[x-1 : x]})
		x--
		y--
	}
	out := make([]edit, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

func isWordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r)
}

func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, s2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += s2
			}
		case isWordRune(r):
			for j < len(s) {
				r2, s2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += s2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}
