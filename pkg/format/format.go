// Package format rewrites a record's front matter into reqtrail's canonical form — keys in the
// specification's order, two-space indentation — keeping every comment, every unknown key and
// the Markdown body byte for byte.
//
// The canonical form: keys of each kind in the order of SPEC §3 (nested maps and the items of
// lists of maps too), unknown keys after the known ones in their original order, two-space
// indentation, each scalar's quoting style and each list's or map's flow/block style as
// written, a newline after the closing "---". A comment travels with the key it is attached
// to; a leading "# yaml-language-server:" modeline stays first.
//
// Source never loses data: it re-parses its own output and checks that the decoded values,
// the body and every comment survived, and that formatting the output again changes nothing.
// When any of that fails it returns ErrUnsafe and the caller leaves the file as it is.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// ErrUnsafe is returned (wrapped, with the reason) when a file cannot be put in canonical
// form without changing its data or losing a comment; the file must be left unchanged.
var ErrUnsafe = errors.New("cannot be formatted without changing it")

// order is the canonical key order of a mapping: Keys first, in this order; Sub gives the
// order of the value of a key when it is a mapping, or of its items when it is a list of
// mappings.
type order struct {
	Keys []string
	Sub  map[string]*order
}

func keys(k ...string) *order { return &order{Keys: k} }

// Orders holds the canonical key order of each kind's front matter (SPEC §3).
var orders = map[record.Kind]*order{
	record.RequirementKind: {
		Keys: []string{"id", "title", "type", "necessity", "status", "priority", "urgency",
			"feasibility", "source", "owner", "release", "start", "due", "parent", "links",
			"verification", "acceptance-criteria", "metrics", "tags", "origin"},
		Sub: map[string]*order{
			"priority": {
				Keys: []string{"moscow", "kano", "ice", "value", "cost"},
				Sub:  map[string]*order{"ice": keys("impact", "confidence", "ease")},
			},
			"source":  keys("channel", "requester", "date"),
			"parent":  keys("id", "fingerprint"),
			"links":   keys("type", "to", "fingerprint"),
			"metrics": keys("name", "unit", "baseline", "target", "better"),
			"origin":  keys("system", "id", "url"),
		},
	},
	record.ChangeKind: {
		Keys: []string{"id", "title", "status", "action", "affects", "requested-by",
			"requested", "reason", "impact", "decision", "origin"},
		Sub: map[string]*order{
			"origin":   keys("system", "id", "url"),
			"impact":   keys("schedule", "cost", "risk", "notes"),
			"decision": keys("by", "date", "note"),
		},
	},
	record.AcceptanceKind: {
		Keys: []string{"id", "title", "verdict", "date", "accepted-by", "requirements",
			"criteria", "evidence", "origin"},
		Sub: map[string]*order{
			"origin":       keys("system", "id", "url"),
			"requirements": keys("id", "fingerprint"),
			"criteria":     keys("criterion", "met", "requirement"),
		},
	},
	record.FeedbackKind: {
		Keys: []string{"id", "title", "date", "customer", "channel", "contact", "weight",
			"requirements", "origin"},
		Sub: map[string]*order{
			"origin": keys("system", "id", "url"),
		},
	},
	record.EvaluationKind: {
		Keys: []string{"id", "title", "date", "by", "requirements", "period", "results",
			"verdict", "follow-up", "origin"},
		Sub: map[string]*order{
			"period":  keys("from", "to"),
			"results": keys("requirement", "metric", "unit", "baseline", "target", "better", "actual"),
			"origin":  keys("system", "id", "url"),
		},
	},
}

// KeyOrder returns the canonical order of the top-level keys of kind's front matter.
func KeyOrder(kind record.Kind) []string {
	if o := orders[kind]; o != nil {
		return slices.Clone(o.Keys)
	}
	return nil
}

// Order sorts the pairs of front, the root mapping of a record of kind, into canonical order
// in place (nested maps and lists of maps too; unknown keys keep their order after the rest).
func Order(kind record.Kind, front *yaml.Node) { reorder(front, orders[kind]) }

