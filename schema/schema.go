// Package schema holds reqtrail's JSON Schemas (embedded in the binary) and validates record
// front matter against them, mapping every validator error back to its YAML line and column.
package schema

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
)

//go:embed *.schema.json
var files embed.FS

// Files returns the embedded schema files by name (e.g. "requirement.schema.json").
func Files() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := files.ReadDir(".")
	for _, e := range entries {
		b, _ := files.ReadFile(e.Name())
		out[e.Name()] = b
	}
	return out
}

// Name is the schema file of a kind of document: the record kind's (record.KindTable), or
// "<kind>.schema.json" ("config").
func Name(kind string) string {
	if info := record.Info(record.Kind(kind)); info != nil {
		return info.SchemaFile()
	}
	return kind + ".schema.json"
}

// Validator validates one kind of document.
type Validator struct {
	schema *jsonschema.Schema
	// Shape tells the record decoder where strings are expected.
	Shape *record.Shape
	// Key identifies the compiled schema (a digest of its JSON): equal keys validate alike.
	Key  string
	kind string
	root map[string]any
	// quick answers "certainly valid" for most correct documents without jsonschema; nil
	// when the schema uses keywords it does not model.
	quick *quick
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Validator{}
)

// For returns the validator for kind ("requirement", "change", "acceptance" or "config"),
// with extra properties (from reqtrail.yaml's fields:) merged in. Validators are cached.
func For(kind string, extra map[string]any) (*Validator, error) {
	return Extended(kind, Extension{Fields: extra})
}

// Extended returns the validator for kind with reqtrail.yaml's additions (fields: and
// values:) applied. Validators are cached.
func Extended(kind string, ext Extension) (*Validator, error) {
	key := kind + "\x00" + Name(kind)
	if kind == "config" {
		key += "\x00" + fmt.Sprint(record.AllKinds()) // its kinds: and fields: keys follow the table
	}
	if !ext.empty() {
		b, err := json.Marshal(ext)
		if err != nil {
			return nil, err
		}
		key += "\x00" + string(b)
	}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if v, ok := cache[key]; ok {
		return v, nil
	}
	v, err := compile(kind, ext)
	if err != nil {
		return nil, err
	}
	cache[key] = v
	return v, nil
}

