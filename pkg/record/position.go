package record

import (
	"bytes"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// Lines returns the line index of the record's text (Raw without a byte-order mark).
func (r *Record) Lines() *pos.Lines {
	if l := r.lines.Load(); l != nil {
		return l
	}
	l := pos.NewLines(bytes.TrimPrefix(r.Raw, bom))
	r.lines.Store(l)
	return l
}

// bomLen is the length of the byte-order mark Raw starts with (0 or 3).
func (r *Record) bomLen() int {
	if bytes.HasPrefix(r.Raw, bom) {
		return len(bom)
	}
	return 0
}

// Position returns line and column of the record's file with its byte offset.
func (r *Record) Position(line, column int) pos.Position {
	p := r.Lines().Position(r.File, line, column)
	p.Offset += r.bomLen()
	return p
}

// NodeRange returns the range of a node of the record's front matter: its start, and its end
// where it can be told from the text (a plain scalar on one or more lines, a quoted scalar,
// a literal or folded block scalar through its last non-blank line, a flow collection, a
// block collection through its last value).
func (r *Record) NodeRange(n *yaml.Node) pos.Range {
	if n == nil || n.Line < 1 {
		return pos.FileStart(r.File)
	}
	l := r.Lines()
	rg := pos.Range{Start: r.Position(n.Line, n.Column)}
	if end := nodeEnd(l, n); end >= 0 {
		rg.End = l.At(r.File, end)
		rg.End.Offset += r.bomLen()
	}
	return rg
}

// nodeEnd returns the byte offset just after n in the text l indexes, or -1 when unknown.
func nodeEnd(l *pos.Lines, n *yaml.Node) int {
	start := l.Offset(n.Line, n.Column)
	src := l.Text()
	if start >= len(src) {
		return -1
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return scalarEnd(src, start, n)
	case yaml.MappingNode, yaml.SequenceNode:
		if n.Style&yaml.FlowStyle != 0 {
			return flowEnd(src, start)
		}
		if len(n.Content) == 0 {
			return -1
		}
		return nodeEnd(l, n.Content[len(n.Content)-1])
	}
	return -1
}

func scalarEnd(src []byte, start int, n *yaml.Node) int {
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if src[start] != '"' {
			return -1
		}
		for i := start + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		if src[start] != '\'' {
			return -1
		}
		for i := start + 1; i < len(src); i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return blockEnd(src, start)
	default:
		// A plain scalar on one line is its value as written.
		if n.Value != "" && bytes.HasPrefix(src[start:], []byte(n.Value)) && !bytes.ContainsAny([]byte(n.Value), "\r\n") {
			return start + len(n.Value)
		}
		if n.Value != "" {
			return plainEnd(src, start, n.Value)
		}
	}
	return -1
}

// lineAt returns the start and end (before "\r\n" or "\n") of the line holding offset i.
func lineAt(src []byte, i int) (start, end int) {
	start = bytes.LastIndexByte(src[:i], '\n') + 1
	end = len(src)
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		end = i + j
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	return start, end
}

// nextLine returns the offset of the line after the one ending at end (len(src) at the end).
func nextLine(src []byte, end int) int {
	if j := bytes.IndexByte(src[end:], '\n'); j >= 0 {
		return end + j + 1
	}
	return len(src)
}

// indentOf is the number of leading spaces of a line, and whether the line is blank.
func indentOf(line []byte) (int, bool) {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n, len(bytes.TrimSpace(line)) == 0
}

// parentIndent is the indentation a node starting at col of line is nested under: the
// column of its key ("key: |", "- key: |") or of the dash of the list item it is ("- |").
func parentIndent(line []byte, col int) int {
	i, _ := indentOf(line)
	indent := i
	for i+1 < len(line) && line[i] == '-' && (line[i+1] == ' ' || line[i+1] == '\t') {
		dash := i
		for i++; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
		}
		if i >= col {
			return dash
		}
		indent = i
	}
	return indent
}

