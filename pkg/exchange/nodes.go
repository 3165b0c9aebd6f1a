package exchange

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
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

// find returns the index of key k's pair in mapping m, or -1.
func find(m *yaml.Node, k string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return i
		}
	}
	return -1
}

// lookupPath returns the node at a dotted path under root, or nil.
func lookupPath(root *yaml.Node, parts []string) *yaml.Node {
	n := root
	for _, p := range parts {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		i := find(n, p)
		if i < 0 {
			return nil
		}
		n = n.Content[i+1]
	}
	return n
}

// setPath sets the value at parts under mapping root to v, creating mappings on the way;
// a replaced value keeps its comments and its list style.
func setPath(root *yaml.Node, parts []string, v any) error {
	m := root
	for depth, p := range parts[:len(parts)-1] {
		i := find(m, p)
		if i < 0 {
			child := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if p == "ice" || depth > 0 {
				child.Style = yaml.FlowStyle // the SPEC writes ice: {impact: …, confidence: …, ease: …}
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p}, child)
			m = child
			continue
		}
		next := m.Content[i+1]
		if next.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is not a mapping in the record", strings.Join(parts[:depth+1], "."))
		}
		m = next
	}
	last := parts[len(parts)-1]
	i := find(m, last)
	if i < 0 {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: last}, valueNode(last, v, nil))
		return nil
	}
	old := m.Content[i+1]
	n := valueNode(last, v, old)
	n.HeadComment, n.LineComment, n.FootComment = old.HeadComment, old.LineComment, old.FootComment
	if old.Kind == yaml.ScalarNode && n.Kind == yaml.ScalarNode && old.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 && n.Style == 0 && n.Tag == "!!str" {
		n.Style = old.Style // keep the author's quotes
	}
	m.Content[i+1] = n
	return nil
}

// removePath removes the field at parts; a mapping left empty goes too.
func removePath(root *yaml.Node, parts []string) bool {
	if len(parts) == 0 || root.Kind != yaml.MappingNode {
		return false
	}
	i := find(root, parts[0])
	if i < 0 {
		return false
	}
	if len(parts) == 1 {
		root.Content = slices.Delete(root.Content, i, i+2)
		return true
	}
	child := root.Content[i+1]
	if !removePath(child, parts[1:]) {
		return false
	}
	if len(child.Content) == 0 {
		root.Content = slices.Delete(root.Content, i, i+2)
	}
	return true
}

func shapeAt(sh *record.Shape, parts []string) *record.Shape {
	for _, p := range parts {
		if sh == nil {
			return nil
		}
		if s, ok := sh.Props[p]; ok {
			sh = s
		} else {
			sh = sh.Additional
		}
	}
	return sh
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

// create renders a new record.
func create(it *Item, t *target, set map[string]any, shape *record.Shape) ([]byte, []FieldChange, error) {
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "id"}, &yaml.Node{Kind: yaml.ScalarNode, Value: t.id})
	var changes []FieldChange
	for _, k := range sortedKeys(set) {
		if k == "id" || k == "origin" || strings.HasPrefix(k, "origin.") {
			continue
		}
		if err := setPath(root, strings.Split(k, "."), set[k]); err != nil {
			return nil, nil, err
		}
		changes = append(changes, FieldChange{Path: k, New: Display(set[k])})
	}
	if !t.origin.IsZero() {
		o := map[string]any{"system": t.origin.System, "id": t.origin.ID}
		if t.origin.URL != "" {
			o["url"] = t.origin.URL
		}
		on := valueNode("origin", o, nil)
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "origin"}, on)
		changes = append(changes, FieldChange{Path: "origin", New: Display(o)})
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	buf.WriteString("---\n")
	if it.Body != nil {
		buf.WriteString(bodyText(*it.Body))
	}
	out, err := format.Source(it.Kind, buf.Bytes(), false, shape)
	if err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

