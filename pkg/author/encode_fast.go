package author

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The YAML encoder costs most of an import's time (10,000 records), for front matters of a
// few simple shapes. writeFront writes those shapes the way the encoder (two-space
// indentation; yaml.v3 sets no line width, so it never folds a line) writes them, and leaves
// everything else to it: a comment, an anchor, a tag it would write, a multi-line or literal
// scalar, a character it escapes or that may make it choose another quoting style, a key too
// long to be a simple key. Top-level entries of a mapping without comments and anchors are
// written independently by the encoder (each starts on a new line at column 0, and no state
// carries over), so an entry the fast writer refuses is encoded alone. TestEmitSimpleCorpus,
// TestEmitSimpleRandom and FuzzEmitSimple hold the result to the encoder's bytes for the
// whole document, and the positions it notes to the parser's.

// writeFront appends the front matter mapping m (keys already ordered and every string
// requoted: plain exactly when NeedsQuotes says so) to buf as the YAML encoder writes it.
// firstLine is the file line buf's end starts. When the fast writer wrote every entry,
// marked is set and every node of m holds what the YAML parser would find for it in the
// bytes written: its line and column, and the tag and style the parser gives it — a
// record can be built from m without parsing them (record.FromTree).
func writeFront(buf *bytes.Buffer, m *yaml.Node, firstLine int) (marked bool, err error) {
	if m.Kind != yaml.MappingNode || len(m.Content) == 0 || len(m.Content)%2 != 0 || hasComments(m) || hasAnchors(m) {
		return false, encodeYAML(buf, m)
	}
	e := &emitter{buf: buf, line: firstLine, lineStart: buf.Len()}
	marked = true
	for i := 0; i < len(m.Content); i += 2 {
		start, line := buf.Len(), e.line
		if e.entry(m.Content[i], m.Content[i+1], 0) {
			continue
		}
		buf.Truncate(start)
		marked = false
		one := &yaml.Node{Kind: yaml.MappingNode, Tag: m.Tag, Content: m.Content[i : i+2]}
		if err := encodeYAML(buf, one); err != nil {
			return false, err
		}
		e.line, e.lineStart = line+bytes.Count(buf.Bytes()[start:], []byte{'\n'}), buf.Len()
	}
	if marked {
		e.collection(m, firstLine, 1)
	}
	return marked, nil
}

// emitter writes front matter, noting where each node starts as the YAML parser reports it:
// the file line, and the column counted in characters from 1.
type emitter struct {
	buf       *bytes.Buffer
	line      int // file line of the line being written
	lineStart int // offset in buf where that line starts
}

func (e *emitter) newline() {
	e.buf.WriteByte('\n')
	e.line++
	e.lineStart = e.buf.Len()
}

// mark notes that n starts where the next byte is written.
func (e *emitter) mark(n *yaml.Node) {
	n.Line = e.line
	n.Column = utf8.RuneCount(e.buf.Bytes()[e.lineStart:]) + 1
}

// collection notes where the collection n starts and gives it the tag and style the parser
// gives it.
func (e *emitter) collection(n *yaml.Node, line, column int) {
	n.Line, n.Column = line, column
	n.Tag = "!!map"
	if n.Kind == yaml.SequenceNode {
		n.Tag = "!!seq"
	}
	if n.Style&yaml.FlowStyle != 0 {
		n.Style = yaml.FlowStyle
	} else {
		n.Style = 0
	}
}

// encodeYAML appends n as the YAML encoder writes it with two-space indentation.
func encodeYAML(buf *bytes.Buffer, n *yaml.Node) error {
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return err
	}
	return enc.Close()
}

// hasAnchors reports whether a node of the tree n is an anchor or an alias.
func hasAnchors(n *yaml.Node) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAnchors(c) {
			return true
		}
	}
	return false
}

func (e *emitter) indent(n int) {
	for range n {
		e.buf.WriteByte(' ')
	}
}

// blockMapping writes a block mapping whose keys start at column indent (after a newline).
func (e *emitter) blockMapping(m *yaml.Node, indent int) bool {
	if m.Kind != yaml.MappingNode || len(m.Content) == 0 || len(m.Content)%2 != 0 || !plainNode(m, "!!map") {
		return false
	}
	e.collection(m, e.line, indent+1) // where its first key is
	for i := 0; i < len(m.Content); i += 2 {
		if !e.entry(m.Content[i], m.Content[i+1], indent) {
			return false
		}
	}
	return true
}

// entry writes one key and its value of a block mapping whose keys start at column indent.
func (e *emitter) entry(k, v *yaml.Node, indent int) bool {
	if k.Kind != yaml.ScalarNode || k.Tag != "!!str" || k.Style != 0 || !plainNode(k, "!!str") || len(k.Value) > 100 || !safePlain(k.Value, true) {
		return false
	}
	e.indent(indent)
	e.mark(k)
	e.buf.WriteString(k.Value)
	e.buf.WriteByte(':')
	return e.blockValue(v, indent)
}

// blockValue writes the value of a mapping key (after the colon) or of a sequence item
// (after the dash), through the end of its line(s).
func (e *emitter) blockValue(v *yaml.Node, indent int) bool {
	switch {
	case v.Kind == yaml.ScalarNode || v.Style&yaml.FlowStyle != 0:
		e.buf.WriteByte(' ')
		if !e.flow(v) {
			return false
		}
		e.newline()
		return true
	case v.Kind == yaml.MappingNode:
		e.newline()
		return e.blockMapping(v, indent+2)
	case v.Kind == yaml.SequenceNode:
		if len(v.Content) == 0 || !plainNode(v, "!!seq") {
			return false
		}
		e.newline()
		e.collection(v, e.line, indent+3) // where its first dash is
		for _, it := range v.Content {
			// Items that are scalars or flow collections only: a block mapping item is
			// written on the dash's line, which this writer leaves to the encoder.
			if it.Kind != yaml.ScalarNode && it.Style&yaml.FlowStyle == 0 {
				return false
			}
			e.indent(indent + 2)
			e.buf.WriteByte('-')
			if !e.blockValue(it, indent+2) {
				return false
			}
		}
		return true
	}
	return false
}

