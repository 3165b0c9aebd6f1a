package config

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// Value is one extra allowed value of a built-in enumeration (values: in reqtrail.yaml).
type Value struct {
	Value string
	// ZhCN is its Chinese name, for the site and spreadsheets ("" when none is given).
	ZhCN string
}

// Urgencies are the urgency values that take a response target (urgency: in reqtrail.yaml).
var Urgencies = []string{"urgent", "important", "routine"}

// DefaultUrgency is the response target of each urgency when urgency: does not set one:
// urgent within 24 hours, important within a week, routine none (SPEC §2).
var DefaultUrgency = map[string]time.Duration{"urgent": 24 * time.Hour, "important": 168 * time.Hour}

// ResponseTarget is how long a requirement of urgency may stay in status new; 0: no target.
func (c *Config) ResponseTarget(urgency string) time.Duration {
	if c.Urgency == nil {
		return DefaultUrgency[urgency]
	}
	return c.Urgency[urgency]
}

// Extension is what reqtrail.yaml adds to kind's built-in schema: its fields: and values:.
func (c *Config) Extension(kind record.Kind) schema.Extension {
	ext := schema.Extension{Fields: c.Fields[kind]}
	if len(c.Values) > 0 {
		ext.Values = map[string][]string{}
		for key, vs := range c.Values {
			for _, v := range vs {
				ext.Values[key] = append(ext.Values[key], v.Value)
			}
		}
	}
	return ext
}

// Validator returns the validator of kind's records with reqtrail.yaml's fields: and values:
// applied; the built-in one when those do not compile (Load has reported why).
func (c *Config) Validator(kind record.Kind) (*schema.Validator, error) {
	if v, err := schema.Extended(string(kind), c.Extension(kind)); err == nil {
		return v, nil
	}
	return schema.For(string(kind), nil)
}

// Schema returns kind's effective JSON Schema with reqtrail.yaml's fields: and values:
// applied (the built-in one when those do not apply), as a fresh value.
func (c *Config) Schema(kind record.Kind) (map[string]any, error) {
	if s, err := schema.EffectiveWith(string(kind), c.Extension(kind)); err == nil {
		return s, nil
	}
	return schema.Effective(string(kind), nil)
}

// ValueNames returns the Chinese names that values: gives, by value.
func (c *Config) ValueNames() map[string]string {
	out := map[string]string{}
	for _, vs := range c.Values {
		for _, v := range vs {
			if v.ZhCN != "" {
				out[v.Value] = v.ZhCN
			}
		}
	}
	return out
}

// ExtraValues returns the values that values: adds under key, in the order written.
func (c *Config) ExtraValues(key string) []string {
	var out []string
	for _, v := range c.Values[key] {
		out = append(out, v.Value)
	}
	return out
}

// loadValues reads values: and urgency: from the parsed configuration d; bad reports a value
// that the schema lets through but that no record could be written with (the i-th entry of
// key, given as {value: …} when inMap).
func (c *Config) loadValues(d map[string]any, bad func(key string, i int, value string, inMap bool)) {
	if vals, ok := d["values"].(map[string]any); ok {
		for _, key := range schema.ValueKeys() {
			l, ok := vals[key].([]any)
			if !ok {
				continue
			}
			for i, e := range l {
				var v Value
				_, inMap := e.(map[string]any)
				switch t := e.(type) {
				case string:
					v.Value = t
				case map[string]any:
					v.Value, _ = t["value"].(string)
					v.ZhCN, _ = t["zh-CN"].(string)
				}
				if v.Value != "" && !plainValue(v.Value) {
					bad(key, i, v.Value, inMap)
					continue
				}
				if v.Value == "" || slices.ContainsFunc(c.Values[key], func(w Value) bool { return w.Value == v.Value }) {
					continue
				}
				if c.Values == nil {
					c.Values = map[string][]Value{}
				}
				c.Values[key] = append(c.Values[key], v)
			}
		}
	}
	if u, ok := d["urgency"].(map[string]any); ok {
		c.Urgency = map[string]time.Duration{}
		for k, v := range DefaultUrgency {
			c.Urgency[k] = v
		}
		for _, k := range Urgencies {
			if h, ok := u[k].(int64); ok && h >= 0 && h <= maxHours {
				c.Urgency[k] = time.Duration(h) * time.Hour
			}
		}
	}
}

// plainValue reports whether s can be an enumerated value: no space at either end, no
// control character.
func plainValue(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// maxHours bounds a response target (ten years).
const maxHours = 87600
