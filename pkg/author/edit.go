package author

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Edit is one change to an existing record: Set or Remove a field, or replace the Body.
type Edit struct {
	path   []string
	value  any
	remove bool
	body   *string
}

// Set sets the field at the dotted path ("status", "priority.moscow") to value, converted by
// Node; missing parent maps are created. Only the lines of that field change.
func Set(path string, value any) Edit { return Edit{path: splitPath(path), value: value} }

// SetPath is Set with the path given as its keys (for keys holding a dot).
func SetPath(path []string, value any) Edit { return Edit{path: path, value: value} }

// Remove removes the field at the dotted path (nothing happens when it is absent); a map
// left empty by it goes too.
func Remove(path string) Edit { return Edit{path: splitPath(path), remove: true} }

// Body replaces the Markdown body (after the closing "---" line) with text.
func Body(text string) Edit { return Edit{body: &text} }

func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

// FieldChange describes how one field changes; Old or New is "" when the field is absent
// before or after. Values are written as compact YAML.
type FieldChange struct {
	Path     string
	Old, New string
}

// editor applies edits to one file's bytes, touching only the lines of the fields edited.
type editor struct {
	file     string
	kind     record.Kind // "" for reqtrail.yaml
	yamlOnly bool
	data     []byte
	changes  []FieldChange
	body     bool // the body was replaced
}

func (e *editor) parse() (*record.Record, error) {
	rec, perr := record.Parse(e.file, e.kind, e.data, nil)
	if perr != nil {
		return nil, fmt.Errorf("%s:%d:%d: %s", e.file, perr.Pos.Line, perr.Pos.Column, perr.Message)
	}
	return rec, nil
}

func (e *editor) apply(ed Edit) error {
	rec, err := e.parse()
	if err != nil {
		return err
	}
	if ed.body != nil {
		return e.setBody(rec, *ed.body)
	}
	if len(ed.path) == 0 {
		return errors.New("an edit needs a field path")
	}
	for _, p := range ed.path {
		if p == "" {
			return fmt.Errorf("empty key in the field path %q", strings.Join(ed.path, "."))
		}
	}
	var val *yaml.Node
	if !ed.remove {
		if val, err = Node(ed.value); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(ed.path, "."), err)
		}
		val = clone(val)
		requote(val)
	}
	if !rec.Parsed() {
		return fmt.Errorf("%s has no front matter mapping to edit", e.file)
	}
	old := lookupNode(rec.Tree(), ed.path)
	if ed.remove && old == nil {
		return nil
	}
	if old != nil && val != nil && sameValue(old, val) {
		return nil
	}
	want := expected(rec, ed.path, val)
	out, ok := e.splice(rec, ed.path, val)
	if !ok || !e.verify(out, want) {
		out, err = e.rewrite(rec, ed.path, val)
		if err != nil {
			return err
		}
		if !e.verify(out, want) {
			return fmt.Errorf("%s: setting %s cannot be written without changing other data", e.file, strings.Join(ed.path, "."))
		}
	}
	e.data = out
	fc := FieldChange{Path: strings.Join(ed.path, ".")}
	if old != nil {
		fc.Old = compact(old)
	}
	if val != nil {
		fc.New = compact(val)
	}
	e.changes = append(e.changes, fc)
	return nil
}

