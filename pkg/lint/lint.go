// Package lint holds reqtrail's rules — each a small value with an id, a default severity,
// a one-line doc and a check — and the driver that runs them over a loaded repo.
package lint

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Rule is one lint rule.
type Rule struct {
	// ID is the rule id used in diagnostics and under rules: in reqtrail.yaml.
	ID string
	// Severity is the default severity.
	Severity diag.Severity
	// SeverityFor, when set, gives the default severity for a repository instead (a rule
	// that a reqtrail.yaml key turns on).
	SeverityFor func(*repo.Repo) diag.Severity
	// Doc says in one line when the rule fires.
	Doc string
	// Fix says in one line how to resolve a finding (for pull-request comments).
	Fix string
	// Gate marks rules that only `reqtrail check` evaluates (they compare two revisions).
	Gate bool
	// Check returns the rule's findings with Rule and Severity left for the driver to fill.
	// It is nil for rules whose findings come from elsewhere (the loader, the gate).
	Check func(*Pass) []diag.Diagnostic
}

// Pass is what a rule's check sees.
type Pass struct {
	Repo *repo.Repo

	graphOnce sync.Once
	graph     *graph.Graph
	releases  func() (func(id string) (time.Time, bool), time.Time, bool)
}

// Graph returns the trace graph of the pass's repo — the one the driver supplied in
// Options.Graph, or else built (citations scanned from the repo's own fs.FS, so that check
// judges each revision by its own code and tests) on first use and shared by every rule.
func (p *Pass) Graph() *graph.Graph {
	p.graphOnce.Do(func() {
		if p.graph == nil {
			p.graph = graph.Load(p.Repo)
		}
	})
	return p.graph
}

// Report makes a diagnostic on rec at at: a pos.Range (rec.RangeOf, rec.KeyRange) or a
// pos.Position.
func Report(rec *record.Record, at pos.Spanner, format string, args ...any) diag.Diagnostic {
	r := at.Span()
	if r.Start.File == "" {
		r.Start.File = rec.File
		if r.HasEnd() {
			r.End.File = rec.File
		}
	}
	return diag.Diagnostic{Range: r, ID: rec.ID, Message: fmt.Sprintf(format, args...), Subject: subject(rec, r, args)}
}

// subject is what a finding made by Report is about: the field at its start, and the ids
// among the message's arguments (the record's own left out).
func subject(rec *record.Record, r pos.Range, args []any) diag.Subject {
	s := diag.Subject{Known: true}
	s.Field, _ = rec.FieldAt(r.Start.Line, r.Start.Column)
	var ids []string
	add := func(v string) {
		if v != rec.ID && record.LooksLikeID(v) {
			ids = append(ids, v)
		}
	}
	for _, a := range args {
		switch a := a.(type) {
		case string:
			add(a)
		case []string:
			for _, v := range a {
				add(v)
			}
		}
	}
	slices.Sort(ids)
	s.IDs = strings.Join(slices.Compact(ids), ",")
	return s
}

var registry []*Rule

// Register adds a rule to the registry; rule ids must be unique.
func Register(r *Rule) {
	if Lookup(r.ID) != nil {
		panic("lint: rule registered twice: " + r.ID)
	}
	registry = append(registry, r)
}

// Rules returns every registered rule in registration order (the order of SPEC §5).
func Rules() []*Rule { return slices.Clone(registry) }

// Lookup returns the rule with id, or nil.
func Lookup(id string) *Rule {
	for _, r := range registry {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Severity returns rule id's effective severity in repo r's configuration.
func Severity(r *repo.Repo, id string) diag.Severity {
	def := diag.Error
	if rule := Lookup(id); rule != nil {
		def = rule.Severity
		if rule.SeverityFor != nil {
			def = rule.SeverityFor(r)
		}
	}
	return r.Config.Severity(id, def)
}

// Options tune a lint run.
type Options struct {
	// Graph is the repo's trace graph when the caller has built it already (the site does);
	// nil builds it when a rule first needs it.
	Graph *graph.Graph
	// Releases, when set, gives when each requirement was released (the commit in which its
	// status entered released or closed) and "now" (SPEC §8); ok is false when the history
	// cannot be read. evaluation-missing calls it once, and only when a released requirement
	// declares metrics; without it that rule is silent.
	Releases func() (released func(id string) (time.Time, bool), now time.Time, ok bool)
}

// Run runs every non-gate rule over r and returns all findings — the loader's included —
// with configured severities, rules set to off dropped, sorted by file, line and column.
func Run(r *repo.Repo, opts Options) []diag.Diagnostic {
	pass := &Pass{Repo: r, graph: opts.Graph, releases: opts.Releases}
	ds := slices.Clone(r.Diags)
	for _, rule := range registry {
		if rule.Check == nil || rule.Gate {
			continue
		}
		if Severity(r, rule.ID) == diag.Off {
			continue
		}
		for _, d := range rule.Check(pass) {
			d.Rule = rule.ID
			ds = append(ds, d)
		}
	}
	ds = append(ds, unknownRuleIDs(r)...)
	return Finish(r, ds)
}

// Finish applies configured severities to ds, drops rules that are off, and sorts.
func Finish(r *repo.Repo, ds []diag.Diagnostic) []diag.Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		sev := Severity(r, d.Rule)
		if sev == diag.Off {
			continue
		}
		if _, overridden := r.Config.Rules[d.Rule]; overridden || d.Severity == "" {
			d.Severity = sev
		}
		out = append(out, d)
	}
	return diag.Sort(out)
}

func unknownRuleIDs(r *repo.Repo) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for id := range r.Config.Rules {
		if Lookup(id) == nil {
			ds = append(ds, diag.Diagnostic{Rule: RuleSchema, Severity: diag.Error, Range: r.Config.RuleIDsPos(id),
				Message: fmt.Sprintf("rules: unknown rule id %q (reqtrail lint --list-rules lists them)", id)})
		}
	}
	return ds
}
