package reqif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Error is a problem at a position of a ReqIF file.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 && e.Pos.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	}
	if e.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Pos.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// maxDepth bounds element nesting, so a hostile file cannot make the reader recurse without
// end.
const maxDepth = 512

type reader struct {
	d     tokenSource
	doc   *Document
	file  string
	depth int
	// open is the stack of elements being read: the reader uses RawToken (no namespace
	// translation, which costs a third of the time) and checks that end tags match itself.
	open []xml.Name
	buf  []byte            // textBytes' buffer
	strs map[string]string // interned references (intern)
	// copyStart is set when the token source reuses a start element's attributes for the
	// next token (encoding/xml): children hands on a copy.
	copyStart bool
	// chunk is the least size of a chunk of SPEC-OBJECTS read on its own (0: SPEC-OBJECTS
	// is read in one piece); split is the one being read in chunks.
	chunk int
	split *chunks
}

// end checks that an end tag closes the innermost open element, and pops it.
func (r *reader) end(e xml.EndElement) error {
	n := len(r.open)
	if n == 0 || r.open[n-1] != e.Name {
		want := "nothing"
		if n > 0 {
			want = "</" + qualified(r.open[n-1]) + ">"
		}
		return r.errf("malformed XML: </%s> where %s was expected", qualified(e.Name), want)
	}
	r.open = r.open[:n-1]
	return nil
}

func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// Parse reads one .reqif document from rd, streaming: only the model is kept, never the
// whole text. name is used in error messages. XML DOCTYPEs are ignored and entities other
// than XML's predefined and numeric ones are an error.
func Parse(rd io.Reader, name string) (*Document, error) {
	d := xml.NewDecoder(rd)
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported: save the file as UTF-8", label)
	}
	return parseTokens(d, name, 0)
}

// ParseBytes parses a .reqif document held in memory: with the fast tokenizer (its
// SPEC-OBJECTS in chunks on every core, or else in one piece), and again with encoding/xml
// (Parse) when the document has anything it leaves to it or does not read (so every
// diagnostic is Parse's).
func ParseBytes(data []byte, name string) (*Document, error) {
	return parseBytes(data, name, minChunk)
}

// parseBytes is ParseBytes cutting SPEC-OBJECTS into chunks of at least chunk bytes.
func parseBytes(data []byte, name string, chunk int) (*Document, error) {
	doc, err := parseTokens(newByteTokens(data), name, chunk)
	if errors.Is(err, errSplit) {
		doc, err = parseTokens(newByteTokens(data), name, 0)
	}
	if err == nil {
		return doc, nil
	}
	return Parse(bytes.NewReader(data), name)
}

func parseTokens(d tokenSource, name string, chunk int) (*Document, error) {
	return newReader(d, name, chunk).parse()
}

func newReader(d tokenSource, name string, chunk int) *reader {
	r := &reader{d: d, file: name, chunk: chunk, doc: &Document{
		Datatypes: map[string]*Datatype{}, Types: map[string]*SpecType{},
		AttrDefs: map[string]*AttrDef{}, Objects: map[string]*Object{},
	}}
	_, fresh := d.(*byteTokens) // a new attribute list for each start element
	r.copyStart = !fresh
	return r
}

// parse reads the document.
func (r *reader) parse() (doc *Document, err error) {
	d, name := r.d, r.file
	defer func() {
		if err != nil {
			r.waitSplit()
		}
	}()
	found := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, r.xmlErr(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "REQ-IF" {
			return nil, r.errf("the root element is <%s>, not <REQ-IF>: this is not a ReqIF file", se.Name.Local)
		}
		if found {
			return nil, r.errf("a second <REQ-IF> root element")
		}
		found = true
		r.open = append(r.open, se.Name)
		if err := r.children(r.root); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, &Error{File: name, Msg: "no <REQ-IF> element: this is not a ReqIF file"}
	}
	if err := r.joinSplit(); err != nil {
		return nil, err
	}
	if v := strings.TrimSpace(r.doc.Header.Version); v != "" && !strings.HasPrefix(v, "1.") {
		return nil, &Error{File: name, Msg: fmt.Sprintf("REQ-IF-VERSION %q is not supported (1.0, 1.1 and 1.2 are)", v)}
	}
	return r.doc, nil
}

