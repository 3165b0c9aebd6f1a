// Package backlog selects and orders requirements for triage: the filters of reqtrail list
// and the prioritised backlog of reqtrail rank.
//
// The rank order: MoSCoW bucket (must, should, could, unset, wont); then ICE score
// (impact × confidence × ease) from high to low, unset last; then value/cost from high to
// low, unset last; then urgency (urgent, important, routine, unset); then id. By demand
// (SPEC §11): demand from high to low, then the feedback's total weight, then that order.
// Only open requirements are ranked: not released, closed, rejected or deferred.
package backlog

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Done lists the statuses that take a requirement off the backlog.
var Done = vocab.Done

// Open reports whether a requirement in status is on the backlog.
func Open(status string) bool { return !slices.Contains(Done, status) }

// MoSCoWOrder and UrgencyOrder are the bucket orders; "" (unset) sits where it is listed.
var (
	MoSCoWOrder  = []string{"must", "should", "could", "", "wont"}
	UrgencyOrder = []string{"urgent", "important", "routine", ""}
)

// Entry is one ranked requirement.
type Entry struct {
	Rank    int    `json:"rank"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	File    string `json:"file"`
	Status  string `json:"status"`
	MoSCoW  string `json:"moscow"`
	Kano    string `json:"kano"`
	ICE     ICE    `json:"ice"`
	Value   int    `json:"value"`
	Cost    int    `json:"cost"`
	Urgency string `json:"urgency"`
	Owner   string `json:"owner"`
	Release string `json:"release"`
	// Response is set for a requirement that is still new and has an urgency with a response
	// target.
	Response *Response `json:"response"`
	// Demand is how many distinct customers asked for it (SPEC §11); Weight is the total
	// weight of its feedback.
	Demand int `json:"demand"`
	Weight int `json:"feedback_weight"`

	rec *record.Record
}

// ICE is the ICE scores of an entry; Score is 0 unless all three are set.
type ICE struct {
	Impact     int `json:"impact"`
	Confidence int `json:"confidence"`
	Ease       int `json:"ease"`
	Score      int `json:"score"`
}

// Response is how long a new requirement has waited for triage.
type Response struct {
	// Since is when the clock started; From says what it was taken from: "git" (the commit
	// that added the record) or "source.date".
	Since time.Time `json:"since"`
	From  string    `json:"from"`
	// Waiting is the time from Since to now; Target the urgency's response target.
	Waiting time.Duration `json:"-"`
	Target  time.Duration `json:"-"`
	// Overdue is true when Waiting exceeds Target.
	Overdue      bool    `json:"overdue"`
	WaitingHours float64 `json:"waiting_hours"`
	TargetHours  float64 `json:"target_hours"`
}

// Record returns the entry's record.
func (e *Entry) Record() *record.Record { return e.rec }

// ValueCost returns value / cost and whether both are set.
func (e *Entry) ValueCost() (float64, bool) {
	if e.Value <= 0 || e.Cost <= 0 {
		return 0, false
	}
	return float64(e.Value) / float64(e.Cost), true
}

// Options tune Rank.
type Options struct {
	// Now is the time response times are measured to; zero: no response times.
	Now time.Time
	// Created returns when the record with id was first committed, if known. It is only
	// called for new requirements with a response target; nil means unknown for all.
	Created func(id string) (time.Time, bool)
	// By is the order: ByPriority (the default, also for "") or ByDemand.
	By string
	// Graph is the repo's trace graph, for demand; nil: built here, without citations.
	Graph *graph.Graph
}

// The orders of Rank.
const (
	ByPriority = "priority"
	ByDemand   = "demand"
)

// Orders lists the values of Options.By.
var Orders = []string{ByPriority, ByDemand}

// NeedsCreated returns the ids of the requirements whose response time Rank will measure:
// open, status new, with a response target. Callers use it to decide whether reading the
// git history is worth it.
func NeedsCreated(r *repo.Repo) []string {
	var ids []string
	for _, rec := range requirements(r) {
		if rec.Req.Status == "new" && r.Config.ResponseTarget(rec.Req.Urgency) > 0 {
			ids = append(ids, rec.ID)
		}
	}
	return ids
}

// requirements returns the parsed requirements with an id, each id once.
func requirements(r *repo.Repo) []*record.Record {
	var out []*record.Record
	for _, rec := range r.Parsed(record.RequirementKind) {
		if rec.ID != "" && r.ByID[rec.ID] == rec {
			out = append(out, rec)
		}
	}
	return out
}

// NewEntry describes one requirement (without rank or response time).
func NewEntry(rec *record.Record) Entry {
	q := rec.Req
	e := Entry{
		ID: rec.ID, Title: rec.Title, File: rec.File, Status: q.Status, MoSCoW: q.MoSCoW,
		Kano: q.Kano, Value: q.Value, Cost: q.Cost, Urgency: q.Urgency, Owner: q.Owner,
		Release: q.Release, rec: rec,
		ICE: ICE{Impact: q.ICE.Impact, Confidence: q.ICE.Confidence, Ease: q.ICE.Ease, Score: q.ICE.Score()},
	}
	return e
}

// Rank returns the open requirements of r in priority order, numbered from 1.
func Rank(r *repo.Repo, opt Options) []Entry {
	g := opt.Graph
	if g == nil {
		g = graph.Build(r, nil)
	}
	var out []Entry
	for _, rec := range requirements(r) {
		if !Open(rec.Req.Status) {
			continue
		}
		e := NewEntry(rec)
		e.Response = response(rec, r.Config.ResponseTarget(rec.Req.Urgency), opt)
		if n := g.Node(rec.ID); n != nil {
			e.Demand, e.Weight = n.Demand(), n.Weight()
		}
		out = append(out, e)
	}
	compare := Compare
	if opt.By == ByDemand {
		compare = CompareDemand
	}
	slices.SortFunc(out, func(a, b Entry) int { return compare(&a, &b) })
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// response measures how long rec has waited in status new against target, the response
// target of its urgency (reqtrail.yaml's urgency:; 0: none).
func response(rec *record.Record, target time.Duration, opt Options) *Response {
	if opt.Now.IsZero() || target == 0 || rec.Req.Status != "new" {
		return nil
	}
	res := &Response{Target: target}
	if opt.Created != nil {
		if t, ok := opt.Created(rec.ID); ok {
			res.Since, res.From = t, "git"
		}
	}
	if res.From == "" {
		t, err := time.Parse(time.DateOnly, rec.Req.SourceDate)
		if err != nil {
			return nil
		}
		res.Since, res.From = t, "source.date"
	}
	res.Waiting = max(opt.Now.Sub(res.Since), 0)
	res.Overdue = res.Waiting > target
	res.WaitingHours = float64(res.Waiting.Round(time.Minute)) / float64(time.Hour)
	res.TargetHours = target.Hours()
	return res
}

func bucket(order []string, v string) int {
	if i := slices.Index(order, v); i >= 0 {
		return i
	}
	return slices.Index(order, "") // an unknown value (a schema error) counts as unset
}

// Compare orders two entries by priority: MoSCoW bucket, ICE score (high first, unset
// last), value/cost (high first, unset last), urgency, then id (numerically).
func Compare(a, b *Entry) int {
	if c := cmp.Compare(bucket(MoSCoWOrder, a.MoSCoW), bucket(MoSCoWOrder, b.MoSCoW)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.ICE.Score, a.ICE.Score); c != 0 {
		return c
	}
	if c := compareValueCost(a, b); c != 0 {
		return c
	}
	if c := cmp.Compare(bucket(UrgencyOrder, a.Urgency), bucket(UrgencyOrder, b.Urgency)); c != 0 {
		return c
	}
	return graph.CompareIDs(a.ID, b.ID)
}

// CompareDemand orders two entries by demand (high first), then the total weight of their
// feedback (high first), then by Compare (SPEC §11).
func CompareDemand(a, b *Entry) int {
	return cmp.Or(cmp.Compare(b.Demand, a.Demand), cmp.Compare(b.Weight, a.Weight), Compare(a, b))
}

// compareValueCost puts the higher value/cost ratio first (compared exactly, by cross
// multiplication), entries without one last.
func compareValueCost(a, b *Entry) int {
	_, okA := a.ValueCost()
	_, okB := b.ValueCost()
	switch {
	case okA && okB:
		return cmp.Compare(b.Value*a.Cost, a.Value*b.Cost)
	case okA:
		return -1
	case okB:
		return 1
	}
	return 0
}

// Filter selects records for reqtrail list. Empty fields match everything; a field's value
// may list alternatives separated by commas, and "unset" (or "-") matches a missing value.
type Filter struct {
	Kind    record.Kind // "" for every kind
	Status  string
	Type    string
	MoSCoW  string
	Owner   string
	Release string
	Tag     string
	// Requester matches a requirement's source.requester and a feedback's customer, compared
	// as customers are for demand (SPEC §11: the requester by its text before the first
	// comma, semicolon or parenthesis; NFKC, case and white space aside).
	Requester string
	// Channel matches a requirement's source.channel and a feedback's channel.
	Channel string
	// Query matches the text the site's search indexes (record.SearchText: id, title, every
	// front-matter value — requester, channel, owner, tags, criteria, … — and the body; for a
	// requirement also the customer, title and body of its feedback, graph.Node.SearchText):
	// every white-space separated term must occur, case-insensitively, with runs of white
	// space in the text collapsed (so Chinese text, written without spaces, matches as a
	// substring).
	Query string
}

// Select returns the parsed records of r that f matches, ordered by kind then id.
func Select(r *repo.Repo, f Filter) []*record.Record {
	var out []*record.Record
	terms := strings.Fields(Normalize(f.Query))
	var g *graph.Graph // for the text of a requirement's feedback, built when a query needs it
	if len(terms) > 0 {
		g = graph.Build(r, nil)
	}
	for _, kind := range record.AllKinds() {
		if f.Kind != "" && f.Kind != kind {
			continue
		}
		var recs []*record.Record
		for _, rec := range r.Parsed(kind) {
			if rec.ID != "" && r.ByID[rec.ID] != rec {
				continue // duplicate id: the first file stands for it
			}
			if f.matches(rec, terms, g) {
				recs = append(recs, rec)
			}
		}
		slices.SortStableFunc(recs, func(a, b *record.Record) int {
			return cmp.Or(graph.CompareIDs(a.ID, b.ID), strings.Compare(a.File, b.File))
		})
		out = append(out, recs...)
	}
	return out
}

func (f Filter) matches(rec *record.Record, terms []string, g *graph.Graph) bool {
	var typ, moscow, owner, release, requester, channel string
	var tags []string
	if q := rec.Req; q != nil {
		typ, moscow, owner, release, tags = q.Type, q.MoSCoW, q.Owner, q.Release, q.Tags
		requester, channel = graph.RequesterCustomer(q.Requester), q.Channel
	}
	if fb := rec.Fb; fb != nil {
		requester, channel = fb.Customer, fb.Channel
	}
	if !matchOne(f.Status, rec.Status()) || !matchOne(f.Type, typ) || !matchOne(f.MoSCoW, moscow) ||
		!matchOne(f.Owner, owner) || !matchOne(f.Release, release) || !matchOne(f.Channel, channel) ||
		!matchCustomer(f.Requester, requester) {
		return false
	}
	if f.Tag != "" {
		ok := false
		for _, want := range alternatives(f.Tag) {
			if want == "" && len(tags) == 0 || slices.ContainsFunc(tags, func(t string) bool { return strings.EqualFold(t, want) }) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(terms) == 0 {
		return true
	}
	text := rec.SearchText()
	if n := g.Node(rec.ID); n != nil && n.Record == rec {
		text = n.SearchText() // as the site's search: with the words of its feedback
	}
	hay := Normalize(text)
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

func alternatives(v string) []string {
	var out []string
	for a := range strings.SplitSeq(v, ",") {
		a = strings.TrimSpace(a)
		if a == "unset" || a == "-" || a == "none" {
			a = ""
		}
		out = append(out, a)
	}
	return out
}

// matchCustomer is matchOne for customers: alternatives separated by ";", each read as a
// requester is (its text before the first comma or parenthesis), compared by
// graph.CustomerKey.
func matchCustomer(want, got string) bool {
	if want == "" {
		return true
	}
	key := graph.CustomerKey(got)
	for a := range strings.SplitSeq(want, ";") {
		a = strings.TrimSpace(a)
		if a == "unset" || a == "-" || a == "none" {
			a = ""
		}
		if graph.CustomerKey(graph.RequesterCustomer(a)) == key {
			return true
		}
	}
	return false
}

func matchOne(want, got string) bool {
	if want == "" {
		return true
	}
	for _, a := range alternatives(want) {
		if strings.EqualFold(a, got) {
			return true
		}
	}
	return false
}

// Normalize prepares text for substring search: lower case (Unicode simple folding),
// full-width ASCII folded to ASCII, every run of white space one space.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII forms
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