// KeyRank returns the canonical position of key in the mapping at path in the front matter
// of a record of kind (the root mapping for an empty path; for the items of a list of
// mappings, path ends with the list's key), and false for a key the canonical order does not
// know: such keys go after the known ones, in the order they were written.
func KeyRank(kind record.Kind, path []string, key string) (int, bool) {
	i := slices.Index(KeysAt(kind, path), key)
	return i, i >= 0
}

// KeysAt returns the keys of the mapping at path (as for KeyRank) in canonical order, nil
// when the canonical order knows none; the slice is shared and must not be changed.
func KeysAt(kind record.Kind, path []string) []string {
	o := orders[kind]
	for _, p := range path {
		if o == nil {
			return nil
		}
		o = o.Sub[p]
	}
	if o == nil {
		return nil
	}
	return o.Keys
}

var bom = []byte("\xef\xbb\xbf")

const modeline = "# yaml-language-server:"

// file is a record file cut into the parts format touches and the parts it keeps.
type file struct {
	bom      bool
	eol      string // "\n" or "\r\n", from the first line
	fenced   bool   // a .md record: front matter between "---" lines
	front    []byte
	closeEOL bool   // the closing fence line ends with a line break
	body     []byte // everything after the closing fence line, kept byte for byte
}

// split cuts data with record.Cut, keeping the bytes around the front matter and the line
// ending of the first line.
func split(data []byte, yamlOnly bool) (*file, bool) {
	p, err := record.Cut(data, yamlOnly)
	if err != nil {
		return nil, false
	}
	f := &file{eol: "\n", bom: p.BOM, fenced: p.Fenced, front: p.Front, closeEOL: p.CloseEOL, body: p.Body}
	data = bytes.TrimPrefix(data, bom)
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		f.eol = "\r\n"
	}
	return f, true
}

// Source returns data — the content of a record file of kind, a .yaml/.yml front-matter-only
// file when yamlOnly — in canonical form. shape (which may be nil) is the kind's schema shape,
// used to check that the decoded values did not change. A file that cannot be parsed gives a
// *record.ParseError; a file that cannot be formatted safely an error wrapping ErrUnsafe. An
// already canonical file is returned unchanged (the same bytes).
func Source(kind record.Kind, data []byte, yamlOnly bool, shape *record.Shape) ([]byte, error) {
	name := "record.md"
	if yamlOnly {
		name = "record.yaml"
	}
	before, perr := record.Parse(name, kind, data, shape)
	if perr != nil {
		return nil, perr
	}
	return Record(before, shape)
}

// Record is Source for a record already parsed (with the same shape): rec.Raw is formatted.
// A record that did not parse (!rec.Parsed()) gives ErrUnsafe.
func Record(rec *record.Record, shape *record.Shape) (out []byte, err error) {
	defer func() {
		// yaml.v3 is not supposed to panic, but a formatter must never take the tool down.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%w: internal error in the YAML encoder: %v", ErrUnsafe, p)
		}
	}()
	if !rec.Parsed() {
		return nil, fmt.Errorf("%w: the record was not parsed", ErrUnsafe)
	}
	ext := strings.ToLower(path.Ext(rec.File))
	yamlOnly := ext == ".yaml" || ext == ".yml"
	name := "record.md"
	if yamlOnly {
		name = "record.yaml"
	}
	kind, data := rec.Kind, rec.Raw
	out, err = once(kind, data, yamlOnly)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(out, data) {
		return data, nil
	}
	f, _ := split(data, yamlOnly) // once succeeded, so data splits
	if err := verify(rec, name, kind, f.front, out, yamlOnly, shape); err != nil {
		return nil, err
	}
	again, err := once(kind, out, yamlOnly)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, out) {
		return nil, fmt.Errorf("%w: the YAML encoder does not give a stable result for this file", ErrUnsafe)
	}
	return out, nil
}

