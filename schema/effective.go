package schema

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// Effective returns the JSON Schema (draft 2020-12, as lint validates) of kind with extra
// properties (reqtrail.yaml's fields:) merged in, as a fresh value the caller may modify.
func Effective(kind string, extra map[string]any) (map[string]any, error) {
	raw, err := files.ReadFile(Name(kind))
	if err != nil {
		return nil, fmt.Errorf("no schema for %q", kind)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	if err := fillShared(kind, root); err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		props, _ := root["properties"].(map[string]any)
		props = maps.Clone(props)
		for k, v := range extra {
			if _, builtin := props[k]; builtin {
				return nil, fmt.Errorf("fields: %q is a built-in key of a %s and cannot be redeclared", k, kind)
			}
			props[k] = deepCopy(v)
		}
		root["properties"] = props
	}
	return root, nil
}

// EffectiveWith returns the JSON Schema of kind with reqtrail.yaml's additions applied: the
// extra properties of fields: and the extra enumeration values of values:.
func EffectiveWith(kind string, ext Extension) (map[string]any, error) {
	root, err := Effective(kind, ext.Fields)
	if err != nil {
		return nil, err
	}
	extendValues(root, kind, ext.Values)
	return root, nil
}

// A sharedDef is a definition of one kind's schema that another kind's schema owns: the
// feedback channel takes exactly the values of a requirement's source.channel (SPEC §3), so
// one enumeration serves both and whatever extends it (values:) extends both.
type sharedDef struct {
	def  string   // the $defs entry filled in
	from string   // the kind whose schema owns it
	path []string // the property path in that schema
}

var sharedDefs = map[string][]sharedDef{
	"feedback": {{def: "channel", from: "requirement", path: []string{"source", "channel"}}},
}

// fillShared replaces kind's shared $defs entries with the owning schema's definitions.
func fillShared(kind string, root map[string]any) error {
	for _, sd := range sharedDefs[kind] {
		owner, err := Effective(sd.from, nil)
		if err != nil {
			return err
		}
		var cur any = owner
		for _, p := range sd.path {
			m, _ := cur.(map[string]any)
			props, _ := m["properties"].(map[string]any)
			cur = props[p]
		}
		def, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("schema %s: no %s to share with %s", sd.from, strings.Join(sd.path, "."), kind)
		}
		defs, _ := root["$defs"].(map[string]any)
		if defs == nil {
			defs = map[string]any{}
			root["$defs"] = defs
		}
		defs[sd.def] = deepCopy(def)
	}
	return nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}

// Draft07 is the draft-07 URI of $schema.
const Draft07 = "http://json-schema.org/draft-07/schema#"

// ForEditors converts an effective schema (see Effective) into draft-07, the draft editors'
// YAML validators accept, so that they agree with lint on what a YAML parser of their own
// reads: a plain scalar such as release: 2024.10 is a number to them but the string
// "2024.10" to lint, so every string also accepts numbers and booleans (and a string enum
// value that such a parser reads as a number or boolean is also listed in that form).
// $defs become definitions, and a $ref with sibling keywords is wrapped in allOf (draft-07
// ignores a $ref's siblings).
func ForEditors(s map[string]any) map[string]any {
	out, _ := toDraft07(s, true).(map[string]any)
	out["$schema"] = Draft07
	return out
}

func toDraft07(v any, top bool) any {
	switch t := v.(type) {
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = toDraft07(x, false)
		}
		return l
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			switch k {
			case "$defs":
				k = "definitions"
				fallthrough
			case "definitions", "properties", "patternProperties":
				defs, ok := x.(map[string]any)
				if !ok {
					m[k] = x
					continue
				}
				nd := make(map[string]any, len(defs))
				for name, d := range defs {
					nd[name] = toDraft07(d, false)
				}
				m[k] = nd
			case "$ref":
				ref, _ := x.(string)
				m[k] = strings.Replace(ref, "#/$defs/", "#/definitions/", 1)
			case "enum":
				m[k] = widenEnum(x)
			case "type":
				m[k] = widenType(x)
			default:
				m[k] = toDraft07(x, false)
			}
		}
		if ref, ok := m["$ref"]; ok && len(m) > 1 && !top {
			delete(m, "$ref")
			m["allOf"] = append([]any{map[string]any{"$ref": ref}}, asList(m["allOf"])...)
		}
		return m
	}
	return v
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// widenType lets a string also be a number or a boolean.
func widenType(t any) any {
	switch x := t.(type) {
	case string:
		if x == "string" {
			return []any{"string", "number", "boolean"}
		}
	case []any:
		has := map[string]bool{}
		for _, e := range x {
			if s, ok := e.(string); ok {
				has[s] = true
			}
		}
		if has["string"] {
			out := append([]any{}, x...)
			for _, add := range []string{"number", "boolean"} {
				if !has[add] {
					out = append(out, add)
				}
			}
			return out
		}
	}
	return t
}

// widenEnum adds, for a string value another YAML parser reads as a number or boolean
// (2024.10, true), that reading.
func widenEnum(e any) any {
	l, ok := e.([]any)
	if !ok {
		return e
	}
	out := append([]any{}, l...)
	for _, v := range l {
		s, ok := v.(string)
		if !ok {
			continue
		}
		switch s {
		case "true", "True", "TRUE":
			out = append(out, true)
			continue
		case "false", "False", "FALSE":
			out = append(out, false)
			continue
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			out = append(out, n)
		} else if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXpP_") {
			out = append(out, f)
		}
	}
	return out
}

// At returns the subschema of s at path, resolving local $refs: property names, and "[]"
// for the items of an array. Nil when the schema declares nothing there.
func At(s map[string]any, path ...string) map[string]any {
	root := s
	cur := resolve(s, root)
	for _, p := range path {
		if cur == nil {
			return nil
		}
		var next map[string]any
		if p == "[]" {
			next, _ = cur["items"].(map[string]any)
		} else {
			props, _ := cur["properties"].(map[string]any)
			next, _ = props[p].(map[string]any)
			if next == nil {
				next, _ = cur["additionalProperties"].(map[string]any)
			}
		}
		if next == nil {
			return nil
		}
		cur = resolve(next, root)
	}
	return cur
}

// EnumOf returns the string values of s's enum (nil when it has none).
func EnumOf(s map[string]any) []string {
	var out []string
	l, _ := s["enum"].([]any)
	for _, e := range l {
		if str, ok := e.(string); ok {
			out = append(out, str)
		}
	}
	return out
}
