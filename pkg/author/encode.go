package author

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Node converts a Go value into a YAML node for a record's front matter: a string (quoted by
// NeedsQuotes), a bool, an integer or a float, a []string or []any (a list), a
// map[string]any (a mapping, keys sorted; Encode puts the known ones in canonical order), or
// a *yaml.Node, which is taken as it is. Lists of scalars and small maps of scalars are
// written in flow style ([a, b], {impact: 6, …}), the rest in block style.
func Node(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case *yaml.Node:
		return v, nil
	case string:
		return String(v), nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}, nil
	case int:
		return intNode(int64(v)), nil
	case int64:
		return intNode(v), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("the number %v cannot be written", v)
		}
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return intNode(int64(v)), nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(v, 'g', -1, 64)}, nil
	case []string:
		items := make([]any, len(v))
		for i, s := range v {
			items[i] = s
		}
		return Node(items)
	case []any:
		// A list of scalars is written [a, b]; a list of maps in block style, each small map
		// of scalars in flow style (- {type: depends-on, to: REQ-0007}).
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, it := range v {
			n, err := Node(it)
			if err != nil {
				return nil, err
			}
			if n.Kind == yaml.MappingNode && len(n.Content) <= 8 && allScalars(n, true) {
				n.Style = yaml.FlowStyle
			}
			if n.Kind != yaml.ScalarNode {
				seq.Style = 0
			}
			seq.Content = append(seq.Content, n)
		}
		return seq, nil
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range keys {
			n, err := Node(v[k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			m.Content = append(m.Content, String(k), n)
		}
		// A small map of numbers (ice: {impact: 6, confidence: 7, ease: 8}) is written in
		// flow style, as the specification writes it; other maps in block style.
		if len(keys) > 0 && len(keys) <= 4 && allScalars(m, false) {
			m.Style = yaml.FlowStyle
		}
		return m, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("a value of type %T cannot be written to a record", v)
}

// allScalars reports whether every value of the mapping m is a short scalar (a string too
// when withStrings is set) or a flow list of them.
func allScalars(m *yaml.Node, withStrings bool) bool {
	for i := 1; i < len(m.Content); i += 2 {
		v := m.Content[i]
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!str":
			if !withStrings || len(v.Value) > 60 {
				return false
			}
		case v.Kind == yaml.ScalarNode:
		case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0 && withStrings:
		default:
			return false
		}
	}
	return true
}

func intNode(n int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(n, 10)}
}

// Encode writes a record file of kind: the front matter mapping front in canonical form
// (keys in the order of SPEC §3, two-space indentation, every string quoted by the one rule
// of NeedsQuotes) between "---" lines, then body. front is not modified. The result passes
// `reqtrail fmt --check`.
func Encode(kind record.Kind, front *yaml.Node, body string) ([]byte, error) {
	if front == nil || front.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the front matter must be a mapping")
	}
	data, _, err := encodeOwned(kind, clone(front), body)
	return data, err
}

// encodeOwned is Encode of a front matter m the caller hands over (it is requoted, ordered
// and marked in place). It also returns m as written, every node where the YAML parser
// finds it in data (see writeFront), when the fast writer wrote all of it; nil otherwise.
func encodeOwned(kind record.Kind, m *yaml.Node, body string) ([]byte, *yaml.Node, error) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("the front matter must be a mapping")
	}
	m.Style = 0 // the front matter itself is always a block mapping
	requote(m)
	format.Order(kind, m)
	var buf bytes.Buffer
	buf.Grow(512 + len(body))
	buf.WriteString("---\n")
	marked, err := writeFront(&buf, m, 2)
	if err != nil {
		return nil, nil, err
	}
	buf.WriteString("---\n")
	buf.WriteString(body)
	if body != "" && body[len(body)-1] != '\n' {
		buf.WriteByte('\n')
	}
	out := buf.Bytes()
	// The formatter has the last word on canonical form (comment spacing, modelines); what
	// it would change is comments only, so a front matter without any (what importers build)
	// is canonical as encoded and is not parsed, re-encoded and verified again.
	if hasComments(m) {
		if canon, err := format.Source(kind, out, false, nil); err == nil {
			out = canon
		}
		marked = false
	}
	if !marked {
		m = nil
	}
	return out, m, nil
}

// hasComments reports whether a node of the tree n carries a comment.
func hasComments(n *yaml.Node) bool {
	if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return true
	}
	for _, c := range n.Content {
		if hasComments(c) {
			return true
		}
	}
	return false
}

// requote applies the quoting rule to every string scalar of n written plain or
// double-quoted by a caller (single-quoted, literal and folded scalars are kept).
func requote(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "") && (n.Style == 0 || n.Style == yaml.DoubleQuotedStyle) {
		if n.Tag == "" && n.Style == 0 {
			return // untagged plain scalar: the caller's YAML, resolved by its form
		}
		n.Tag = "!!str"
		n.Style = 0
		if NeedsQuotes(n.Value) {
			n.Style = yaml.DoubleQuotedStyle
		}
	}
	for _, c := range n.Content {
		requote(c)
	}
}

// clone returns a deep copy of the tree n, its nodes and their content lists each in one
// allocation (an import clones thousands of trees).
func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	nodes, links := treeSize(n)
	c := cloner{nodes: make([]yaml.Node, 0, nodes), links: make([]*yaml.Node, 0, links)}
	return c.clone(n)
}

type cloner struct {
	nodes []yaml.Node
	links []*yaml.Node
}

func (c *cloner) clone(n *yaml.Node) *yaml.Node {
	c.nodes = append(c.nodes, *n)
	m := &c.nodes[len(c.nodes)-1]
	if len(n.Content) == 0 {
		m.Content = nil
		return m
	}
	start := len(c.links)
	c.links = append(c.links, n.Content...)
	m.Content = c.links[start:len(c.links):len(c.links)]
	for i, k := range n.Content {
		m.Content[i] = c.clone(k)
	}
	return m
}

// treeSize counts the nodes of the tree n and the entries of their content lists.
func treeSize(n *yaml.Node) (nodes, links int) {
	nodes, links = 1, len(n.Content)
	for _, k := range n.Content {
		a, b := treeSize(k)
		nodes += a
		links += b
	}
	return nodes, links
}