func (e *editor) setBody(rec *record.Record, text string) error {
	if e.yamlOnly {
		return fmt.Errorf("%s holds front matter only: it has no body to replace", e.file)
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if rec.Body == text {
		return nil
	}
	lines := splitLines(e.data)
	start := rec.BodyLine - 1
	if start < 0 || start > len(lines) {
		return fmt.Errorf("%s: cannot find where the body starts", e.file)
	}
	var b bytes.Buffer
	for _, l := range lines[:start] {
		b.WriteString(l)
	}
	if start > 0 && !strings.HasSuffix(lines[start-1], "\n") {
		b.WriteString(e.eol())
	}
	b.WriteString(text)
	out := b.Bytes()
	after, perr := record.Parse(e.file, e.kind, out, nil)
	if perr != nil || after.Body != text || !reflect.DeepEqual(after.Fields(), rec.Fields()) {
		return fmt.Errorf("%s: the body cannot be replaced without changing the front matter (does it hold a --- line?)", e.file)
	}
	e.data = out
	e.body = true
	return nil
}

func (e *editor) eol() string {
	if i := bytes.IndexByte(e.data, '\n'); i > 0 && e.data[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// verify checks that out parses to the fields want.
func (e *editor) verify(out []byte, want map[string]any) bool {
	after, perr := record.Parse(e.file, e.kind, out, nil)
	return perr == nil && reflect.DeepEqual(after.Fields(), want)
}

// expected is rec's fields with path set to val (removed when val is nil).
func expected(rec *record.Record, path []string, val *yaml.Node) map[string]any {
	fields := deepCopy(rec.Fields()).(map[string]any)
	m := fields
	for i, k := range path {
		if i == len(path)-1 {
			if val == nil {
				delete(m, k)
			} else {
				m[k] = record.Value(val, nil)
			}
			break
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			if val == nil {
				break
			}
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	if val == nil {
		pruneEmpty(fields, path)
	}
	return fields
}

// pruneEmpty removes the maps along path that a removal left empty (not the root).
func pruneEmpty(fields map[string]any, path []string) {
	for n := len(path) - 1; n >= 1; n-- {
		m := fields
		for _, k := range path[:n-1] {
			m, _ = m[k].(map[string]any)
			if m == nil {
				return
			}
		}
		if sub, ok := m[path[n-1]].(map[string]any); ok && len(sub) == 0 {
			delete(m, path[n-1])
		} else {
			return
		}
	}
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, x := range v {
			c[k] = deepCopy(x)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, x := range v {
			c[i] = deepCopy(x)
		}
		return c
	case nil:
		return map[string]any{}
	}
	return v
}

func sameValue(a, b *yaml.Node) bool {
	return reflect.DeepEqual(record.Value(a, nil), record.Value(b, nil)) && a.Kind == b.Kind
}

func lookupNode(m *yaml.Node, path []string) *yaml.Node {
	cur := m
	for _, k := range path {
		if cur == nil || cur.Kind != yaml.MappingNode {
			return nil
		}
		_, cur = pair(cur, k)
	}
	return cur
}

// pair returns the key and value nodes of key in the mapping m (the last, with duplicates).
func pair(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	return k, v
}

// splice edits the lines of the field only. ok is false when the layout does not allow it
// (flow maps, keys not at the start of their line), and the caller rewrites instead.
func (e *editor) splice(rec *record.Record, path []string, val *yaml.Node) ([]byte, bool) {
	lines := splitLines(e.data)
	m := rec.Tree()
	for i, k := range path {
		if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
			return nil, false
		}
		kn, vn := pair(m, k)
		last := i == len(path)-1
		switch {
		case kn == nil && val == nil:
			return e.data, true
		case kn == nil:
			return e.insert(lines, m, path[:i], k, nest(path[i+1:], val))
		case last && val == nil:
			return e.remove(lines, rec.Tree(), path)
		case last:
			return e.replace(lines, kn, vn, val)
		case vn.Kind != yaml.MappingNode:
			if val == nil {
				return e.data, true
			}
			return e.replace(lines, kn, vn, nest(path[i+1:], val))
		case vn.Style&yaml.FlowStyle != 0:
			// A flow map ({impact: 6, …}) is rewritten whole, in flow style.
			sub := clone(vn)
			clearPositions(sub)
			editTree(sub, path[i+1:], val)
			if len(sub.Content) == 0 {
				return e.remove(lines, rec.Tree(), path[:i+1])
			}
			return e.replace(lines, kn, vn, sub)
		}
		m = vn
	}
	return nil, false
}

// nest wraps val in maps for the keys of path.
func nest(path []string, val *yaml.Node) *yaml.Node {
	for i := len(path) - 1; i >= 0; i-- {
		val = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{String(path[i]), val}}
	}
	return val
}

// keyIndent returns the indentation of the key node k when it starts its line.
func keyIndent(lines []string, k *yaml.Node) (int, bool) {
	if k.Line < 1 || k.Line > len(lines) || k.Column < 1 {
		return 0, false
	}
	l := lines[k.Line-1]
	if k.Column-1 > len(l) || strings.TrimLeft(l[:k.Column-1], " ") != "" {
		return 0, false
	}
	return k.Column - 1, true
}

// extent returns the 0-based index of the last line of the pair whose key is k: the lines
// after the key line that are indented deeper (or are the key's block list at the same
// indentation), without the blank and comment lines that end it (they belong to what follows).
func extent(lines []string, k, v *yaml.Node, indent int) int {
	end := k.Line - 1
	seq := v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0
	for i := k.Line; i < len(lines); i++ {
		t := strings.TrimRight(lines[i], " \t\r\n")
		trimmed := strings.TrimLeft(t, " ")
		ind := len(t) - len(trimmed)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case trimmed == "---" && ind == 0:
			return end
		case ind > indent, seq && ind == indent && (trimmed == "-" || strings.HasPrefix(trimmed, "- ")):
			end = i
		default:
			return end
		}
	}
	return end
}

func (e *editor) replace(lines []string, k, v, val *yaml.Node) ([]byte, bool) {
	indent, ok := keyIndent(lines, k)
	if !ok {
		return nil, false
	}
	end := extent(lines, k, v, indent)
	rendered := e.render(k.Value, val, indent)
	if end == k.Line-1 && len(rendered) == 1 {
		if c := firstNonEmpty(k.LineComment, v.LineComment); c != "" && val.Kind == yaml.ScalarNode {
			rendered[0] = strings.TrimSuffix(rendered[0], e.eol()) + " " + c + e.eol()
		}
	}
	return join(lines[:k.Line-1], rendered, lines[end+1:]), true
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (e *editor) insert(lines []string, m *yaml.Node, at []string, key string, val *yaml.Node) ([]byte, bool) {
	if len(m.Content) == 0 {
		return nil, false
	}
	indent, ok := keyIndent(lines, m.Content[0])
	if !ok {
		return nil, false
	}
	rank, known := format.KeyRank(e.kind, at, key)
	after := -1 // index of the pair the new one follows
	for i := 0; i+1 < len(m.Content); i += 2 {
		r, k := format.KeyRank(e.kind, at, m.Content[i].Value)
		if !known || (k && r <= rank) {
			after = i
		}
	}
	rendered := e.render(key, val, indent)
	if after < 0 {
		first := m.Content[0]
		if _, ok := keyIndent(lines, first); !ok {
			return nil, false
		}
		return join(lines[:first.Line-1], rendered, lines[first.Line-1:]), true
	}
	k, v := m.Content[after], m.Content[after+1]
	if _, ok := keyIndent(lines, k); !ok {
		return nil, false
	}
	end := extent(lines, k, v, indent)
	tail := lines[:end+1]
	if !strings.HasSuffix(tail[len(tail)-1], "\n") {
		return nil, false
	}
	return join(tail, rendered, lines[end+1:]), true
}

// remove deletes the pair at path; a map it leaves empty goes too.
func (e *editor) remove(lines []string, root *yaml.Node, path []string) ([]byte, bool) {
	for len(path) > 1 {
		parent := lookupNode(root, path[:len(path)-1])
		if parent == nil || len(parent.Content) > 2 {
			break
		}
		path = path[:len(path)-1]
	}
	parent := root
	if len(path) > 1 {
		parent = lookupNode(root, path[:len(path)-1])
	}
	if parent.Style&yaml.FlowStyle != 0 {
		return nil, false
	}
	k, v := pair(parent, path[len(path)-1])
	indent, ok := keyIndent(lines, k)
	if !ok {
		return nil, false
	}
	end := extent(lines, k, v, indent)
	return join(lines[:k.Line-1], nil, lines[end+1:]), true
}

// render writes "key: value" as lines indented by indent, with the file's line ends.
func (e *editor) render(key string, val *yaml.Node, indent int) []string {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{String(key), val}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	_ = enc.Encode(m) // a node built by Node always encodes
	_ = enc.Close()
	pad := strings.Repeat(" ", indent)
	var out []string
	for l := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		out = append(out, pad+l+e.eol())
	}
	return out
}

// rewrite applies the edit to the node tree and writes the whole front matter again in
// canonical form (comments kept): for layouts splice cannot edit line by line.
func (e *editor) rewrite(rec *record.Record, path []string, val *yaml.Node) ([]byte, error) {
	root := clone(rec.Tree())
	clearPositions(root)
	editTree(root, path, val)
	var buf bytes.Buffer
	if !e.yamlOnly {
		buf.WriteString("---\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	_ = enc.Close()
	if !e.yamlOnly {
		buf.WriteString("---\n")
		_, body, _, _, _ := record.Split(e.data, false)
		buf.Write(body)
	}
	out, err := format.Source(e.kind, buf.Bytes(), e.yamlOnly, nil)
	if err != nil {
		out = buf.Bytes()
	}
	return out, nil
}

// editTree sets path to val in the mapping root (removes it when val is nil, with the maps
// that leaves empty).
func editTree(root *yaml.Node, path []string, val *yaml.Node) {
	m := root
	for i, k := range path {
		kn, vn := pair(m, k)
		last := i == len(path)-1
		if kn == nil {
			if val != nil {
				m.Content = append(m.Content, String(k), nest(path[i+1:], val))
			}
			break
		}
		if last || vn.Kind != yaml.MappingNode {
			if val == nil {
				if last {
					removePair(m, k)
				}
			} else {
				m.Content[indexOf(m, kn)+1] = nest(path[i+1:], val)
			}
			break
		}
		m = vn
	}
	if val == nil {
		for n := len(path) - 1; n >= 1; n-- {
			parent := lookupNode(root, path[:n-1])
			if sub := lookupNode(root, path[:n]); parent != nil && sub != nil && sub.Kind == yaml.MappingNode && len(sub.Content) == 0 {
				removePair(parent, path[n-1])
			}
		}
	}
}

func clearPositions(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearPositions(c)
	}
}

func indexOf(m, k *yaml.Node) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return i
		}
	}
	return -1
}

