// Package matrix turns the trace graph into the traceability matrix: one row per
// requirement with its parent, children, change requests, acceptance, evaluations, code and
// test citations, coverage state (SPEC §4), feedback and demand (SPEC §11), with the report
// pkg/report writes.
package matrix

import (
	"encoding/json"
	"slices"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// Matrix is the traceability matrix: its rows and the counts per coverage state. Its JSON
// form is the one SPEC §4 fixes: {"rows": [...], "summary": {...}}.
type Matrix struct {
	Rows    []Row         `json:"rows"`
	Summary graph.Summary `json:"summary"`

	// Traced is false when reqtrail.yaml has no trace: paths (no citations were sought).
	Traced bool `json:"-"`
	// HasResults is true when test results were given (--results): coverage can be failing.
	HasResults bool `json:"-"`
	// HasFeedback is true when the project has feedback records: the tables show demand.
	HasFeedback bool `json:"-"`
	// Project and RepoURL title the HTML page and link citations to the forge; Prefix is
	// the project root relative to the repository top ("" or ending in "/").
	Project string `json:"-"`
	RepoURL string `json:"-"`
	Prefix  string `json:"-"`
}

// Row is one requirement. Lists are never nil, so JSON shows [] rather than null.
type Row struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	File     string         `json:"file"`
	Status   string         `json:"status"`
	Priority string         `json:"priority"` // the MoSCoW priority, "" when unset
	Release  string         `json:"release"`
	Coverage graph.Coverage `json:"coverage"`
	// Parent is nil when the requirement has none.
	Parent     *string      `json:"parent"`
	Children   []string     `json:"children"`
	Links      []Link       `json:"links"`
	Changes    []string     `json:"changes"`
	Acceptance []Acceptance `json:"acceptance"`
	// Evaluations are the effect evaluations that list it, oldest first (SPEC §11).
	Evaluations []Evaluation `json:"evaluations"`
	Impl        []Ref        `json:"impl"`
	Tests       []Ref        `json:"tests"`
	// Suspect holds the ids of its pinned parent and links that are suspect (SPEC §11).
	Suspect []string `json:"suspect"`
	// Results are the results of the test cases that verify it ([] without --results).
	Results []results.Result `json:"results"`
	// Feedback holds the ids of the feedback records that name it, by date; Demand is how
	// many distinct customers asked for it (SPEC §11: its feedback's customers and its
	// requester).
	Feedback []string `json:"feedback"`
	Demand   int      `json:"demand"`
}

// Link is a typed link seen from the row's requirement; Direction is "out" for a link it
// declares, "in" for one another requirement declares to it.
type Link struct {
	Type      string `json:"type"`
	Label     string `json:"label"`
	ID        string `json:"id"`
	Direction string `json:"direction"`
}

// Acceptance is one acceptance record of the requirement.
type Acceptance struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"`
	Date    string `json:"date"`
	Stale   bool   `json:"stale"`
	// Superseded: a newer acceptance counts (SPEC §6); history, never stale.
	Superseded bool `json:"superseded"`
}

// Evaluation is one effect evaluation of the requirement.
type Evaluation struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"`
}

// Ref is a citation: where code or a test names the requirement.
type Ref struct {
	pos.Position
}

// MarshalJSON writes a Ref as {"file", "line"}.
func (r Ref) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		File string `json:"file"`
		Line int    `json:"line"`
	}{r.File, r.Line})
}

// Filter selects rows; an empty list selects everything.
type Filter struct {
	Status   []string
	Coverage []graph.Coverage
	Release  []string
}

func (f Filter) keep(n *graph.Node) bool {
	q := n.Record.Req
	return (len(f.Status) == 0 || slices.Contains(f.Status, q.Status)) &&
		(len(f.Coverage) == 0 || slices.Contains(f.Coverage, n.Coverage)) &&
		(len(f.Release) == 0 || slices.Contains(f.Release, q.Release))
}

// Build returns the matrix of g's requirements that f keeps, sorted by id; the summary
// counts those rows.
func Build(g *graph.Graph, f Filter) *Matrix {
	m := &Matrix{Rows: []Row{}, Traced: g.Traced, HasResults: g.HasResults,
		HasFeedback: len(g.Repo.Parsed(record.FeedbackKind)) > 0}
	if cfg := g.Repo.Config; cfg != nil {
		m.Project = cfg.Project
		m.RepoURL = cfg.Site.RepoURL
	}
	for _, n := range g.Nodes {
		if !f.keep(n) {
			continue
		}
		m.Rows = append(m.Rows, row(n))
		m.Summary.Add(n.Coverage)
	}
	return m
}

func row(n *graph.Node) Row {
	q := n.Record.Req
	r := Row{
		ID: n.ID, Title: n.Record.Title, File: n.Record.File, Status: q.Status,
		Priority: q.MoSCoW, Release: q.Release, Coverage: n.Coverage,
		Children: []string{}, Links: []Link{}, Changes: []string{}, Acceptance: []Acceptance{}, Evaluations: []Evaluation{},
		Impl: refs(n.Impl), Tests: refs(n.Tests), Suspect: append([]string{}, n.Suspect...),
		Results:  append([]results.Result{}, n.Results...),
		Feedback: []string{}, Demand: n.Demand(),
	}
	for _, fb := range n.Feedback {
		r.Feedback = append(r.Feedback, fb.ID)
	}
	if n.ParentID != "" {
		p := n.ParentID
		r.Parent = &p
	}
	for _, c := range n.Children {
		r.Children = append(r.Children, c.ID)
	}
	for _, l := range n.Links {
		dir := "in"
		if l.Outgoing {
			dir = "out"
		}
		r.Links = append(r.Links, Link{Type: l.Type, Label: l.Label, ID: l.ID, Direction: dir})
	}
	for _, c := range n.Changes {
		r.Changes = append(r.Changes, c.ID)
	}
	for _, a := range n.Acceptance {
		r.Acceptance = append(r.Acceptance, Acceptance{ID: a.ID, Verdict: a.Verdict, Date: a.Date, Stale: a.Stale, Superseded: a.Superseded})
	}
	for _, e := range n.Evaluations {
		r.Evaluations = append(r.Evaluations, Evaluation{ID: e.ID, Verdict: e.Eval.Verdict})
	}
	return r
}

func refs(cs []citation.Citation) []Ref {
	out := make([]Ref, 0, len(cs))
	for _, c := range cs {
		out = append(out, Ref{c.Range.Start})
	}
	return out
}
