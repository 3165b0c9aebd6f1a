// Package pin reads the pinned parent and links of requirements (SPEC §11) and rewrites their
// fingerprints in place, changing only fingerprint values (reqtrail review).
package pin

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Link is one parent or link of a requirement, pinned or not, resolved against a repository.
type Link struct {
	// Path is the field path of the reference's id (parent, parent.id or links[i].to); Pin
	// is the path of its fingerprint (parent.fingerprint or links[i].fingerprint).
	Path, Pin []string
	// Type is "parent" or the link's type.
	Type string
	// To is the target id; Target the target requirement, nil when unknown.
	To     string
	Target *record.Record
	// Fingerprint is the pinned fingerprint, "" when unpinned.
	Fingerprint string
}

// Suspect reports whether the link is pinned to a fingerprint that is no longer its target's.
func (l Link) Suspect() bool {
	return l.Fingerprint != "" && l.Target != nil && l.Target.Fingerprint != l.Fingerprint
}

// Describe names the link as a sentence does: "parent REQ-0001", "derived-from link to REQ-0003".
func (l Link) Describe() string {
	if l.Type == "parent" {
		return "parent " + l.To
	}
	return l.Type + " link to " + l.To
}

// Links returns the parent and links of requirement rec, in file order, that name an id
// (a link without "to" is a schema finding, not a link). r resolves targets; it may be nil.
func Links(r *repo.Repo, rec *record.Record) []Link {
	if rec.Req == nil {
		return nil
	}
	target := func(id string) *record.Record {
		if r == nil {
			return nil
		}
		return r.Requirement(id)
	}
	var out []Link
	if q := rec.Req; q.Parent != "" {
		l := Link{Path: []string{"parent"}, Pin: []string{"parent", "fingerprint"}, Type: "parent", To: q.Parent,
			Target: target(q.Parent), Fingerprint: q.ParentFingerprint}
		if n := rec.ValueNode("parent"); n != nil && n.Kind == yaml.MappingNode {
			l.Path = []string{"parent", "id"}
		}
		out = append(out, l)
	}
	for i, k := range rec.Req.Links {
		if k.To == "" {
			continue
		}
		idx := strconv.Itoa(i)
		out = append(out, Link{Path: []string{"links", idx, "to"}, Pin: []string{"links", idx, "fingerprint"},
			Type: k.Type, To: k.To, Target: target(k.To), Fingerprint: k.Fingerprint})
	}
	return out
}

// Suspects returns the suspect links of rec.
func Suspects(r *repo.Repo, rec *record.Record) []Link {
	if !pinned(rec) {
		return nil // most requirements pin nothing: no links to build
	}
	var out []Link
	for _, l := range Links(r, rec) {
		if l.Suspect() {
			out = append(out, l)
		}
	}
	return out
}

// pinned reports whether requirement rec pins its parent or any link.
func pinned(rec *record.Record) bool {
	if rec.Req == nil {
		return false
	}
	if rec.Req.ParentFingerprint != "" {
		return true
	}
	for _, l := range rec.Req.Links {
		if l.Fingerprint != "" {
			return true
		}
	}
	return false
}

// Change is one fingerprint a review writes.
type Change struct {
	Link Link
	// Old is the fingerprint before ("" when the link was unpinned), New the target's current.
	Old, New string
}

// ErrCannotEdit is wrapped by Edit's errors when a file cannot be re-pinned in place safely.
var ErrCannotEdit = errors.New("cannot re-pin in place")

// Edit re-pins rec's pinned links whose fingerprint differs from their target's current
// fingerprint (r resolves targets), and with pinAll also pins unpinned ones; links to unknown
// targets are left alone. It returns the new file content and what changed, or rec.Raw and
// no changes when nothing needs to change. The edit touches only fingerprint values (an
// unpinned parent becomes {id: …, fingerprint: …}; a link gains fingerprint after to), and
// the result is parsed back and compared with the original: an error wrapping ErrCannotEdit
// means the file would have changed in another way and must be left as it is.
func Edit(r *repo.Repo, rec *record.Record, pinAll bool, shape *record.Shape) ([]byte, []Change, error) {
	return EditLinks(r, rec, shape, func(l Link) bool { return l.Fingerprint != "" || pinAll })
}