func removePair(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func splitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	return strings.SplitAfter(string(data), "\n")
}

func join(parts ...[]string) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		for _, l := range p {
			b.WriteString(l)
		}
	}
	return b.Bytes()
}

// compact writes a value as one line of YAML (flow style).
func compact(n *yaml.Node) string {
	var b strings.Builder
	if shortFlow(&b, n, false) {
		return b.String()
	}
	return marshalCompact(n)
}

// marshalCompact is compact by the YAML encoder: n in flow style, without comments.
func marshalCompact(n *yaml.Node) string {
	c := clone(n)
	var flow func(*yaml.Node)
	flow = func(x *yaml.Node) {
		x.HeadComment, x.LineComment, x.FootComment = "", "", ""
		if x.Kind == yaml.MappingNode || x.Kind == yaml.SequenceNode {
			x.Style = yaml.FlowStyle
		}
		if x.Kind == yaml.ScalarNode && (x.Style == yaml.LiteralStyle || x.Style == yaml.FoldedStyle) {
			x.Style = yaml.DoubleQuotedStyle
		}
		for _, y := range x.Content {
			flow(y)
		}
	}
	flow(c)
	out, err := yaml.Marshal(c)
	if err != nil {
		return "?"
	}
	return strings.TrimSuffix(string(out), "\n")
}

