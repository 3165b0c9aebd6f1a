package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Kind is the type of a cell.
type Kind int

// The cell kinds. An Empty cell shows as "-" in text and Markdown and as nothing in CSV.
const (
	EmptyKind Kind = iota
	StringKind
	IntKind
	NumberKind
	BoolKind
	ListKind
	ObjectKind
	IDKind
	DateKind
)

// Cell is one typed value of a table. Href, when set, links the cell in HTML; Badge shows
// it as a coloured label of that class.
type Cell struct {
	Kind   Kind
	Str    string  // String, ID, Date
	Int    int     // Int
	Num    float64 // Number
	Prec   int     // Number: digits after the point
	Bool   bool    // Bool
	Items  []Cell  // List
	Fields []Field // Object
	Href   string
	Badge  bool
	Strong bool
}

// Field is one key of an Object cell.
type Field struct {
	Key   string
	Value Cell
}

// Str is a text cell; "" is Empty.
func Str(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{Kind: StringKind, Str: s}
}

// IDCell is a record id.
func IDCell(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{Kind: IDKind, Str: s}
}

// DateCell is a date (YYYY-MM-DD or RFC 3339).
func DateCell(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{Kind: DateKind, Str: s}
}

// IntCell is a whole number.
func IntCell(n int) Cell { return Cell{Kind: IntKind, Int: n} }

// Count is a whole number where 0 means none (Empty).
func CountCell(n int) Cell {
	if n == 0 {
		return Cell{}
	}
	return IntCell(n)
}

// NumCell is a number shown with prec digits after the point.
func NumCell(f float64, prec int) Cell { return Cell{Kind: NumberKind, Num: f, Prec: prec} }

// BoolCell is yes or no.
func BoolCell(b bool) Cell { return Cell{Kind: BoolKind, Bool: b} }

// ListCell is a list of cells.
func ListCell(items ...Cell) Cell { return Cell{Kind: ListKind, Items: items} }

// Strings is a list of text cells.
func Strings(l []string) Cell {
	c := Cell{Kind: ListKind, Items: make([]Cell, len(l))}
	for i, s := range l {
		c.Items[i] = Str(s)
	}
	return c
}

// IDs is a list of record ids.
func IDs(l []string) Cell {
	c := Cell{Kind: ListKind, Items: make([]Cell, len(l))}
	for i, s := range l {
		c.Items[i] = IDCell(s)
	}
	return c
}

// ObjectCell is a set of keys and values.
func ObjectCell(fields ...Field) Cell { return Cell{Kind: ObjectKind, Fields: fields} }

// Link returns c linked to href (in HTML).
func (c Cell) Link(href string) Cell { c.Href = href; return c }

// AsBadge returns c shown as a coloured label (in HTML).
func (c Cell) AsBadge() Cell { c.Badge = true; return c }

// AsStrong returns c shown in bold (Markdown, HTML).
func (c Cell) AsStrong() Cell { c.Strong = true; return c }

// IsEmpty reports whether the cell holds nothing (an empty list or object included).
func (c Cell) IsEmpty() bool {
	switch c.Kind {
	case EmptyKind:
		return true
	case ListKind:
		return len(c.Items) == 0
	case ObjectKind:
		return len(c.Fields) == 0
	}
	return false
}

// Text is the cell as readable text for the human formats: lists joined with ", ",
// objects as "key: value; key: value", booleans as yes/no, "" when empty. Control
// characters are not removed here; the writers clean the text.
func (c Cell) Text() string { return c.text(", ") }

func (c Cell) text(sep string) string {
	switch c.Kind {
	case StringKind, IDKind, DateKind:
		return c.Str
	case IntKind:
		return strconv.Itoa(c.Int)
	case NumberKind:
		return strconv.FormatFloat(c.Num, 'f', c.Prec, 64)
	case BoolKind:
		if c.Bool {
			return "yes"
		}
		return "no"
	case ListKind:
		parts := make([]string, 0, len(c.Items))
		for _, it := range c.Items {
			if t := it.text(sep); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, sep)
	case ObjectKind:
		parts := make([]string, 0, len(c.Fields))
		for _, f := range c.Fields {
			parts = append(parts, f.Key+": "+f.Value.text(sep))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// Column describes one column: Key names it in CSV and JSON, Head in the human formats.
type Column struct {
	Key  string
	Head string
	// Right aligns the column right (numbers).
	Right bool
	// Flex marks the column the text writer cuts with "…" when the table is wider than
	// the width asked for (one per table; usually the title).
	Flex bool
	// Max caps the column's width in text (0: no cap).
	Max int
	// Only lists the formats that show the column (nil: all).
	Only []Format
	// Not lists formats that leave the column out.
	Not []Format
}

func (c Column) in(f Format) bool {
	if slices.Contains(c.Not, f) {
		return false
	}
	return c.Only == nil || slices.Contains(c.Only, f)
}

// Table is columns and rows of typed cells; a row has one cell per column.
type Table struct {
	Columns []Column
	Rows    [][]Cell
	// Width is the width in terminal columns the text writer fits the table in (0: no
	// limit).
	Width int
	// HideHead leaves the header row out of the text table.
	HideHead bool

	priority int
	more     string
}

// Add appends a row.
func (t *Table) Add(cells ...Cell) { t.Rows = append(t.Rows, cells) }

// view returns the columns and rows that format f shows.
func (t *Table) view(f Format) ([]Column, [][]Cell) {
	var keep []int
	for i, c := range t.Columns {
		if c.in(f) {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(t.Columns) {
		return t.Columns, t.Rows
	}
	cols := make([]Column, len(keep))
	for j, i := range keep {
		cols[j] = t.Columns[i]
	}
	rows := make([][]Cell, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]Cell, len(keep))
		for j, i := range keep {
			if i < len(row) {
				rows[r][j] = row[i]
			}
		}
	}
	return cols, rows
}

func (*Table) block() {}

// Fold gives a table the folding of a List (see List): its Priority and the plural noun
// of its "… and N more" row.
func (t *Table) Fold(priority int, more string) *Table {
	t.priority, t.more = priority, more
	return t
}

// ValueCell turns a decoded YAML or JSON value into a cell: strings, numbers and booleans
// as themselves, lists as lists, maps as objects with sorted keys, nil as Empty.
func ValueCell(v any) Cell {
	switch v := v.(type) {
	case nil:
		return Cell{}
	case string:
		return Str(v)
	case bool:
		return BoolCell(v)
	case int:
		return IntCell(v)
	case int64:
		return IntCell(int(v))
	case uint64:
		return IntCell(int(v))
	case float64:
		if v == float64(int(v)) {
			return IntCell(int(v))
		}
		return Cell{Kind: NumberKind, Num: v, Prec: -1}
	case []any:
		c := ListCell()
		for _, x := range v {
			c.Items = append(c.Items, ValueCell(x))
		}
		return c
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		c := ObjectCell()
		for _, k := range keys {
			c.Fields = append(c.Fields, Field{Key: k, Value: ValueCell(v[k])})
		}
		return c
	}
	return Str(fmt.Sprint(v))
}