// once formats data without checking the result.
func once(kind record.Kind, data []byte, yamlOnly bool) ([]byte, error) {
	f, ok := split(data, yamlOnly)
	if !ok {
		return nil, fmt.Errorf("%w: no front matter", ErrUnsafe)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.front, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsafe, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode ||
		len(doc.Content[0].Content) == 0 {
		// Empty or not a mapping: nothing to order, and lint reports it.
		return data, nil
	}
	root := doc.Content[0]
	if root.Style&yaml.FlowStyle != 0 {
		// A front matter written as one flow mapping is left as the author wrote it.
		return data, nil
	}
	markBlankLines(root, strings.Split(strings.ReplaceAll(string(f.front), "\r\n", "\n"), "\n"), true)
	keepModeline(&doc, kind)
	reorder(root, orders[kind])
	if kind == record.RequirementKind {
		flowParent(root)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsafe, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsafe, err)
	}
	front := restoreCommentSpacing(restoreBlankLines(buf.Bytes()), f.front)

	var out bytes.Buffer
	out.Grow(len(data) + 64)
	if f.bom {
		out.Write(bom)
	}
	if f.fenced {
		out.WriteString("---\n")
	}
	out.Write(front)
	if f.fenced {
		out.WriteString("---")
		if f.closeEOL || len(f.body) == 0 {
			out.WriteString("\n")
		}
	}
	res := out.Bytes()
	if f.eol == "\r\n" {
		res = toCRLF(res)
	}
	if f.fenced {
		res = append(res, f.body...)
	}
	return res, nil
}

// blankMark is the head comment line that stands for a blank line while the front matter goes
// through the YAML encoder (which drops blank lines); restoreBlankLines turns it back.
const blankMark = "#\u2063reqtrail-fmt-blank-line\u2063"

// markBlankLines records, on each key of the block mappings under m (and each item of the
// block lists), whether a blank line separated it, or its head comment, from what came before
// in lines (the front matter's lines): the blank line then travels with the key when keys are
// ordered. Runs of blank lines become one; a blank line before the first key goes.
func markBlankLines(m *yaml.Node, lines []string, root bool) {
	if m.Style&yaml.FlowStyle != 0 {
		return
	}
	var heads []*yaml.Node // the nodes whose head comment starts an entry
	switch m.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(m.Content); i += 2 {
			heads = append(heads, m.Content[i])
			markBlankLines(m.Content[i+1], lines, false)
		}
	case yaml.SequenceNode:
		for _, it := range m.Content {
			heads = append(heads, it)
			markBlankLines(it, lines, false)
		}
	default:
		return
	}
	for i, k := range heads {
		if root && i == 0 {
			continue
		}
		l := k.Line - 2 // 0-based index of the line above the entry
		comment := k.HeadComment != ""
		above, beforeComment := false, false
		for ; l >= 0; l-- {
			t := strings.TrimSpace(lines[l])
			if t == "" {
				if comment {
					beforeComment = true
				} else {
					above = true
				}
				continue
			}
			if strings.HasPrefix(t, "#") && comment {
				continue
			}
			break
		}
		if l < 0 {
			continue
		}
		// A blank line between the head comment and the key: yaml.v3 keeps it as a trailing
		// newline of the comment.
		if comment && strings.HasSuffix(k.HeadComment, "\n") {
			k.HeadComment = strings.TrimRight(k.HeadComment, "\n") + "\n" + blankMark
		}
		switch {
		case above:
			k.HeadComment = blankMark
		case beforeComment && comment:
			k.HeadComment = blankMark + "\n" + k.HeadComment
		}
	}
}

// restoreBlankLines turns the lines markBlankLines added back into blank lines, one per run.
func restoreBlankLines(out []byte) []byte {
	if !bytes.Contains(out, []byte(blankMark)) {
		return out
	}
	lines := strings.Split(string(out), "\n")
	res := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) == blankMark {
			l = ""
		}
		if l == "" && len(res) > 0 && res[len(res)-1] == "" {
			continue
		}
		res = append(res, l)
	}
	return []byte(strings.Join(res, "\n"))
}

