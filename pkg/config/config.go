// Package config reads reqtrail.yaml, the project configuration, and fills in defaults.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// FileName is the configuration file at the project root.
const FileName = "reqtrail.yaml"

// SiteDir is the default output folder of `reqtrail site`, and SiteMarker the file a site
// writes into its output folder. Neither is ever scanned for citations: the site's pages
// mention every requirement.
const (
	SiteDir    = "public"
	SiteMarker = ".reqtrail-site"
)

// Kind configures where records of one kind live and how their ids look.
type Kind struct {
	Dir    string
	Prefix string
	Digits int
}

// Trace is one entry of trace: a folder or glob whose files cite requirements.
type Trace struct {
	Path string
	Role string // impl | test
}

// Site configures the report site.
type Site struct {
	Title   string
	Lang    string
	RepoURL string
}

// Gate configures the merge gate.
type Gate struct {
	// Authorise is "while-approved" when every approved change request also authorises
	// while it is still approved (SPEC §6); "" for the default.
	Authorise string
}

// Config is the project configuration with defaults applied.
type Config struct {
	Project string
	// PinLinks: new and importers pin parent and link fingerprints, and link-unpinned is on
	// (SPEC §11).
	PinLinks bool
	// EvaluationAfter is evaluation.after: the days after release by which an effect
	// evaluation is due (evaluation-missing; default 14).
	EvaluationAfter int
	Kinds           map[record.Kind]Kind
	Trace           []Trace
	// Rules overrides rule severities by rule id.
	Rules map[string]diag.Severity
	// Fields holds extra front-matter properties per kind, as JSON Schema.
	Fields map[record.Kind]map[string]any
	Site   Site
	// Values are the extra allowed values of built-in enumerations, by values: key
	// ("source.channel", "type", …), in the order written.
	Values map[string][]Value
	// Urgency holds the response targets by urgency when urgency: is set (nil: the
	// defaults; see ResponseTarget).
	Urgency map[string]time.Duration
	// Gate tunes `reqtrail check`.
	Gate Gate
	// Record is reqtrail.yaml as parsed (nil when the file does not exist); its positions
	// serve diagnostics.
	Record *record.Record
}

// defaultKinds are the kinds: defaults, from record.KindTable.
func defaultKinds() map[record.Kind]Kind {
	m := make(map[record.Kind]Kind, len(record.KindTable))
	for _, k := range record.KindTable {
		m[k.Kind] = Kind{Dir: k.Dir, Prefix: k.Prefix, Digits: k.Digits}
	}
	return m
}

// DefaultEvaluationAfter is evaluation.after's default, in days (SPEC §2: one to two weeks).
const DefaultEvaluationAfter = 14

// Default returns the configuration used when reqtrail.yaml has no keys.
func Default() *Config {
	return &Config{
		Kinds:           defaultKinds(),
		EvaluationAfter: DefaultEvaluationAfter,
		Rules:           map[string]diag.Severity{},
		Fields:          map[record.Kind]map[string]any{},
		Site:            Site{Lang: "en"},
	}
}

