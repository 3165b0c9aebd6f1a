package schema

import (
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// quick is a fast, conservative check compiled from the same JSON Schema as the validator:
// it answers "certainly valid" for the common case of a correct record in about a tenth of
// the time jsonschema takes, and anything else — a violation, or a value or keyword it does
// not model — falls through to jsonschema, which stays the authority and writes every
// message. It may say "not sure" about a valid document, never "valid" about an invalid
// one (FuzzQuick checks this against jsonschema).
type quick struct {
	types      []string // nil: any type
	enum       []string // string enums only; nil: none
	hasEnum    bool
	props      map[string]*quick
	required   []string
	noExtra    bool   // additionalProperties: false
	additional *quick // additionalProperties schema
	items      *quick
	minItems   int
	maxItems   int
	minLength  int
	maxLength  int
	minimum    *float64
	maximum    *float64
	pattern    *regexp.Regexp
	date       bool
	// then is an if/then's "then", checked whatever the "if" says (stronger than the
	// schema, so still conservative) unless ifAbsent models the "if".
	then *quick
	// ifAbsent, when set, models an "if" of the form {"not": {"required": [keys]}}: the
	// "then" applies only to an object that lacks one of the keys (or to a non-object).
	ifAbsent []string
}

// annotations are keywords that never make a document invalid.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "$comment": true, "title": true,
	"description": true, "default": true, "examples": true, "deprecated": true,
	"readOnly": true, "writeOnly": true,
}

// compileQuick returns the quick check of schema s, or nil when s uses a keyword the quick
// check does not model (then every document goes to jsonschema).
func compileQuick(s, root map[string]any, depth int) *quick {
	if depth > 32 {
		return nil
	}
	if ref, ok := s["$ref"]; ok {
		if len(s) != 1 {
			return nil // $ref beside other keywords: leave it to jsonschema
		}
		target := resolve(map[string]any{"$ref": ref}, root)
		if _, still := target["$ref"]; still {
			return nil
		}
		return compileQuick(target, root, depth+1)
	}
	q := &quick{minItems: -1, maxItems: -1, minLength: -1, maxLength: -1}
	for k, v := range s {
		if annotations[k] {
			continue
		}
		ok := true
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				q.types = []string{t}
			case []any:
				for _, e := range t {
					s, isStr := e.(string)
					ok = ok && isStr
					q.types = append(q.types, s)
				}
			default:
				ok = false
			}
		case "enum":
			l, isList := v.([]any)
			ok = isList
			q.hasEnum = true
			for _, e := range l {
				if s, isStr := e.(string); isStr {
					q.enum = append(q.enum, s)
				}
			}
		case "properties":
			m, isMap := v.(map[string]any)
			ok = isMap
			q.props = map[string]*quick{}
			for name, sub := range m {
				subMap, isMap := sub.(map[string]any)
				if !isMap {
					return nil
				}
				if q.props[name] = compileQuick(subMap, root, depth+1); q.props[name] == nil {
					return nil
				}
			}
		case "additionalProperties":
			switch a := v.(type) {
			case bool:
				q.noExtra = !a
			case map[string]any:
				q.additional = compileQuick(a, root, depth+1)
				ok = q.additional != nil
			default:
				ok = false
			}
		case "if":
			var m map[string]any
			m, ok = v.(map[string]any)
			q.ifAbsent = absentKeys(m)
		case "then":
			q.then = sub(v, root, depth)
			ok = q.then != nil
		case "required":
			l, isList := v.([]any)
			ok = isList
			for _, e := range l {
				s, isStr := e.(string)
				ok = ok && isStr
				q.required = append(q.required, s)
			}
		case "items":
			q.items = sub(v, root, depth)
			ok = q.items != nil
		case "minItems", "maxItems", "minLength", "maxLength":
			f, isNum := v.(float64)
			ok = isNum && f >= 0 && f == float64(int(f))
			n := int(f)
			switch k {
			case "minItems":
				q.minItems = n
			case "maxItems":
				q.maxItems = n
			case "minLength":
				q.minLength = n
			case "maxLength":
				q.maxLength = n
			}
		case "minimum", "maximum":
			f, isNum := v.(float64)
			ok = isNum
			if k == "minimum" {
				q.minimum = &f
			} else {
				q.maximum = &f
			}
		case "pattern":
			p, isStr := v.(string)
			ok = isStr
			if isStr {
				re, err := regexp.Compile(p)
				ok = err == nil
				q.pattern = re
			}
		case "format":
			ok = v == "date"
			q.date = ok
		default:
			ok = false
		}
		if !ok {
			return nil
		}
	}
	return q
}