// keepModeline keeps a "# yaml-language-server:" comment at the top when the key it sits
// above is not the first key once ordered: it becomes the document's head comment.
func keepModeline(doc *yaml.Node, kind record.Kind) {
	root := doc.Content[0]
	first := root.Content[0]
	if !strings.HasPrefix(first.HeadComment, modeline) {
		return
	}
	if o := orders[kind]; o != nil && len(o.Keys) > 0 && first.Value == o.Keys[0] {
		return
	}
	lines := strings.Split(first.HeadComment, "\n")
	n := 0
	for n < len(lines) && strings.HasPrefix(lines[n], modeline) {
		n++
	}
	head := strings.Join(lines[:n], "\n")
	first.HeadComment = strings.Join(lines[n:], "\n")
	if doc.HeadComment != "" {
		doc.HeadComment = head + "\n" + doc.HeadComment
	} else {
		doc.HeadComment = head
	}
}

// reorder sorts the pairs of mapping m into canonical order (stable: unknown keys keep their
// relative order after the known ones) and recurses into the values o knows about.
func reorder(m *yaml.Node, o *order) {
	if m == nil || m.Kind != yaml.MappingNode || o == nil || len(m.Content) == 0 || len(m.Content)%2 != 0 {
		return
	}
	rank := make(map[string]int, len(o.Keys))
	for i, k := range o.Keys {
		rank[k] = i
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		pairs = append(pairs, pair{m.Content[i], m.Content[i+1]})
	}
	pos := func(p pair) int {
		if p.k.Kind == yaml.ScalarNode {
			if r, ok := rank[p.k.Value]; ok {
				return r
			}
		}
		return len(o.Keys)
	}
	// A comment after the last pair closes the mapping (yaml.v3 attaches it to that pair as
	// a foot comment): it stays at the end when the pair moves.
	last := pairs[len(pairs)-1]
	foot := ""
	for _, n := range []*yaml.Node{last.k, last.v} {
		if n.FootComment != "" {
			foot, n.FootComment = n.FootComment, ""
			break
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return pos(a) - pos(b) })
	if foot != "" {
		end := pairs[len(pairs)-1].k
		if end.FootComment != "" {
			foot = end.FootComment + "\n" + foot
		}
		end.FootComment = foot
	}
	for i, p := range pairs {
		m.Content[2*i], m.Content[2*i+1] = p.k, p.v
		if p.k.Kind != yaml.ScalarNode {
			continue
		}
		sub := o.Sub[p.k.Value]
		if sub == nil {
			continue
		}
		switch p.v.Kind {
		case yaml.MappingNode:
			reorder(p.v, sub)
		case yaml.SequenceNode:
			for _, item := range p.v.Content {
				reorder(item, sub)
			}
		}
	}
}

// flowParent writes a pinned parent ({id, fingerprint}) in flow style on the parent line
// (SPEC §3), unless a comment inside it would be lost that way.
func flowParent(root *yaml.Node) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "parent" || v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 {
			continue
		}
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode || c.HeadComment != "" || c.LineComment != "" || c.FootComment != "" {
				return
			}
		}
		v.Style |= yaml.FlowStyle
	}
}

// restoreCommentSpacing gives back each line comment its original spacing: when an output
// line ends in a comment and an input line has the same content and comment (indentation
// aside), the run of spaces before the "#" is taken from the input, so aligned comments
// stay aligned.
func restoreCommentSpacing(out, in []byte) []byte {
	if !bytes.Contains(out, []byte(" #")) {
		return out
	}
	gaps := map[string]string{}
	for l := range strings.SplitSeq(strings.ReplaceAll(string(in), "\r\n", "\n"), "\n") {
		if _, content, gap, comment, ok := splitComment(strings.TrimRight(l, " \t")); ok {
			k := content + "\x00" + comment
			if _, dup := gaps[k]; !dup {
				gaps[k] = gap
			}
		}
	}
	if len(gaps) == 0 {
		return out
	}
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		// yaml.v3 writes one space before a line comment; anything else is inside a string.
		if indent, content, g, comment, ok := splitComment(l); ok && g == " " {
			if gap, found := gaps[content+"\x00"+comment]; found {
				lines[i] = indent + content + gap + comment
			}
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// splitComment cuts a line "  key: value   # comment" into its indentation, its content, the
// white space before the comment and the comment; ok is false unless both content and
// comment are there.
func splitComment(line string) (indent, content, gap, comment string, ok bool) {
	i := strings.LastIndex(line, " #")
	if i <= 0 {
		return "", "", "", "", false
	}
	body := strings.TrimRight(line[:i+1], " \t")
	content = strings.TrimLeft(body, " ")
	if content == "" || strings.HasSuffix(content, "-") {
		return "", "", "", "", false
	}
	return body[:len(body)-len(content)], content, line[len(body) : i+1], line[i+1:], true
}

func toCRLF(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + bytes.Count(b, []byte("\n")))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out.Write(b)
			break
		}
		line := bytes.TrimSuffix(b[:i], []byte("\r"))
		out.Write(line)
		out.WriteString("\r\n")
		b = b[i+1:]
	}
	return out.Bytes()
}

