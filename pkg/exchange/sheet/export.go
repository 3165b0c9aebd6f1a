package sheet

import (
	"fmt"
	"sort"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// ExportOptions tune Export.
type ExportOptions struct {
	// Lang is "en" (the field names and values) or "zh-CN" (Chinese headers and values).
	Lang string
	// NoBody leaves the body column out.
	NoBody bool
}

// Export returns the records of kind as a sheet: one row per record, sorted by id, one
// column per field (SPEC §10), custom fields after the built-ins, the body last. A cell over
// MaxCell characters is an error naming the record.
func Export(r *repo.Repo, kind record.Kind, opts ExportOptions) (Data, error) {
	zhCN := opts.Lang == "zh-CN"
	v, err := r.Config.Validator(kind)
	if err != nil {
		return Data{}, err
	}
	specs := projectColumns(kind, r.Config)
	var cols []column
	for _, c := range specs {
		top, _, _ := strings.Cut(c.field, ".")
		if _, ok := v.Shape.Props[top]; ok {
			cols = append(cols, c)
		}
	}
	for _, k := range customFields(r, kind) {
		c := column{field: k}
		if s, ok := r.Config.Fields[kind][k].(map[string]any); ok {
			switch {
			case s["enum"] != nil:
				c.typ = enumCell
			case s["type"] == "integer":
				c.typ = intCell
			case s["type"] == "number":
				c.typ = numCell
			case s["type"] == "array":
				c.typ = listCell
			}
		}
		cols = append(cols, c)
	}
	if !opts.NoBody {
		cols = append(cols, column{field: "body", headers: bodyHeaders[kind], typ: bodyCell})
	}
	d := Data{Name: string(kind)}
	for _, c := range cols {
		h := c.field
		if zhCN && len(c.headers) > 0 {
			h = c.headers[0]
		}
		col := Column{Header: h}
		if c.typ == enumCell || c.typ == channelCell {
			var enum []string
			if s, ok := r.Config.Fields[kind][c.field].(map[string]any); ok {
				enum = listOf(s["enum"])
			} else {
				enum = v.Enum(strings.Split(c.field, ".")...)
			}
			for _, e := range enum {
				if zhCN {
					e = zhName(c, e)
				}
				col.Values = append(col.Values, e)
			}
		}
		d.Columns = append(d.Columns, col)
	}
	recs := r.Parsed(kind)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	for _, rec := range recs {
		fields := rec.Fields()
		row := make([]any, len(cols))
		for i, c := range cols {
			var val any
			switch c.field {
			case "body":
				val = strings.TrimRight(strings.ReplaceAll(rec.Body, "\r\n", "\n"), " \t\r\n")
			case "parent":
				val = fields["parent"]
				if m, ok := val.(map[string]any); ok {
					val = m["id"]
				}
			case "parent.fingerprint":
				if m, ok := fields["parent"].(map[string]any); ok {
					val = m["fingerprint"]
				}
			default:
				val = lookup(fields, c.field)
			}
			cell := render(c, val, zhCN)
			if s, ok := cell.(string); ok && len([]rune(s)) > MaxCell {
				hint := ""
				if c.field == "body" {
					hint = " (export with --no-body to leave bodies out)"
				}
				return Data{}, fmt.Errorf("%s: %s has %d characters; a spreadsheet cell holds at most %d%s", rec.ID, c.field, len([]rune(s)), MaxCell, hint)
			}
			row[i] = cell
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// customFields lists kind's custom fields in reqtrail.yaml's order.
func customFields(r *repo.Repo, kind record.Kind) []string {
	var out []string
	seen := map[string]bool{}
	if r.Config.Record != nil {
		if n := r.Config.Record.ValueNode("fields", string(kind)); n != nil {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if _, ok := r.Config.Fields[kind][k]; ok && !seen[k] {
					out = append(out, k)
					seen[k] = true
				}
			}
		}
	}
	var rest []string
	for k := range r.Config.Fields[kind] {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func lookup(m map[string]any, path string) any {
	var cur any = m
	for p := range strings.SplitSeq(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func zhName(c column, value string) string {
	for _, z := range c.values {
		if z.value == value {
			return z.zh
		}
	}
	return value
}

// render turns a field value into a cell: numbers stay numbers, lists of scalars one item a
// line, lists of mappings (and lists whose items break lines) YAML flow syntax.
func render(c column, v any, zhCN bool) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if zhCN && (c.typ == enumCell || c.typ == channelCell) {
			return zhName(c, x)
		}
		return x
	case int64, float64:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		lines := make([]string, 0, len(x))
		flow := c.typ == flowCell
		for _, e := range x {
			s, ok := e.(string)
			if !ok || strings.ContainsAny(s, "\n\r") || s != strings.TrimSpace(s) || s == "" ||
				strings.HasPrefix(s, "[") || strings.ContainsAny(s, ";；") && len(x) == 1 {
				flow = true
				break
			}
			lines = append(lines, s)
		}
		if flow {
			return exchange.Display(x)
		}
		return strings.Join(lines, "\n")
	}
	return exchange.Display(v)
}