func (r *reader) pos() Pos {
	l, c := r.d.InputPos()
	return Pos{l, c}
}

func (r *reader) errf(format string, args ...any) error {
	return &Error{File: r.file, Pos: r.pos(), Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) xmlErr(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{File: r.file, Pos: Pos{se.Line, 0}, Msg: "malformed XML: " + se.Msg}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: r.file, Pos: r.pos(), Msg: "the file ends inside an element (truncated?)"}
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{File: r.file, Pos: r.pos(), Msg: err.Error()}
}

// children calls f for each child element of the element just started; f must consume the
// child (with r.skip, r.text or r.children). Character data between children is ignored.
func (r *reader) children(f func(xml.StartElement) error) error {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return r.errf("elements nested more than %d deep", maxDepth)
	}
	for {
		tok, err := r.d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.open = append(r.open, t.Name)
			if r.copyStart {
				t = t.Copy()
			}
			if err := f(t); err != nil {
				return err
			}
		case xml.EndElement:
			return r.end(t)
		}
	}
}

func (r *reader) skip(xml.StartElement) error {
	return r.children(r.skip)
}

// text reads the character data of the element just started (child elements skipped).
func (r *reader) text() (string, error) {
	b, err := r.textBytes()
	return string(b), err
}

// textBytes is text in a buffer of the reader's, valid until the next call.
func (r *reader) textBytes() ([]byte, error) {
	r.buf = r.buf[:0]
	depth := 0
	for {
		tok, err := r.d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, r.xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				r.buf = append(r.buf, t...)
			}
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return nil, r.errf("elements nested more than %d deep", maxDepth)
			}
			r.open = append(r.open, t.Name)
		case xml.EndElement:
			if err := r.end(t); err != nil {
				return nil, err
			}
			if depth == 0 {
				return r.buf, nil
			}
			depth--
		}
	}
}

// intern returns b as a string, the same string for the same bytes: the references of a
// ReqIF file (to datatypes, attribute definitions, types, enumeration values) repeat a few
// hundred identifiers a hundred thousand times.
func (r *reader) intern(b []byte) string {
	if s, ok := r.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if r.strs == nil {
		r.strs = map[string]string{}
	}
	if len(r.strs) < maxInterned {
		r.strs[s] = s
	}
	return s
}

// maxInterned bounds the strings a reader interns (references to objects are not shared).
const maxInterned = 4096

// ref reads the text of the single *-REF child of the element just started.
func (r *reader) ref() (string, error) {
	var out string
	err := r.children(func(se xml.StartElement) error {
		if strings.HasSuffix(se.Name.Local, "-REF") {
			b, err := r.textBytes()
			out = r.intern(bytes.TrimSpace(b))
			return err
		}
		return r.skip(se)
	})
	return out, err
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (r *reader) root(se xml.StartElement) error {
	switch se.Name.Local {
	case "THE-HEADER":
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "REQ-IF-HEADER" {
				return r.skip(se)
			}
			h := &r.doc.Header
			h.Identifier = attr(se, "IDENTIFIER")
			return r.children(func(se xml.StartElement) error {
				s, err := r.text()
				switch se.Name.Local {
				case "COMMENT":
					h.Comment = s
				case "CREATION-TIME":
					h.CreationTime = strings.TrimSpace(s)
				case "REPOSITORY-ID":
					h.RepositoryID = s
				case "REQ-IF-TOOL-ID":
					h.ReqIFTool = s
				case "REQ-IF-VERSION":
					h.Version = strings.TrimSpace(s)
				case "SOURCE-TOOL-ID":
					h.SourceTool = s
				case "TITLE":
					h.Title = s
				}
				return err
			})
		})
	case "CORE-CONTENT":
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "REQ-IF-CONTENT" {
				return r.skip(se)
			}
			return r.children(r.content)
		})
	}
	return r.skip(se)
}

