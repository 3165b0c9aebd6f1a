package exchange

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// flowLists are the list fields written in flow style when created ([chat, service]); other
// lists are block lists (one acceptance criterion a line).
var flowLists = map[string]bool{"tags": true, "affects": true, "requirements": true, "follow-up": true}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// yaml11Bool lists the plain scalars YAML 1.1 tools read as booleans: written quoted.
var yaml11Bool = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true}

func stringNode(s string) *yaml.Node {
	if dateRE.MatchString(s) {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s} // dates plain, as the SPEC writes them
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if yaml11Bool[strings.ToLower(s)] || strings.ContainsAny(s, "\t\r") || s != strings.TrimSpace(s) && strings.Contains(s, "\n") {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// valueNode builds the YAML node of v; old (may be nil) is the node it replaces, whose list
// style it keeps.
func valueNode(key string, v any, old *yaml.Node) *yaml.Node {
	switch x := v.(type) {
	case string:
		return stringNode(x)
	case SourceRef:
		return stringNode(string(x))
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)}
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(x, 10)}
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if x == float64(int64(x)) && !strings.Contains(s, ".") {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return valueNode(key, l, old)
	case []any:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		scalars := true
		for _, e := range x {
			n := valueNode("", e, nil)
			if n.Kind == yaml.MappingNode {
				n.Style = yaml.FlowStyle
				scalars = false
			}
			if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "\n") {
				scalars = false
			}
			seq.Content = append(seq.Content, n)
		}
		switch {
		case old != nil && old.Kind == yaml.SequenceNode && (scalars || old.Style&yaml.FlowStyle == 0):
			seq.Style = old.Style & yaml.FlowStyle
		case flowLists[key] && scalars:
			seq.Style = yaml.FlowStyle
		}
		return seq
	case map[string]any:
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, valueNode(k, x[k], nil))
		}
		return m
	}
	return stringNode(fmt.Sprint(v))
}

// HasAlias reports whether the YAML tree n uses an anchor or an alias, which imported values
// may not (an alias bomb expands without bound).
func HasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if HasAlias(c) {
			return true
		}
	}
	return false
}

// Display renders a field value in one line for dry runs: scalars as text, lists and
// mappings in YAML flow syntax.
func Display(v any) string {
	n := valueNode("", v, nil)
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	flowAll(n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	_ = enc.Encode(n)
	_ = enc.Close()
	return strings.TrimSpace(buf.String())
}

func flowAll(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		flowAll(c)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// normBody is a body as compared: CRLF taken as LF, trailing white space trimmed.
func normBody(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\r\n")
}

func bodyText(s string) string {
	s = normBody(s)
	if s == "" {
		return ""
	}
	return s + "\n"
}