// flow writes a scalar, or a flow collection, on the current line.
func (e *emitter) flow(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		e.mark(n)
		return emitScalar(e.buf, n)
	case yaml.SequenceNode, yaml.MappingNode:
		tag, open, end := "!!seq", byte('['), byte(']')
		if n.Kind == yaml.MappingNode {
			tag, open, end = "!!map", '{', '}'
			if len(n.Content)%2 != 0 {
				return false
			}
		}
		if !plainNode(n, tag) {
			return false
		}
		line, column := e.line, utf8.RuneCount(e.buf.Bytes()[e.lineStart:])+1
		if !writeFlowCollection(e.buf, n, open, end, func(c *yaml.Node, key bool) bool {
			if key && (c.Kind != yaml.ScalarNode || c.Style != 0) {
				return false // keys are plain scalars
			}
			return e.flow(c)
		}) {
			return false
		}
		e.collection(n, line, column)
		return true
	}
	return false
}

// writeFlowCollection writes the flow sequence or mapping n between open and end, its items
// separated as the encoder separates them ("a, b", "k: v, k2: v2"), each written by item
// (key says a mapping key); it stops at the first item item cannot write.
func writeFlowCollection(w interface {
	io.ByteWriter
	io.StringWriter
}, n *yaml.Node, open, end byte, item func(c *yaml.Node, key bool) bool) bool {
	w.WriteByte(open)
	for i, c := range n.Content {
		isMap := n.Kind == yaml.MappingNode
		if i > 0 {
			if isMap && i%2 == 1 {
				w.WriteString(": ")
			} else {
				w.WriteString(", ")
			}
		}
		if !item(c, isMap && i%2 == 0) {
			return false
		}
	}
	w.WriteByte(end)
	return true
}

// plainNode reports whether n has nothing the writer leaves to the encoder (an anchor, a
// comment, a tag other than the one its kind implies).
func plainNode(n *yaml.Node, tag string) bool {
	return n.Anchor == "" && n.HeadComment == "" && n.LineComment == "" && n.FootComment == "" && (n.Tag == tag || n.Tag == "" && n.Kind != yaml.ScalarNode)
}

// emitScalar writes a scalar as the encoder writes it in block or flow context: strings
// plain or double-quoted as their style says, integers, booleans and decimal fractions as
// they are.
func emitScalar(buf *bytes.Buffer, n *yaml.Node) bool {
	if n.Anchor != "" || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return false
	}
	switch n.Tag {
	case "!!str":
		switch n.Style {
		case 0:
			// NeedsQuotes said plain (Encode requoted every string before); the encoder
			// agrees for these characters in both contexts.
			if !safePlain(n.Value, false) {
				return false
			}
			buf.WriteString(n.Value)
			return true
		case yaml.DoubleQuotedStyle:
			if !safeQuoted(n.Value) {
				return false
			}
			buf.WriteByte('"')
			buf.WriteString(n.Value)
			buf.WriteByte('"')
			return true
		}
		return false
	case "!!int":
		if n.Style != 0 || !isDecimal(n.Value, false) {
			return false
		}
	case "!!float":
		if n.Style != 0 || !isDecimal(n.Value, true) {
			return false
		}
	case "!!bool":
		if n.Style != 0 || n.Value != "true" && n.Value != "false" {
			return false
		}
	default:
		return false
	}
	buf.WriteString(n.Value)
	return true
}

// isDecimal reports whether s is -?digits (and, with fraction, a dot and digits after it).
func isDecimal(s string, fraction bool) bool {
	s = trimMinus(s)
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && fraction && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	if digits == 0 || fraction != dot {
		return false
	}
	return len(s) == 1 || s[0] != '0' || s[1] == '.'
}

func trimMinus(s string) string {
	if len(s) > 1 && s[0] == '-' {
		return s[1:]
	}
	return s
}

// safePlain reports whether s is made of characters the encoder writes plain as they are,
// in a block or a flow collection: letters, digits, spaces and . - _ / ( ) + %, and
// non-ASCII characters it prints without escaping; key also allows nothing but ASCII.
func safePlain(s string, key bool) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false // "---" and "..." start a document marker: the encoder quotes them
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ':
		case r == '.' || r == '-' || r == '_' || r == '/' || r == '(' || r == ')' || r == '+' || r == '%':
		case r > 0x7f && !key && yamlPrintable(r) && !isUnicodeSpace(r):
		default:
			return false
		}
	}
	return true
}

// safeQuoted reports whether the encoder writes s between double quotes as it is (no
// escapes).
func safeQuoted(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == '"' || r == '\\' || r == 0x7f || r > 0x7f && !yamlPrintable(r) || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

// yamlPrintable is the YAML emitter's test of a non-ASCII character it writes unescaped.
// utf8.RuneError is refused too: it stands for invalid UTF-8, which the encoder refuses.
func yamlPrintable(r rune) bool {
	return r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r < utf8.RuneError && r != 0xfeff
}

func isUnicodeSpace(r rune) bool {
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}
