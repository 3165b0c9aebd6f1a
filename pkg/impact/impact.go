// Package impact computes what depends on a requirement (SPEC §11): the requirements
// downstream of it through parent and link edges, and the change requests, acceptance
// records and code and test citations of each.
package impact

import (
	"slices"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
)

// Via is how a requirement of the impact set was first reached.
type Via struct {
	// Type is "parent" (it is a child of From) or the type of the link it declares to From.
	Type string `json:"type"`
	From string `json:"from"`
}

// Requirement is one requirement of the impact set with what is traced to it.
type Requirement struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
	// Depth is the shortest number of edges from a changed requirement; 0 for the changed
	// requirements themselves.
	Depth int `json:"depth"`
	// Via is nil for a changed requirement.
	Via *Via `json:"via"`
	// Suspect is true when its pin on From no longer matches (it is already suspect).
	Suspect    bool         `json:"suspect"`
	Changes    []Change     `json:"changes"`
	Acceptance []Acceptance `json:"acceptance"`
	Impl       []Citation   `json:"impl"`
	Tests      []Citation   `json:"tests"`
	// Feedback and Evaluations hold the ids of the feedback and evaluation records that name
	// the requirement (the graph's order: by date, then id).
	Feedback    []string `json:"feedback"`
	Evaluations []string `json:"evaluations"`
}

// Change is a change request that affects a requirement of the set.
type Change struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// Acceptance is the acceptance record that counts for a requirement (SPEC §6): it would go
// stale if the requirement's meaning changed. Stale is true when it already is.
type Acceptance struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"`
	Date    string `json:"date"`
	Stale   bool   `json:"stale"`
}

// Citation is code or a test that cites a requirement.
type Citation struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Counts counts each category over the whole set; Requirements counts the downstream
// requirements (the changed ones excluded), the others count distinct records and
// citations of every requirement of the set.
type Counts struct {
	Requirements int `json:"requirements"`
	Changes      int `json:"changes"`
	Acceptance   int `json:"acceptance"`
	Impl         int `json:"impl"`
	Tests        int `json:"tests"`
	Feedback     int `json:"feedback"`
	Evaluations  int `json:"evaluations"`
}

// Report is the impact of changing some requirements. Its JSON form is the output of
// reqtrail impact --format json.
type Report struct {
	// Changed are the requirements whose impact this is, in the order given.
	Changed []string `json:"changed"`
	// Requirements are the changed requirements (depth 0) and everything downstream, in
	// breadth-first order: by depth, then in the order they were reached.
	Requirements []Requirement `json:"requirements"`
	Counts       Counts        `json:"counts"`

	// g is the graph the report was computed on: Of computes a changed requirement's own
	// impact from it.
	g *graph.Graph
}

// Analyze returns the impact of changing the requirements ids of g (ids that name no
// requirement are skipped; the caller reports them). The downstream set follows parent
// edges downward (to children) and link edges backward (to the requirements that link to a
// requirement of the set, any type), transitively; each requirement is listed once, with
// its shortest depth and the edge that first reached it. Cycles terminate.
func Analyze(g *graph.Graph, ids []string) *Report {
	rep := &Report{Changed: []string{}, Requirements: []Requirement{}, g: g}
	seen := map[*graph.Node]bool{}
	type item struct {
		n     *graph.Node
		depth int
		via   *Via
	}
	var queue []item
	for _, id := range ids {
		n := g.Node(id)
		if n == nil || seen[n] {
			continue
		}
		seen[n] = true
		rep.Changed = append(rep.Changed, id)
		queue = append(queue, item{n, 0, nil})
	}
	for i := 0; i < len(queue); i++ {
		it := queue[i]
		visit := func(m *graph.Node, via Via) {
			if m == nil || seen[m] {
				return
			}
			seen[m] = true
			queue = append(queue, item{m, it.depth + 1, &via})
		}
		for _, c := range it.n.Children {
			visit(c, Via{Type: "parent", From: it.n.ID})
		}
		for _, l := range it.n.Links {
			if !l.Outgoing {
				visit(l.Other, Via{Type: l.Type, From: it.n.ID})
			}
		}
	}
	for _, it := range queue {
		rep.Requirements = append(rep.Requirements, requirement(it.n, it.depth, it.via))
	}
	rep.Counts = countOf(rep.Requirements)
	return rep
}

func requirement(n *graph.Node, depth int, via *Via) Requirement {
	rec := n.Record
	r := Requirement{
		ID: n.ID, Title: rec.Title, Status: rec.Req.Status, Depth: depth, Via: via,
		Changes: []Change{}, Acceptance: []Acceptance{}, Impl: cites(n.Impl), Tests: cites(n.Tests),
		Feedback: []string{}, Evaluations: []string{},
	}
	if via != nil {
		r.Suspect = slices.Contains(n.Suspect, via.From)
	}
	for _, c := range n.Changes {
		r.Changes = append(r.Changes, Change{ID: c.ID, Title: c.Title, Status: c.Change.Status})
	}
	// The acceptance that counts is the latest by date, then id (graph sorts them so).
	if k := len(n.Acceptance); k > 0 {
		a := n.Acceptance[k-1]
		r.Acceptance = append(r.Acceptance, Acceptance{ID: a.ID, Verdict: a.Verdict, Date: a.Date, Stale: a.Stale})
	}
	for _, fb := range n.Feedback {
		r.Feedback = append(r.Feedback, fb.ID)
	}
	for _, ev := range n.Evaluations {
		r.Evaluations = append(r.Evaluations, ev.ID)
	}
	return r
}

func cites(cs []citation.Citation) []Citation {
	out := make([]Citation, 0, len(cs))
	for _, c := range cs {
		out = append(out, Citation{File: c.Range.Start.File, Line: c.Range.Start.Line})
	}
	return out
}
