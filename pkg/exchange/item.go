// Package exchange is the import pipeline shared by every importer (spreadsheets, ReqIF,
// Doorstop): a reader turns its source into Items with source positions, and Prepare maps
// them onto the project as SPEC §10 "Common to every import" says — update or create by
// origin, ids in project form, next free ids in source order, minimal-change updates, custom
// fields declared in reqtrail.yaml, all-or-nothing validation with the full lint over an
// in-memory overlay — and Apply writes the result all or nothing. Records are staged, checked
// and written through the authoring layer's plan (pkg/author), the one write path.
//
// A typical importer:
//
//	items, err := reader.Read(...)              // []exchange.Item, each with its Pos
//	plan, err := exchange.Prepare(r, root, items, exchange.Options{System: "needs"})
//	plan.Result.WriteProblems(os.Stderr)         // FILE:SHEET!CELL: message …
//	if !opts.DryRun && plan.OK() { err = plan.Apply() }
//	plan.Result.WriteSummary(os.Stdout, opts.DryRun)
package exchange

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// Pos is a position in an import source: a cell of a sheet (Sheet set: FILE:SHEET!CELL), a
// row and column of a CSV file or a line and column of an XML file (FILE:LINE:COLUMN), or
// the file alone.
type Pos struct {
	File   string // the source as the user named it (base name is fine)
	Sheet  string // XLSX sheet name; "" for other sources
	Line   int    // 1-based row (sheets, CSV) or line (XML); 0 when unknown
	Column int    // 1-based column; 0 when unknown
}

