package record

import (
	"bytes"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastFront parses front matter written in the plain YAML that records are written in —
// block mappings and sequences, one-line flow collections, plain and quoted one-line
// scalars, comments — into the node tree yaml.v3 gives for the same bytes (lines relative to
// front, comments left out), several times faster than yaml.v3. Anything else (block
// scalars, multi-line scalars, escapes, tabs, anchors, tags, empty values, numbers it cannot
// resolve exactly as yaml.v3 does, …) gives ok false, and the caller parses with yaml.v3:
// fastFront never accepts what yaml.v3 rejects, nor builds a different tree (FuzzFastFront
// checks both against yaml.v3).
func fastFront(front []byte) (root *yaml.Node, ok bool) {
	return (&fastParser{}).parse(front)
}

// parse is fastFront on p's lines and nodes: after a reset, the same parser parses the next
// file into the memory of the last one.
func (p *fastParser) parse(front []byte) (root *yaml.Node, ok bool) {
	if !p.split(front) || len(p.lines) == 0 {
		return nil, false
	}
	first := &p.lines[0]
	if isSeqItem(first.text, first.start) {
		return nil, false
	}
	root, ok = p.mapping(first.start)
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	return root, true
}

// fastLine is one line of front matter that holds something (not blank, not a comment).
type fastLine struct {
	text  []byte // the whole line, without its newline
	num   int    // 1-based, in front
	start int    // the byte offset where this line's node starts (its indentation at first)
	ascii bool
}

type fastParser struct {
	lines []fastLine
	i     int
	// chunks hold the nodes, fastChunk at a time; chunks[ci][:used] are the last ones
	// handed out.
	chunks   [][]yaml.Node
	ci, used int
}

// fastChunk is the number of nodes allocated at once; a record of the corpus has 40–80.
const fastChunk = 64

// maxPooledChunks bounds what a pooled parser keeps between files: the nodes of a bigger
// file are left to the collector.
const maxPooledChunks = 16

// reset makes p ready for another file, reusing its lines and nodes: nothing may refer to
// the tree it built last (Read drops the tree before the parser goes back to the pool).
func (p *fastParser) reset() {
	p.lines = p.lines[:0]
	p.i = 0
	for ci := 0; ci < len(p.chunks) && ci <= p.ci; ci++ {
		c := p.chunks[ci]
		if ci == p.ci {
			c = c[:p.used]
		}
		for j := range c {
			// Keep the children slice's memory; drop what it pointed at.
			clear(c[j].Content)
			c[j] = yaml.Node{Content: c[j].Content[:0]}
		}
	}
	if len(p.chunks) > maxPooledChunks {
		p.chunks = p.chunks[:maxPooledChunks:maxPooledChunks]
	}
	p.ci, p.used = 0, 0
}

// fastParsers are the parsers Read reuses: one file's nodes and lines are the next one's.
var fastParsers = sync.Pool{New: func() any { return &fastParser{} }}

// split cuts front into lines, refusing bytes yaml.v3 treats specially or rejects.
func (p *fastParser) split(front []byte) bool {
	n := 0
	for len(front) > 0 {
		n++
		line := front
		if i := bytes.IndexByte(front, '\n'); i >= 0 {
			line, front = front[:i], front[i+1:]
		} else {
			front = nil
		}
		ascii := true
		for j := 0; j < len(line); j++ {
			c := line[j]
			if c < 0x20 || c == 0x7f {
				return false // tabs, CR and control characters: yaml.v3's rules
			}
			if c >= 0x80 {
				ascii = false
				r, size := utf8.DecodeRune(line[j:])
				// Not printable in YAML, a line break (NEL, LS, PS) or a byte order mark.
				if r == utf8.RuneError || r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
					return false
				}
				j += size - 1
			}
		}
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		if indent == len(line) || line[indent] == '#' {
			continue // blank or a comment
		}
		if indent == 0 && (line[0] == '%' || bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) {
			return false
		}
		p.lines = append(p.lines, fastLine{text: line, num: n, start: indent, ascii: ascii})
	}
	return true
}

// node hands out a node from the parser's chunks (one allocation for many nodes).
func (p *fastParser) node(kind yaml.Kind, tag string, l *fastLine, at int) *yaml.Node {
	n := p.next()
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, l.num, l.column(at)
	return n
}

