package report

import (
	"bufio"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/mdterm"
)

// Fields is a block of aligned key/value rows (show's fields and trace): in text the keys
// form a column and each value wraps to Width with a hanging indent; in Markdown and HTML it
// is a two-column table.
type Fields struct {
	Rows  []FieldRow
	Width int // the text width values wrap to (0: no wrapping)
}

// FieldRow is one row of Fields. A row with an empty Key continues the previous key; a row
// with an empty Value is a heading for the indented rows below it; an Item row is a whole
// line (Key is its indent and marker, "  • "), wrapped under its own marker.
type FieldRow struct {
	Key, Value string
	Item       bool
}

func (Fields) block() {}

// minWrap is the narrowest a wrapped value gets, however long the keys.
const minWrap = 30

func textFields(bw *bufio.Writer, f Fields, indent string) {
	kw := 0
	for _, r := range f.Rows {
		if !r.Item {
			kw = max(kw, Width(Clean(r.Key)))
		}
	}
	wrap := func(s string, width int) []string {
		if f.Width <= 0 {
			return []string{s}
		}
		return strings.Split(mdterm.Wrap(s, max(width, minWrap)), "\n")
	}
	for _, r := range f.Rows {
		key, value := Clean(r.Key), Clean(r.Value)
		switch {
		case r.Item:
			ind := Width(key)
			for i, l := range wrap(value, f.Width-ind) {
				if i == 0 {
					bw.WriteString(indent + key + l + "\n")
				} else {
					bw.WriteString(indent + strings.Repeat(" ", ind) + l + "\n")
				}
			}
		case value == "":
			bw.WriteString(indent + key + "\n")
		default:
			for i, l := range wrap(value, f.Width-kw-gap) {
				if i == 0 {
					bw.WriteString(indent + key + strings.Repeat(" ", kw-Width(key)+gap) + l + "\n")
				} else {
					bw.WriteString(indent + strings.Repeat(" ", kw+gap) + l + "\n")
				}
			}
		}
	}
}

// table is f as a two-column table (keys trimmed of their indent), for Markdown and HTML.
func (f Fields) table() *Table {
	t := &Table{Columns: []Column{{Key: "field", Head: "Field"}, {Key: "value", Head: "Value", Flex: true}}}
	for _, r := range f.Rows {
		t.Add(Str(strings.TrimSpace(r.Key)), Str(r.Value))
	}
	return t
}

// Terminal is text already rendered for a terminal by mdterm (a record's Markdown body, a
// bold title): mdterm has made record text safe and may have added styling escapes, so the
// text writer writes it as it is. The other writers leave it out.
type Terminal struct{ Text string }

func (Terminal) block() {}

// WriteYAML is the one YAML writer: v encoded by yaml.v3 with two-space indentation.
func WriteYAML(w io.Writer, v any) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}