// EditLinks is Edit for the links pick chooses (a suspect one to re-pin, an unpinned one to
// pin): the language server's "review this link" action edits one link, not the whole file.
// Links whose target is unknown or whose fingerprint is current are never touched.
func EditLinks(r *repo.Repo, rec *record.Record, shape *record.Shape, pick func(Link) bool) ([]byte, []Change, error) {
	if rec.Req == nil || !rec.Parsed() {
		return rec.Raw, nil, nil
	}
	ed := editor{rec: rec, src: rec.Raw, eol: "\n"}
	if i := bytes.IndexByte(rec.Raw, '\n'); i > 0 && rec.Raw[i-1] == '\r' {
		ed.eol = "\r\n"
	}
	var changes []Change
	for _, l := range Links(r, rec) {
		if l.Target == nil || l.Fingerprint == l.Target.Fingerprint || !pick(l) {
			continue
		}
		fp := l.Target.Fingerprint
		var err error
		switch {
		case l.Fingerprint != "":
			err = ed.replaceScalar(rec.ValueNode(l.Pin...), fp)
		case l.Type == "parent":
			err = ed.pinParent(rec.ValueNode("parent"), fp)
		default:
			err = ed.pinLink(rec, l, fp)
		}
		if err != nil {
			return rec.Raw, nil, fmt.Errorf("%s: %s: %w: %v", rec.File, l.Describe(), ErrCannotEdit, err)
		}
		changes = append(changes, Change{Link: l, Old: l.Fingerprint, New: fp})
	}
	if len(changes) == 0 {
		return rec.Raw, nil, nil
	}
	out, err := ed.apply()
	if err != nil {
		return rec.Raw, nil, fmt.Errorf("%s: %w: %v", rec.File, ErrCannotEdit, err)
	}
	if err := Verify(rec, out, shape); err != nil {
		return rec.Raw, nil, fmt.Errorf("%s: %w: %v", rec.File, ErrCannotEdit, err)
	}
	return out, changes, nil
}

// Verify checks that after differs from rec only in fingerprint values of its parent and
// links: it parses, has the same body byte for byte, the same comments, and the same fields
// once every parent is read as its id and every link's fingerprint is dropped.
func Verify(rec *record.Record, after []byte, shape *record.Shape) error {
	got, perr := record.Parse(rec.File, rec.Kind, after, shape)
	if perr != nil {
		return fmt.Errorf("the result does not parse: %s", perr.Message)
	}
	if got.Body != rec.Body {
		return errors.New("the body would change")
	}
	if !reflect.DeepEqual(unpinned(rec.Fields()), unpinned(got.Fields())) {
		return errors.New("a value other than a fingerprint would change")
	}
	if !slicesEqual(comments(rec.Tree()), comments(got.Tree())) {
		return errors.New("a comment would change")
	}
	return nil
}

func slicesEqual(a, b []string) bool { return reflect.DeepEqual(a, b) }

// unpinned returns the fields with parent read as its id and links without fingerprints.
func unpinned(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	if p, ok := out["parent"].(map[string]any); ok {
		if id, ok := p["id"]; ok && len(p) <= 2 {
			if _, hasFP := p["fingerprint"]; hasFP || len(p) == 1 {
				out["parent"] = id
			}
		}
	}
	if l, ok := out["links"].([]any); ok {
		nl := make([]any, len(l))
		for i, e := range l {
			if lm, ok := e.(map[string]any); ok {
				c := make(map[string]any, len(lm))
				for k, v := range lm {
					if k != "fingerprint" {
						c[k] = v
					}
				}
				e = c
			}
			nl[i] = e
		}
		out["links"] = nl
	}
	return out
}