// blockEnd returns the offset after the last non-blank content line of the literal (|) or
// folded (>) block scalar whose header starts at start, or after its header when it has no
// content; -1 when the header is not there.
func blockEnd(src []byte, start int) int {
	if src[start] != '|' && src[start] != '>' {
		return -1
	}
	ls, le := lineAt(src, start)
	line := src[ls:le]
	parent := parentIndent(line, start-ls)
	// The header: the indicator, then chomping (+ -) and indentation (1-9) in either order.
	end, explicit := start+1, 0
	for end < le && (src[end] == '+' || src[end] == '-' || src[end] >= '1' && src[end] <= '9') {
		if src[end] != '+' && src[end] != '-' {
			explicit = int(src[end] - '0')
		}
		end++
	}
	content := -1 // the content's indentation
	if explicit > 0 {
		content = parent + explicit
	}
	for i := nextLine(src, le); i < len(src); {
		s, e := lineAt(src, i)
		ind, blank := indentOf(src[s:e])
		if !blank {
			if content < 0 {
				if ind <= parent {
					break
				}
				content = ind
			}
			if ind < content {
				break
			}
			end = e
		}
		i = nextLine(src, e)
	}
	return end
}

// plainEnd returns the offset after a plain scalar that continues over more lines (its
// lines folded with spaces, blank lines as line breaks, make value), or -1 when the text
// does not read as value.
func plainEnd(src []byte, start int, value string) int {
	ls, le := lineAt(src, start)
	parent := parentIndent(src[ls:le], start-ls)
	var folded []byte
	end, breaks := -1, 0
	for i, first := start, true; i < len(src); first = false {
		s, e := lineAt(src, i)
		from := s // where the scalar's text on this line can start
		if first {
			from = i
		}
		text := src[from:e]
		ind, blank := indentOf(src[s:e])
		switch {
		case blank && !first:
			breaks++
		case !first && ind <= parent:
			i = len(src)
			continue
		default:
			text = bytes.TrimSpace(text)
			comment := false
			if c := bytes.Index(text, []byte(" #")); c >= 0 {
				text = bytes.TrimRight(text[:c], " \t")
				comment = true // a comment ends the scalar
			}
			if len(folded) > 0 {
				if breaks == 0 {
					folded = append(folded, ' ')
				}
				for range breaks {
					folded = append(folded, '\n')
				}
			}
			folded, breaks = append(folded, text...), 0
			end = from + bytes.Index(src[from:e], text) + len(text)
			if string(folded) == value {
				return end
			}
			if len(folded) > len(value) || comment {
				return -1
			}
		}
		if i < len(src) {
			i = nextLine(src, e)
		}
	}
	return -1
}

// flowEnd returns the offset after the flow collection opening at start, or -1.
func flowEnd(src []byte, start int) int {
	depth := 0
	for i := start; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(src); i++ {
				if src[i] == '\'' {
					if i+1 < len(src) && src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > start && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n') {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			}
		}
	}
	return -1
}

// FieldAt returns the field path of the front-matter node that starts at line:col — keys
// joined by ".", sequence items as "[]" ("links.[].to") — and false when no key or value
// starts there. A collection starts where its first entry does; the entry is the answer.
func (r *Record) FieldAt(line, col int) (string, bool) {
	t := r.Tree()
	if t == nil {
		return "", false
	}
	p, ok := pathAt(t, line, col, nil)
	return strings.Join(p, "."), ok
}

func pathAt(n *yaml.Node, line, col int, path []string) ([]string, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, v := n.Content[i], n.Content[i+1]
			p := append(slices.Clip(path), kn.Value)
			if kn.Line == line && kn.Column == col {
				return p, true
			}
			if got, ok := pathAt(v, line, col, p); ok {
				return got, true
			}
		}
	case yaml.SequenceNode:
		for _, v := range n.Content {
			if got, ok := pathAt(v, line, col, append(slices.Clip(path), "[]")); ok {
				return got, true
			}
		}
	}
	if n.Line == line && n.Column == col {
		return path, true
	}
	return nil, false
}

// LooksLikeID reports whether s has the shape of a record id: a prefix of letters, digits
// or underscores that starts with a letter, a hyphen, and digits (REQ-0001, CR-12).
func LooksLikeID(s string) bool {
	prefix, digits, ok := strings.Cut(s, "-")
	if !ok || prefix == "" || digits == "" || !(prefix[0] >= 'A' && prefix[0] <= 'Z' || prefix[0] >= 'a' && prefix[0] <= 'z') {
		return false
	}
	for _, c := range []byte(prefix) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
