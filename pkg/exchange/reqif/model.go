// Package reqif reads and writes ReqIF (Requirements Interchange Format, OMG 1.0–1.2) files:
// a streaming reader into a small model, the XHTML ↔ Markdown converters, a schema-valid
// writer and an anonymiser for sharing files that fail to import.
package reqif

import "slices"

// Kind is the datatype family of an attribute.
type Kind int

// The ReqIF datatype families.
const (
	KindString Kind = iota
	KindXHTML
	KindEnum
	KindInteger
	KindReal
	KindBoolean
	KindDate
)

var kindNames = map[string]Kind{
	"STRING": KindString, "XHTML": KindXHTML, "ENUMERATION": KindEnum, "INTEGER": KindInteger,
	"REAL": KindReal, "BOOLEAN": KindBoolean, "DATE": KindDate,
}

// String is the ReqIF element suffix of the kind (STRING, XHTML, …).
func (k Kind) String() string {
	for n, v := range kindNames {
		if v == k {
			return n
		}
	}
	return "STRING"
}

// Pos is a 1-based line and column in the source file.
type Pos struct{ Line, Column int }

// Header is the REQ-IF-HEADER.
type Header struct {
	Identifier, Title, Comment, Version, SourceTool, ReqIFTool, RepositoryID, CreationTime string
}

// EnumValue is one ENUM-VALUE of an enumeration datatype.
type EnumValue struct {
	ID, Name, Key string
}

// Datatype is a DATATYPE-DEFINITION-*.
type Datatype struct {
	ID, Name string
	Kind     Kind
	Values   []EnumValue // enumerations
}

// AttrDef is an ATTRIBUTE-DEFINITION-* of a spec type.
type AttrDef struct {
	ID, Name string
	Kind     Kind
	Datatype string // datatype IDENTIFIER
	Multi    bool
	Default  *Value
}

// SpecType is a SPEC-OBJECT-TYPE, SPECIFICATION-TYPE, SPEC-RELATION-TYPE or
// RELATION-GROUP-TYPE.
type SpecType struct {
	ID, Name string
	Element  string // e.g. SPEC-OBJECT-TYPE
	Attrs    []*AttrDef
}

// Value is one ATTRIBUTE-VALUE-*.
type Value struct {
	Def   string // attribute definition IDENTIFIER
	Kind  Kind
	Text  string   // string, integer, real, boolean and date values as written
	Enum  []string // enumeration value IDENTIFIERs
	XHTML *Node    // XHTML content (a synthetic root holding THE-VALUE's children)
	Pos   Pos
}

// Object is a SPEC-OBJECT.
type Object struct {
	ID, Name, LastChange string
	Type                 string
	Values               []*Value
	Pos                  Pos
}

// Relation is a SPEC-RELATION.
type Relation struct {
	ID, Name       string
	Type           string
	Source, Target string
	Values         []*Value
	Pos            Pos
}

// Hierarchy is a SPEC-HIERARCHY node.
type Hierarchy struct {
	ID       string
	Object   string
	Children []*Hierarchy
	Pos      Pos
}

// Specification is a SPECIFICATION with its hierarchy.
type Specification struct {
	ID, Name string
	Type     string
	Values   []*Value
	Children []*Hierarchy
	Pos      Pos
}

// Document is one parsed .reqif file.
type Document struct {
	Header         Header
	Datatypes      map[string]*Datatype
	Types          map[string]*SpecType
	AttrDefs       map[string]*AttrDef
	Objects        map[string]*Object
	ObjectOrder    []string
	Relations      []*Relation
	Specifications []*Specification
}

// Attachment is a file from a .reqifz archive other than the .reqif files.
type Attachment struct {
	Name string // path inside the archive, forward slashes
	Data []byte
}

// Package is what a .reqif or .reqifz holds: one or more documents and the attachments.
type Package struct {
	Files       []string // names of the .reqif files, in archive order
	Documents   []*Document
	Attachments []Attachment
}

// Attachment returns the archive file named name (relative to the archive root, or to the
// folder of the .reqif file), or nil.
func (p *Package) Attachment(name string) *Attachment {
	for i := range p.Attachments {
		if p.Attachments[i].Name == name {
			return &p.Attachments[i]
		}
	}
	return nil
}

// TypeName is the LONG-NAME of an object's type ("" when unknown).
func (d *Document) TypeName(id string) string {
	if t := d.Types[id]; t != nil {
		return t.Name
	}
	return ""
}

// DefName is the LONG-NAME of an attribute definition, or its IDENTIFIER when it has none.
func (d *Document) DefName(id string) string {
	if a := d.AttrDefs[id]; a != nil {
		if a.Name != "" {
			return a.Name
		}
		return a.ID
	}
	return id
}

// EnumName is the LONG-NAME (or KEY, or IDENTIFIER) of an enumeration value.
func (d *Document) EnumName(datatype, value string) string {
	if dt := d.Datatypes[datatype]; dt != nil {
		for _, v := range dt.Values {
			if v.ID == value {
				switch {
				case v.Name != "":
					return v.Name
				case v.Key != "":
					return v.Key
				}
				return v.ID
			}
		}
	}
	for _, dt := range d.Datatypes {
		for _, v := range dt.Values {
			if v.ID == value && v.Name != "" {
				return v.Name
			}
		}
	}
	return value
}

// ValuesOf returns an object's values with every definition of its type that has a
// DEFAULT-VALUE and no value filled in from that default.
func (d *Document) ValuesOf(o *Object) []*Value {
	vals := o.Values
	t := d.Types[o.Type]
	if t == nil {
		return vals
	}
	var out []*Value
	for _, a := range t.Attrs {
		if a.Default == nil || slices.ContainsFunc(vals, func(v *Value) bool { return v.Def == a.ID }) {
			continue
		}
		dv := *a.Default
		dv.Def = a.ID
		out = append(out, &dv)
	}
	if out == nil {
		return vals
	}
	return append(append([]*Value(nil), vals...), out...)
}