func (r *reader) content(se xml.StartElement) error {
	switch se.Name.Local {
	case "DATATYPES":
		return r.children(r.datatype)
	case "SPEC-TYPES":
		return r.children(r.specType)
	case "SPEC-OBJECTS":
		if r.splitObjects(se) {
			// The chunks read the objects; here only the end tag is left.
			return r.children(func(xml.StartElement) error { return errSplit })
		}
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "SPEC-OBJECT" {
				return r.skip(se)
			}
			return r.object(se)
		})
	case "SPEC-RELATIONS":
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "SPEC-RELATION" {
				return r.skip(se)
			}
			return r.relation(se)
		})
	case "SPECIFICATIONS":
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "SPECIFICATION" {
				return r.skip(se)
			}
			return r.specification(se)
		})
	}
	return r.skip(se)
}

func (r *reader) datatype(se xml.StartElement) error {
	kind, ok := kindNames[strings.TrimPrefix(se.Name.Local, "DATATYPE-DEFINITION-")]
	if !ok {
		return r.skip(se)
	}
	dt := &Datatype{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), Kind: kind}
	if dt.ID != "" {
		r.doc.Datatypes[dt.ID] = dt
	}
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != "SPECIFIED-VALUES" {
			return r.skip(se)
		}
		return r.children(func(se xml.StartElement) error {
			if se.Name.Local != "ENUM-VALUE" {
				return r.skip(se)
			}
			ev := EnumValue{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME")}
			err := r.children(func(se xml.StartElement) error {
				if se.Name.Local != "PROPERTIES" {
					return r.skip(se)
				}
				return r.children(func(se xml.StartElement) error {
					if se.Name.Local == "EMBEDDED-VALUE" {
						ev.Key = attr(se, "KEY")
					}
					return r.skip(se)
				})
			})
			dt.Values = append(dt.Values, ev)
			return err
		})
	})
}

func (r *reader) specType(se xml.StartElement) error {
	t := &SpecType{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), Element: se.Name.Local}
	if t.ID != "" {
		r.doc.Types[t.ID] = t
	}
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != "SPEC-ATTRIBUTES" {
			return r.skip(se)
		}
		return r.children(func(se xml.StartElement) error {
			kind, ok := kindNames[strings.TrimPrefix(se.Name.Local, "ATTRIBUTE-DEFINITION-")]
			if !ok {
				return r.skip(se)
			}
			a := &AttrDef{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), Kind: kind,
				Multi: attr(se, "MULTI-VALUED") == "true"}
			t.Attrs = append(t.Attrs, a)
			if a.ID != "" {
				r.doc.AttrDefs[a.ID] = a
			}
			return r.children(func(se xml.StartElement) error {
				switch se.Name.Local {
				case "TYPE":
					s, err := r.ref()
					a.Datatype = s
					return err
				case "DEFAULT-VALUE":
					return r.children(func(se xml.StartElement) error {
						v, err := r.value(se)
						if v != nil {
							a.Default = v
						}
						return err
					})
				}
				return r.skip(se)
			})
		})
	})
}

// values reads a VALUES element.
func (r *reader) values(dst *[]*Value) error {
	return r.children(func(se xml.StartElement) error {
		v, err := r.value(se)
		if v != nil {
			*dst = append(*dst, v)
		}
		return err
	})
}