// String renders p the way diagnostics show it: needs.xlsx:需求表!D12, needs.csv:12:4,
// spec.reqif:120:7.
func (p Pos) String() string {
	switch {
	case p.Sheet != "" && p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("%s:%s!%s%d", p.File, p.Sheet, ColumnName(p.Column), p.Line)
	case p.Sheet != "" && p.Line > 0:
		return fmt.Sprintf("%s:%s!%d", p.File, p.Sheet, p.Line)
	case p.Sheet != "":
		return p.File + ":" + p.Sheet
	case p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// ColumnName is the spreadsheet name of 1-based column n: 1 → A, 27 → AA.
func ColumnName(n int) string {
	if n < 1 {
		return strconv.Itoa(n)
	}
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// Origin says where an imported record came from (SPEC §3): the source system and the item's
// key within it. The zero Origin means none.
type Origin struct {
	System string
	ID     string
	URL    string
}

// IsZero reports whether o is no origin.
func (o Origin) IsZero() bool { return o.System == "" && o.ID == "" }

// SourceRef is a reference, inside an Item's field values, to another item of the same
// source by its origin id (a ReqIF SPEC-OBJECT IDENTIFIER, a Doorstop UID, a sheet's foreign
// id). Prepare replaces it by the record id that item gets, or by the id of an existing
// record with that origin; a reference to nothing makes the item invalid. References written
// as project ids (REQ-0003) are plain strings.
type SourceRef string

// RefIn is a SourceRef to an item of another system of the same import: Doorstop documents
// link across documents, and each document is its own system (doorstop:<prefix>).
func RefIn(system, id string) SourceRef { return SourceRef(system + refSep + id) }

const refSep = "\x00"

// origin is the origin s refers to, from an item of system.
func (s SourceRef) origin(system string) Origin {
	if sys, id, ok := strings.Cut(string(s), refSep); ok {
		return Origin{System: sys, ID: id}
	}
	return Origin{System: system, ID: string(s)}
}

// Attachment is a file that belongs to an imported record (an image of a ReqIF XHTML text).
// It is written under <record-id>.files/ beside the record with the name reduced by SafeName.
type Attachment struct {
	Name string
	Data []byte
}

// Item is one record as an importer read it, in reqtrail's terms.
type Item struct {
	// Pos is where the item starts in the source (its row, its SPEC-OBJECT).
	Pos Pos
	// Kind is the record kind the item becomes.
	Kind record.Kind
	// Origin is the item's source key. An empty System is filled with Options.System. An
	// empty ID means the item has no key of its own (a sheet row without an id cell).
	Origin Origin
	// ID is an id in the project's form (REQ-0007) the source gives the item, or "".
	ID string
	// Set holds the field values to write, by field path: top-level keys ("title", "tags")
	// and dotted paths into nested mappings ("priority.moscow", "source.date",
	// "priority.ice.impact"). Values are in reqtrail form: string, int, int64, float64, bool,
	// []string, []any of scalars or map[string]any (links, metrics), or SourceRef anywhere a
	// record id goes. "id" and "origin" are not set here.
	Set map[string]any
	// Remove lists field paths to remove (an empty cell in a present column).
	Remove []string
	// At gives the source position of each field path in Set or Remove (a cell), for
	// diagnostics; fields without one are reported at Pos.
	At map[string]Pos
	// Body is the Markdown body, or nil to leave the body alone.
	Body *string
	// Dir is a sub-folder of the kind's folder (below Options.Dir) for a created record, made
	// of names reduced by SafeName; an existing record never moves.
	Dir string
	// Attachments are written beside a created or updated record.
	Attachments []Attachment
	// Declare gives the JSON Schema of custom fields this item sets (a ReqIF datatype);
	// a custom field without one is declared {type: string}.
	Declare map[string]map[string]any
	// Invalid holds problems the reader found in this item (an unknown enumerated value, a
	// date that is not one), each at its cell: the item is invalid as if Prepare found them.
	Invalid []Problem
	// Pins says which references to pin with their target requirement's fingerprint (SPEC
	// §11): "parent" for the parent, "links.N" for the N-th link (from 0). A reference not
	// named is pinned when the project sets pin-links: true; one named false is written
	// unpinned even then (a Doorstop link not reviewed). A value that carries its own
	// fingerprint (a sheet's parent.fingerprint cell) is written as it is.
	Pins map[string]bool
}

// Invalidf records a problem of the item at pos.
func (it *Item) Invalidf(pos Pos, format string, args ...any) {
	it.Invalid = append(it.Invalid, Problem{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// SetField sets path to v with its cell position.
func (it *Item) SetField(path string, v any, at Pos) {
	if it.Set == nil {
		it.Set = map[string]any{}
	}
	it.Set[path] = v
	it.at(path, at)
}

// RemoveField removes path (an empty cell) with its cell position.
func (it *Item) RemoveField(path string, at Pos) {
	it.Remove = append(it.Remove, path)
	it.at(path, at)
}

// SetAt records the source position of a field path (or of "id").
func (it *Item) SetAt(path string, p Pos) { it.at(path, p) }

func (it *Item) at(path string, p Pos) {
	if it.At == nil {
		it.At = map[string]Pos{}
	}
	it.At[path] = p
}

// posOf returns the position of a field path, or of the item.
func (it *Item) posOf(path string) Pos {
	for path != "" {
		if p, ok := it.At[path]; ok {
			return p
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return it.Pos
}

// Problem is an invalid item (or a source that cannot be read) at a source position.
type Problem struct {
	Pos     Pos
	Message string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Message }

// SafeName reduces a foreign name (an attachment's file name, a chapter title) to a safe
// path element as SPEC §9 says: its last path element, letters, digits, '.', '_' and '-' only
// (other runs become '-'), no leading '.' or '_', no record extension (.md, .yaml, .yml), at
// most 80 characters. It returns "" when nothing is left.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := r == '.' || r == '_' || r == '-' || isLetterOrDigit(r)
		if !ok {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), "-")
	s = strings.TrimLeft(s, "._-")
	for {
		lower := strings.ToLower(s)
		cut := false
		for _, ext := range []string{".md", ".yaml", ".yml"} {
			if strings.HasSuffix(lower, ext) {
				s = s[:len(s)-len(ext)]
				cut = true
			}
		}
		if !cut {
			break
		}
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return strings.TrimRight(s, ".-")
}

// UniqueName returns name, or name-2, name-3 … so that it is not in taken (compared
// case-insensitively), and records it in taken.
func UniqueName(name string, taken map[string]bool) string {
	cand := name
	for n := 2; taken[strings.ToLower(cand)]; n++ {
		cand = name + "-" + strconv.Itoa(n)
	}
	taken[strings.ToLower(cand)] = true
	return cand
}

func isLetterOrDigit(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r > 0x7f && (isUnicodeLetter(r))
}
