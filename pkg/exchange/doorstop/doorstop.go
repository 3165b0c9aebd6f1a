// Package doorstop reads a Doorstop requirements tree (documents with .doorstop.yml, items
// as <UID>.yml or .md) into import items, computing link review stamps as Doorstop ≥ 2.0 does.
package doorstop

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/exchange/outline"
)

// Document is one Doorstop document.
type Document struct {
	Dir      string // folder, relative to the tree root
	Prefix   string
	Sep      string
	Digits   int
	Parent   string   // parent document prefix
	Reviewed []string // extended attributes that take part in the stamp
	Items    []*Item
}

// Link is one item link with its stamp.
type Link struct {
	UID   string
	Stamp string
}

// Item is one Doorstop item.
type Item struct {
	UID        string
	File       string
	Doc        *Document
	Active     bool
	Normative  bool
	Derived    bool
	Level      string
	Header     string
	Text       string
	Ref        string
	References any
	Links      []Link
	Reviewed   string
	Extra      []KV // attributes Doorstop does not define, in file order
	raw        map[string]*yaml.Node
}

// KV is an extra attribute.
type KV struct {
	Key   string
	Value *yaml.Node
}

// Tree is a whole Doorstop tree.
type Tree struct {
	Docs  []*Document
	ByUID map[string]*Item
}

