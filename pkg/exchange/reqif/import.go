package reqif

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/internal/parallel"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/exchange/outline"
)

// FieldSpec describes a front-matter field an attribute may map to.
type FieldSpec struct {
	Type string   // string | integer | number | boolean | list | yaml
	Enum []string // allowed values, for enumerated fields
}

// ImportOptions steer the mapping of ReqIF objects to items.
type ImportOptions struct {
	// Fields are the known fields by key (dotted paths for nested ones: priority.moscow),
	// built-in and declared under fields:.
	Fields map[string]FieldSpec
	// KindFields are the known fields of the other kinds, by kind (Fields are the
	// requirements').
	KindFields map[string]map[string]FieldSpec
	// Map maps an attribute's LONG-NAME (or an enumeration value's) to a field key or value;
	// "-" drops the attribute.
	Map map[string]string
	// Types maps a SPEC-OBJECT-TYPE LONG-NAME to a kind.
	Types map[string]string
	// Kinds are the kinds objects may map to by a type named reqtrail.<kind>.
	Kinds []string
	// ReservedKeys are keys a custom field may not take (they get an x- prefix).
	ReservedKeys map[string]bool
}

// AttachMarker stands for the record id in attachment links of an item's body; the importer
// replaces it once ids are assigned.
const AttachMarker = "\uE000"

// Standard attribute names.
const (
	AttrText      = "ReqIF.Text"
	AttrName      = "ReqIF.Name"
	AttrChapter   = "ReqIF.ChapterName"
	AttrForeignID = "ReqIF.ForeignID"
	AttrMarkdown  = "reqtrail.Markdown"
	AttrID        = "reqtrail.ID"
	AttrFolder    = "reqtrail.Folder"
)

// Items maps every document of p to items: SPEC-OBJECTs in hierarchy order (chapters become
// folders), relations to links.
func Items(p *Package, o ImportOptions) (*outline.Source, error) {
	src := &outline.Source{}
	nspecs := 0
	for _, d := range p.Documents {
		nspecs += len(d.Specifications)
	}
	for i, d := range p.Documents {
		m := &mapper{p: p, d: d, o: o, src: src, file: p.Files[i], items: map[string]*outline.Item{},
			seen: map[string]bool{}, system: "reqif:" + d.Header.Identifier}
		if d.Header.Identifier == "" {
			m.system = "reqif:" + strings.TrimSuffix(path.Base(p.Files[i]), path.Ext(p.Files[i]))
		}
		if err := m.run(nspecs > 1); err != nil {
			return nil, err
		}
	}
	return src, nil
}

type mapper struct {
	p      *Package
	d      *Document
	o      ImportOptions
	src    *outline.Source
	file   string
	system string
	items  map[string]*outline.Item // by object IDENTIFIER
	seen   map[string]bool          // objects placed in a hierarchy
	steps  []step                   // what the walk does, in order (make)
	// enums caches enumValues by attribute definition and allowed values (each worker of
	// make has its own).
	enums map[enumKey]enumMap
}

type enumKey struct {
	def     *AttrDef
	allowed *string // the first allowed value: the field's enumeration, by identity
	n       int
}

type enumMap struct {
	vals map[string]string
	ok   bool
}

func (m *mapper) pos(p Pos) exchange.Pos {
	return exchange.Pos{File: m.file, Line: p.Line, Column: p.Column}
}

func (m *mapper) run(specFolders bool) error {
	for _, s := range m.d.Specifications {
		var folder []string
		if specFolders {
			name := s.Name
			if name == "" {
				name = s.ID
			}
			folder = []string{name}
		}
		m.walk(s.Children, folder, "")
	}
	// Objects in no hierarchy are imported too, at the top.
	for _, id := range m.d.ObjectOrder {
		if !m.seen[id] {
			m.place(m.d.Objects[id], nil, "")
		}
	}
	if err := m.make(); err != nil {
		return err
	}
	m.relations()
	return nil
}

// step is one thing the walk over the hierarchy does, in order: a note, an object to make
// into an item (obj), or a relates-to link between two items (from, to).
type step struct {
	note     string
	obj      *Object
	folder   []string
	parent   string
	from, to string
	// What making the item gave.
	it    *outline.Item
	notes []string
	err   error
}

