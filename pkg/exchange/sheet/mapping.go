package sheet

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// NormalizeHeader is a header as matched: white space, a trailing '*' and a parenthesised
// suffix (优先级（必填）) trimmed, ASCII letters lower-cased.
func NormalizeHeader(h string) string {
	h = strings.TrimSpace(h)
	for {
		before := h
		h = strings.TrimFunc(h, unicode.IsSpace)
		h = strings.TrimRight(h, "*＊")
		h = strings.TrimFunc(h, unicode.IsSpace)
		for _, p := range [][2]string{{"(", ")"}, {"（", "）"}} {
			if strings.HasSuffix(h, p[1]) {
				if i := strings.LastIndex(h, p[0]); i > 0 {
					h = h[:i]
				}
			}
		}
		if h == before {
			break
		}
	}
	var b strings.Builder
	for _, r := range h {
		if r < 0x80 {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

var slugRE = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// CustomKey is the custom field a foreign column becomes: the name lower-cased, runs of
// characters other than letters and digits turned into '-', prefixed x- when it is a
// built-in key.
func CustomKey(name string, builtin map[string]*record.Shape) string {
	k := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "-"), "-")
	if k == "" {
		k = "column"
	}
	if _, ok := builtin[k]; ok || k == "body" {
		k = "x-" + k
	}
	return k
}

// Importer turns sheets into items for one project.
type Importer struct {
	Config *config.Config
	// Map maps a header (as written) to a field path, or "-" to drop the column.
	Map map[string]string
}

type colMap struct {
	idx    int
	header string
	field  string
	spec   column
	custom map[string]any // the schema of a custom field
}

// values returns the accepted values of an enumerated column: schema values (English,
// case-insensitively) and Chinese names.
func (im *Importer) lookupValue(c *colMap, v *schema.Validator, s string) (string, bool) {
	var enum []string
	if c.custom != nil {
		enum = append(enum, listOf(c.custom["enum"])...)
	} else {
		enum = v.Enum(strings.Split(c.field, ".")...)
	}
	for _, e := range enum {
		if strings.EqualFold(e, s) {
			return e, true
		}
	}
	for _, z := range c.spec.values {
		if z.zh == s && (len(enum) == 0 || slices.Contains(enum, z.value)) {
			return z.value, true
		}
	}
	return "", false
}

func listOf(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Items maps the rows of t (the first row the header) to items of kind. Header problems —
// two columns for one field, a --map to a field that does not exist — are returned as
// problems; cell problems are set on each item (Item.Invalid).
func (im *Importer) Items(t *Table, kind record.Kind) ([]exchange.Item, []exchange.Problem) {
	var problems []exchange.Problem
	if len(t.Rows) == 0 {
		return nil, []exchange.Problem{{Pos: exchange.Pos{File: t.File, Sheet: t.Sheet}, Message: "the sheet is empty: the first row names the columns"}}
	}
	base, err := schema.For(string(kind), nil)
	if err != nil {
		return nil, []exchange.Problem{{Pos: exchange.Pos{File: t.File}, Message: err.Error()}}
	}
	v, err := im.Config.Validator(kind)
	if err != nil {
		v = base
	}
	builtins := projectColumns(kind, im.Config)
	byHeader := map[string]column{}
	for _, c := range builtins {
		byHeader[NormalizeHeader(c.field)] = c
		for _, h := range c.headers {
			if _, taken := byHeader[NormalizeHeader(h)]; !taken {
				byHeader[NormalizeHeader(h)] = c
			}
		}
	}
	byHeader["body"] = column{field: "body", typ: bodyCell}
	for _, h := range bodyHeaders[kind] {
		if _, taken := byHeader[NormalizeHeader(h)]; !taken {
			byHeader[NormalizeHeader(h)] = column{field: "body", typ: bodyCell}
		}
	}
	maps := map[string]string{}
	for h, f := range im.Map {
		maps[NormalizeHeader(h)] = f
	}
	fieldByName := map[string]column{}
	for _, c := range builtins {
		fieldByName[c.field] = c
	}
	fieldByName["body"] = column{field: "body", typ: bodyCell}

	var cols []*colMap
	used := map[string]*colMap{}
	for i, cell := range t.Rows[0] {
		h := strings.TrimSpace(cell.Text)
		if h == "" {
			continue
		}
		n := NormalizeHeader(h)
		cm := &colMap{idx: i, header: h}
		if f, ok := maps[n]; ok {
			if f == "-" {
				continue
			}
			if c, ok := fieldByName[f]; ok {
				cm.spec = c
			} else {
				top, _, _ := strings.Cut(f, ".")
				if _, builtin := base.Shape.Props[top]; builtin {
					problems = append(problems, exchange.Problem{Pos: t.Pos(0, i), Message: fmt.Sprintf("--map %s=%s: a %s has no field %s", h, f, kind, f)})
					continue
				}
				cm.spec = column{field: f}
			}
		} else if c, ok := byHeader[n]; ok {
			cm.spec = c
		} else {
			cm.spec = column{field: CustomKey(h, base.Shape.Props)}
		}
		cm.field = cm.spec.field
		if s, ok := im.Config.Fields[kind][cm.field].(map[string]any); ok {
			cm.custom = s
			if _, isEnum := s["enum"]; isEnum {
				cm.spec.typ = enumCell
			} else if s["type"] == "integer" {
				cm.spec.typ = intCell
			} else if s["type"] == "number" {
				cm.spec.typ = numCell
			} else if s["type"] == "array" {
				cm.spec.typ = listCell
			}
		}
		if prev, dup := used[cm.field]; dup {
			problems = append(problems, exchange.Problem{Pos: t.Pos(0, i), Message: fmt.Sprintf("columns %q (%s) and %q (%s) both map to %s; drop one with --map '%s=-'",
				prev.header, exchange.ColumnName(prev.idx+1), h, exchange.ColumnName(i+1), cm.field, h)})
			continue
		}
		used[cm.field] = cm
		cols = append(cols, cm)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	_, hasRequester := used["source.requester"]

	var items []exchange.Item
	for r := 1; r < len(t.Rows); r++ {
		row := t.Rows[r]
		empty := true
		for _, c := range row {
			if strings.TrimSpace(c.Text) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		it := exchange.Item{Pos: exchange.Pos{File: t.File, Sheet: t.Sheet, Line: r + 1}, Kind: kind}
		it.Pos.Column = 1
		var parentFP string
		for _, cm := range cols {
			var cell Cell
			if cm.idx < len(row) {
				cell = row[cm.idx]
			}
			pos := t.Pos(r, cm.idx)
			s := strings.TrimSpace(strings.ReplaceAll(cell.Text, "\r\n", "\n"))
			switch cm.field {
			case "id":
				if s == "" {
					continue
				}
				if im.Config.ValidID(kind, s) {
					it.ID = s
				} else if it.Origin.ID == "" {
					it.Origin.ID = s
				}
				it.SetAt("id", pos)
				continue
			case "origin.system":
				it.Origin.System = s
				continue
			case "origin.id":
				if s != "" {
					it.Origin.ID = s
				}
				continue
			case "origin.url":
				it.Origin.URL = s
				continue
			case "parent.fingerprint":
				parentFP = s
				continue
			}
			if cm.spec.typ == bodyCell {
				if s != "" {
					body := strings.ReplaceAll(cell.Text, "\r\n", "\n")
					it.Body = &body
				}
				continue
			}
			if s == "" {
				it.RemoveField(cm.field, pos)
				continue
			}
			val, ok := im.cellValue(&it, cm, v, cell, s, pos, t.Date1904, hasRequester)
			if ok {
				it.SetField(cm.field, val, pos)
			}
		}
		if parentFP != "" {
			if p, ok := it.Set["parent"]; ok {
				it.Set["parent"] = map[string]any{"id": p, "fingerprint": parentFP}
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// cellValue converts one non-empty cell; false when it is invalid (recorded on the item)
// or set otherwise.
func (im *Importer) cellValue(it *exchange.Item, cm *colMap, v *schema.Validator, cell Cell, s string, pos exchange.Pos, date1904, hasRequester bool) (any, bool) {
	switch cm.spec.typ {
	case enumCell:
		if val, ok := im.lookupValue(cm, v, s); ok {
			return val, true
		}
		it.Invalidf(pos, "%s: unknown value %q; %s", cm.header, s, im.wanted(cm, v))
		return nil, false
	case channelCell:
		if val, ok := im.lookupValue(cm, v, s); ok {
			return val, true
		}
		ch := "other"
		for _, w := range channelWords {
			if strings.Contains(s, w.zh) {
				ch = w.value
				break
			}
		}
		if cm.field == "source.channel" {
			if hasRequester {
				it.SetField("source-note", s, pos)
			} else {
				it.SetField("source.requester", s, pos)
			}
		}
		return ch, true
	case intCell, numCell:
		f, err := strconv.ParseFloat(s, 64)
		if cell.Number != nil {
			f, err = *cell.Number, nil
		}
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			it.Invalidf(pos, "%s: %q is not a number", cm.header, s)
			return nil, false
		}
		if cm.spec.typ == intCell {
			if f != math.Trunc(f) || math.Abs(f) > 1e15 {
				it.Invalidf(pos, "%s: %q is not a whole number", cm.header, s)
				return nil, false
			}
			return int64(f), true
		}
		return f, true
	case dateCell:
		if cell.Number != nil {
			if d, ok := SerialDate(*cell.Number, date1904); ok {
				return d, true
			}
		}
		if d, ok := ParseDate(s); ok {
			return d, true
		}
		it.Invalidf(pos, "%s: %q is not a date (write 2024-05-03, 2024/5/3 or 2024年5月3日)", cm.header, s)
		return nil, false
	case listCell, refsCell:
		l := []any{}
		if strings.HasPrefix(s, "[") {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(s), &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode || exchange.HasAlias(doc.Content[0]) {
				it.Invalidf(pos, "%s: not a YAML flow list such as [a, b]", cm.header)
				return nil, false
			}
			l, _ = record.Value(doc.Content[0], v.Shape.At(strings.Split(cm.field, ".")...)).([]any)
		} else {
			for _, e := range splitList(s) {
				l = append(l, e)
			}
		}
		if cm.spec.typ == listCell {
			return l, true
		}
		out := []any{}
		for _, e := range l {
			e, _ := e.(string)
			out = append(out, im.ref(it.Kind, e))
		}
		return out, true
	case refCell:
		return im.ref(it.Kind, s), true
	case flowCell:
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(s), &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode || exchange.HasAlias(doc.Content[0]) {
			it.Invalidf(pos, "%s: not a YAML flow list such as [{type: depends-on, to: REQ-0007}]", cm.header)
			return nil, false
		}
		return record.Value(doc.Content[0], v.Shape.At(strings.Split(cm.field, ".")...)), true
	}
	return strings.ReplaceAll(cell.Text, "\r\n", "\n"), true
}

// ref is a reference cell: a record id as written when it has a project id form, else a
// reference to the row with that foreign id.
func (im *Importer) ref(kind record.Kind, s string) any {
	if _, ok := im.Config.KindOfID(s); ok {
		return s
	}
	return exchange.SourceRef(s)
}

func (im *Importer) wanted(cm *colMap, v *schema.Validator) string {
	var enum []string
	if cm.custom != nil {
		enum = listOf(cm.custom["enum"])
	} else {
		enum = v.Enum(strings.Split(cm.field, ".")...)
	}
	var names []string
	for _, e := range enum {
		n := e
		for _, z := range cm.spec.values {
			if z.value == e {
				n += " (" + z.zh + ")"
				break
			}
		}
		names = append(names, n)
	}
	return "want one of " + strings.Join(names, ", ")
}

// splitList splits a list cell: one item a line, and a one-line cell also on ';' and '；'.
func splitList(s string) []string {
	var parts []string
	if strings.Contains(s, "\n") {
		parts = strings.Split(s, "\n")
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' })
	}
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	slashDate = regexp.MustCompile(`^(\d{4})/(\d{1,2})/(\d{1,2})$`)
	zhDate    = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$`)
)

// ParseDate reads 2024-05-03, 2024/5/3 or 2024年5月3日 as a date; 5/3/2024 and 2024.5.3 are
// not dates.
func ParseDate(s string) (string, bool) {
	for _, re := range []*regexp.Regexp{isoDate, slashDate, zhDate} {
		m := re.FindStringSubmatch(strings.TrimSpace(s))
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	return "", false
}
