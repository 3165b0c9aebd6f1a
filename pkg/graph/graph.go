// Package graph builds the trace graph of a loaded repo: for every requirement its parent and
// children, typed links both ways, the change requests that affect it, its acceptance
// records, the code and tests that cite it, and its coverage state (SPEC §4).
//
// The graph is built once per run, with reverse indexes, and then only read: every
// consumer (lint rules, the matrix, the site) shares one *Graph.
package graph

import (
	"cmp"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// Coverage is how far a requirement is traced (SPEC §4): the first state that holds.
type Coverage string

// The coverage states, from most to least covered.
const (
	// Failing: test results were given and one of its cases failed (SPEC §11).
	Failing Coverage = "failing"
	// Accepted: an acceptance with verdict accepted that is not stale.
	Accepted Coverage = "accepted"
	// Verified: at least one test citation; with results given, at least one passing case.
	Verified Coverage = "verified"
	// Implemented: at least one implementation citation.
	Implemented Coverage = "implemented"
	// Untraced: none of the above.
	Untraced Coverage = "untraced"
)

// Coverages lists the states in order, most covered first, without Failing (which only
// test results give: see States).
var Coverages = []Coverage{Accepted, Verified, Implemented, Untraced}

// States lists the coverage states a report shows: Failing first when test results were
// given, then Coverages.
func States(withResults bool) []Coverage {
	if withResults {
		return append([]Coverage{Failing}, Coverages...)
	}
	return Coverages
}

// Graph is the trace graph of one repo.
type Graph struct {
	Repo *repo.Repo
	// Nodes holds one node per requirement (the first file of a duplicated id), sorted by id
	// (numerically: REQ-0002 before REQ-10000).
	Nodes []*Node
	// Traced reports whether reqtrail.yaml configures trace: paths; without them there are
	// no citations and requirement-untested does not apply.
	Traced bool
	// Unknown holds the citations of well-formed requirement ids that name no requirement
	// (the citation-unknown findings), sorted by file and line.
	Unknown []citation.Citation
	// Scan is the citation scan the graph was built from (nil when built without one).
	Scan *citation.Result
	// HasResults is true once test results were applied (ApplyResults).
	HasResults bool
	// Pool holds the untriaged feedback (no requirements: the requirement pool), oldest
	// first (by date, then id).
	Pool []*record.Record

	byID map[string]*Node
}

// Node is one requirement and everything traced to it.
type Node struct {
	ID     string
	Record *record.Record
	// Parent is the parent requirement; nil when there is none or ParentID names no
	// requirement (a ref-unknown finding).
	Parent   *Node
	ParentID string
	// Children are the requirements whose parent this is, sorted by id.
	Children []*Node
	// Links holds the typed links from this requirement (Outgoing) and to it from others,
	// outgoing first, each group in the order written.
	Links []Link
	// Changes are the change requests whose affects lists this requirement, sorted by id.
	Changes []*record.Record
	// Acceptance holds this requirement's entries in acceptance records, sorted by date
	// then id.
	Acceptance []Acceptance
	// Evaluations are the effect evaluations that list this requirement, oldest first (by
	// date, then id): the last one is the latest word on its effect.
	Evaluations []*record.Record
	// Impl and Tests are the citations by role, sorted by file and line.
	Impl  []citation.Citation
	Tests []citation.Citation
	// Suspect holds the ids its pinned parent and links point to whose meaning changed
	// since they were pinned (SPEC §11), in the order written.
	Suspect []string
	// Results are the results of the test cases that verify it (ApplyResults), in the order
	// of the result files.
	Results []results.Result
	// Coverage is the first state of SPEC §4 that holds.
	Coverage Coverage
	// Feedback holds the feedback records that name this requirement, by date then id.
	Feedback []*record.Record
}

// Link is one typed link seen from a requirement.
type Link struct {
	// Type is the link type as written (depends-on, conflicts-with, derived-from,
	// relates-to).
	Type string
	// Label reads from this requirement: "depends on" for an outgoing depends-on, "required
	// by" for an incoming one (see Label and InverseLabel).
	Label string
	// ID is the other requirement's id; Other is its node, nil when the id names no
	// requirement.
	ID    string
	Other *Node
	// Outgoing is true for a link written in this requirement, false for one written in
	// the other.
	Outgoing bool
}

// Acceptance is one requirement entry of an acceptance record.
type Acceptance struct {
	Record  *record.Record
	ID      string // the acceptance record's id
	Verdict string
	Date    string
	// Fingerprint is the one recorded; Stale is true when it differs from the
	// requirement's current fingerprint (or is missing) in the acceptance that counts.
	Fingerprint string
	Stale       bool
	// Superseded is true for every acceptance but the one that counts (SPEC §6): history,
	// never stale.
	Superseded bool
}

// Valid reports whether the entry accepts the requirement as it is now: the acceptance
// that counts, verdict accepted and not stale.
func (a Acceptance) Valid() bool { return a.Verdict == "accepted" && !a.Stale && !a.Superseded }

// Counting returns the acceptance that counts for the requirement (SPEC §6): among the
// records that list it, the one with the greatest date, then the greatest id number; nil
// when none lists it.
func (n *Node) Counting() *Acceptance {
	if len(n.Acceptance) == 0 {
		return nil
	}
	return &n.Acceptance[len(n.Acceptance)-1]
}

var labels = map[string][2]string{
	"depends-on":     {"depends on", "required by"},
	"conflicts-with": {"conflicts with", "conflicts with"},
	"derived-from":   {"derived from", "source of"},
	"relates-to":     {"relates to", "related to"},
}

// Label returns how a link of type t reads from the requirement that declares it.
func Label(t string) string {
	if l, ok := labels[t]; ok {
		return l[0]
	}
	return strings.ReplaceAll(t, "-", " ")
}

// InverseLabel returns how a link of type t reads from the requirement it points to: a
// depends-on from A to B shows on B as "required by A".
func InverseLabel(t string) string {
	if l, ok := labels[t]; ok {
		return l[1]
	}
	return "linked from (" + t + ")"
}

// Load scans the citations of r's trace: paths through r.FS and builds the graph.
func Load(r *repo.Repo) *Graph {
	return Build(r, citation.Scan(r.FS, r.Config))
}

// Build builds the graph of r with the citations of scan (which may be nil: no citations).
func Build(r *repo.Repo, scan *citation.Result) *Graph {
	g := &Graph{Repo: r, Traced: len(r.Config.Trace) > 0, Scan: scan, byID: map[string]*Node{}}
	for _, rec := range r.Parsed(record.RequirementKind) {
		if rec.ID == "" || r.ByID[rec.ID] != rec {
			continue // no id, or a duplicate (id-duplicate reports it)
		}
		n := &Node{ID: rec.ID, Record: rec, ParentID: rec.Req.Parent}
		g.Nodes = append(g.Nodes, n)
		g.byID[rec.ID] = n
	}
	slices.SortFunc(g.Nodes, func(a, b *Node) int { return CompareIDs(a.ID, b.ID) })

	// Parents, children and links: one pass over the requirements.
	var incoming []struct {
		to   *Node
		link Link
	}
	for _, n := range g.Nodes {
		if p := g.byID[n.ParentID]; p != nil && p != n {
			n.Parent = p
			p.Children = append(p.Children, n)
		}
		for _, l := range n.Record.Req.Links {
			if l.To == "" {
				continue
			}
			other := g.byID[l.To]
			n.Links = append(n.Links, Link{Type: l.Type, Label: Label(l.Type), ID: l.To, Other: other, Outgoing: true})
			if other != nil && other != n {
				incoming = append(incoming, struct {
					to   *Node
					link Link
				}{other, Link{Type: l.Type, Label: InverseLabel(l.Type), ID: n.ID, Other: n}})
			}
		}
	}
	for _, in := range incoming {
		in.to.Links = append(in.to.Links, in.link)
	}

	// Change requests: one pass.
	for _, cr := range r.Parsed(record.ChangeKind) {
		if cr.ID == "" || r.ByID[cr.ID] != cr {
			continue
		}
		for _, id := range uniq(cr.Change.Affects) {
			if n := g.byID[id]; n != nil {
				n.Changes = append(n.Changes, cr)
			}
		}
	}

	// Acceptance records: one pass.
	for _, acc := range r.Parsed(record.AcceptanceKind) {
		if acc.ID == "" || r.ByID[acc.ID] != acc {
			continue
		}
		seen := map[string]bool{}
		for _, a := range acc.Acc.Requirements {
			n := g.byID[a.ID]
			if n == nil || seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			n.Acceptance = append(n.Acceptance, Acceptance{
				Record: acc, ID: acc.ID, Verdict: acc.Acc.Verdict, Date: acc.Acc.Date,
				Fingerprint: a.Fingerprint, Stale: a.Fingerprint != n.Record.Fingerprint,
			})
		}
	}

	// Feedback: one pass.
	for _, fb := range r.Parsed(record.FeedbackKind) {
		if fb.ID == "" || r.ByID[fb.ID] != fb {
			continue
		}
		if len(fb.Fb.Requirements) == 0 {
			g.Pool = append(g.Pool, fb)
		}
		for _, id := range uniq(fb.Fb.Requirements) {
			if n := g.byID[id]; n != nil {
				n.Feedback = append(n.Feedback, fb)
			}
		}
	}
	slices.SortFunc(g.Pool, byDate)
	// Evaluations: one pass.
	for _, ev := range r.Parsed(record.EvaluationKind) {
		if ev.ID == "" || r.ByID[ev.ID] != ev {
			continue
		}
		for _, id := range uniq(ev.Eval.Requirements) {
			if n := g.byID[id]; n != nil {
				n.Evaluations = append(n.Evaluations, ev)
			}
		}
	}

	// Citations: one pass.
	if scan != nil {
		for _, c := range scan.Citations {
			n := g.byID[c.ID]
			switch {
			case n == nil:
				g.Unknown = append(g.Unknown, c)
			case c.Role == citation.Test:
				n.Tests = append(n.Tests, c)
			default:
				n.Impl = append(n.Impl, c)
			}
		}
	}

	for _, n := range g.Nodes {
		for _, l := range pin.Suspects(r, n.Record) {
			if !slices.Contains(n.Suspect, l.To) {
				n.Suspect = append(n.Suspect, l.To)
			}
		}
		slices.SortFunc(n.Children, func(a, b *Node) int { return CompareIDs(a.ID, b.ID) })
		slices.SortFunc(n.Changes, func(a, b *record.Record) int { return CompareIDs(a.ID, b.ID) })
		slices.SortFunc(n.Feedback, byDate)
		// Oldest first: the last one counts, the others are superseded.
		slices.SortStableFunc(n.Acceptance, func(a, b Acceptance) int {
			return cmp.Or(strings.Compare(a.Date, b.Date), CompareIDs(a.ID, b.ID))
		})
		slices.SortStableFunc(n.Evaluations, func(a, b *record.Record) int {
			return cmp.Or(strings.Compare(a.Eval.Date, b.Eval.Date), CompareIDs(a.ID, b.ID))
		})
		for i := range len(n.Acceptance) - 1 {
			n.Acceptance[i].Superseded, n.Acceptance[i].Stale = true, false
		}
		n.Coverage = g.coverage(n)
	}
	return g
}

// ApplyResults attaches test results (per requirement id, from results.Map) and recomputes
// coverage: failing first, and verified only with a passing case (SPEC §11).
func (g *Graph) ApplyResults(byID map[string][]results.Result) {
	g.HasResults = true
	for _, n := range g.Nodes {
		n.Results = byID[n.ID]
		n.Coverage = g.coverage(n)
	}
}

// Ran reports whether a test verifying the requirement ran: with results given, a case that
// passed or failed; without, a test citation (requirement-untested counts only what ran).
func (g *Graph) Ran(n *Node) bool {
	if !g.HasResults {
		return len(n.Tests) > 0
	}
	return slices.ContainsFunc(n.Results, func(r results.Result) bool { return r.Status != results.Skipped })
}

func (g *Graph) coverage(n *Node) Coverage {
	passed := func(r results.Result) bool { return r.Status == results.Passed }
	switch {
	case g.HasResults && slices.ContainsFunc(n.Results, func(r results.Result) bool { return r.Status == results.Failed }):
		return Failing
	case slices.ContainsFunc(n.Acceptance, Acceptance.Valid):
		return Accepted
	case !g.HasResults && len(n.Tests) > 0, g.HasResults && slices.ContainsFunc(n.Results, passed):
		return Verified
	case len(n.Impl) > 0:
		return Implemented
	}
	return Untraced
}

func uniq(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Node returns the node of requirement id, or nil.
func (g *Graph) Node(id string) *Node { return g.byID[id] }

// Summary counts requirements per coverage state.
type Summary struct {
	Total       int `json:"total"`
	Failing     int `json:"failing"`
	Accepted    int `json:"accepted"`
	Verified    int `json:"verified"`
	Implemented int `json:"implemented"`
	Untraced    int `json:"untraced"`
}

// Add counts one requirement in state c.
func (s *Summary) Add(c Coverage) {
	s.Total++
	switch c {
	case Failing:
		s.Failing++
	case Accepted:
		s.Accepted++
	case Verified:
		s.Verified++
	case Implemented:
		s.Implemented++
	default:
		s.Untraced++
	}
}

// Count returns the number of requirements in state c.
func (s Summary) Count(c Coverage) int {
	switch c {
	case Failing:
		return s.Failing
	case Accepted:
		return s.Accepted
	case Verified:
		return s.Verified
	case Implemented:
		return s.Implemented
	}
	return s.Untraced
}

// Summarize counts the requirements of nodes per coverage state.
func Summarize(nodes []*Node) Summary {
	var s Summary
	for _, n := range nodes {
		s.Add(n.Coverage)
	}
	return s
}

// CompareIDs orders ids by prefix, then number (shorter numbers first), so REQ-0002 comes
// before REQ-10000.
func CompareIDs(a, b string) int {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	return cmp.Or(strings.Compare(pa, pb), cmp.Compare(len(na), len(nb)), strings.Compare(na, nb), strings.Compare(a, b))
}

func splitID(id string) (prefix, num string) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	return id[:i], id[i:]
}