// place adds the step that makes object o into an item under folder and parent, and
// returns the key of the record its children are under.
func (m *mapper) place(o *Object, folder []string, parent string) string {
	m.seen[o.ID] = true
	m.steps = append(m.steps, step{obj: o, folder: folder, parent: parent})
	if m.kindOf(o) == "" {
		return parent
	}
	return o.ID
}

func (m *mapper) note(format string, args ...any) {
	m.steps = append(m.steps, step{note: fmt.Sprintf(format, args...)})
}

// make makes the items of the steps on every core (each object's item is its own), then
// takes the notes, items and links in the walk's order: the first error stops it, as it
// would have stopped a walk that made each item on its way.
func (m *mapper) make() error {
	var objs []int
	for i := range m.steps {
		if m.steps[i].obj != nil {
			objs = append(objs, i)
		}
	}
	// Each worker has a mapper of its own, for the notes and the enumerations.
	workers := parallel.Workers(len(objs), 64)
	mappers := make([]mapper, workers)
	for w := range mappers {
		mappers[w] = *m
		mappers[w].enums = map[enumKey]enumMap{}
	}
	parallel.For(len(objs), workers, func(w, k int) {
		st, wm := &m.steps[objs[k]], &mappers[w]
		wm.src = &outline.Source{}
		st.it, st.err = wm.item(st.obj, st.folder, st.parent)
		st.notes = wm.src.Notes
	})
	for i := range m.steps {
		st := &m.steps[i]
		switch {
		case st.obj != nil:
			if st.err != nil {
				return st.err
			}
			m.src.Notes = append(m.src.Notes, st.notes...)
			if st.it != nil {
				m.items[st.obj.ID] = st.it
				m.src.Items = append(m.src.Items, st.it)
			}
		case st.from != "":
			if it := m.items[st.from]; it != nil && !hasLink(it, st.to) {
				it.Links = append(it.Links, outline.Link{Type: "relates-to", To: st.to})
			}
		default:
			m.src.Notes = append(m.src.Notes, st.note)
		}
	}
	m.steps = nil
	return nil
}

// walk places the hierarchy nodes hs under folder, with parent as the enclosing record's key.
func (m *mapper) walk(hs []*Hierarchy, folder []string, parent string) {
	for _, h := range hs {
		o := m.d.Objects[h.Object]
		if o == nil {
			m.note("%s: SPEC-HIERARCHY %s names object %q, which is not in the file", m.pos(h.Pos), h.ID, h.Object)
			m.walk(h.Children, folder, parent)
			continue
		}
		if m.seen[o.ID] {
			// A repeated occurrence: a relates-to link from the enclosing record.
			if parent != "" && parent != o.ID {
				m.steps = append(m.steps, step{from: parent, to: o.ID})
			}
			m.walk(h.Children, folder, parent)
			continue
		}
		if len(h.Children) > 0 && m.isChapter(o) {
			m.seen[o.ID] = true
			m.chapterNotes(o)
			m.walk(h.Children, append(append([]string(nil), folder...), m.chapterName(o)), parent)
			continue
		}
		m.walk(h.Children, folder, m.place(o, folder, parent))
	}
}

func hasLink(it *outline.Item, to string) bool {
	for _, l := range it.Links {
		if l.To == to {
			return true
		}
	}
	return false
}

// isChapter: no ReqIF.Text (or an empty one) and no reqtrail.Markdown.
func (m *mapper) isChapter(o *Object) bool {
	for _, v := range m.d.ValuesOf(o) {
		switch m.d.DefName(v.Def) {
		case AttrText, AttrMarkdown:
			if strings.TrimSpace(m.valueText(v)) != "" {
				return false
			}
		case AttrFolder:
			return true
		case AttrName, AttrChapter:
		default:
			if _, mapped := m.o.Map[m.d.DefName(v.Def)]; v.Kind == KindXHTML && !mapped && strings.TrimSpace(PlainText(v.XHTML)) != "" {
				return false
			}
		}
	}
	return true
}