// shortFlow writes n as compact writes it when n holds only plain scalars that need no
// quotes (in mappings and lists of them) and reports whether it could; the caller falls back
// to the YAML encoder otherwise (yaml.v3 does not wrap long lines, so neither does this).
func shortFlow(b *strings.Builder, n *yaml.Node, inFlow bool) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style == yaml.DoubleQuotedStyle && n.Tag == "!!str" && n.Anchor == "" && safeQuoted(n.Value) {
			b.WriteString(`"` + n.Value + `"`) // a date, a number as text: quoted as they are
			return true
		}
		if n.Style != 0 || n.Anchor != "" || strings.ContainsAny(n.Value, "\n\r") {
			return false
		}
		switch n.Tag {
		case "!!int", "!!bool", "!!float":
			if n.Style != 0 {
				return false
			}
		case "!!str":
			if NeedsQuotes(n.Value) || inFlow && strings.ContainsFunc(n.Value, flowSpecial) {
				return false
			}
		default:
			return false
		}
		b.WriteString(n.Value)
		return true
	case yaml.SequenceNode, yaml.MappingNode:
		if n.Anchor != "" {
			return false
		}
		open, end := byte('['), byte(']')
		if n.Kind == yaml.MappingNode {
			open, end = '{', '}'
		}
		return writeFlowCollection(b, n, open, end, func(c *yaml.Node, _ bool) bool { return shortFlow(b, c, true) })
	}
	return false
}

// flowSpecial reports the characters that may make a scalar inside [ ] or { } need quotes:
// every ASCII character but letters, digits, space and . - _ / ( ) + %.
func flowSpecial(r rune) bool {
	if r > 0x7f || r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return false
	}
	return !strings.ContainsRune(".-_/()+%", r)
}