// Read reads the Doorstop tree in fsys (its root holds, or its sub-folders hold,
// .doorstop.yml files).
func Read(fsys fs.FS) (*Tree, error) {
	t := &Tree{ByUID: map[string]*Item{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if d.IsDir() || d.Name() != ".doorstop.yml" || !d.Type().IsRegular() {
			return nil
		}
		doc, err := readDoc(fsys, path.Dir(p))
		if err != nil {
			return err
		}
		t.Docs = append(t.Docs, doc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Docs) == 0 {
		return nil, fmt.Errorf("no .doorstop.yml found: not a Doorstop tree")
	}
	for _, doc := range t.Docs {
		if err := readItems(fsys, doc, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func readYAML(fsys fs.FS, p string) (*yaml.Node, error) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	if len(data) > 1<<20 {
		return nil, fmt.Errorf("%s: over 1 MiB", p)
	}
	return parseYAML(data, p)
}

func parseYAML(data []byte, p string) (*yaml.Node, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	if n.Kind == 0 || len(n.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root := n.Content[0]
	if exchange.HasAlias(root) {
		return nil, fmt.Errorf("%s: YAML anchors and aliases are not allowed", p)
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: not a mapping", p, root.Line)
	}
	return root, nil
}

func get(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}

func readDoc(fsys fs.FS, dir string) (*Document, error) {
	root, err := readYAML(fsys, path.Join(dir, ".doorstop.yml"))
	if err != nil {
		return nil, err
	}
	doc := &Document{Dir: dir, Digits: 3}
	if s := get(root, "settings"); s != nil {
		if v := get(s, "prefix"); v != nil {
			doc.Prefix = v.Value
		}
		if v := get(s, "sep"); v != nil {
			doc.Sep = v.Value
		}
		if v := get(s, "parent"); v != nil {
			doc.Parent = v.Value
		}
		if v := get(s, "digits"); v != nil {
			if n, err := strconv.Atoi(v.Value); err == nil {
				doc.Digits = n
			}
		}
	}
	if a := get(root, "attributes"); a != nil {
		if r := get(a, "reviewed"); r != nil && r.Kind == yaml.SequenceNode {
			for _, c := range r.Content {
				doc.Reviewed = append(doc.Reviewed, c.Value)
			}
		}
	}
	if doc.Prefix == "" {
		return nil, fmt.Errorf("%s/.doorstop.yml: settings.prefix is missing", dir)
	}
	return doc, nil
}

var mdFront = regexp.MustCompile(`(?s)\A---\r?\n(.*?)\r?\n---\r?\n?(.*)\z`)

func readItems(fsys fs.FS, doc *Document, t *Tree) error {
	ents, err := fs.ReadDir(fsys, doc.Dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		ext := path.Ext(n)
		if e.IsDir() || strings.HasPrefix(n, ".") || (ext != ".yml" && ext != ".md") || !e.Type().IsRegular() {
			continue
		}
		uid := strings.TrimSuffix(n, ext)
		if !strings.HasPrefix(uid, doc.Prefix) {
			continue
		}
		p := path.Join(doc.Dir, n)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if len(data) > 1<<20 {
			return fmt.Errorf("%s: over 1 MiB", p)
		}
		var root *yaml.Node
		text := ""
		md := ext == ".md"
		if md {
			m := mdFront.FindSubmatch(data)
			if m == nil {
				root = &yaml.Node{Kind: yaml.MappingNode}
				text = string(data)
			} else {
				if root, err = parseYAML(m[1], p); err != nil {
					return err
				}
				text = string(m[2])
			}
		} else if root, err = parseYAML(data, p); err != nil {
			return err
		}
		it := &Item{UID: uid, File: p, Doc: doc, Active: true, Normative: true, raw: map[string]*yaml.Node{}}
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i].Value, root.Content[i+1]
			it.raw[k] = v
			switch k {
			case "active":
				it.Active = v.Value != "false"
			case "normative":
				it.Normative = v.Value != "false"
			case "derived":
				it.Derived = v.Value == "true"
			case "level":
				it.Level = v.Value
			case "header":
				it.Header = strings.TrimSpace(v.Value)
			case "text":
				if !md {
					text = v.Value
				}
			case "ref":
				it.Ref = v.Value
			case "references":
				var x any
				_ = v.Decode(&x)
				it.References = x
			case "reviewed":
				if v.Tag != "!!null" {
					it.Reviewed = v.Value
				}
			case "links":
				for _, l := range v.Content {
					switch l.Kind {
					case yaml.MappingNode:
						for j := 0; j+1 < len(l.Content); j += 2 {
							st := l.Content[j+1].Value
							if l.Content[j+1].Tag == "!!null" {
								st = ""
							}
							it.Links = append(it.Links, Link{UID: l.Content[j].Value, Stamp: st})
						}
					case yaml.ScalarNode:
						it.Links = append(it.Links, Link{UID: l.Value})
					}
				}
			default:
				it.Extra = append(it.Extra, KV{k, v})
			}
		}
		if md && it.Header == "" {
			// Doorstop's Markdown items may carry the header as the first "# " line.
			if first, rest, ok := strings.Cut(strings.TrimLeft(text, "\n"), "\n"); ok && strings.HasPrefix(first, "# ") {
				it.Header = strings.TrimSpace(first[2:])
				text = rest
			}
		}
		it.Text = strings.TrimSpace(text)
		if _, dup := t.ByUID[uid]; dup {
			return fmt.Errorf("%s: UID %s appears twice in the tree", p, uid)
		}
		t.ByUID[uid] = it
		doc.Items = append(doc.Items, it)
	}
	sort.SliceStable(doc.Items, func(i, j int) bool {
		return levelLess(doc.Items[i].Level, doc.Items[j].Level, doc.Items[i].UID, doc.Items[j].UID)
	})
	return nil
}

// levelLess orders items by outline level (1.2 < 1.10), then UID.
func levelLess(a, b, ua, ub string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil && na != nb {
			return na < nb
		}
		if (ea != nil || eb != nil) && pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	// "1.0" ranks as "1" (Doorstop writes headings as x.0).
	ta, tb := strings.TrimSuffix(a, ".0"), strings.TrimSuffix(b, ".0")
	if len(strings.Split(ta, ".")) != len(strings.Split(tb, ".")) {
		return len(strings.Split(ta, ".")) < len(strings.Split(tb, "."))
	}
	return ua < ub
}

// Stamp computes Doorstop's item stamp (Doorstop ≥ 2.0): the URL-safe base64 of the SHA-256
// of the concatenated string forms of the UID, the text, the ref, the references (when any),
// the link UIDs (when links is true) and the document's extended reviewed attributes.
func (it *Item) Stamp(links bool) string {
	h := sha256.New()
	h.Write([]byte(it.UID))
	h.Write([]byte(it.Text))
	h.Write([]byte(it.Ref))
	if it.References != nil && !isEmpty(it.References) {
		h.Write([]byte(pyStr(it.References)))
	}
	if links {
		for _, l := range it.Links {
			h.Write([]byte(l.UID))
		}
	}
	for _, k := range it.Doc.Reviewed {
		if v, ok := it.raw[k]; ok {
			var x any
			_ = v.Decode(&x)
			h.Write([]byte(pyStr(x)))
		}
	}
	return base64.URLEncoding.EncodeToString(h.Sum(nil))
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	case string:
		return v == ""
	}
	return false
}

// pyStr renders a YAML value the way Python's str() does for the types Doorstop loads.
func pyStr(v any) string {
	var b bytes.Buffer
	var w func(any, bool)
	w = func(v any, top bool) {
		switch v := v.(type) {
		case nil:
			b.WriteString("None")
		case bool:
			if v {
				b.WriteString("True")
			} else {
				b.WriteString("False")
			}
		case string:
			if top {
				b.WriteString(v)
			} else {
				b.WriteString(pyRepr(v))
			}
		case int:
			b.WriteString(strconv.Itoa(v))
		case float64:
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		case []any:
			b.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					b.WriteString(", ")
				}
				w(x, false)
			}
			b.WriteByte(']')
		case map[string]any:
			// yaml.v3 decoding into map loses order; Doorstop's dicts keep file order, which
			// for references is path, sha, type (sorted here, which matches that order).
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(pyRepr(k) + ": ")
				w(v[k], false)
			}
			b.WriteByte('}')
		default:
			fmt.Fprint(&b, v)
		}
	}
	w(v, true)
	return b.String()
}

func pyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	s = r.Replace(s)
	if q == "'" {
		s = strings.ReplaceAll(s, "'", `\'`)
	}
	return q + s + q
}

// Options steer the mapping.
type Options struct {
	// Root is how file names are shown (the tree's folder as the user named it).
	Root string
	// Reserved keys a custom field may not take (they get an x- prefix).
	Reserved map[string]bool
}

var keyRun = regexp.MustCompile(`[^\p{L}\p{N}]+`)

func fieldKey(name string, reserved map[string]bool) string {
	k := strings.Trim(keyRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if k == "" {
		k = "field"
	}
	if reserved[k] || (k[0] >= '0' && k[0] <= '9') {
		k = "x-" + k
	}
	return k
}

// Items maps the tree to import items: each active, normative item is a requirement; a
// non-normative item with a header is a heading and becomes a sub-folder of the items after
// it in outline order that are nested under its level.
func (t *Tree) Items(o Options) *outline.Source {
	src := &outline.Source{}
	show := func(f string) string { return path.Join(o.Root, f) }
	imported := map[string]bool{}
	for _, d := range t.Docs {
		for _, it := range d.Items {
			if it.Active && it.Normative {
				imported[it.UID] = true
			}
		}
	}
	for _, d := range t.Docs {
		type heading struct{ level, name string }
		var stack []heading
		for _, it := range d.Items {
			if !it.Active {
				src.Notes = append(src.Notes, fmt.Sprintf("%s: inactive item %s not imported", show(it.File), it.UID))
				continue
			}
			lvl := strings.TrimSuffix(it.Level, ".0")
			for len(stack) > 0 && !strings.HasPrefix(lvl+".", stack[len(stack)-1].level+".") {
				stack = stack[:len(stack)-1]
			}
			if !it.Normative {
				name := it.Header
				if name == "" {
					name = firstLine(it.Text)
				}
				if name == "" {
					name = it.UID
				}
				stack = append(stack, heading{lvl, name})
				continue
			}
			folder := []string{d.Prefix}
			for _, h := range stack {
				folder = append(folder, h.name)
			}
			x := &outline.Item{Kind: "requirement", System: "doorstop:" + d.Prefix, Key: it.UID, Folder: folder,
				Body: it.Text, HasBody: true, Pos: exchange.Pos{File: show(it.File)}, Reviewed: true}
			if x.Body != "" {
				x.Body += "\n"
			}
			x.Title = it.Header
			if x.Title == "" {
				x.Title = firstLine(it.Text)
			}
			if x.Title == "" {
				x.Title = it.UID
			}
			if it.Level != "" {
				x.Fields = append(x.Fields, outline.Field{Key: "order", Value: it.Level, Custom: true, Decl: map[string]any{"type": "string"}, Name: "level"})
			}
			if it.Derived {
				x.Fields = append(x.Fields, outline.Field{Key: "derived", Value: true, Custom: true, Decl: map[string]any{"type": "boolean"}, Name: "derived"})
			}
			if it.Ref != "" {
				x.Fields = append(x.Fields, outline.Field{Key: "ref", Value: it.Ref, Custom: true, Decl: map[string]any{"type": "string"}, Name: "ref"})
			}
			if it.References != nil && !isEmpty(it.References) {
				x.Fields = append(x.Fields, outline.Field{Key: "references", Value: outline.YAML{Node: it.raw["references"]}, Custom: true, Decl: map[string]any{}, Name: "references"})
			}
			for _, kv := range it.Extra {
				k := fieldKey(kv.Key, o.Reserved)
				var val any
				decl := map[string]any{}
				if kv.Value.Kind == yaml.ScalarNode && kv.Value.Tag != "!!null" {
					switch kv.Value.Tag {
					case "!!bool":
						val, decl = kv.Value.Value == "true", map[string]any{"type": "boolean"}
					case "!!int":
						n, err := strconv.ParseInt(kv.Value.Value, 10, 64)
						if err == nil {
							val, decl = n, map[string]any{"type": "integer"}
						} else {
							val, decl = kv.Value.Value, map[string]any{"type": "string"}
						}
					default:
						val, decl = kv.Value.Value, map[string]any{"type": "string"}
					}
				} else if kv.Value.Tag == "!!null" {
					continue
				} else {
					val = outline.YAML{Node: kv.Value}
				}
				x.Fields = append(x.Fields, outline.Field{Key: k, Value: val, Custom: true, Decl: decl, Name: kv.Key})
			}
			// Links: into the parent document first (the parent), the others derived-from.
			var links []Link
			for _, l := range it.Links {
				if !imported[l.UID] {
					src.Notes = append(src.Notes, fmt.Sprintf("%s: link to %s, which is not imported; dropped", show(it.File), l.UID))
					continue
				}
				links = append(links, l)
			}
			pi := -1
			for i, l := range links {
				if p := t.ByUID[l.UID]; p != nil && p.Doc.Prefix == d.Parent {
					pi = i
					break
				}
			}
			if pi < 0 && len(links) > 0 {
				pi = 0
				for i, l := range links {
					if l.UID < links[pi].UID {
						pi = i
					}
				}
			}
			for i, l := range links {
				p := t.ByUID[l.UID]
				reviewed := l.Stamp != "" && l.Stamp == p.Stamp(false)
				if !reviewed {
					src.Notes = append(src.Notes, fmt.Sprintf("%s: link to %s is not reviewed (its stamp is not the parent's); written unpinned", show(it.File), l.UID))
				}
				if i == pi {
					x.Parent, x.ParentPin = l.UID, reviewed
				} else {
					x.Links = append(x.Links, outline.Link{Type: "derived-from", To: l.UID, Pin: reviewed})
				}
			}
			src.Items = append(src.Items, x)
		}
	}
	return src
}

func firstLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(l, "#>-*+ "))
		l = strings.NewReplacer("**", "", "__", "", "`", "").Replace(l)
		if l != "" {
			if r := []rune(l); len(r) > 120 {
				l = string(r[:120])
			}
			return l
		}
	}
	return ""
}
