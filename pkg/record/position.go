package record

import (
	"bytes"

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
// where it can be told from the text (a scalar on one line or quoted, a flow collection, a
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
		return -1
	default:
		// A plain scalar on one line is its value as written.
		if n.Value != "" && bytes.HasPrefix(src[start:], []byte(n.Value)) && !bytes.ContainsAny([]byte(n.Value), "\r\n") {
			return start + len(n.Value)
		}
		if n.Value == "" && n.Tag == "!!null" {
			return -1
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