// comments lists every comment of a node tree in order.
func comments(n *yaml.Node) []string {
	var out []string
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			if c != "" {
				out = append(out, c)
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// editor collects byte-range replacements of a source and applies them in one pass.
type editor struct {
	rec   *record.Record
	src   []byte
	eol   string
	edits []edit
}

type edit struct {
	start, end int
	text       string
}

func (e *editor) apply() ([]byte, error) {
	// Edits come in file order, one per link; sort defensively and refuse overlaps.
	for i := 1; i < len(e.edits); i++ {
		for j := i; j > 0 && e.edits[j].start < e.edits[j-1].start; j-- {
			e.edits[j], e.edits[j-1] = e.edits[j-1], e.edits[j]
		}
	}
	var b bytes.Buffer
	last := 0
	for _, ed := range e.edits {
		if ed.start < last {
			return nil, errors.New("overlapping edits")
		}
		b.Write(e.src[last:ed.start])
		b.WriteString(ed.text)
		last = ed.end
	}
	b.Write(e.src[last:])
	return b.Bytes(), nil
}

// offset converts a node's 1-based line and column (in code points) to a byte offset.
func (e *editor) offset(line, col int) (int, error) {
	return e.rec.Position(line, col).Offset, nil
}

// scalarSpan returns the byte range of a single-line scalar node's source text and the text
// inside its quotes.
func (e *editor) scalarSpan(n *yaml.Node) (start, end int, inner [2]int, err error) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, 0, inner, errors.New("not a scalar")
	}
	start, err = e.offset(n.Line, n.Column)
	if err != nil {
		return 0, 0, inner, err
	}
	rest := e.src[start:]
	var text string
	switch n.Style {
	case 0:
		text = n.Value
	case yaml.DoubleQuotedStyle:
		text = `"` + n.Value + `"`
	case yaml.SingleQuotedStyle:
		text = `'` + n.Value + `'`
	default:
		return 0, 0, inner, errors.New("a block or tagged scalar")
	}
	if !bytes.HasPrefix(rest, []byte(text)) {
		return 0, 0, inner, errors.New("the value is not written on one line as it reads")
	}
	end = start + len(text)
	inner = [2]int{start, end}
	if n.Style != 0 {
		inner = [2]int{start + 1, end - 1}
	}
	return start, end, inner, nil
}

// replaceScalar replaces the text of fingerprint scalar n by fp, keeping its quotes.
func (e *editor) replaceScalar(n *yaml.Node, fp string) error {
	_, _, inner, err := e.scalarSpan(n)
	if err != nil {
		return err
	}
	e.edits = append(e.edits, edit{inner[0], inner[1], fp})
	return nil
}

// pinParent turns "parent: REQ-0001" into "parent: {id: REQ-0001, fingerprint: fp}".
func (e *editor) pinParent(n *yaml.Node, fp string) error {
	if n == nil || n.Kind != yaml.ScalarNode {
		return errors.New("parent is not written as an id; write parent: {id: …, fingerprint: …}")
	}
	start, end, _, err := e.scalarSpan(n)
	if err != nil {
		return err
	}
	e.edits = append(e.edits, edit{start, end, "{id: " + string(e.src[start:end]) + ", fingerprint: " + fp + "}"})
	return nil
}

// pinLink adds "fingerprint: fp" after the link's to: ", fingerprint: fp" in a flow mapping,
// a line of its own in a block mapping.
func (e *editor) pinLink(rec *record.Record, l Link, fp string) error {
	item := rec.ValueNode(l.Path[:2]...)
	to := rec.ValueNode(l.Path...)
	if item == nil || item.Kind != yaml.MappingNode || to == nil {
		return errors.New("the link is not a mapping")
	}
	_, end, _, err := e.scalarSpan(to)
	if err != nil {
		return err
	}
	if item.Style&yaml.FlowStyle != 0 {
		e.edits = append(e.edits, edit{end, end, ", fingerprint: " + fp})
		return nil
	}
	// Block style: a new line after the to line, indented like the to key.
	var key *yaml.Node
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i+1] == to {
			key = item.Content[i]
		}
	}
	if key == nil || key.Line != to.Line {
		return errors.New("to is not on its key's line")
	}
	lineEnd := bytes.IndexByte(e.src[end:], '\n')
	if lineEnd < 0 {
		return errors.New("the link ends the file")
	}
	at := end + lineEnd + 1
	indent, err := e.offset(key.Line, key.Column)
	if err != nil {
		return err
	}
	lineStart := bytes.LastIndexByte(e.src[:indent], '\n') + 1
	prefix := e.src[lineStart:indent]
	// The to key may follow "- " on the item's first line: indent with spaces of that width.
	pad := bytes.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, prefix)
	e.edits = append(e.edits, edit{at, at, string(pad) + "fingerprint: " + fp + e.eol})
	return nil
}
