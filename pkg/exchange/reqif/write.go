package reqif

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// ExportField is one front-matter value of an exported record, flattened: Key is a dotted
// path (priority.moscow). Enumerated values name one of the field's Enum values.
type ExportField struct {
	Key  string
	Kind Kind // KindString, KindInteger, KindReal, KindBoolean or KindEnum
	Text string
	Enum []string // values, for KindEnum (several when Multi)
	// EnumKey names the enumeration of ExportOptions.Enums the values are from; "" is Key
	// (kinds other than requirements name theirs <kind>.<key>: a change's status is not a
	// requirement's).
	EnumKey string
}

func (f *ExportField) enumKey() string {
	if f.EnumKey != "" {
		return f.EnumKey
	}
	return f.Key
}

// ExportLink is a typed link to another exported record, by reqtrail id.
type ExportLink struct{ Type, To string }

// ExportRecord is one record to export.
type ExportRecord struct {
	ID, Kind, Title, Body string
	Folder                []string // sub-folders under the kind's folder
	Parent                string
	Links                 []ExportLink
	Fields                []ExportField
	// OriginID is origin.id when origin.system starts with "reqif:".
	OriginID string
	// Changed is when the record last changed (its last commit).
	Changed time.Time
	// Images maps image destinations of the body to archive paths (with --zip).
	Images map[string]string
}

// ExportOptions steer the writer.
type ExportOptions struct {
	Identifier string // REQ-IF-HEADER IDENTIFIER
	Title      string
	Time       time.Time // CREATION-TIME and the LAST-CHANGE of definitions
	// Enums gives the allowed values of every enumerated field key (built-in and custom).
	Enums map[string][]string
	// FieldOrder orders attribute definitions (keys not listed come after, sorted).
	FieldOrder []string
	// Multi lists enumerated keys that hold several values.
	Multi map[string]bool
}

// Write writes one ReqIF document holding recs in one SPECIFICATION: the hierarchy follows
// sub-folders and parents, links are SPEC-RELATIONs, every element in the schema's order.
// The same input always gives the same bytes.
func Write(w io.Writer, recs []*ExportRecord, o ExportOptions) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	x := &xmlw{b: bw, xhtml: renderAll(recs)}
	x.doc(recs, o)
	return bw.Flush()
}

// renderAll renders every record's body as XHTML, on every core.
func renderAll(recs []*ExportRecord) []string {
	out := make([]string, len(recs))
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for w := range n {
		wg.Go(func() {
			for i := w; i < len(recs); i += n {
				r := recs[i]
				out[i] = XHTML(r.Body, func(dest string) string { return r.Images[dest] })
			}
		})
	}
	wg.Wait()
	return out
}