// value reads one ATTRIBUTE-VALUE-* element (nil for anything else).
func (r *reader) value(se xml.StartElement) (*Value, error) {
	kind, ok := kindNames[strings.TrimPrefix(se.Name.Local, "ATTRIBUTE-VALUE-")]
	if !ok {
		return nil, r.skip(se)
	}
	v := &Value{Kind: kind, Text: attr(se, "THE-VALUE"), Pos: r.pos()}
	err := r.children(func(se xml.StartElement) error {
		switch se.Name.Local {
		case "DEFINITION":
			s, err := r.ref()
			v.Def = s
			return err
		case "VALUES":
			return r.children(func(se xml.StartElement) error {
				if se.Name.Local == "ENUM-VALUE-REF" {
					b, err := r.textBytes()
					v.Enum = append(v.Enum, r.intern(bytes.TrimSpace(b)))
					return err
				}
				return r.skip(se)
			})
		case "THE-VALUE":
			if kind != KindXHTML {
				s, err := r.text()
				v.Text = s
				return err
			}
			n, err := readXHTML(r.d, &r.depth, r.open[len(r.open)-1])
			if err != nil {
				return r.xmlErr(err)
			}
			r.open = r.open[:len(r.open)-1] // readXHTML consumed THE-VALUE's end tag
			v.XHTML = n
			return nil
		}
		return r.skip(se)
	})
	return v, err
}

func (r *reader) object(se xml.StartElement) error {
	o := &Object{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), LastChange: attr(se, "LAST-CHANGE"), Pos: r.pos()}
	err := r.children(func(se xml.StartElement) error {
		switch se.Name.Local {
		case "TYPE":
			s, err := r.ref()
			o.Type = s
			return err
		case "VALUES":
			return r.values(&o.Values)
		}
		return r.skip(se)
	})
	if err != nil {
		return err
	}
	if o.ID == "" {
		return &Error{File: r.file, Pos: o.Pos, Msg: "SPEC-OBJECT without IDENTIFIER"}
	}
	if _, dup := r.doc.Objects[o.ID]; dup {
		return &Error{File: r.file, Pos: o.Pos, Msg: fmt.Sprintf("SPEC-OBJECT IDENTIFIER %q is used twice", o.ID)}
	}
	r.doc.Objects[o.ID] = o
	r.doc.ObjectOrder = append(r.doc.ObjectOrder, o.ID)
	return nil
}

func (r *reader) relation(se xml.StartElement) error {
	rel := &Relation{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), Pos: r.pos()}
	err := r.children(func(se xml.StartElement) error {
		var err error
		switch se.Name.Local {
		case "TYPE":
			rel.Type, err = r.ref()
		case "SOURCE":
			rel.Source, err = r.ref()
		case "TARGET":
			rel.Target, err = r.ref()
		case "VALUES":
			err = r.values(&rel.Values)
		default:
			err = r.skip(se)
		}
		return err
	})
	r.doc.Relations = append(r.doc.Relations, rel)
	return err
}

func (r *reader) specification(se xml.StartElement) error {
	s := &Specification{ID: attr(se, "IDENTIFIER"), Name: attr(se, "LONG-NAME"), Pos: r.pos()}
	err := r.children(func(se xml.StartElement) error {
		var err error
		switch se.Name.Local {
		case "TYPE":
			s.Type, err = r.ref()
		case "VALUES":
			err = r.values(&s.Values)
		case "CHILDREN":
			err = r.hierarchy(&s.Children)
		default:
			err = r.skip(se)
		}
		return err
	})
	r.doc.Specifications = append(r.doc.Specifications, s)
	return err
}

func (r *reader) hierarchy(dst *[]*Hierarchy) error {
	return r.children(func(se xml.StartElement) error {
		if se.Name.Local != "SPEC-HIERARCHY" {
			return r.skip(se)
		}
		h := &Hierarchy{ID: attr(se, "IDENTIFIER"), Pos: r.pos()}
		*dst = append(*dst, h)
		return r.children(func(se xml.StartElement) error {
			var err error
			switch se.Name.Local {
			case "OBJECT":
				h.Object, err = r.ref()
			case "CHILDREN":
				err = r.hierarchy(&h.Children)
			default:
				err = r.skip(se)
			}
			return err
		})
	})
}