// chapterNotes lists the values of a chapter object other than its name: a chapter is a
// folder, so they have no home, and the summary says so rather than dropping them silently.
func (m *mapper) chapterNotes(o *Object) {
	for _, v := range o.Values { // defaults are the type's, not the chapter's
		switch m.d.DefName(v.Def) {
		case AttrName, AttrChapter, AttrFolder, AttrText, AttrMarkdown:
			continue
		}
		if t := strings.TrimSpace(m.valueText(v)); t != "" {
			m.note("%s: chapter %q becomes a folder; its %s %q is not imported",
				m.pos(o.Pos), m.chapterName(o), m.d.DefName(v.Def), t)
		}
	}
}

func (m *mapper) chapterName(o *Object) string {
	var name, folder string
	for _, v := range m.d.ValuesOf(o) {
		switch m.d.DefName(v.Def) {
		case AttrFolder:
			folder = m.valueText(v)
		case AttrChapter:
			name = m.valueText(v)
		case AttrName:
			if name == "" {
				name = m.valueText(v)
			}
		}
	}
	switch {
	case folder != "":
		return folder
	case strings.TrimSpace(name) != "":
		return name
	case o.Name != "":
		return o.Name
	}
	return o.ID
}

// valueText is a value as plain text (XHTML flattened, enumerations by name).
func (m *mapper) valueText(v *Value) string {
	switch v.Kind {
	case KindXHTML:
		return PlainText(v.XHTML)
	case KindEnum:
		var names []string
		dt := ""
		if a := m.d.AttrDefs[v.Def]; a != nil {
			dt = a.Datatype
		}
		for _, e := range v.Enum {
			names = append(names, m.d.EnumName(dt, e))
		}
		return strings.Join(names, ", ")
	}
	return v.Text
}

