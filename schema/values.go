package schema

import (
	"slices"
	"strings"
)

// valueTarget is where one key of reqtrail.yaml's values: lives in the schema of a kind.
type valueTarget struct {
	kind string
	path []string // property names, "[]" for the items of an array
}

// valueTargets are the built-in enumerations reqtrail.yaml's values: may extend (SPEC §2):
// source.channel is also the feedback's channel.
var valueTargets = map[string][]valueTarget{
	"source.channel": {{"requirement", []string{"source", "channel"}}, {"feedback", []string{"channel"}}},
	"type":           {{"requirement", []string{"type"}}},
	"necessity":      {{"requirement", []string{"necessity"}}},
	"feasibility":    {{"requirement", []string{"feasibility"}}},
	"verification":   {{"requirement", []string{"verification"}}},
	"links.type":     {{"requirement", []string{"links", "[]", "type"}}},
}

// ValueKeys returns the keys of values: in reqtrail.yaml, sorted.
func ValueKeys() []string {
	keys := make([]string, 0, len(valueTargets))
	for k := range valueTargets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ValueKey returns the values: key that extends the enumeration at path of kind's records
// ("links", "0", "type" → "links.type"; array indexes may be numbers or "[]"), if any.
func ValueKey(kind string, path []string) (string, bool) {
	var clean []string
	for _, p := range path {
		if p == "[]" || p != "" && strings.Trim(p, "0123456789") == "" {
			p = "[]"
		}
		clean = append(clean, p)
	}
	for key, ts := range valueTargets {
		for _, t := range ts {
			if t.kind == kind && slices.Equal(t.path, clean) {
				return key, true
			}
		}
	}
	return "", false
}

// Extension is what reqtrail.yaml adds to the built-in schema of a kind.
type Extension struct {
	// Fields are the extra front-matter properties (fields:), as JSON Schema.
	Fields map[string]any
	// Values are the extra allowed values of built-in enumerations (values:), by key.
	Values map[string][]string
}

func (e Extension) empty() bool { return len(e.Fields) == 0 && len(e.Values) == 0 }

// extendValues adds the extra values to the enumerations of kind's schema s (in place).
func extendValues(s map[string]any, kind string, values map[string][]string) {
	for key, vals := range values {
		for _, t := range valueTargets[key] {
			if t.kind != kind {
				continue
			}
			sub := At(s, t.path...)
			if sub == nil {
				continue
			}
			enum, ok := sub["enum"].([]any)
			if !ok {
				continue
			}
			enum = slices.Clone(enum)
			for _, v := range vals {
				if !slices.Contains(enum, any(v)) {
					enum = append(enum, v)
				}
			}
			sub["enum"] = enum
		}
	}
}