// verify checks that out holds the same record as data: same decoded values (with the
// schema's shape and by YAML tags alone), same body, same comments.
func verify(before *record.Record, name string, kind record.Kind, front, out []byte, yamlOnly bool, shape *record.Shape) error {
	after, perr := record.Parse(name, kind, out, shape)
	if perr != nil {
		return fmt.Errorf("%w: the formatted front matter does not parse (%s)", ErrUnsafe, perr.Message)
	}
	if after.Body != before.Body {
		return fmt.Errorf("%w: the body would change", ErrUnsafe)
	}
	if !reflect.DeepEqual(after.Fields(), before.Fields()) {
		return fmt.Errorf("%w: a value would change", ErrUnsafe)
	}
	if !sameTree(before.Tree(), after.Tree()) {
		return fmt.Errorf("%w: a value's YAML type would change", ErrUnsafe)
	}
	if missing := lostComment(front, out, yamlOnly); missing != "" {
		return fmt.Errorf("%w: the comment %q would be lost", ErrUnsafe, missing)
	}
	return nil
}

// sameTree compares two node trees by kind, resolved tag and value, ignoring the order of
// mapping keys (pairs are compared in key order, stably, so duplicate keys still count).
func sameTree(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	case yaml.MappingNode:
		pa, pb := sortedPairs(a), sortedPairs(b)
		for i := range pa {
			if !sameTree(pa[i][0], pb[i][0]) || !sameTree(pa[i][1], pb[i][1]) {
				return false
			}
		}
		return true
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

func sortedPairs(m *yaml.Node) [][2]*yaml.Node {
	ps := make([][2]*yaml.Node, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		ps = append(ps, [2]*yaml.Node{m.Content[i], m.Content[i+1]})
	}
	slices.SortStableFunc(ps, func(x, y [2]*yaml.Node) int { return strings.Compare(x[0].Value, y[0].Value) })
	return ps
}

// lostComment returns a comment of the input that the output lacks, or "". It checks both
// the comments yaml.v3 attached to nodes and every "#…" run of the raw text that starts a
// line or follows white space, so a comment the parser itself dropped is caught too (a "#"
// inside a string that the encoder re-wrapped is reported as well: false alarms only leave
// a file unformatted).
func lostComment(front, out []byte, yamlOnly bool) string {
	g, ok := split(out, yamlOnly)
	if !ok {
		return "(all)"
	}
	var a, b yaml.Node
	if yaml.Unmarshal(front, &a) != nil || yaml.Unmarshal(g.front, &b) != nil {
		return "(all)"
	}
	count := map[string]int{}
	collectComments(&a, func(c string) { count[c]++ })
	collectComments(&b, func(c string) { count[c]-- })
	for c, n := range count {
		if n > 0 {
			return c
		}
	}
	text := string(out)
	for l := range strings.SplitSeq(string(front), "\n") {
		l = strings.TrimRight(l, " \t\r")
		for i := 0; i < len(l); i++ {
			if l[i] == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
				if !strings.Contains(text, l[i:]) {
					return l[i:]
				}
				break
			}
		}
	}
	return ""
}

func collectComments(n *yaml.Node, f func(string)) {
	if n == nil {
		return
	}
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for l := range strings.SplitSeq(c, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				f(l)
			}
		}
	}
	for _, c := range n.Content {
		collectComments(c, f)
	}
}