// Load reads reqtrail.yaml from the root of fsys. A missing file gives the defaults; an
// invalid one gives diagnostics on reqtrail.yaml and the defaults for what could not be read.
func Load(fsys fs.FS) (*Config, []diag.Diagnostic) {
	c := Default()
	info, err := fs.Stat(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err == nil && !info.Mode().IsRegular() {
		// A FIFO or device would block or never end: never opened.
		return c, []diag.Diagnostic{{Rule: diag.RuleParse, Severity: diag.Error, Range: pos.FileStart(FileName),
			Message: record.Irregular(info.Mode()) + ", not a regular file; reqtrail.yaml must be a regular file"}}
	}
	var data []byte
	if err == nil {
		data, err = fs.ReadFile(fsys, FileName)
	}
	if err != nil {
		return c, []diag.Diagnostic{{Rule: diag.RuleParse, Severity: diag.Error, Range: pos.FileStart(FileName), Message: err.Error()}}
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
		return c, nil // an empty reqtrail.yaml means all defaults
	}
	v, err := schema.For("config", nil)
	if err != nil {
		panic(err) // the embedded schema is broken: a bug in reqtrail
	}
	rec, perr := record.Parse(FileName, "", data, v.Shape)
	c.Record = rec
	if perr != nil {
		return c, []diag.Diagnostic{{Rule: diag.RuleParse, Severity: diag.Error, Range: perr.Range(FileName, data), Message: perr.Message}}
	}
	problems := v.Validate(rec)
	var ds []diag.Diagnostic
	for _, p := range problems {
		ds = append(ds, diag.Diagnostic{Rule: diag.RuleSchema, Severity: diag.Error, Range: p.Range, Message: p.Message})
	}
	bad := func(at pos.Range, format string, args ...any) {
		ds = append(ds, diag.Diagnostic{Rule: diag.RuleSchema, Severity: diag.Error, Range: at, Message: fmt.Sprintf(format, args...)})
	}
	d := rec.Fields()
	c.Project, _ = d["project"].(string)
	c.PinLinks, _ = d["pin-links"].(bool)
	if ev, ok := d["evaluation"].(map[string]any); ok {
		if n, ok := ev["after"].(int64); ok && n >= 0 && n <= 3650 {
			c.EvaluationAfter = int(n)
		}
	}
	if kinds, ok := d["kinds"].(map[string]any); ok {
		for _, k := range record.AllKinds() {
			m, ok := kinds[string(k)].(map[string]any)
			if !ok {
				continue
			}
			kc := c.Kinds[k]
			if s, ok := m["dir"].(string); ok {
				if clean, ok := cleanDir(s); ok {
					kc.Dir = clean
				} else {
					bad(rec.RangeOf("kinds", string(k), "dir"), "kinds.%s.dir: %q must be a relative folder inside the project", k, s)
				}
			}
			if s, ok := m["prefix"].(string); ok && s != "" {
				kc.Prefix = s
			}
			if n, ok := m["digits"].(int64); ok && n >= 1 && n <= 12 {
				kc.Digits = int(n)
			}
			c.Kinds[k] = kc
		}
	}
	if tr, ok := d["trace"].([]any); ok {
		for i, e := range tr {
			m, _ := e.(map[string]any)
			p, _ := m["path"].(string)
			if p == "" {
				continue
			}
			clean, ok := cleanDir(p)
			if !ok {
				bad(rec.RangeOf("trace", strconv.Itoa(i), "path"), "trace[%d].path: %q must be relative to the project root", i, p)
				continue
			}
			role, _ := m["role"].(string)
			if role == "" {
				role = "impl"
			}
			c.Trace = append(c.Trace, Trace{Path: clean, Role: role})
		}
	}
	if rules, ok := d["rules"].(map[string]any); ok {
		for id, s := range rules {
			if sev, ok := s.(string); ok && diag.Severity(sev).Valid() {
				c.Rules[id] = diag.Severity(sev)
			}
		}
	}
	if fields, ok := d["fields"].(map[string]any); ok {
		for _, k := range record.AllKinds() {
			if m, ok := fields[string(k)].(map[string]any); ok && len(m) > 0 {
				if _, err := schema.For(string(k), m); err != nil {
					bad(rec.RangeOf("fields", string(k)), "%s", strings.TrimPrefix(err.Error(), "fields: "))
					continue
				}
				c.Fields[k] = m
			}
		}
	}
	if s, ok := d["site"].(map[string]any); ok {
		c.Site.Title, _ = s["title"].(string)
		if l, ok := s["lang"].(string); ok && (l == "en" || l == "zh-CN") {
			c.Site.Lang = l
		}
		c.Site.RepoURL, _ = s["repo-url"].(string)
	}
	c.loadValues(d, func(key string, i int, value string, inMap bool) {
		at := rec.RangeOf("values", key, strconv.Itoa(i))
		if inMap {
			at = rec.RangeOf("values", key, strconv.Itoa(i), "value")
		}
		bad(at, "values.%s[%d]: %q cannot be a value: no space at either end, no control character", key, i, value)
	})
	if g, ok := d["gate"].(map[string]any); ok {
		c.Gate.Authorise, _ = g["authorise"].(string)
	}
	seen := map[string]record.Kind{}
	for _, k := range record.AllKinds() {
		p := c.Kinds[k].Prefix
		if other, dup := seen[p]; dup {
			bad(rec.RangeOf("kinds", string(k), "prefix"), "kinds.%s.prefix %q is already the prefix of %s", k, p, other)
		}
		seen[p] = k
	}
	return c, ds
}

// cleanDir validates a relative slash path inside the project.
func cleanDir(p string) (string, bool) {
	p = strings.TrimSuffix(path.Clean(strings.ReplaceAll(p, "\\", "/")), "/")
	if p == "" || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// KindOfDir returns the kind whose folder holds the slash path file, if any.
func (c *Config) KindOfDir(file string) (record.Kind, bool) {
	for _, k := range record.AllKinds() {
		d := c.Kinds[k].Dir
		if d == "." || strings.HasPrefix(file, d+"/") {
			return k, true
		}
	}
	return "", false
}

// ValidID reports whether id is well-formed for kind: prefix, hyphen, a number of exactly
// digits digits, or more without a leading zero.
func (c *Config) ValidID(kind record.Kind, id string) bool {
	k := c.Kinds[kind]
	num, ok := strings.CutPrefix(id, k.Prefix+"-")
	if !ok || num == "" {
		return false
	}
	for _, r := range num {
		if r < '0' || r > '9' {
			return false
		}
	}
	if len(num) == k.Digits {
		return true
	}
	return len(num) > k.Digits && num[0] != '0'
}

// FormatID returns the id of number n for kind.
func (c *Config) FormatID(kind record.Kind, n int) string {
	k := c.Kinds[kind]
	return fmt.Sprintf("%s-%0*d", k.Prefix, k.Digits, n)
}

// KindOfID returns the kind whose prefix id carries, if id is well-formed for it.
func (c *Config) KindOfID(id string) (record.Kind, bool) {
	for _, k := range record.AllKinds() {
		if c.ValidID(k, id) {
			return k, true
		}
	}
	return "", false
}

// Severity returns the configured severity of rule, or def.
func (c *Config) Severity(rule string, def diag.Severity) diag.Severity {
	if s, ok := c.Rules[rule]; ok {
		return s
	}
	return def
}

// RuleIDsPos returns the range of the rules: entry for id (for unknown-rule diagnostics).
func (c *Config) RuleIDsPos(id string) pos.Range {
	if c.Record == nil {
		return pos.FileStart(FileName)
	}
	return c.Record.KeyRange("rules", id)
}
