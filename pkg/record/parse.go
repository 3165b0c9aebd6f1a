package record

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// MaxSize is the largest record file reqtrail reads (1 MiB).
const MaxSize = 1 << 20

// ParseError is a problem that keeps a file from being read as front matter + Markdown.
type ParseError struct {
	Pos     pos.Position
	Message string
}

// Range returns where in file the problem is, with its byte offset in data (the file's
// content): the empty range at 1:1 for a problem of the file as a whole.
func (e *ParseError) Range(file string, data []byte) pos.Range {
	if e.Pos.Line <= 1 && e.Pos.Column <= 1 {
		return pos.FileStart(file)
	}
	p := pos.NewLines(bytes.TrimPrefix(data, bom)).Position(file, e.Pos.Line, e.Pos.Column)
	if bytes.HasPrefix(data, bom) {
		p.Offset += len(bom)
	}
	return pos.Range{Start: p}
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Message)
}

var bom = []byte("\xef\xbb\xbf")

// Parts is a record file cut at its front-matter fences (see Cut).
type Parts struct {
	// BOM is set when the file starts with a UTF-8 byte-order mark (not part of Front).
	BOM bool
	// Fenced is set for a .md record: Front was between "---" lines.
	Fenced bool
	// Front is the front matter's YAML text.
	Front []byte
	// FrontLine is the 1-based file line of Front's first line.
	FrontLine int
	// CloseEOL is set when the closing fence line ends with a line break.
	CloseEOL bool
	// Body is everything after the closing fence line, byte for byte (nil for .yaml files).
	Body []byte
	// BodyLine is the 1-based file line at which Body starts (0 for .yaml files).
	BodyLine int
}

// The ways a .md file can fail to be cut.
var (
	ErrNoFrontMatter = errors.New("missing front matter: the file must start with a line \"---\"")
	ErrUnclosed      = errors.New("front matter opened with \"---\" on line 1 is never closed by a \"---\" line")
)

// Cut cuts data — a .md record file, or a .yaml/.yml one (front matter only) when yamlOnly —
// into its parts, without judging its size, encoding or content. It is the one front-matter
// splitter: parsing, fmt and the git history reader all cut files with it. A .md file
// without an opening fence gives ErrNoFrontMatter, one never closed ErrUnclosed.
func Cut(data []byte, yamlOnly bool) (Parts, error) {
	var p Parts
	if bytes.HasPrefix(data, bom) {
		p.BOM = true
		data = data[len(bom):]
	}
	if yamlOnly {
		p.Front, p.FrontLine = data, 1
		return p, nil
	}
	p.Fenced = true
	first, rest, _ := cutLine(data)
	if !isFence(first) {
		return Parts{}, ErrNoFrontMatter
	}
	line := 2
	start := len(data) - len(rest)
	for len(rest) > 0 {
		l, next, nl := cutLine(rest)
		if isFence(l) {
			p.Front = data[start : len(data)-len(rest)]
			p.FrontLine = 2
			p.CloseEOL = nl
			p.Body = next
			p.BodyLine = line + 1
			return p, nil
		}
		rest = next
		line++
	}
	return Parts{}, ErrUnclosed
}

// Split separates a record file into front matter and body, refusing what reqtrail does not
// read as a record (over MaxSize, not UTF-8, empty, no closed front matter). yamlOnly files
// (.yaml/.yml) are front matter only. fmLine is the 1-based file line of the front matter's
// first line and bodyLine that of the body's first line.
func Split(data []byte, yamlOnly bool) (front, body []byte, fmLine, bodyLine int, perr *ParseError) {
	whole := pos.Position{Line: 1, Column: 1}
	if len(data) > MaxSize {
		return nil, nil, 0, 0, &ParseError{whole, fmt.Sprintf("file is %d bytes; records are limited to %d bytes (1 MiB)", len(data), MaxSize)}
	}
	if !utf8.Valid(data) {
		return nil, nil, 0, 0, &ParseError{invalidUTF8Pos(data), "file is not valid UTF-8"}
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, bom))) == 0 {
		msg := "file is empty"
		if !yamlOnly {
			msg += "; a record starts with a line \"---\", its YAML front matter, and a closing \"---\" line"
		}
		return nil, nil, 0, 0, &ParseError{whole, msg}
	}
	p, err := Cut(data, yamlOnly)
	if err != nil {
		return nil, nil, 0, 0, &ParseError{whole, err.Error()}
	}
	return p.Front, p.Body, p.FrontLine, p.BodyLine, nil
}