// absentKeys returns the keys of an "if" written {"not": {"required": [keys]}}, or nil.
func absentKeys(m map[string]any) []string {
	if len(m) != 1 {
		return nil
	}
	not, _ := m["not"].(map[string]any)
	if len(not) != 1 {
		return nil
	}
	l, _ := not["required"].([]any)
	var out []string
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// ifHolds reports whether the "if" may hold for v: always, unless ifAbsent models it and v
// is an object that has every one of its keys.
func (q *quick) ifHolds(v any) bool {
	x, ok := v.(map[string]any)
	if q.ifAbsent == nil || !ok {
		return true
	}
	for _, k := range q.ifAbsent {
		if _, has := x[k]; !has {
			return true
		}
	}
	return false
}

// sub compiles the subschema v (which must be an object), or returns nil.
func sub(v any, root map[string]any, depth int) *quick {
	m, isMap := v.(map[string]any)
	if !isMap {
		return nil
	}
	return compileQuick(m, root, depth+1)
}

// valid reports whether v certainly satisfies q.
func (q *quick) valid(v any) bool {
	if q.types != nil && !q.typeOK(v) {
		return false
	}
	if q.then != nil && q.ifHolds(v) && !q.then.valid(v) {
		return false
	}
	if q.hasEnum {
		s, ok := v.(string)
		if !ok {
			return false
		}
		found := false
		for _, e := range q.enum {
			if e == s {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range q.required {
			if _, ok := x[r]; !ok {
				return false
			}
		}
		for k, e := range x {
			if p, ok := q.props[k]; ok {
				if !p.valid(e) {
					return false
				}
				continue
			}
			if q.noExtra {
				return false
			}
			if q.additional != nil && !q.additional.valid(e) {
				return false
			}
		}
	case []any:
		if q.minItems >= 0 && len(x) < q.minItems || q.maxItems >= 0 && len(x) > q.maxItems {
			return false
		}
		if q.items != nil {
			for _, e := range x {
				if !q.items.valid(e) {
					return false
				}
			}
		}
	case string:
		return q.validString(x)
	case int64:
		return q.validInt(x)
	case float64:
		return q.validFloat(x)
	case bool, nil:
	default:
		return false // a type jsonschema would not accept
	}
	return true
}

// validString checks a string against q's length, pattern and date keywords.
func (q *quick) validString(s string) bool {
	if q.minLength >= 0 || q.maxLength >= 0 {
		n := utf8.RuneCountInString(s)
		if q.minLength >= 0 && n < q.minLength || q.maxLength >= 0 && n > q.maxLength {
			return false
		}
	}
	if q.pattern != nil && !q.pattern.MatchString(s) {
		return false
	}
	if q.date {
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return false
		}
	}
	return true
}

// validInt checks an integer against q's bounds.
func (q *quick) validInt(i int64) bool {
	f := float64(i)
	if float64(int64(f)) != f && (q.minimum != nil || q.maximum != nil) {
		return false // beyond float64 precision: let jsonschema decide
	}
	return q.validFloat(f)
}

// validFloat checks a number against q's bounds.
func (q *quick) validFloat(f float64) bool {
	return !(q.minimum != nil && f < *q.minimum || q.maximum != nil && f > *q.maximum)
}

func (q *quick) typeOK(v any) bool {
	for _, t := range q.types {
		switch t {
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "integer":
			if _, ok := v.(int64); ok {
				return true
			}
		case "number":
			switch v.(type) {
			case int64, float64:
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		}
	}
	return false
}

// validNode is valid for a value read in place from a record's compact form (record.Node):
// the same answer for the value it decodes to, without decoding it. A mapping that repeats a
// key (which the decoded map holds once, with its last value) has every value checked.
func (q *quick) validNode(n record.Node) bool {
	kind, s, i, f, _ := n.Decoded()
	if q.types != nil && !q.typeOKNode(n, kind) {
		return false
	}
	if q.then != nil && q.ifHoldsNode(n) && !q.then.validNode(n) {
		return false
	}
	if q.hasEnum {
		if kind != record.StringValue || !slices.Contains(q.enum, s) {
			return false
		}
	}
	switch {
	case n.IsMap():
		if len(q.required) > 64 {
			return false // more than the mask holds: let jsonschema decide
		}
		var found uint64
		ok := true
		n.Each(func(k string, v record.Node) {
			if !ok {
				return
			}
			if r := slices.Index(q.required, k); r >= 0 {
				found |= 1 << r
			}
			if p, has := q.props[k]; has {
				ok = p.validNode(v)
				return
			}
			if q.noExtra {
				ok = false
				return
			}
			if q.additional != nil && !q.additional.validNode(v) {
				ok = false
			}
		})
		if !ok || found != 1<<len(q.required)-1 {
			return false
		}
	case n.IsSeq():
		l := n.Len()
		if q.minItems >= 0 && l < q.minItems || q.maxItems >= 0 && l > q.maxItems {
			return false
		}
		if q.items != nil {
			ok := true
			n.Each(func(_ string, v record.Node) {
				ok = ok && q.items.validNode(v)
			})
			if !ok {
				return false
			}
		}
	case kind == record.StringValue:
		return q.validString(s)
	case kind == record.IntValue:
		return q.validInt(i)
	case kind == record.FloatValue:
		return q.validFloat(f)
	case kind == record.BoolValue, kind == record.NullValue:
	default:
		return false // a damaged form
	}
	return true
}

// ifHoldsNode is ifHolds for a value read in place.
func (q *quick) ifHoldsNode(n record.Node) bool {
	if q.ifAbsent == nil || !n.IsMap() {
		return true
	}
	var found uint64
	n.Each(func(k string, _ record.Node) {
		if i := slices.Index(q.ifAbsent, k); i >= 0 && i < 64 {
			found |= 1 << i
		}
	})
	return len(q.ifAbsent) > 64 || found != 1<<len(q.ifAbsent)-1
}

// typeOKNode is typeOK for a value read in place, of decoded kind kind.
func (q *quick) typeOKNode(n record.Node, kind record.ValueKind) bool {
	for _, t := range q.types {
		switch t {
		case "string":
			if kind == record.StringValue {
				return true
			}
		case "integer":
			if kind == record.IntValue {
				return true
			}
		case "number":
			if kind == record.IntValue || kind == record.FloatValue {
				return true
			}
		case "boolean":
			if kind == record.BoolValue {
				return true
			}
		case "object":
			if n.IsMap() {
				return true
			}
		case "array":
			if n.IsSeq() {
				return true
			}
		case "null":
			if kind == record.NullValue {
				return true
			}
		}
	}
	return false
}