func compile(kind string, ext Extension) (*Validator, error) {
	root, err := EffectiveWith(kind, ext)
	if err != nil {
		return nil, err
	}
	if kind == "config" {
		perKind(root)
	}
	raw, _ := files.ReadFile(Name(kind))
	if !ext.empty() || len(sharedDefs[kind]) > 0 {
		raw, err = json.Marshal(root)
		if err != nil {
			return nil, err
		}
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	// Only references inside the schema (#/…) resolve: a $ref in fields: never reads a file
	// or the network.
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("$ref %q: only references inside the schema (#/…) resolve", u)
	}
	url := "mem:///" + Name(kind)
	if err := c.AddResource(url, bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("fields: %v", err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("fields: %v", err)
	}
	sum := sha256.Sum256(raw)
	return &Validator{schema: s, Shape: shapeOf(root, root), root: root, Key: kind + ":" + hex.EncodeToString(sum[:]), kind: kind,
		quick: compileQuick(root, root, 0)}, nil
}

// perKind gives the configuration schema's kinds: and fields: one property per kind of
// record.KindTable, so that a kind added to the table is configurable.
func perKind(root map[string]any) {
	props, _ := root["properties"].(map[string]any)
	for key, def := range map[string]string{"kinds": "#/$defs/kind", "fields": "#/$defs/fields"} {
		obj, _ := props[key].(map[string]any)
		if obj == nil {
			continue
		}
		kp := map[string]any{}
		for _, k := range record.AllKinds() {
			kp[string(k)] = map[string]any{"$ref": def}
		}
		obj["properties"] = kp
	}
}

// shapeOf derives a record.Shape from a JSON Schema object.
func shapeOf(s, root map[string]any) *record.Shape {
	s = resolve(s, root)
	if s == nil {
		return nil
	}
	sh := &record.Shape{String: expectsString(s)}
	if props, ok := s["properties"].(map[string]any); ok {
		sh.Props = map[string]*record.Shape{}
		for k, v := range props {
			if m, ok := v.(map[string]any); ok {
				sh.Props[k] = shapeOf(m, root)
			}
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		sh.Additional = shapeOf(ap, root)
	}
	if it, ok := s["items"].(map[string]any); ok {
		sh.Items = shapeOf(it, root)
	}
	return sh
}

func resolve(s, root map[string]any) map[string]any {
	for range 8 {
		ref, ok := s["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return s
		}
		var cur any = root
		for _, p := range strings.Split(ref[2:], "/") {
			m, _ := cur.(map[string]any)
			cur = m[p]
		}
		next, ok := cur.(map[string]any)
		if !ok {
			return s
		}
		s = next
	}
	return s
}

func expectsString(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "string"
	case []any:
		// A scalar node is never an object or an array, so ["string", "object"] (a pinned
		// parent) reads a plain scalar as a string like "string" alone does.
		str := false
		for _, e := range t {
			switch e {
			case "string":
				str = true
			case "object", "array":
			default:
				return false
			}
		}
		return str
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		for _, v := range e {
			if _, ok := v.(string); !ok {
				return false
			}
		}
		return true
	}
	if c, ok := s["const"].(string); ok {
		return c != ""
	}
	return false
}

// Enum returns the allowed values of the string enum at path (property names, e.g.
// "priority", "moscow"; a list's items are stepped into, so "links", "type" names the type
// of each link), or nil when the schema has no such enum.
func (v *Validator) Enum(path ...string) []string {
	s := resolve(v.root, v.root)
	for _, p := range path {
		if items, ok := s["items"].(map[string]any); ok {
			s = resolve(items, v.root)
		}
		props, _ := s["properties"].(map[string]any)
		next, ok := props[p].(map[string]any)
		if !ok {
			return nil
		}
		s = resolve(next, v.root)
	}
	var out []string
	l, _ := s["enum"].([]any)
	for _, e := range l {
		if str, ok := e.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// Problem is one schema violation, positioned at a YAML node.
type Problem struct {
	Range   pos.Range
	Message string
}

// Validate checks a decoded document (rec.Fields()) and returns its problems, each at the line
// and column of the offending key or value (line 1, column 1 for a missing top-level key).
func (v *Validator) Validate(rec *record.Record) []Problem {
	if v.quick != nil {
		// Read in place when the record holds its compact form only: most records are
		// vouched for without their fields decoded.
		if n, ok := rec.Root(); ok && v.quick.validNode(n) {
			return nil
		}
	}
	fields := rec.Fields()
	if v.quick != nil && v.quick.valid(fields) {
		return nil
	}
	err := v.schema.Validate(fields)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Problem{{pos.FileStart(rec.File), err.Error()}}
	}
	var out []Problem
	v.leaves(ve, rec, &out)
	slices.SortFunc(out, func(a, b Problem) int {
		if c := pos.Compare(a.Range.Start, b.Range.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.Compact(out)
}

// Diagnostics wraps Validate's problems as schema diagnostics of the record's file.
func (v *Validator) Diagnostics(rec *record.Record) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, p := range v.Validate(rec) {
		ds = append(ds, diag.Diagnostic{Rule: diag.RuleSchema, Severity: diag.Error, Range: p.Range, Message: p.Message, ID: rec.ID})
	}
	return ds
}

var quoted = regexp.MustCompile(`'([^']*)'`)

func (v *Validator) leaves(e *jsonschema.ValidationError, rec *record.Record, out *[]Problem) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			v.leaves(c, rec, out)
		}
		return
	}
	path := splitPointer(e.InstanceLocation)
	kw := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
	where := record.FieldPath(path)
	switch kw {
	case "additionalProperties":
		known := v.knownKeys(path)
		n := rec.ValueNode(path...)
		if n == nil || known == nil {
			break
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if _, ok := known[k.Value]; ok {
				continue
			}
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if where != "" {
				msg = fmt.Sprintf("%s: unknown key %q", where, k.Value)
			} else if rec.Kind != "" {
				msg += fmt.Sprintf(" (declare extra keys under fields: %s: in reqtrail.yaml)", rec.Kind)
			}
			*out = append(*out, Problem{rec.NodeRange(k), msg})
		}
		return
	case "required":
		at := pos.FileStart(rec.File)
		if len(path) > 0 {
			at = rec.KeyRange(path...)
		}
		for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
			msg := fmt.Sprintf("missing required key %q", m[1])
			if where != "" {
				msg = fmt.Sprintf("%s: missing required key %q", where, m[1])
			}
			*out = append(*out, Problem{at, msg})
		}
		return
	}
	msg := e.Message
	if where != "" {
		msg = where + ": " + msg
	}
	if key, ok := ValueKey(v.kind, path); ok && kw == "enum" {
		// A value that values: no longer lists (or never did) is reported where it is used.
		msg += fmt.Sprintf(" (reqtrail.yaml values: %s: lists the project's extra values)", key)
	}
	*out = append(*out, Problem{rec.RangeOf(path...), msg})
}

// knownKeys returns the declared properties of the object at path, per the shape.
func (v *Validator) knownKeys(path []string) map[string]*record.Shape {
	sh := v.Shape
	for _, p := range path {
		if sh == nil {
			return nil
		}
		if _, err := strconv.Atoi(p); err == nil && sh.Items != nil {
			sh = sh.Items
			continue
		}
		if next, ok := sh.Props[p]; ok {
			sh = next
		} else {
			sh = sh.Additional
		}
	}
	if sh == nil {
		return nil
	}
	if sh.Props == nil {
		return map[string]*record.Shape{}
	}
	return sh.Props
}

func splitPointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		s = strings.ReplaceAll(s, "~1", "/")
		parts[i] = strings.ReplaceAll(s, "~0", "~")
	}
	return parts
}
