package site

import (
	"runtime"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/internal/parallel"
	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/impact"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// trace is what the site shows of the trace graph (SPEC §4), keyed by requirement id, every
// list sorted: an index over graph.Graph shaped for the pages.
type trace struct {
	Children   map[string][]string
	LinksIn    map[string][]linkIn
	Changes    map[string][]string
	Acceptance map[string][]accRef
	Impl       map[string][]Citation
	Tests      map[string][]Citation
	// Coverage is failing (with test results), accepted, verified, implemented or untraced.
	Coverage map[string]string
	// Suspect holds the targets of each requirement's suspect pinned parent and links.
	Suspect map[string][]string
	// Results holds the test results of each requirement (HasResults: --results was given).
	Results    map[string][]results.Result
	HasResults bool
	// Impact is what depends on each requirement: the counts of its downstream set and the
	// rows its page lists.
	Impact map[string]*impactSummary
	// graph is the graph indexed: feedback, demand and the pool are read from it.
	graph *graph.Graph
}

// linkIn is a typed link from another requirement.
type linkIn struct {
	From string
	Type string
}

// accRef is one acceptance record of a requirement.
type accRef struct {
	ID      string
	Verdict string
	Date    string
	Stale   bool
	// Superseded: a newer acceptance counts (SPEC §6); history, never stale.
	Superseded bool
}

// Citation is where code or a test cites a requirement (the pages list file and line).
type Citation = pos.Position

// coverageStates lists the coverage states, most covered first: failing too, for ordering.
var coverageStates = states(true)

func states(withResults bool) []string {
	var out []string
	for _, c := range graph.States(withResults) {
		out = append(out, string(c))
	}
	return out
}

// coverageStates lists the states the pages show: failing only when results were given.
func (t *trace) coverageStates() []string { return states(t.HasResults) }

// newTrace indexes the trace graph for the pages.
func newTrace(g *graph.Graph) *trace {
	t := &trace{
		Children:   map[string][]string{},
		LinksIn:    map[string][]linkIn{},
		Changes:    map[string][]string{},
		Acceptance: map[string][]accRef{},
		Impl:       map[string][]Citation{},
		Tests:      map[string][]Citation{},
		Coverage:   map[string]string{},
		Suspect:    map[string][]string{},
		Results:    map[string][]results.Result{},
		HasResults: g.HasResults,
		Impact:     map[string]*impactSummary{},
		graph:      g,
	}
	cites := func(cs []citation.Citation) []Citation {
		out := make([]Citation, 0, len(cs))
		for _, c := range cs {
			out = append(out, c.Range.Start)
		}
		// The pages list lines: one entry per file and line.
		return slices.CompactFunc(out, func(a, b Citation) bool { return a.File == b.File && a.Line == b.Line })
	}
	// The impact of each record that others depend on, on all cores (the graph is only read).
	var deps []*graph.Node
	for _, n := range g.Nodes {
		if len(n.Children) > 0 || slices.ContainsFunc(n.Links, func(l graph.Link) bool { return !l.Outgoing }) {
			deps = append(deps, n)
		}
	}
	reports := make([]*impactSummary, len(deps))
	parallel.For(len(deps), runtime.GOMAXPROCS(0), func(_, i int) { reports[i] = summarize(impact.Analyze(g, []string{deps[i].ID})) })
	for i, n := range deps {
		t.Impact[n.ID] = reports[i]
	}
	for _, n := range g.Nodes {
		id := n.ID
		t.Coverage[id] = string(n.Coverage)
		if len(n.Suspect) > 0 {
			t.Suspect[id] = n.Suspect
		}
		if len(n.Results) > 0 {
			t.Results[id] = n.Results
		}
		for _, c := range n.Children {
			t.Children[id] = append(t.Children[id], c.ID)
		}
		for _, l := range n.Links {
			if !l.Outgoing {
				t.LinksIn[id] = append(t.LinksIn[id], linkIn{From: l.ID, Type: l.Type})
			}
		}
		slices.SortStableFunc(t.LinksIn[id], func(a, b linkIn) int {
			if c := CompareIDs(a.From, b.From); c != 0 {
				return c
			}
			return strings.Compare(a.Type, b.Type)
		})
		for _, cr := range n.Changes {
			t.Changes[id] = append(t.Changes[id], cr.ID)
		}
		for _, a := range n.Acceptance {
			t.Acceptance[id] = append(t.Acceptance[id], accRef{ID: a.ID, Verdict: a.Verdict, Date: a.Date, Stale: a.Stale, Superseded: a.Superseded})
		}
		if len(n.Impl) > 0 {
			t.Impl[id] = cites(n.Impl)
		}
		if len(n.Tests) > 0 {
			t.Tests[id] = cites(n.Tests)
		}
	}
	return t
}

func uniq(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// impactSummary is what a requirement page shows of its impact report: the counts, and the
// first maxImpactRows downstream requirements with how each was reached (the full reports
// of 10,000 requirements would stay in memory for the whole build).
type impactSummary struct {
	Counts impact.Counts
	Rows   []impactRef
	// More counts the downstream requirements not in Rows.
	More int
}

// impactRef is one downstream requirement: reached at Depth through the edge Type from From.
type impactRef struct {
	ID, Type, From string
	Depth          int
	Suspect        bool
}

func summarize(rep *impact.Report) *impactSummary {
	s := &impactSummary{Counts: rep.Counts}
	for _, q := range rep.Requirements {
		if q.Via == nil {
			continue
		}
		if len(s.Rows) == maxImpactRows {
			s.More++
			continue
		}
		s.Rows = append(s.Rows, impactRef{ID: q.ID, Type: q.Via.Type, From: q.Via.From, Depth: q.Depth, Suspect: q.Suspect})
	}
	return s
}