var keyRun = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// FieldKey is the custom-field key for a foreign name: lower-cased, runs of characters other
// than letters and digits turned into "-".
func FieldKey(name string) string {
	k := strings.Trim(keyRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if k == "" {
		k = "field"
	}
	if k[0] >= '0' && k[0] <= '9' {
		k = "x-" + k
	}
	return k
}

func (m *mapper) kindOf(o *Object) string {
	tn := m.d.TypeName(o.Type)
	if k, ok := m.o.Types[tn]; ok {
		return k
	}
	if k, ok := strings.CutPrefix(tn, "reqtrail."); ok {
		for _, known := range m.o.Kinds {
			if k == known {
				return k
			}
		}
		if k != "requirement" {
			return "" // reqtrail's export of a kind the import does not write (acceptance records)
		}
	}
	return "requirement"
}

// item makes the item of object o (nil, with a note, when its kind is not imported). It
// changes nothing but m.src.Notes: the items of a document are made on every core, each
// with a mapper of its own.
func (m *mapper) item(o *Object, folder []string, parent string) (*outline.Item, error) {
	kind := m.kindOf(o)
	if kind == "" {
		m.src.Notes = append(m.src.Notes, fmt.Sprintf("%s: %s is a %s; that kind is not imported", m.pos(o.Pos), o.ID, m.d.TypeName(o.Type)))
		return nil, nil
	}
	it := &outline.Item{Kind: kind, System: m.system, Key: o.ID, Folder: folder, Parent: parent, Pos: m.pos(o.Pos)}
	var markdown, text, name, chapter, firstString string
	haveMarkdown, haveText := false, false
	// Without ReqIF.Text, the first XHTML attribute with content is the body (DOORS names it
	// "Object Text", tools their own way).
	var bodyDef string
	for _, v := range m.d.ValuesOf(o) {
		if n := m.d.DefName(v.Def); n == AttrText || n == AttrMarkdown {
			bodyDef = ""
			break
		} else if _, mapped := m.o.Map[n]; bodyDef == "" && !mapped && v.Kind == KindXHTML && n != AttrName && n != AttrChapter && strings.TrimSpace(PlainText(v.XHTML)) != "" {
			bodyDef = v.Def
		}
	}
	for _, v := range m.d.ValuesOf(o) {
		def := m.d.AttrDefs[v.Def]
		defName := m.d.DefName(v.Def)
		if mapped, ok := m.o.Map[defName]; ok && mapped == "-" {
			continue
		}
		switch defName {
		case AttrMarkdown:
			markdown, haveMarkdown = v.Text, true
			continue
		case AttrID:
			it.ID = strings.TrimSpace(v.Text)
			continue
		case AttrFolder:
			continue
		case AttrText:
			haveText = true
			if v.Kind == KindXHTML {
				text = m.markdown(v.XHTML, it)
			} else {
				text = v.Text
			}
			continue
		case AttrName:
			name = m.valueText(v)
			continue
		case AttrChapter:
			chapter = m.valueText(v)
			continue
		case AttrForeignID:
			it.Fields = append(it.Fields, outline.Field{Key: "foreign-id", Value: m.valueText(v), Custom: true,
				Decl: map[string]any{"type": "string"}, Name: defName})
			continue
		}
		if bodyDef != "" && v.Def == bodyDef && !haveText {
			text = m.markdown(v.XHTML, it)
			continue
		}
		if v.Kind == KindString && firstString == "" && strings.TrimSpace(v.Text) != "" {
			firstString = v.Text
		}
		f, err := m.field(v, def, defName, it)
		if err != nil {
			return nil, err
		}
		if f != nil {
			it.Fields = append(it.Fields, *f)
		}
	}
	switch {
	case haveMarkdown:
		it.Body, it.HasBody = markdown, true
	default:
		it.Body, it.HasBody = text, true
	}
	title := firstNonEmpty(name, chapter, firstString, o.Name, firstLine(it.Body))
	if title == "" {
		title = firstLine(it.Body)
	}
	if title == "" {
		title = o.ID
	}
	it.Title = oneLine(title)
	return it, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// titleMarkup is the Markdown markup a title taken from a body's first line drops.
var titleMarkup = strings.NewReplacer(`\`, "", "**", "", "`", "")

func firstLine(body string) string {
	for l := range strings.SplitSeq(body, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(l, "#>-*+ "))
		if l != "" {
			l = titleMarkup.Replace(l)
			if r := []rune(l); len(r) > 120 {
				l = string(r[:120])
			}
			return l
		}
	}
	return ""
}

// markdown converts XHTML to Markdown, taking images from the archive as attachments.
func (m *mapper) markdown(n *Node, it *outline.Item) string {
	c := &Converter{Object: func(data, mime string) string {
		if data == "" {
			return ""
		}
		l := strings.ToLower(data)
		if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			return data
		}
		a := m.attachment(data)
		if a == nil {
			m.src.Notes = append(m.src.Notes, fmt.Sprintf("%s: object %q is not in the archive; kept as text", it.Pos, data))
			return ""
		}
		name := exchange.SafeName(a.Name)
		if name == "" {
			name = "file"
		}
		for _, x := range it.Attachments {
			if x.Name == name {
				return AttachMarker + ".files/" + name
			}
		}
		it.Attachments = append(it.Attachments, outline.Attachment{Name: name, Data: a.Data})
		return AttachMarker + ".files/" + name
	}}
	return c.Markdown(n)
}

func (m *mapper) attachment(data string) *Attachment {
	data = strings.ReplaceAll(data, `\`, "/")
	if strings.Contains(data, "://") || strings.HasPrefix(data, "/") {
		return nil
	}
	clean := path.Clean(data)
	if strings.HasPrefix(clean, "../") || clean == ".." {
		return nil
	}
	if a := m.p.Attachment(clean); a != nil {
		return a
	}
	if dir := path.Dir(m.file); dir != "." {
		if a := m.p.Attachment(path.Join(dir, clean)); a != nil {
			return a
		}
	}
	return nil
}

// field maps one attribute value to a field: a known field when the name matches (and, for
// enumerations, every value maps), else a custom field.
func (m *mapper) field(v *Value, def *AttrDef, defName string, it *outline.Item) (*outline.Field, error) {
	key := defName
	if mapped, ok := m.o.Map[defName]; ok {
		key = mapped
	}
	fields := m.o.Fields
	if kf, ok := m.o.KindFields[it.Kind]; ok && it.Kind != "requirement" {
		fields = kf
	}
	spec, known := fields[key]
	if !known {
		if k := strings.ToLower(key); k != key {
			spec, known = fields[k]
			if known {
				key = k
			}
		}
	}
	if known && v.Kind == KindEnum && len(spec.Enum) > 0 {
		if vals, ok := m.enumValues(def, spec.Enum); ok {
			var out []string
			for _, e := range v.Enum {
				out = append(out, vals[e])
			}
			if len(out) == 0 {
				return nil, nil
			}
			if spec.Type == "list" {
				return &outline.Field{Key: key, Value: out, Name: defName}, nil
			}
			return &outline.Field{Key: key, Value: out[0], Name: defName}, nil
		}
		known = false
	}
	if known {
		val, err := m.typed(v, spec, it)
		if err != nil {
			return nil, &Error{File: m.file, Pos: v.Pos, Msg: fmt.Sprintf("attribute %q: %v", defName, err)}
		}
		if val == nil {
			return nil, nil
		}
		return &outline.Field{Key: key, Value: val, Name: defName}, nil
	}
	// A custom field.
	ck := FieldKey(key)
	if m.o.ReservedKeys[ck] {
		ck = "x-" + ck
	}
	if spec, ok := fields[ck]; ok && !strings.Contains(ck, ".") {
		// Declared already: typed as declared.
		if v.Kind == KindEnum {
			names := m.enumNames(v, def)
			if spec.Type == "list" {
				return &outline.Field{Key: ck, Value: names, Custom: true, Name: defName}, nil
			}
			if len(names) == 0 {
				return nil, nil
			}
			return &outline.Field{Key: ck, Value: names[0], Custom: true, Name: defName}, nil
		}
		val, err := m.typed(v, spec, it)
		if err != nil {
			return nil, &Error{File: m.file, Pos: v.Pos, Msg: fmt.Sprintf("attribute %q: %v", defName, err)}
		}
		if val == nil {
			return nil, nil
		}
		return &outline.Field{Key: ck, Value: val, Custom: true, Name: defName}, nil
	}
	f := &outline.Field{Key: ck, Custom: true, Name: defName}
	switch v.Kind {
	case KindEnum:
		names := m.enumNames(v, def)
		all := []any{}
		if def != nil {
			if dt := m.d.Datatypes[def.Datatype]; dt != nil {
				for _, e := range dt.Values {
					all = append(all, m.d.EnumName(dt.ID, e.ID))
				}
			}
		}
		if def != nil && def.Multi {
			f.Decl = map[string]any{"type": "array", "items": map[string]any{"enum": all}}
			f.Value = names
		} else {
			f.Decl = map[string]any{"enum": all}
			if len(names) == 0 {
				return nil, nil
			}
			f.Value = names[0]
		}
	case KindInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(v.Text), 10, 64)
		if err != nil {
			return nil, &Error{File: m.file, Pos: v.Pos, Msg: fmt.Sprintf("attribute %q: %q is not an integer", defName, v.Text)}
		}
		f.Decl, f.Value = map[string]any{"type": "integer"}, n
	case KindReal:
		x, err := strconv.ParseFloat(strings.TrimSpace(v.Text), 64)
		if err != nil {
			return nil, &Error{File: m.file, Pos: v.Pos, Msg: fmt.Sprintf("attribute %q: %q is not a number", defName, v.Text)}
		}
		f.Decl, f.Value = map[string]any{"type": "number"}, x
	case KindBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(v.Text))
		if err != nil {
			return nil, &Error{File: m.file, Pos: v.Pos, Msg: fmt.Sprintf("attribute %q: %q is not a boolean", defName, v.Text)}
		}
		f.Decl, f.Value = map[string]any{"type": "boolean"}, b
	case KindXHTML:
		f.Decl, f.Value = map[string]any{"type": "string"}, strings.TrimRight(m.markdown(v.XHTML, it), "\n")
	default:
		if strings.TrimSpace(v.Text) == "" {
			return nil, nil
		}
		f.Decl, f.Value = map[string]any{"type": "string"}, v.Text
	}
	return f, nil
}

func (m *mapper) enumNames(v *Value, def *AttrDef) []string {
	dt := ""
	if def != nil {
		dt = def.Datatype
	}
	names := []string{}
	for _, e := range v.Enum {
		names = append(names, m.d.EnumName(dt, e))
	}
	return names
}

// enumValues maps every value of def's enumeration to one of allowed (by name, case-
// insensitively, or by Map); ok is false when one does not map.
func (m *mapper) enumValues(def *AttrDef, allowed []string) (map[string]string, bool) {
	if def == nil {
		return nil, false
	}
	if len(allowed) == 0 {
		return m.mapEnum(def, allowed)
	}
	k := enumKey{def: def, allowed: &allowed[0], n: len(allowed)}
	if e, ok := m.enums[k]; ok {
		return e.vals, e.ok
	}
	vals, ok := m.mapEnum(def, allowed)
	if m.enums != nil {
		m.enums[k] = enumMap{vals, ok}
	}
	return vals, ok
}

// mapEnum is enumValues, not cached.
func (m *mapper) mapEnum(def *AttrDef, allowed []string) (map[string]string, bool) {
	dt := m.d.Datatypes[def.Datatype]
	if dt == nil {
		return nil, false
	}
	out := map[string]string{}
	for _, e := range dt.Values {
		name := m.d.EnumName(dt.ID, e.ID)
		if mapped, ok := m.o.Map[name]; ok {
			name = mapped
		}
		found := ""
		for _, a := range allowed {
			if strings.EqualFold(a, strings.TrimSpace(name)) {
				found = a
			}
		}
		if found == "" {
			return nil, false
		}
		out[e.ID] = found
	}
	return out, true
}

// typed converts a value to the Go value of a known field.
func (m *mapper) typed(v *Value, spec FieldSpec, it *outline.Item) (any, error) {
	text := v.Text
	switch v.Kind {
	case KindXHTML:
		text = strings.TrimRight(m.markdown(v.XHTML, it), "\n")
	case KindEnum:
		text = m.valueText(v)
	}
	switch spec.Type {
	case "integer":
		if strings.TrimSpace(text) == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", text)
		}
		return n, nil
	case "number":
		if strings.TrimSpace(text) == "" {
			return nil, nil
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		return x, nil
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%q is not a boolean", text)
		}
		return b, nil
	case "list":
		out := []string{}
		for l := range strings.SplitSeq(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out, nil
	case "yaml":
		var val any
		if err := yaml.Unmarshal([]byte(text), &val); err != nil {
			return nil, fmt.Errorf("not YAML: %v", err)
		}
		return outline.YAML{Text: text}, nil
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	return text, nil
}

// relations turns SPEC-RELATIONs into links; a relation with an end outside the imported
// records is noted and kept in external-links.
func (m *mapper) relations() {
	for _, r := range m.d.Relations {
		tn := m.d.TypeName(r.Type)
		if strings.HasPrefix(tn, "reqtrail.") && tn != parentRelation {
			continue // the ids a record of another kind names: its attribute carries them
		}
		typ := LinkType(tn)
		src, dst := m.items[r.Source], m.items[r.Target]
		switch {
		case tn == parentRelation && src != nil && dst != nil && src.Parent == "":
			src.Parent = r.Target
		case src != nil && dst != nil:
			if r.Source == r.Target || hasLink(src, r.Target) || (src.Parent == r.Target && typ == "derived-from") {
				continue // the parent already says it
			}
			src.Links = append(src.Links, outline.Link{Type: typ, To: r.Target})
		case src != nil || dst != nil:
			in, other := src, r.Target
			if in == nil {
				in, other = dst, r.Source
			}
			m.src.Notes = append(m.src.Notes, fmt.Sprintf("%s: SPEC-RELATION %s: %s is not a record in the file; kept in external-links of %s", m.pos(r.Pos), r.ID, other, in.Key))
			ext := in.Field("external-links")
			if ext == nil {
				in.Fields = append(in.Fields, outline.Field{Key: "external-links", Value: []string{}, Custom: true,
					Decl: map[string]any{"type": "array", "items": map[string]any{"type": "string"}}, Name: "SPEC-RELATION"})
				ext = &in.Fields[len(in.Fields)-1]
			}
			ext.Value = append(ext.Value.([]string), typ+" "+other)
		default:
			m.src.Notes = append(m.src.Notes, fmt.Sprintf("%s: SPEC-RELATION %s: neither end is a record in the file; dropped", m.pos(r.Pos), r.ID))
		}
	}
}

// LinkType is the reqtrail link type of a relation type name.
func LinkType(name string) string {
	l := strings.ToLower(name)
	switch l {
	case "depends-on", "conflicts-with", "derived-from", "relates-to":
		return l
	}
	for _, w := range []string{"parent", "refine", "satisf", "deriv"} {
		if strings.Contains(l, w) {
			return "derived-from"
		}
	}
	if strings.Contains(l, "depend") {
		return "depends-on"
	}
	if strings.Contains(l, "conflict") {
		return "conflicts-with"
	}
	return "relates-to"
}