// update applies set and it.Remove to an existing record, changing only what differs.
func update(it *Item, rec *record.Record, set map[string]any, shape *record.Shape) ([]byte, []FieldChange, bool, error) {
	var changes []FieldChange
	yamlOnly := strings.HasSuffix(rec.File, ".yaml") || strings.HasSuffix(rec.File, ".yml")
	edit := func(root *yaml.Node) error {
		for _, k := range sortedKeys(set) {
			if k == "id" || k == "origin" || strings.HasPrefix(k, "origin.") {
				continue
			}
			parts := strings.Split(k, ".")
			old := lookupPath(root, parts)
			if old != nil && equalValues(record.Value(old, shapeAt(shape, parts)), set[k]) {
				continue
			}
			fc := FieldChange{Path: k, New: Display(set[k])}
			if old != nil {
				fc.Old = Display(record.Value(old, shapeAt(shape, parts)))
			}
			if err := setPath(root, parts, set[k]); err != nil {
				return err
			}
			changes = append(changes, fc)
		}
		rm := slices.Clone(it.Remove)
		sort.Strings(rm)
		for _, k := range rm {
			parts := strings.Split(k, ".")
			old := lookupPath(root, parts)
			if old == nil {
				continue
			}
			fc := FieldChange{Path: k, Old: Display(record.Value(old, shapeAt(shape, parts))), Removed: true}
			if removePath(root, parts) {
				changes = append(changes, fc)
			}
		}
		return nil
	}
	data := rec.Raw
	if len(set) > 0 || len(it.Remove) > 0 {
		out, err := format.Edit(rec.Kind, rec.Raw, yamlOnly, edit)
		if err != nil {
			return nil, nil, false, err
		}
		if len(changes) > 0 {
			data = out
		}
	}
	body := false
	if it.Body != nil && normBody(*it.Body) != normBody(rec.Body) && normBody(*it.Body) != "" {
		if yamlOnly {
			return nil, nil, false, fmt.Errorf("%s is a .yaml record and has no body to write", path.Base(rec.File))
		}
		if !bytes.HasSuffix(data, []byte(rec.Body)) {
			return nil, nil, false, fmt.Errorf("cannot find the body of %s", rec.File)
		}
		nb := bodyText(*it.Body)
		if bytes.Contains(data, []byte("\r\n")) {
			nb = strings.ReplaceAll(nb, "\n", "\r\n")
		}
		data = append(slices.Clone(data[:len(data)-len(rec.Body)]), nb...)
		body = true
	}
	return data, changes, body, nil
}

// declareFields adds the custom fields to reqtrail.yaml's fields:, keeping its comments and
// key order.
func declareFields(old []byte, order []string, declare map[record.Kind]map[string]map[string]any) ([]byte, error) {
	add := func(root *yaml.Node) error {
		fi := find(root, "fields")
		if fi < 0 {
			root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "fields"}, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			fi = len(root.Content) - 2
		}
		fields := root.Content[fi+1]
		if fields.Kind != yaml.MappingNode {
			return fmt.Errorf("fields: is not a mapping")
		}
		for _, kf := range order {
			kind, field, _ := strings.Cut(kf, ".")
			ki := find(fields, kind)
			if ki < 0 {
				fields.Content = append(fields.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kind}, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
				ki = len(fields.Content) - 2
			}
			km := fields.Content[ki+1]
			if km.Kind != yaml.MappingNode {
				return fmt.Errorf("fields.%s is not a mapping", kind)
			}
			if find(km, field) >= 0 {
				continue
			}
			s := valueNode("", map[string]any(declare[record.Kind(kind)][field]), nil)
			flowAll(s)
			km.Content = append(km.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: field}, s)
		}
		return nil
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(old, []byte("\xef\xbb\xbf")))) == 0 {
		root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if err := add(root); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(root); err != nil {
			return nil, err
		}
		_ = enc.Close()
		return buf.Bytes(), nil
	}
	return format.Edit("", old, true, add)
}

// overlay is a read-only file system: base with some files replaced or added.
type overlay struct {
	base  fs.FS
	files fstest.MapFS
}

func newOverlay(base fs.FS, files map[string][]byte) *overlay {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return &overlay{base: base, files: m}
}

func (o *overlay) inOverlay(name string) bool {
	if _, ok := o.files[name]; ok {
		return true
	}
	prefix := name + "/"
	for f := range o.files {
		if name == "." || strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

func (o *overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	if f, err := o.base.Open(name); err == nil {
		return f, nil
	} else if !o.inOverlay(name) {
		return nil, err
	}
	return o.files.Open(name)
}

func (o *overlay) ReadFile(name string) ([]byte, error) {
	if f, ok := o.files[name]; ok {
		return f.Data, nil
	}
	return fs.ReadFile(o.base, name)
}

func (o *overlay) Stat(name string) (fs.FileInfo, error) {
	if _, ok := o.files[name]; ok {
		return fs.Stat(o.files, name)
	}
	fi, err := fs.Stat(o.base, name)
	if err != nil && o.inOverlay(name) {
		return fs.Stat(o.files, name)
	}
	return fi, err
}

func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	base, err := fs.ReadDir(o.base, name)
	if !o.inOverlay(name) {
		return base, err
	}
	extra, _ := fs.ReadDir(o.files, name)
	seen := map[string]int{}
	out := slices.Clone(base)
	for i, e := range out {
		seen[e.Name()] = i
	}
	for _, e := range extra {
		if i, ok := seen[e.Name()]; ok {
			if !e.IsDir() {
				out[i] = e
			}
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