// HasFence reports whether data (after a byte-order mark) starts with a "---" line.
func HasFence(data []byte) bool {
	first, _, _ := cutLine(bytes.TrimPrefix(data, bom))
	return isFence(first)
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

func isFence(l []byte) bool {
	return string(bytes.TrimRight(l, " \t\r")) == "---"
}

func invalidUTF8Pos(data []byte) pos.Position {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return pos.Position{Line: line, Column: col}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return pos.Position{Line: line, Column: col}
}

// parserErrors are the yaml.v3 parser messages whose line number is 0-based.
var parserErrors = map[string]bool{
	"did not find expected <document start>": true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// ParseFrontMatter decodes front matter text into its root mapping node, adding lineOffset
// (fmLine-1) to every node's line. Anchors and aliases are rejected.
func ParseFrontMatter(front []byte, fmLine int) (*yaml.Node, *ParseError) {
	var doc yaml.Node
	if mayHoldDocuments(front) {
		// Only a document marker can start a second document; the streaming decoder that
		// can see one allocates far more than Unmarshal, so it is used only when needed.
		dec := yaml.NewDecoder(bytes.NewReader(front))
		if err := dec.Decode(&doc); err != nil {
			if err.Error() == "EOF" {
				return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: fmLine, Column: 1}, nil
			}
			return nil, yamlError(err, fmLine)
		}
		var extra yaml.Node
		if err := dec.Decode(&extra); err == nil {
			return nil, &ParseError{pos.Position{Line: extra.Line + fmLine - 1, Column: 1}, "front matter holds more than one YAML document"}
		}
	} else if err := yaml.Unmarshal(front, &doc); err != nil {
		return nil, yamlError(err, fmLine)
	}
	if doc.Kind == 0 {
		// An empty front matter is an empty mapping; the schema reports the missing keys.
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: fmLine, Column: 1}, nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: fmLine, Column: 1}, nil
		}
		root = root.Content[0]
	}
	if perr := checkNodes(root, fmLine-1); perr != nil {
		return nil, perr
	}
	if root.Kind != yaml.MappingNode {
		what := "a scalar"
		if root.Kind == yaml.SequenceNode {
			what = "a list"
		}
		if root.Tag == "!!null" {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: fmLine, Column: 1}, nil
		}
		return nil, &ParseError{pos.Position{Line: root.Line, Column: root.Column}, "front matter must be a mapping of keys to values, found " + what}
	}
	return root, nil
}

// mayHoldDocuments reports whether front has a line starting with a YAML document marker
// ("---" or "...") or a directive ("%").
func mayHoldDocuments(front []byte) bool {
	for line := range bytes.Lines(front) {
		if bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) || bytes.HasPrefix(line, []byte("%")) {
			return true
		}
	}
	return false
}

// checkNodes shifts lines by off and rejects anchors, aliases and duplicate keys.
func checkNodes(n *yaml.Node, off int) *ParseError {
	n.Line += off
	if n.Kind == yaml.AliasNode {
		return &ParseError{pos.Position{Line: n.Line, Column: n.Column}, "YAML aliases are not allowed in records"}
	}
	if n.Anchor != "" {
		return &ParseError{pos.Position{Line: n.Line, Column: n.Column}, "YAML anchors are not allowed in records"}
	}
	for _, c := range n.Content {
		if perr := checkNodes(c, off); perr != nil {
			return perr
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
				return &ParseError{pos.Position{Line: k.Line, Column: k.Column}, "YAML merge keys (<<) are not allowed in records: write the keys themselves"}
			}
		}
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 64 {
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return &ParseError{pos.Position{Line: k.Line, Column: k.Column}, "mapping keys must be plain strings"}
			}
			if first, dup := seen[k.Value]; dup {
				return &ParseError{pos.Position{Line: k.Line, Column: k.Column}, fmt.Sprintf("duplicate key %q (first on line %d)", k.Value, first)}
			}
			seen[k.Value] = k.Line
		}
	} else if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return &ParseError{pos.Position{Line: k.Line, Column: k.Column}, "mapping keys must be plain strings"}
			}
			// Mappings in records are small: a quadratic scan beats allocating a set.
			for j := 0; j < i; j += 2 {
				if first := n.Content[j]; first.Value == k.Value {
					return &ParseError{pos.Position{Line: k.Line, Column: k.Column}, fmt.Sprintf("duplicate key %q (first on line %d)", k.Value, first.Line)}
				}
			}
		}
	}
	return nil
}

func yamlError(err error, fmLine int) *ParseError {
	msg := err.Error()
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = msg[len(m[0]):]
	}
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if line > 0 && parserErrors[msg] {
		// yaml.v3 reports these parser errors at the 0-based line of their context.
		line++
	}
	if line == 0 {
		return &ParseError{pos.Position{Line: 1, Column: 1}, "invalid YAML: " + msg}
	}
	return &ParseError{pos.Position{Line: line + fmLine - 1, Column: 1}, "invalid YAML: " + msg}
}

// Shape tells the decoder where the schema expects strings, so plain scalars there keep
// their source text (release: 2024.10 is "2024.10"; due: 2024-09-30 stays a string).
type Shape struct {
	String     bool
	Props      map[string]*Shape
	Items      *Shape
	Additional *Shape
}

// At returns the shape of the value at the path parts below s (keys of nested mappings);
// nil when the schema does not say.
func (s *Shape) At(parts ...string) *Shape {
	for _, p := range parts {
		s = s.prop(p)
	}
	return s
}

func (s *Shape) prop(k string) *Shape {
	if s == nil {
		return nil
	}
	if p, ok := s.Props[k]; ok {
		return p
	}
	return s.Additional
}

// Value converts a node tree into JSON-compatible values guided by shape (which may be nil).
func Value(n *yaml.Node, shape *Shape) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return Value(n.Content[0], shape)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			m[k] = Value(n.Content[i+1], shape.prop(k))
		}
		return m
	case yaml.SequenceNode:
		var items *Shape
		if shape != nil {
			items = shape.Items
		}
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			l[i] = Value(c, items)
		}
		return l
	case yaml.ScalarNode:
		return scalar(n, shape != nil && shape.String)
	}
	return nil
}

func scalar(n *yaml.Node, wantString bool) any {
	tag := n.ShortTag()
	if wantString && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && tag != "!!null" {
		return n.Value
	}
	switch tag {
	case "!!str", "!!timestamp", "!!binary":
		return n.Value
	case "!!null":
		return nil
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "true":
			return true
		case "false":
			return false
		}
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return i
		}
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		return n.Value
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil && n.Decode(&f) != nil {
			return n.Value
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return n.Value
		}
		return f
	}
	return n.Value
}