// WriteZip writes a .reqifz: the document as name and the given attachments.
func WriteZip(w io.Writer, name string, recs []*ExportRecord, o ExportOptions, files map[string][]byte) error {
	zw := zip.NewWriter(w)
	add := func(n string, data []byte) error {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: o.Time.UTC()}
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	var buf bytes.Buffer
	if err := Write(&buf, recs, o); err != nil {
		return err
	}
	if err := add(name, buf.Bytes()); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := add(n, files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}

type xmlw struct {
	b     *bufio.Writer
	xhtml []string // the records' bodies as XHTML, in record order
	i     int      // the record being written
}

func (x *xmlw) s(s string) { x.b.WriteString(s) }

func (x *xmlw) attr(k, v string) {
	x.s(" " + k + `="`)
	escapeAttr(x.b, v)
	x.s(`"`)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// NCName makes s a valid, readable XML NCName: characters outside the NCName set become
// _xHHHH_, and a name that cannot start one is prefixed with "_".
func NCName(s string) string {
	if asciiNCName(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
		if r >= 0x80 || r == utf8.RuneError {
			ok = false
		}
		if i == 0 && (r == '-' || r == '.' || unicode.IsDigit(r)) {
			b.WriteByte('_')
		}
		if ok {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_x%04X_", r)
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// asciiNCName tells whether s is already an NCName of letters, digits, '.', '-' and '_'
// (the fast path: most identifiers are).
func asciiNCName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return !strings.Contains(s, "_x")
}

// IsNCName tells whether s is an NCName of the ASCII subset NCName itself writes.
func IsNCName(s string) bool { return s != "" && NCName(s) == s && !strings.Contains(s, "_x") }

type attrUse struct {
	key  string
	kind Kind
	enum string // the enumeration's key, for KindEnum
}

func (x *xmlw) doc(recs []*ExportRecord, o ExportOptions) {
	now := stamp(o.Time)
	x.s(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.s(`<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	x.s("  <THE-HEADER>\n    <REQ-IF-HEADER")
	x.attr("IDENTIFIER", NCName(o.Identifier))
	x.s(">\n      <CREATION-TIME>" + now + "</CREATION-TIME>\n")
	x.s("      <REPOSITORY-ID>reqtrail</REPOSITORY-ID>\n")
	x.s("      <REQ-IF-TOOL-ID>reqtrail</REQ-IF-TOOL-ID>\n")
	x.s("      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>\n")
	x.s("      <SOURCE-TOOL-ID>reqtrail</SOURCE-TOOL-ID>\n")
	x.s("      <TITLE>")
	escapeText(x.b, o.Title)
	x.s("</TITLE>\n    </REQ-IF-HEADER>\n  </THE-HEADER>\n")
	x.s("  <CORE-CONTENT>\n    <REQ-IF-CONTENT>\n")

	// Object identifiers: origin.id when it is an NCName unique in the file.
	objID := map[string]string{}
	used := map[string]bool{}
	for _, r := range recs {
		if r.OriginID != "" && IsNCName(r.OriginID) && !used[r.OriginID] {
			objID[r.ID] = r.OriginID
			used[r.OriginID] = true
		}
	}
	for _, r := range recs {
		if _, ok := objID[r.ID]; !ok {
			id := NCName("reqtrail-" + r.ID)
			for n := 2; used[id]; n++ {
				id = NCName("reqtrail-" + r.ID + "-" + strconv.Itoa(n))
			}
			objID[r.ID] = id
			used[id] = true
		}
	}

	// Which attributes each kind uses, and which enumerations.
	kinds := map[string]bool{}
	uses := map[string]map[string]attrUse{}
	for _, r := range recs {
		kinds[r.Kind] = true
		if uses[r.Kind] == nil {
			uses[r.Kind] = map[string]attrUse{}
		}
		for _, f := range r.Fields {
			uses[r.Kind][f.Key] = attrUse{f.Key, f.Kind, f.enumKey()}
		}
	}
	// Kinds in the order of reqtrail's kind table as the caller lists records: requirements
	// first, then the other kinds by name.
	kindList := sortedKeys(kinds)
	slices.SortStableFunc(kindList, func(a, b string) int {
		if (a == "requirement") != (b == "requirement") {
			if a == "requirement" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	rank := map[string]int{}
	for i, k := range o.FieldOrder {
		rank[k] = i + 1
	}
	orderKeys := func(m map[string]attrUse) []attrUse {
		var out []attrUse
		for _, u := range m {
			out = append(out, u)
		}
		sort.Slice(out, func(i, j int) bool {
			ri, rj := rank[out[i].key], rank[out[j].key]
			if ri == 0 {
				ri = 1 << 30
			}
			if rj == 0 {
				rj = 1 << 30
			}
			if ri != rj {
				return ri < rj
			}
			return out[i].key < out[j].key
		})
		return out
	}
	enumKeys := map[string]bool{}
	for _, m := range uses {
		for _, u := range m {
			if u.kind == KindEnum {
				enumKeys[u.enum] = true
			}
		}
	}
	for k := range o.Enums {
		enumKeys[k] = true
	}

	// DATATYPES
	x.s("      <DATATYPES>\n")
	x.s(`        <DATATYPE-DEFINITION-BOOLEAN IDENTIFIER="reqtrail-boolean" LAST-CHANGE="` + now + `" LONG-NAME="Boolean"/>` + "\n")
	for _, k := range sortedKeys(enumKeys) {
		x.s(`        <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="` + enumTypeID(k) + `" LAST-CHANGE="` + now + `"`)
		x.attr("LONG-NAME", k)
		x.s(">\n          <SPECIFIED-VALUES>\n")
		for i, v := range o.Enums[k] {
			x.s(`            <ENUM-VALUE IDENTIFIER="` + enumValueID(k, v) + `" LAST-CHANGE="` + now + `"`)
			x.attr("LONG-NAME", v)
			x.s(">\n              <PROPERTIES>\n                <EMBEDDED-VALUE KEY=\"" + strconv.Itoa(i) + "\" OTHER-CONTENT=\"\"/>\n              </PROPERTIES>\n            </ENUM-VALUE>\n")
		}
		x.s("          </SPECIFIED-VALUES>\n        </DATATYPE-DEFINITION-ENUMERATION>\n")
	}
	x.s(`        <DATATYPE-DEFINITION-INTEGER IDENTIFIER="reqtrail-integer" LAST-CHANGE="` + now + `" LONG-NAME="Integer" MAX="9223372036854775807" MIN="-9223372036854775808"/>` + "\n")
	x.s(`        <DATATYPE-DEFINITION-REAL ACCURACY="15" IDENTIFIER="reqtrail-real" LAST-CHANGE="` + now + `" LONG-NAME="Real" MAX="1.7976931348623157E308" MIN="-1.7976931348623157E308"/>` + "\n")
	x.s(`        <DATATYPE-DEFINITION-STRING IDENTIFIER="reqtrail-string" LAST-CHANGE="` + now + `" LONG-NAME="String" MAX-LENGTH="2147483647"/>` + "\n")
	x.s(`        <DATATYPE-DEFINITION-XHTML IDENTIFIER="reqtrail-xhtml" LAST-CHANGE="` + now + `" LONG-NAME="XHTML"/>` + "\n")
	x.s("      </DATATYPES>\n")

	// SPEC-TYPES
	linkTypes := map[string]bool{}
	for _, r := range recs {
		for _, l := range r.Links {
			linkTypes[l.Type] = true
		}
	}
	folderParent := false
	x.s("      <SPEC-TYPES>\n")
	for _, k := range kindList {
		tid := NCName("reqtrail-type-" + k)
		x.s(`        <SPEC-OBJECT-TYPE IDENTIFIER="` + tid + `" LAST-CHANGE="` + now + `"`)
		x.attr("LONG-NAME", "reqtrail."+k)
		x.s(">\n          <SPEC-ATTRIBUTES>\n")
		x.attrDef(tid, AttrName, KindString, "", now)
		x.attrDef(tid, AttrChapter, KindString, "", now)
		x.attrDef(tid, AttrText, KindXHTML, "", now)
		x.attrDef(tid, AttrMarkdown, KindString, "", now)
		x.attrDef(tid, AttrID, KindString, "", now)
		x.attrDef(tid, AttrFolder, KindString, "", now)
		for _, u := range orderKeys(uses[k]) {
			x.attrDef(tid, u.key, u.kind, u.enum, now, o.Multi[u.enum])
		}
		x.s("          </SPEC-ATTRIBUTES>\n        </SPEC-OBJECT-TYPE>\n")
	}
	x.s(`        <SPECIFICATION-TYPE IDENTIFIER="reqtrail-type-specification" LAST-CHANGE="` + now + `" LONG-NAME="reqtrail.specification"/>` + "\n")
	byID := map[string]*ExportRecord{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, r := range recs {
		if p := byID[r.Parent]; p != nil && !sameFolder(p, r) {
			folderParent = true
			linkTypes[parentRelation] = true
		}
	}
	for _, t := range sortedKeys(linkTypes) {
		x.s(`        <SPEC-RELATION-TYPE IDENTIFIER="` + NCName("reqtrail-link-"+t) + `" LAST-CHANGE="` + now + `"`)
		x.attr("LONG-NAME", t)
		x.s("/>\n")
	}
	x.s("      </SPEC-TYPES>\n")

	// The hierarchy: folders as chapters, children under their parent in the same folder;
	// each kind's folders are its own (a change request's folder is under changes/).
	roots := map[string]*hnode{}
	place := func(r *ExportRecord) {
		n := roots[r.Kind]
		if n == nil {
			n = &hnode{kind: r.Kind, kids: map[string]*hnode{}}
			roots[r.Kind] = n
		}
		for i, f := range r.Folder {
			c := n.kids[f]
			if c == nil {
				c = &hnode{kind: r.Kind, name: f, path: strings.Join(r.Folder[:i+1], "/"), kids: map[string]*hnode{}}
				n.kids[f] = c
			}
			n = c
		}
		n.recs = append(n.recs, r)
	}
	children := map[string][]*ExportRecord{}
	for _, r := range recs {
		if p := byID[r.Parent]; p != nil && sameFolder(p, r) && p != r {
			children[r.Parent] = append(children[r.Parent], r)
			continue
		}
		place(r)
	}
	rootList := make([]*hnode, 0, len(roots))
	for _, k := range kindList {
		if roots[k] != nil {
			rootList = append(rootList, roots[k])
		}
	}
	// Parent cycles would never be placed: put such records at their folder.
	placed := map[string]bool{}
	var mark func(*ExportRecord)
	mark = func(r *ExportRecord) {
		if placed[r.ID] {
			return
		}
		placed[r.ID] = true
		for _, c := range children[r.ID] {
			mark(c)
		}
	}
	var markAll func(*hnode)
	markAll = func(n *hnode) {
		for _, r := range n.recs {
			mark(r)
		}
		for _, c := range n.kids {
			markAll(c)
		}
	}
	for _, n := range rootList {
		markAll(n)
	}
	for _, r := range recs {
		if !placed[r.ID] {
			had := roots[r.Kind] != nil
			place(r)
			if !had {
				rootList = append(rootList, roots[r.Kind])
			}
			delete(children, r.Parent)
			mark(r)
		}
	}

	// SPEC-OBJECTS: folders first (depth first), then records in id order.
	x.s("      <SPEC-OBJECTS>\n")
	var folders func(*hnode)
	folders = func(n *hnode) {
		for _, k := range sortedKeys(n.kids) {
			c := n.kids[k]
			x.folderObject(c, now)
			folders(c)
		}
	}
	for _, n := range rootList {
		folders(n)
	}
	for i, r := range recs {
		x.i = i
		x.object(r, objID[r.ID], now, o)
	}
	x.s("      </SPEC-OBJECTS>\n")

	// SPEC-RELATIONS
	type rel struct{ src, typ, dst string }
	var rels []rel
	for _, r := range recs {
		for _, l := range r.Links {
			if _, ok := byID[l.To]; ok {
				rels = append(rels, rel{r.ID, l.Type, l.To})
			}
		}
		if p := byID[r.Parent]; p != nil && folderParent && !sameFolder(p, r) {
			rels = append(rels, rel{r.ID, parentRelation, p.ID})
		}
	}
	if len(rels) > 0 {
		x.s("      <SPEC-RELATIONS>\n")
		seen := map[string]bool{}
		for _, l := range rels {
			id := NCName("reqtrail-rel-" + objID[l.src] + "-" + l.typ + "-" + objID[l.dst])
			if seen[id] {
				continue
			}
			seen[id] = true
			x.s(`        <SPEC-RELATION IDENTIFIER="` + id + `" LAST-CHANGE="` + stamp(byID[l.src].Changed) + `">` + "\n")
			x.s("          <SOURCE>\n            <SPEC-OBJECT-REF>" + objID[l.src] + "</SPEC-OBJECT-REF>\n          </SOURCE>\n")
			x.s("          <TARGET>\n            <SPEC-OBJECT-REF>" + objID[l.dst] + "</SPEC-OBJECT-REF>\n          </TARGET>\n")
			x.s("          <TYPE>\n            <SPEC-RELATION-TYPE-REF>" + NCName("reqtrail-link-"+l.typ) + "</SPEC-RELATION-TYPE-REF>\n          </TYPE>\n")
			x.s("        </SPEC-RELATION>\n")
		}
		x.s("      </SPEC-RELATIONS>\n")
	}

	// SPECIFICATIONS
	x.s("      <SPECIFICATIONS>\n")
	x.s(`        <SPECIFICATION IDENTIFIER="reqtrail-specification" LAST-CHANGE="` + now + `"`)
	x.attr("LONG-NAME", o.Title)
	x.s(">\n          <TYPE>\n            <SPECIFICATION-TYPE-REF>reqtrail-type-specification</SPECIFICATION-TYPE-REF>\n          </TYPE>\n")
	var hier func(n *hnode, indent string)
	var recHier func(r *ExportRecord, indent string)
	recHier = func(r *ExportRecord, indent string) {
		x.s(indent + `<SPEC-HIERARCHY IDENTIFIER="` + NCName("reqtrail-h-"+objID[r.ID]) + `" LAST-CHANGE="` + stamp(r.Changed) + `">` + "\n")
		x.s(indent + "  <OBJECT>\n" + indent + "    <SPEC-OBJECT-REF>" + objID[r.ID] + "</SPEC-OBJECT-REF>\n" + indent + "  </OBJECT>\n")
		if kids := children[r.ID]; len(kids) > 0 {
			x.s(indent + "  <CHILDREN>\n")
			for _, c := range kids {
				recHier(c, indent+"    ")
			}
			x.s(indent + "  </CHILDREN>\n")
		}
		x.s(indent + "</SPEC-HIERARCHY>\n")
	}
	hier = func(n *hnode, indent string) {
		for _, k := range sortedKeys(n.kids) {
			c := n.kids[k]
			fid := folderID(c.kind, c.path)
			x.s(indent + `<SPEC-HIERARCHY IDENTIFIER="` + NCName("reqtrail-h-"+fid) + `" LAST-CHANGE="` + now + `">` + "\n")
			x.s(indent + "  <OBJECT>\n" + indent + "    <SPEC-OBJECT-REF>" + fid + "</SPEC-OBJECT-REF>\n" + indent + "  </OBJECT>\n")
			x.s(indent + "  <CHILDREN>\n")
			hier(c, indent+"    ")
			x.s(indent + "  </CHILDREN>\n")
			x.s(indent + "</SPEC-HIERARCHY>\n")
		}
		for _, r := range n.recs {
			recHier(r, indent)
		}
	}
	if len(recs) > 0 {
		x.s("          <CHILDREN>\n")
		for _, n := range rootList {
			hier(n, "            ")
		}
		x.s("          </CHILDREN>\n")
	}
	x.s("        </SPECIFICATION>\n      </SPECIFICATIONS>\n")
	x.s("    </REQ-IF-CONTENT>\n  </CORE-CONTENT>\n</REQ-IF>\n")
}

// parentRelation is the relation type that carries a parent in another folder.
const parentRelation = "reqtrail.parent"

type hnode struct {
	kind       string
	name, path string
	kids       map[string]*hnode
	recs       []*ExportRecord
}

func sameFolder(a, b *ExportRecord) bool {
	return a.Kind == b.Kind && strings.Join(a.Folder, "/") == strings.Join(b.Folder, "/")
}

// folderID is a folder's object identifier: requirements' folders are reqtrail-folder-<path>,
// other kinds' reqtrail-<kind>-folder-<path>.
func folderID(kind, p string) string {
	if kind == "requirement" {
		return NCName("reqtrail-folder-" + p)
	}
	return NCName("reqtrail-" + kind + "-folder-" + p)
}

func enumTypeID(k string) string     { return NCName("reqtrail-enum-" + k) }
func enumValueID(k, v string) string { return NCName("reqtrail-enum-" + k + "-" + v) }
func attrDefID(t, name string) string {
	return NCName(t + "-" + name)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func datatypeRef(kind Kind, key string) (elem, id string) {
	switch kind {
	case KindXHTML:
		return "XHTML", "reqtrail-xhtml"
	case KindEnum:
		return "ENUMERATION", enumTypeID(key)
	case KindInteger:
		return "INTEGER", "reqtrail-integer"
	case KindReal:
		return "REAL", "reqtrail-real"
	case KindBoolean:
		return "BOOLEAN", "reqtrail-boolean"
	}
	return "STRING", "reqtrail-string"
}

func (x *xmlw) attrDef(typeID, name string, kind Kind, key, now string, multi ...bool) {
	elem, dt := datatypeRef(kind, key)
	x.s(`            <ATTRIBUTE-DEFINITION-` + elem + ` IDENTIFIER="` + attrDefID(typeID, name) + `" LAST-CHANGE="` + now + `"`)
	x.attr("LONG-NAME", name)
	if kind == KindEnum {
		m := len(multi) > 0 && multi[0]
		x.s(` MULTI-VALUED="` + strconv.FormatBool(m) + `"`)
	}
	x.s(">\n              <TYPE>\n                <DATATYPE-DEFINITION-" + elem + "-REF>" + dt + "</DATATYPE-DEFINITION-" + elem + "-REF>\n              </TYPE>\n")
	x.s("            </ATTRIBUTE-DEFINITION-" + elem + ">\n")
}

func (x *xmlw) folderObject(n *hnode, now string) {
	tid := NCName("reqtrail-type-" + n.kind)
	x.s(`        <SPEC-OBJECT IDENTIFIER="` + folderID(n.kind, n.path) + `" LAST-CHANGE="` + now + `">` + "\n")
	x.s("          <VALUES>\n")
	x.stringValue(tid, AttrChapter, n.name)
	x.stringValue(tid, AttrFolder, n.name)
	x.s("          </VALUES>\n")
	x.s("          <TYPE>\n            <SPEC-OBJECT-TYPE-REF>" + tid + "</SPEC-OBJECT-TYPE-REF>\n          </TYPE>\n")
	x.s("        </SPEC-OBJECT>\n")
}

func (x *xmlw) stringValue(tid, name, v string) {
	x.s(`            <ATTRIBUTE-VALUE-STRING`)
	x.attr("THE-VALUE", v)
	x.s(">\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-STRING-REF>" + attrDefID(tid, name) + "</ATTRIBUTE-DEFINITION-STRING-REF>\n              </DEFINITION>\n            </ATTRIBUTE-VALUE-STRING>\n")
}

func (x *xmlw) object(r *ExportRecord, id, now string, o ExportOptions) {
	tid := NCName("reqtrail-type-" + r.Kind)
	x.s(`        <SPEC-OBJECT IDENTIFIER="` + id + `" LAST-CHANGE="` + stamp(r.Changed) + `"`)
	x.attr("LONG-NAME", r.ID)
	x.s(">\n          <VALUES>\n")
	x.stringValue(tid, AttrName, r.Title)
	x.s("            <ATTRIBUTE-VALUE-XHTML>\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-XHTML-REF>" + attrDefID(tid, AttrText) + "</ATTRIBUTE-DEFINITION-XHTML-REF>\n              </DEFINITION>\n")
	x.s("              <THE-VALUE>")
	x.s(x.xhtml[x.i])
	x.s("</THE-VALUE>\n            </ATTRIBUTE-VALUE-XHTML>\n")
	x.stringValue(tid, AttrMarkdown, r.Body)
	x.stringValue(tid, AttrID, r.ID)
	for _, f := range r.Fields {
		elem, _ := datatypeRef(f.Kind, f.Key)
		ref := "              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-" + elem + "-REF>" + attrDefID(tid, f.Key) + "</ATTRIBUTE-DEFINITION-" + elem + "-REF>\n              </DEFINITION>\n"
		switch f.Kind {
		case KindEnum:
			x.s("            <ATTRIBUTE-VALUE-ENUMERATION>\n" + ref + "              <VALUES>\n")
			for _, v := range f.Enum {
				x.s("                <ENUM-VALUE-REF>" + enumValueID(f.enumKey(), v) + "</ENUM-VALUE-REF>\n")
			}
			x.s("              </VALUES>\n            </ATTRIBUTE-VALUE-ENUMERATION>\n")
		default:
			x.s("            <ATTRIBUTE-VALUE-" + elem)
			x.attr("THE-VALUE", f.Text)
			x.s(">\n" + ref + "            </ATTRIBUTE-VALUE-" + elem + ">\n")
		}
	}
	x.s("          </VALUES>\n")
	x.s("          <TYPE>\n            <SPEC-OBJECT-TYPE-REF>" + tid + "</SPEC-OBJECT-TYPE-REF>\n          </TYPE>\n")
	x.s("        </SPEC-OBJECT>\n")
}