// next returns the next free node: of the chunks kept by reset first, then of new ones.
func (p *fastParser) next() *yaml.Node {
	if len(p.chunks) == 0 {
		p.chunks = append(p.chunks, make([]yaml.Node, fastChunk))
	} else if p.used == fastChunk {
		p.ci++
		p.used = 0
		if p.ci == len(p.chunks) {
			p.chunks = append(p.chunks, make([]yaml.Node, fastChunk))
		}
	}
	p.used++
	return &p.chunks[p.ci][p.used-1]
}

// column is the 1-based column of byte offset at, counted in characters as yaml.v3 does.
func (l *fastLine) column(at int) int {
	if l.ascii {
		return at + 1
	}
	return utf8.RuneCount(l.text[:at]) + 1
}

// isSeqItem reports whether text holds a block sequence item ("-" then a space or the end)
// at offset at.
func isSeqItem(text []byte, at int) bool {
	return at < len(text) && text[at] == '-' && (at+1 == len(text) || text[at+1] == ' ')
}

// mapping parses the block mapping whose keys start at column indent of the current line
// and of the lines that follow at that indentation.
func (p *fastParser) mapping(indent int) (*yaml.Node, bool) {
	l := &p.lines[p.i]
	m := p.node(yaml.MappingNode, "!!map", l, indent)
	for p.i < len(p.lines) {
		l = &p.lines[p.i]
		if l.start < indent {
			break
		}
		if l.start > indent || isSeqItem(l.text, l.start) {
			return nil, false
		}
		key, at, ok := p.key(l, l.start)
		if !ok {
			return nil, false
		}
		var v *yaml.Node
		if rest := skipSpaces(l.text, at); rest == len(l.text) || (rest > at && l.text[rest] == '#') {
			// The value is on the lines below: a deeper mapping or sequence, or a
			// sequence at the key's own indentation.
			p.i++
			if p.i == len(p.lines) {
				return nil, false // an empty value
			}
			next := &p.lines[p.i]
			switch {
			case next.start > indent && isSeqItem(next.text, next.start):
				v, ok = p.sequence(next.start)
			case next.start > indent:
				v, ok = p.mapping(next.start)
			case next.start == indent && isSeqItem(next.text, next.start):
				v, ok = p.sequence(indent)
			default:
				return nil, false // an empty value
			}
		} else if rest == at {
			return nil, false
		} else {
			v, ok = p.inline(l, rest)
			p.i++
		}
		if !ok {
			return nil, false
		}
		m.Content = append(m.Content, key, v)
	}
	return m, true
}

// sequence parses the block sequence whose "-" indicators are at column indent.
func (p *fastParser) sequence(indent int) (*yaml.Node, bool) {
	l := &p.lines[p.i]
	s := p.node(yaml.SequenceNode, "!!seq", l, indent)
	for p.i < len(p.lines) {
		l = &p.lines[p.i]
		if l.start < indent {
			break
		}
		if l.start > indent || !isSeqItem(l.text, l.start) {
			if l.start == indent {
				break // the next key of a mapping at the same indentation
			}
			return nil, false
		}
		at := skipSpaces(l.text, l.start+1)
		if at == len(l.text) || l.text[at] == '#' || isSeqItem(l.text, at) {
			return nil, false // an item on the next line, empty, or a nested sequence
		}
		var item *yaml.Node
		var ok bool
		if end, _, isKey := p.keyEnd(l.text, at); isKey && end > at {
			// "- key: value": a mapping whose keys are at this column.
			l.start = at
			item, ok = p.mapping(at)
		} else {
			item, ok = p.inline(l, at)
			p.i++
		}
		if !ok {
			return nil, false
		}
		s.Content = append(s.Content, item)
	}
	return s, true
}

// key reads the plain key at offset at of l and its ':'; it returns the key node and the
// offset after the colon.
func (p *fastParser) key(l *fastLine, at int) (*yaml.Node, int, bool) {
	end, colon, ok := p.keyEnd(l.text, at)
	if !ok || end <= at || end-at > 1000 { // yaml.v3 looks 1024 characters ahead for a key's ':'

		return nil, 0, false
	}
	k := p.plain(l, at, end)
	if k == nil {
		return nil, 0, false
	}
	return k, colon + 1, true
}

// keyEnd finds, on a line from offset at, the end of a plain key and the offset of its ':'
// (followed by a space or the end of the line); ok is false when the line holds no key.
func (p *fastParser) keyEnd(text []byte, at int) (end, colon int, ok bool) {
	if at >= len(text) || isIndicator(text[at]) {
		return 0, 0, false
	}
	for j := at; j < len(text); j++ {
		switch text[j] {
		case ':':
			if j+1 == len(text) || text[j+1] == ' ' {
				end = j
				for end > at && text[end-1] == ' ' {
					end--
				}
				return end, j, true
			}
		case '#':
			if text[j-1] == ' ' {
				return 0, 0, false
			}
		}
	}
	return 0, 0, false
}

// inline parses the value that starts at offset at of l and takes the rest of the line (a
// comment may follow).
func (p *fastParser) inline(l *fastLine, at int) (*yaml.Node, bool) {
	var n *yaml.Node
	var end int
	var ok bool
	switch c := l.text[at]; c {
	case '"', '\'':
		n, end, ok = p.quoted(l, at)
	case '[', '{':
		n, end, ok = p.flow(l, at)
	default:
		if isIndicator(c) {
			return nil, false
		}
		end = len(l.text)
		for j := at; j < len(l.text); j++ {
			if c := l.text[j]; c == ':' && (j+1 == len(l.text) || l.text[j+1] == ' ') {
				return nil, false // "a: b: c"
			} else if c == '#' && l.text[j-1] == ' ' {
				end = j
				break
			}
		}
		for end > at && l.text[end-1] == ' ' {
			end--
		}
		if n = p.plain(l, at, end); n == nil {
			return nil, false
		}
		return n, !p.continues()
	}
	if !ok || !restIsComment(l.text, end) {
		return nil, false
	}
	return n, !p.continues()
}

// continues reports whether the line after the current one is deeper than it: the value
// just read goes on there (a multi-line scalar), or the file is malformed.
func (p *fastParser) continues() bool {
	return p.i+1 < len(p.lines) && p.lines[p.i+1].start > p.lines[p.i].start
}

// restIsComment reports whether nothing but spaces and a comment follows offset at.
func restIsComment(text []byte, at int) bool {
	j := skipSpaces(text, at)
	return j == len(text) || (j > at && text[j] == '#')
}

func skipSpaces(text []byte, at int) int {
	for at < len(text) && text[at] == ' ' {
		at++
	}
	return at
}

// isIndicator reports whether a plain scalar cannot start with c (or this parser leaves a
// scalar starting with it to yaml.v3).
func isIndicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '<', '=', '\\':
		return true
	}
	return false
}

// plain makes the plain scalar text[at:end], with yaml.v3's tag; nil when this parser cannot
// resolve it exactly.
func (p *fastParser) plain(l *fastLine, at, end int) *yaml.Node {
	v := string(l.text[at:end])
	tag, ok := plainTag(v)
	if !ok {
		return nil
	}
	n := p.node(yaml.ScalarNode, tag, l, at)
	n.Value = v
	return n
}

// quoted reads the one-line quoted scalar at offset at (without escapes in double quotes);
// end is the offset after its closing quote.
func (p *fastParser) quoted(l *fastLine, at int) (n *yaml.Node, end int, ok bool) {
	q := l.text[at]
	text := l.text
	var v []byte
	j := at + 1
	for ; ; j++ {
		if j == len(text) {
			return nil, 0, false // goes on on the next line
		}
		c := text[j]
		if q == '"' && c == '\\' {
			return nil, 0, false
		}
		if c == q {
			if q == '\'' && j+1 < len(text) && text[j+1] == '\'' {
				if v == nil {
					v = append([]byte(nil), text[at+1:j+1]...)
				} else {
					v = append(v, '\'')
				}
				j++
				continue
			}
			break
		}
		if v != nil {
			v = append(v, c)
		}
	}
	n = p.node(yaml.ScalarNode, "!!str", l, at)
	if v != nil {
		n.Value = string(v)
	} else {
		n.Value = string(text[at+1 : j])
	}
	n.Style = yaml.DoubleQuotedStyle
	if q == '\'' {
		n.Style = yaml.SingleQuotedStyle
	}
	return n, j + 1, true
}

// flow reads the one-line flow sequence or mapping at offset at; end is the offset after
// its closing bracket.
func (p *fastParser) flow(l *fastLine, at int) (n *yaml.Node, end int, ok bool) {
	text := l.text
	seq := text[at] == '['
	closer := byte('}')
	if seq {
		n = p.node(yaml.SequenceNode, "!!seq", l, at)
		closer = ']'
	} else {
		n = p.node(yaml.MappingNode, "!!map", l, at)
	}
	n.Style = yaml.FlowStyle
	j := skipSpaces(text, at+1)
	if j < len(text) && text[j] == closer {
		return n, j + 1, true
	}
	for {
		if !seq {
			// A plain key and ": ".
			k := j
			for k < len(text) && text[k] != ':' && text[k] != ',' && text[k] != closer && text[k] != '#' && text[k] != '[' && text[k] != ']' && text[k] != '{' && text[k] != '}' {
				k++
			}
			if k+1 >= len(text) || text[k] != ':' || text[k+1] != ' ' || k == j || isIndicator(text[j]) || bytes.IndexByte(text[j:k], '?') >= 0 {
				return nil, 0, false
			}
			e := k
			for e > j && text[e-1] == ' ' {
				e--
			}
			key := p.plain(l, j, e)
			if key == nil {
				return nil, 0, false
			}
			n.Content = append(n.Content, key)
			j = skipSpaces(text, k+1)
		}
		if j >= len(text) {
			return nil, 0, false
		}
		var item *yaml.Node
		switch c := text[j]; {
		case c == '"' || c == '\'':
			item, j, ok = p.quoted(l, j)
		case c == '[' || c == '{':
			item, j, ok = p.flow(l, j)
		case isIndicator(c):
			return nil, 0, false
		default:
			k := j
			for k < len(text) && text[k] != ',' && text[k] != ']' && text[k] != '}' {
				if text[k] == ':' || text[k] == '#' || text[k] == '[' || text[k] == '{' || text[k] == '?' {
					// libyaml ends a flow plain scalar at '?'; the others start something else
					return nil, 0, false
				}
				k++
			}
			e := k
			for e > j && text[e-1] == ' ' {
				e--
			}
			if item = p.plain(l, j, e); item == nil {
				return nil, 0, false
			}
			j, ok = k, true
		}
		if !ok {
			return nil, 0, false
		}
		n.Content = append(n.Content, item)
		j = skipSpaces(text, j)
		if j >= len(text) {
			return nil, 0, false
		}
		switch text[j] {
		case closer:
			return n, j + 1, true
		case ',':
			j = skipSpaces(text, j+1)
			if j >= len(text) || text[j] == closer || text[j] == ',' {
				return nil, 0, false // a trailing or doubled comma
			}
		default:
			return nil, 0, false
		}
	}
}

// plainTag resolves a plain scalar as yaml.v3 does, for the forms whose resolution this
// parser knows exactly; ok is false for the others (numbers in other notations, …).
func plainTag(v string) (tag string, ok bool) {
	if v == "" {
		return "", false
	}
	switch c := v[0]; {
	case c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 't' || c == 'T' || c == 'f' || c == 'F' || c == 'o' || c == 'O' || c == '~':
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "~", "null", "Null", "NULL":
			return "!!null", true
		}
		return "!!str", true
	case c >= '0' && c <= '9':
		digits := 0
		for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
			digits++
		}
		switch {
		case digits == len(v):
			if (c == '0' && len(v) > 1) || len(v) > 18 {
				return "", false // octal, or past int64
			}
			return "!!int", true
		case digits == 4 && isDate(v):
			if _, err := time.Parse("2006-1-2", v); err == nil {
				return "!!timestamp", true
			}
			return "!!str", true
		case v[digits] == '.' && digits < 16 && len(v) < 32 && allDigits(v[digits+1:]):
			return "!!float", true
		}
		// yaml.v3 tries a timestamp, an integer (with '_'; in another base only after a
		// leading 0) and a float; each is written with these characters only, so a scalar
		// with another one is a string (a fingerprint like 8f27810, "95th percentile").
		chars := "_.eE+-:tTzZ "
		if c == '0' {
			chars += "xXoObBabcdfABCDF"
		}
		for i := 0; i < len(v); i++ {
			if c := v[i]; !(c >= '0' && c <= '9') && strings.IndexByte(chars, c) < 0 {
				return "!!str", true
			}
		}
		return "", false
	case c == '.' || c == '+' || c == '-' || c == '<':
		return "", false
	}
	return "!!str", true
}

// isDate reports whether v is digits-digits-digits with 1–2 digits after each dash (the
// form yaml.v3 tries as a date).
func isDate(v string) bool {
	if len(v) < 8 || len(v) > 10 || v[4] != '-' {
		return false
	}
	m, d, ok := cutByte(v[5:], '-')
	return ok && len(m) >= 1 && len(m) <= 2 && len(d) >= 1 && len(d) <= 2 && allDigits(m) && allDigits(d)
}

func cutByte(s string, c byte) (before, after string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
