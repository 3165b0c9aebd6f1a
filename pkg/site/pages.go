package site

import (
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Orders in which the values of the enumerated fields are shown.
var (
	statusOrder   = vocab.Requirement.Order()
	typeOrder     = vocab.Enum(record.RequirementKind, "type")
	moscowOrder   = vocab.Enum(record.RequirementKind, "priority", "moscow")
	urgencyOrder  = vocab.Enum(record.RequirementKind, "urgency")
	crStatusOrder = vocab.Change.Order()
	openCRStatus  = vocab.OpenChanges
)

// maxReleaseRows bounds the releases the dashboard's coverage chart shows.
const maxReleaseRows = 8

// unset is the key counts use for a missing value.
const unset = "(unset)"

// ---------------------------------------------------------------- dashboard

type card struct {
	Label, Value, Note, Href, Tone string
}

type legendItem struct {
	Key, Label, Pct, Href string
	Value                 int
}

// suspectRow is a requirement with suspect links and the targets that changed.
type suspectRow struct {
	Req     ref
	Targets []ref
}

type staleRow struct {
	Acc, Req ref
	Date     string
	Verdict  string
}

type crRow struct {
	CR          ref
	Status      string
	Action      string
	Affects     []ref
	Requested   string
	RequestedBy string
	Decided     string
	DecidedBy   string
}

type overdueRow struct {
	Req     ref
	Urgency string
	Created string
	Waiting string
	Target  string
}

type responseRow struct {
	Urgency   string
	Target    string
	Total     int
	Responded int
	Median    string
	Within    string
	Waiting   int
	Overdue   int
}

type dashboardView struct {
	Cards []card
	// Effect lists each requirement by the latest evaluation that lists it, or overdue.
	Effect         []effectRow
	Status         template.HTML
	Type           template.HTML
	MoSCoW         template.HTML
	Coverage       template.HTML
	CoverageLegend []legendItem
	ByRelease      template.HTML
	Funnel         template.HTML
	Stale          []staleRow
	Suspect        []suspectRow
	OpenCRs        []crRow
	Overdue        []overdueRow
	Response       []responseRow
	HasNow         bool
	Now            string
	Project        string
	// TargetsNote says what the response targets are (reqtrail.yaml's urgency:).
	TargetsNote string
}

// targetLabel names the response time of an urgency (reqtrail.yaml's urgency:): "24 hours",
// "1 week", "—" for none.
func (b *builder) targetLabel(urgency string) string {
	d := b.r.Config.ResponseTarget(urgency)
	h := int(d / time.Hour)
	zh := b.lang == "zh-CN"
	switch {
	case h <= 0:
		return "—"
	case h%168 == 0 && zh:
		return fmt.Sprintf("%d 周", h/168)
	case h == 168:
		return "1 week"
	case h%168 == 0:
		return fmt.Sprintf("%d weeks", h/168)
	case zh:
		return fmt.Sprintf("%d 小时", h)
	case h == 1:
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", h)
}

// responseTarget is how long a requirement of urgency may stay new, if it has a target.
func (b *builder) responseTarget(urgency string) (time.Duration, bool) {
	d := b.r.Config.ResponseTarget(urgency)
	return d, d > 0
}

// targetsNote says what the response targets are, for the dashboard.
func (b *builder) targetsNote() string {
	var parts []string
	for _, u := range urgencyOrder {
		if _, ok := b.responseTarget(u); ok {
			if b.lang == "zh-CN" {
				parts = append(parts, b.t(u)+"需求须在 "+b.targetLabel(u)+"内")
			} else {
				parts = append(parts, u+" ones within "+b.targetLabel(u))
			}
		}
	}
	switch {
	case len(parts) == 0:
		return b.t("No urgency has a response target (reqtrail.yaml urgency:).")
	case b.lang == "zh-CN":
		return strings.Join(parts, "，") + "离开“新”状态。"
	}
	s := "Requirements must leave new: " + strings.Join(parts, ", ") + "."
	return s
}

// timeline returns when a requirement was created and when its status first left new
// (zero when it has not, or when the history does not say).
func (b *builder) timeline(rec *record.Record) (created, leftNew time.Time, known bool) {
	now := b.now()
	h := b.history(rec.ID)
	if h == nil || len(h.Touches) == 0 {
		if now.IsZero() {
			return time.Time{}, time.Time{}, false
		}
		// Only in the working tree: created "now".
		if rec.Req.Status != "new" {
			leftNew = now
		}
		return now, leftNew, true
	}
	when := func(i int) time.Time {
		t := h.Touches[i]
		if !t.Committed.IsZero() {
			return t.Committed
		}
		return t.Date
	}
	created = when(len(h.Touches) - 1)
	for i := len(h.Touches) - 1; i >= 0; i-- {
		if s := h.Touches[i].Status; s != "" && s != "new" {
			leftNew = when(i)
			break
		}
	}
	if leftNew.IsZero() && rec.Req.Status != "new" {
		leftNew = now // left new in the working tree
	}
	return created, leftNew, true
}

func (b *builder) dashboardPage() ([]byte, error) {
	v := &dashboardView{Project: b.r.Config.Project, TargetsNote: b.targetsNote()}
	now := b.now()
	v.HasNow = !now.IsZero()
	if v.HasNow {
		v.Now = b.stamp(now)
	}
	byStatus, byType, byMoSCoW, byCov := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, s := range b.tr.coverageStates() {
		byCov[s] = 0
	}
	for _, s := range statusOrder[:8] {
		byStatus[s] = 0
	}
	for _, s := range b.typeOrder {
		byType[s] = 0
	}
	for _, s := range moscowOrder {
		byMoSCoW[s] = 0
	}
	for _, rec := range b.reqs {
		q := rec.Req
		byStatus[orUnset(q.Status)]++
		byType[orUnset(q.Type)]++
		byMoSCoW[orUnset(q.MoSCoW)]++
		byCov[b.tr.Coverage[rec.ID]]++
	}
	mk := func(field string, m map[string]int, order []string) []bar {
		var out []bar
		for _, k := range sortedKeys(m, order) {
			x := bar{Key: k, Label: b.t(k), Value: m[k]}
			if k != unset {
				x.Href = listHref("", field, k)
			}
			out = append(out, x)
		}
		return out
	}
	v.Status = barChart(b.t("By status"), mk("status", byStatus, statusOrder))
	v.Type = barChart(b.t("By type"), mk("type", byType, b.typeOrder))
	v.MoSCoW = barChart(b.t("By priority (MoSCoW)"), mk("priority", byMoSCoW, moscowOrder))
	covBars := mk("coverage", byCov, b.tr.coverageStates())
	for _, x := range covBars {
		v.CoverageLegend = append(v.CoverageLegend, legendItem{Key: x.Key, Label: x.Label, Value: x.Value, Pct: pct(x.Value, len(b.reqs)), Href: x.Href})
	}
	v.Coverage = donut(b.t("Coverage"), covBars, pct(byCov["accepted"], len(b.reqs)))

	// Coverage per release, newest release first.
	perRel := map[string]map[string]int{}
	for _, rec := range b.reqs {
		rel := rec.Req.Release
		if perRel[rel] == nil {
			perRel[rel] = map[string]int{}
		}
		perRel[rel][b.tr.Coverage[rec.ID]]++
	}
	var rels []string
	for rel := range perRel {
		rels = append(rels, rel)
	}
	slices.SortFunc(rels, func(x, y string) int {
		if (x == "") != (y == "") {
			if x == "" {
				return 1
			}
			return -1
		}
		return -compareVersions(x, y)
	})
	var rows []stackRow
	for _, rel := range rels[:min(len(rels), maxReleaseRows)] {
		row := stackRow{Label: rel, Href: listHref("", "release", orUnset(rel))}
		if rel == "" {
			row.Label = b.t("No release")
		}
		for _, c := range b.tr.coverageStates() {
			row.Segs = append(row.Segs, bar{Key: c, Label: b.t(c), Value: perRel[rel][c]})
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		v.ByRelease = stackedChart(b.t("Coverage by release"), rows)
	}

	// The funnel: how many requirements reached each stage of the workflow.
	var stages []funnelStage
	for i, s := range statusOrder[:8] {
		st := funnelStage{Key: s, Label: b.t(s), Here: byStatus[s], Href: listHref("", "status", s)}
		for _, t := range statusOrder[i:8] {
			st.Reached += byStatus[t]
		}
		stages = append(stages, st)
	}
	v.Funnel = funnelChart(b.t("Workflow funnel"), stages, b.t("reached"), b.t("here"))

	// Stale acceptances: only the acceptance that counts can be stale (superseded ones are
	// history).
	for _, acc := range b.accs {
		for _, a := range acc.Acc.Requirements {
			if b.accOf(a.ID, acc.ID).Stale {
				v.Stale = append(v.Stale, staleRow{Acc: b.ref("", acc.ID), Req: b.ref("", a.ID), Date: acc.Acc.Date, Verdict: acc.Acc.Verdict})
			}
		}
	}
	// Suspect links: requirements whose pinned parent or link changed meaning since.
	for _, rec := range b.reqs {
		if to := b.tr.Suspect[rec.ID]; len(to) > 0 {
			v.Suspect = append(v.Suspect, suspectRow{Req: b.ref("", rec.ID), Targets: b.refs("", to)})
		}
	}
	// Open change requests, newest request first.
	for _, cr := range b.crs {
		if slices.Contains(openCRStatus, cr.Change.Status) {
			v.OpenCRs = append(v.OpenCRs, b.crRow("", cr))
		}
	}
	sortCRRows(v.OpenCRs)

	// Response times.
	accepted := byCov["accepted"]
	overdue := 0
	if v.HasNow {
		type acc struct {
			times []time.Duration
			row   responseRow
		}
		per := map[string]*acc{}
		for _, u := range urgencyOrder {
			per[u] = &acc{row: responseRow{Urgency: u}}
			per[u].row.Target = b.targetLabel(u)
		}
		for _, rec := range b.reqs {
			a := per[rec.Req.Urgency]
			if a == nil {
				continue
			}
			created, left, ok := b.timeline(rec)
			if !ok {
				continue
			}
			a.row.Total++
			target, hasTarget := b.responseTarget(rec.Req.Urgency)
			if !left.IsZero() {
				a.row.Responded++
				a.times = append(a.times, left.Sub(created))
				continue
			}
			if rec.Req.Status != "new" {
				continue
			}
			a.row.Waiting++
			if wait := now.Sub(created); hasTarget && wait > target {
				a.row.Overdue++
				v.Overdue = append(v.Overdue, overdueRow{
					Req: b.ref("", rec.ID), Urgency: rec.Req.Urgency, Created: b.minute(created),
					Waiting: b.duration(wait), Target: b.targetLabel(rec.Req.Urgency),
				})
			}
		}
		for _, u := range urgencyOrder {
			a := per[u]
			if len(a.times) > 0 {
				slices.Sort(a.times)
				a.row.Median = b.duration(a.times[len(a.times)/2])
				if target, ok := b.responseTarget(u); ok {
					in := 0
					for _, d := range a.times {
						if d <= target {
							in++
						}
					}
					a.row.Within = pct(in, len(a.times))
				}
			}
			v.Response = append(v.Response, a.row)
		}
		overdue = len(v.Overdue)
		// Longest wait first, then by id.
		sort.SliceStable(v.Overdue, func(i, j int) bool {
			if v.Overdue[i].Created != v.Overdue[j].Created {
				return v.Overdue[i].Created < v.Overdue[j].Created
			}
			return CompareIDs(v.Overdue[i].Req.ID, v.Overdue[j].Req.ID) < 0
		})
	}
	errs, warns := 0, 0
	for _, d := range b.diags {
		switch d.Severity {
		case diag.Error:
			errs++
		case diag.Warning:
			warns++
		}
	}
	tone := func(bad bool, t string) string {
		if bad {
			return t
		}
		return "ok"
	}
	var effectCounts map[string]int
	v.Effect, effectCounts = b.effectSummary()
	effectCard := card{Label: b.t("Effect"), Value: itoa(effectCounts["met"]),
		Note: b.t("met") + " · " + itoa(effectCounts["partly-met"]) + " " + b.t("partly met") + " · " + itoa(effectCounts["not-met"]) + " " + b.t("not met") + " · " + itoa(effectCounts["overdue"]) + " " + b.t("overdue"),
		Tone: tone(effectCounts["overdue"]+effectCounts["not-met"] > 0, "warn"), Href: "#rt-effect"}
	v.Cards = []card{
		{Label: b.t("Total requirements"), Value: itoa(len(b.reqs)), Href: "requirements.html"},
		{Label: b.t("Accepted"), Value: pct(accepted, len(b.reqs)), Note: itoa(accepted) + " " + b.t("of") + " " + itoa(len(b.reqs)), Href: listHref("", "coverage", "accepted")},
		{Label: b.t("Open change requests"), Value: itoa(len(v.OpenCRs)), Href: "changes.html"},
		{Label: b.t("Stale acceptances"), Value: itoa(len(v.Stale)), Tone: tone(len(v.Stale) > 0, "warn"), Href: "#rt-stale"},
		{Label: b.t("Suspect links"), Value: itoa(len(v.Suspect)), Tone: tone(len(v.Suspect) > 0, "warn"), Href: "#rt-suspect"},
		{Label: b.t("Overdue responses"), Value: itoa(overdue), Tone: tone(overdue > 0, "bad"), Href: "#rt-overdue"},
		effectCard,
		{Label: b.t("Lint findings"), Value: itoa(errs + warns), Note: itoa(errs) + " " + b.t("errors") + " · " + itoa(warns) + " " + b.t("warnings"), Tone: tone(errs > 0, "bad"), Href: "findings.html"},
	}
	if !v.HasNow {
		v.Cards[5].Value = "—"
		v.Cards[5].Tone = ""
	}
	if len(b.fbs) > 0 {
		pool := len(b.tr.graph.Pool)
		v.Cards = append(v.Cards, card{Label: b.t("Requirement pool"), Value: itoa(pool),
			Note: itoa(len(b.fbs)) + " " + b.t("feedback records"), Tone: tone(pool > 0, "warn"), Href: "pool.html"})
	}
	return b.execute("dashboard", b.newPage(b.t("Dashboard"), "dashboard", "", "", v))
}

func orUnset(s string) string {
	if s == "" {
		return unset
	}
	return s
}

func itoa(n int) string { return formatInt(n) }

func (b *builder) crRow(root string, cr *record.Record) crRow {
	c := cr.Change
	row := crRow{CR: b.ref(root, cr.ID), Status: c.Status, Action: c.Action, Requested: c.Requested, RequestedBy: c.RequestedBy}
	for _, id := range c.Affects {
		row.Affects = append(row.Affects, b.ref(root, id))
	}
	if c.Decision != nil {
		row.Decided, row.DecidedBy = c.Decision.Date, c.Decision.By
	}
	return row
}

func sortCRRows(rows []crRow) {
	slices.SortStableFunc(rows, func(x, y crRow) int {
		if c := strings.Compare(y.Requested, x.Requested); c != 0 {
			return c
		}
		return CompareIDs(y.CR.ID, x.CR.ID)
	})
}

// ---------------------------------------------------------------- requirement list

type facet struct {
	Key    string // URL parameter
	Label  string
	Values []facetValue
}

type facetValue struct {
	Value, Label string
	Count        int
}

type listView struct {
	Facets []facet
	Total  int
}

func (b *builder) listPage() ([]byte, error) {
	counts := map[string]map[string]int{}
	for _, k := range []string{"status", "type", "priority", "release", "owner", "tag", "coverage"} {
		counts[k] = map[string]int{}
	}
	for _, rec := range b.reqs {
		q := rec.Req
		counts["status"][q.Status]++
		counts["type"][orUnset(q.Type)]++
		counts["priority"][orUnset(q.MoSCoW)]++
		counts["release"][orUnset(q.Release)]++
		counts["owner"][orUnset(q.Owner)]++
		for _, t := range uniq(q.Tags) {
			counts["tag"][t]++
		}
		counts["coverage"][b.tr.Coverage[rec.ID]]++
	}
	order := map[string][]string{"status": statusOrder, "type": b.typeOrder, "priority": moscowOrder, "coverage": coverageStates}
	labels := map[string]string{"status": "Status", "type": "Type", "priority": "Priority", "release": "Release", "owner": "Owner", "tag": "Tag", "coverage": "Coverage"}
	v := &listView{Total: len(b.reqs)}
	for _, k := range []string{"status", "type", "priority", "coverage", "release", "owner", "tag"} {
		keys := sortedKeys(counts[k], order[k])
		if k == "release" {
			slices.SortStableFunc(keys, func(x, y string) int { return -compareVersions(x, y) })
		}
		f := facet{Key: k, Label: b.t(labels[k])}
		for _, val := range keys {
			label := val
			if order[k] != nil || val == unset {
				label = b.t(val)
			}
			f.Values = append(f.Values, facetValue{Value: val, Label: label, Count: counts[k][val]})
		}
		v.Facets = append(v.Facets, f)
	}
	p := b.newPage(b.t("Requirements"), "requirements", "", "requirements.html", v)
	p.Scripts = []string{"data/requirements.js", "assets/list.js"}
	return b.execute("list", p)
}

// ---------------------------------------------------------------- record pages

type linkRow struct {
	Type string
	Ref  ref
	// Suspect: the link is pinned and its target changed meaning since (link-suspect).
	Suspect bool
}

// resultRow is one test result of a requirement.
type resultRow struct {
	Name, File, Status, Time string
}

// impactView is what depends on a requirement: the counts and the first downstream
// requirements (maxImpactRows), with their depth and how each was reached.
type impactView struct {
	Counts []impactCount
	Rows   []impactRow
	More   int
}

type impactCount struct {
	Label string
	Value int
}

type impactRow struct {
	Ref     ref
	Depth   int
	Via     string
	From    ref
	Suspect bool
}

// maxImpactRows bounds the downstream requirements a requirement page lists.
const maxImpactRows = 50

// accOf returns how acceptance record accID stands for requirement reqID: stale, or
// superseded by a newer one.
func (b *builder) accOf(reqID, accID string) accRef {
	for _, a := range b.tr.Acceptance[reqID] {
		if a.ID == accID {
			return a
		}
	}
	return accRef{}
}

type accView struct {
	Ref        ref
	Verdict    string
	Date       string
	Stale      bool
	Superseded bool
}

type reqView struct {
	Rec       *record.Record
	Ref       ref
	Kind      string
	Status    string
	Type      string
	MoSCoW    string
	Urgency   string
	Coverage  string
	ICE       int
	Criteria  []string
	Ancestors []ref
	Parent    *ref
	// ParentSuspect: the pinned parent changed meaning since (link-suspect).
	ParentSuspect bool
	AnySuspect    bool
	Results       []resultRow
	HasResults    bool
	Impact        *impactView
	Children      []ref
	LinksOut      []linkRow
	LinksIn       []linkRow
	Changes       []crRow
	Acceptance    []accView
	AnyStale      bool
	Impl          []citeGroup
	Tests         []citeGroup
	// Effect is the requirement's metrics and evaluation results; nil when it has neither.
	Effect *effectView
	// Demand is how many distinct customers asked for it; Customers names them; Feedback
	// holds the feedback that supports it, with the customers' words.
	Demand    int
	Customers []string
	Feedback  []quoteRow
	History   []historyRow
	HasGit    bool
	File      string
	FileHref  string
}

type crView struct {
	Ref      ref
	Status   string
	Action   string
	Rec      *record.Record // the body and fields panel are written from it
	Affects  []ref
	Decision *record.Decision
	History  []historyRow
	HasGit   bool
	File     string
	FileHref string
}

type accRecView struct {
	Ref      ref
	Verdict  string
	Rec      *record.Record // the body and fields panel are written from it
	Reqs     []accReqRow
	Criteria []criterionRow
	Evidence []evidence
	AnyStale bool
	History  []historyRow
	HasGit   bool
	File     string
	FileHref string
}

type accReqRow struct {
	Ref                        ref
	Recorded, Current          string
	Stale, Missing, Superseded bool
}

type criterionRow struct {
	Criterion string
	Met       string // "met", "not met" or ""
	Req       ref
}

type evidence struct {
	Text, Href string
}

// linkNames names a typed link from the side of its source and of its target.
var linkNames = map[string][2]string{
	"depends-on":     {"requires", "required by"},
	"conflicts-with": {"conflicts with", "conflicts with"},
	"derived-from":   {"derived from", "source of"},
	"relates-to":     {"relates to", "relates to"},
}

func (b *builder) linkName(typ string, incoming bool) string {
	n, ok := linkNames[typ]
	if !ok {
		return typ
	}
	if incoming {
		return b.t(n[1])
	}
	return b.t(n[0])
}

// impactView is the impact panel of requirement id; nil when nothing depends on it.
func (b *builder) impactView(id string) *impactView {
	rep := b.tr.Impact[id]
	if rep == nil || rep.Counts.Requirements == 0 {
		return nil
	}
	c := rep.Counts
	v := &impactView{Counts: []impactCount{
		{b.t("Downstream requirements"), c.Requirements}, {b.t("Change requests"), c.Changes},
		{b.t("Acceptance that would go stale"), c.Acceptance}, {b.t("Code citations"), c.Impl}, {b.t("Test citations"), c.Tests},
	}}
	v.More = rep.More
	for _, q := range rep.Rows {
		via := b.t("child of")
		if q.Type != "parent" {
			via = b.linkName(q.Type, false)
		}
		v.Rows = append(v.Rows, impactRow{Ref: b.refFromRecord(q.ID), Depth: q.Depth, Via: via, From: b.refFromRecord(q.From), Suspect: q.Suspect})
	}
	return v
}

func (b *builder) recordPage(rec *record.Record) ([]byte, error) {
	hist := b.historyRows(rec.ID)
	hasGit := b.opts.History != nil
	fileHref := b.forge.file(rec.File, 0)
	title := rec.ID + " " + rec.Title
	switch rec.Kind {
	case record.RequirementKind:
		q := rec.Req
		v := &reqView{
			Rec: rec, Ref: b.refFromRecord(rec.ID), Status: q.Status, Type: q.Type, MoSCoW: q.MoSCoW,
			Urgency: q.Urgency, Coverage: b.tr.Coverage[rec.ID], ICE: q.ICE.Score(),
			Criteria: q.AcceptanceCriteria, History: hist, HasGit: hasGit, File: rec.File, FileHref: fileHref,
		}
		// Ancestors, nearest last; stop on a cycle.
		seen := map[string]bool{rec.ID: true}
		for p := q.Parent; p != "" && !seen[p] && len(v.Ancestors) < 20; {
			seen[p] = true
			v.Ancestors = append([]ref{b.refFromRecord(p)}, v.Ancestors...)
			pr := b.r.Requirement(p)
			if pr == nil {
				break
			}
			p = pr.Req.Parent
		}
		suspect := func(pinned, to string) bool {
			t := b.r.Requirement(to)
			return pinned != "" && t != nil && t.Fingerprint != pinned
		}
		if q.Parent != "" {
			r := b.refFromRecord(q.Parent)
			v.Parent = &r
			v.ParentSuspect = suspect(q.ParentFingerprint, q.Parent)
		}
		v.Children = b.refsFromRecord(b.tr.Children[rec.ID])
		for _, l := range q.Links {
			if l.To == "" {
				continue
			}
			v.LinksOut = append(v.LinksOut, linkRow{Type: b.linkName(l.Type, false), Ref: b.refFromRecord(l.To), Suspect: suspect(l.Fingerprint, l.To)})
		}
		v.AnySuspect = len(b.tr.Suspect[rec.ID]) > 0
		v.HasResults = b.tr.HasResults
		for _, r := range b.tr.Results[rec.ID] {
			v.Results = append(v.Results, resultRow{Name: r.Name, File: r.File, Status: string(r.Status), Time: strconv.FormatFloat(r.Time, 'f', -1, 64) + " s"})
		}
		v.Impact = b.impactView(rec.ID)
		for _, l := range b.tr.LinksIn[rec.ID] {
			v.LinksIn = append(v.LinksIn, linkRow{Type: b.linkName(l.Type, true), Ref: b.refFromRecord(l.From)})
		}
		for _, id := range b.tr.Changes[rec.ID] {
			if cr := b.r.ByID[id]; cr != nil && cr.Change != nil {
				row := b.crRow(recRoot, cr)
				row.CR = b.refFromRecord(id)
				row.Affects = nil
				v.Changes = append(v.Changes, row)
			}
		}
		for _, a := range b.tr.Acceptance[rec.ID] {
			v.Acceptance = append(v.Acceptance, accView{Ref: b.refFromRecord(a.ID), Verdict: a.Verdict, Date: a.Date, Stale: a.Stale, Superseded: a.Superseded})
			v.AnyStale = v.AnyStale || a.Stale
		}
		v.Impl = b.citations(b.tr.Impl[rec.ID])
		v.Tests = b.citations(b.tr.Tests[rec.ID])
		v.Effect = b.effectOf(rec)
		if n := b.tr.graph.Node(rec.ID); n != nil && n.Record == rec {
			v.Demand, v.Customers = n.Demand(), n.Customers()
			for _, fb := range n.Feedback {
				v.Feedback = append(v.Feedback, b.quoteRow(fb))
			}
		}
		return b.execute("requirement", b.newPage(title, "requirements", recRoot, "r/"+b.pages[rec.ID], v))
	case record.ChangeKind:
		c := rec.Change
		v := &crView{
			Ref: b.refFromRecord(rec.ID), Status: c.Status, Action: c.Action, Rec: rec,
			Affects: b.refsFromRecord(uniq(c.Affects)), Decision: c.Decision,
			History: hist, HasGit: hasGit, File: rec.File, FileHref: fileHref,
		}
		return b.execute("change", b.newPage(title, "changes", recRoot, "r/"+b.pages[rec.ID], v))
	case record.EvaluationKind:
		return b.evaluationPage(rec, hist, fileHref)
	case record.FeedbackKind:
		return b.feedbackPage(rec, title, hist, hasGit, fileHref)
	default:
		a := rec.Acc
		v := &accRecView{
			Ref: b.refFromRecord(rec.ID), Verdict: a.Verdict, Rec: rec,
			History: hist, HasGit: hasGit, File: rec.File, FileHref: fileHref,
		}
		for _, e := range a.Requirements {
			row := accReqRow{Ref: b.refFromRecord(e.ID), Recorded: e.Fingerprint}
			if q := b.r.Requirement(e.ID); q != nil {
				row.Current = q.Fingerprint
				ar := b.accOf(e.ID, rec.ID)
				row.Stale, row.Superseded = ar.Stale, ar.Superseded
			} else {
				row.Missing = true
			}
			v.AnyStale = v.AnyStale || row.Stale
			v.Reqs = append(v.Reqs, row)
		}
		for _, c := range a.Criteria {
			row := criterionRow{Criterion: c.Criterion}
			if c.Met != nil {
				row.Met = "not met"
				if *c.Met {
					row.Met = "met"
				}
			}
			if c.Requirement != "" {
				row.Req = b.refFromRecord(c.Requirement)
			}
			v.Criteria = append(v.Criteria, row)
		}
		for _, e := range a.Evidence {
			ev := evidence{Text: e}
			if isWebURL(e) {
				ev.Href = e
			} else if p := resolveRel("", e); p != "" {
				ev.Href = b.forge.file(p, 0)
			}
			v.Evidence = append(v.Evidence, ev)
		}
		return b.execute("acceptance", b.newPage(title, "requirements", recRoot, "r/"+b.pages[rec.ID], v))
	}
}

// ---------------------------------------------------------------- matrix

type matrixRow struct {
	Req        ref
	Coverage   string
	Suspect    []ref
	Results    []resultRow
	Parent     *ref
	Children   []ref
	Changes    []ref
	Acceptance []accView
	Impl       []citeGroup
	Tests      []citeGroup
	MoreImpl   int
	MoreTests  int
}

type matrixView struct {
	Rows       []matrixRow
	Summary    []legendItem
	HasResults bool
}

// maxMatrixFiles bounds the files listed per cell; the record page lists them all.
const maxMatrixFiles = 3

// citationsCapped groups citations by file, keeping the first maxMatrixFiles files, and
// returns how many files were left out.
func (b *builder) citationsCapped(cs []Citation) ([]citeGroup, int) {
	g := b.citations(cs)
	if len(g) <= maxMatrixFiles {
		return g, 0
	}
	return g[:maxMatrixFiles], len(g) - maxMatrixFiles
}

func (b *builder) matrixPage() ([]byte, error) {
	v := &matrixView{HasResults: b.tr.HasResults}
	counts := map[string]int{}
	for _, rec := range b.reqs {
		cov := b.tr.Coverage[rec.ID]
		counts[cov]++
		row := matrixRow{Req: b.ref("", rec.ID), Coverage: cov,
			Children: b.refs("", b.tr.Children[rec.ID]), Changes: b.refs("", b.tr.Changes[rec.ID])}
		if p := rec.Req.Parent; p != "" {
			r := b.ref("", p)
			row.Parent = &r
		}
		for _, a := range b.tr.Acceptance[rec.ID] {
			row.Acceptance = append(row.Acceptance, accView{Ref: b.ref("", a.ID), Verdict: a.Verdict, Date: a.Date, Stale: a.Stale, Superseded: a.Superseded})
		}
		row.Impl, row.MoreImpl = b.citationsCapped(b.tr.Impl[rec.ID])
		row.Tests, row.MoreTests = b.citationsCapped(b.tr.Tests[rec.ID])
		row.Suspect = b.refs("", b.tr.Suspect[rec.ID])
		for _, r := range b.tr.Results[rec.ID] {
			row.Results = append(row.Results, resultRow{Name: r.Name, File: r.File, Status: string(r.Status), Time: strconv.FormatFloat(r.Time, 'f', -1, 64) + " s"})
		}
		v.Rows = append(v.Rows, row)
	}
	for _, s := range b.tr.coverageStates() {
		v.Summary = append(v.Summary, legendItem{Key: s, Label: b.t(s), Value: counts[s], Pct: pct(counts[s], len(b.reqs)), Href: listHref("", "coverage", s)})
	}
	return b.execute("matrix", b.newPage(b.t("Traceability matrix"), "matrix", "", "matrix.html", v))
}

// ---------------------------------------------------------------- change log

type changeLogView struct {
	Rows    []crRow
	Summary []legendItem
}

func (b *builder) changeLogPage() ([]byte, error) {
	v := &changeLogView{}
	counts := map[string]int{}
	for _, cr := range b.crs {
		v.Rows = append(v.Rows, b.crRow("", cr))
		counts[orUnset(cr.Change.Status)]++
	}
	sortCRRows(v.Rows)
	for _, s := range sortedKeys(counts, crStatusOrder) {
		v.Summary = append(v.Summary, legendItem{Key: s, Label: b.t(s), Value: counts[s]})
	}
	return b.execute("changelog", b.newPage(b.t("Change log"), "changes", "", "changes.html", v))
}

// ---------------------------------------------------------------- findings

type findingRow struct {
	diag.Diagnostic
	Ref  ref
	Href string
	// Text is what the finding says in the site's language: the message, or in Chinese the
	// rule's description (the message, in English like the command line, is its Title).
	Text, Title string
	Sev         string
}

type findingsView struct {
	Rows             []findingRow
	Errors, Warnings int
}

func (b *builder) findingsPage() ([]byte, error) {
	v := &findingsView{}
	for _, d := range b.diags {
		row := findingRow{Diagnostic: d, Href: b.forge.file(d.File(), d.Range.Start.Line), Text: d.Message, Sev: b.t(string(d.Severity))}
		if b.lang == "zh-CN" {
			if doc, ok := ruleZh[d.Rule]; ok {
				row.Text, row.Title = doc, d.Message
			}
		}
		if d.ID != "" {
			row.Ref = b.ref("", d.ID)
		}
		switch d.Severity {
		case diag.Error:
			v.Errors++
		case diag.Warning:
			v.Warnings++
		}
		v.Rows = append(v.Rows, row)
	}
	return b.execute("findings", b.newPage(b.t("Findings"), "findings", "", "findings.html", v))
}

// ---------------------------------------------------------------- baseline

type baselineChange struct {
	Ref      ref
	Title    string
	Class    string
	OldFile  string
	File     string
	From, To string // status
	Fields   []baselineField
	BodyDiff []gate.Segment
	Auth     []ref
	NeedAuth bool
}

type baselineField struct {
	Field, Old, New string
}

type baselineGroup struct {
	Kind    string
	Changes []baselineChange
}

type baselineView struct {
	Rev, Short string
	Href       string
	Groups     []baselineGroup
	Counts     []legendItem
}

func (b *builder) baselinePage() ([]byte, error) {
	bl := b.opts.Baseline
	v := &baselineView{Rev: bl.Rev, Short: bl.Commit[:min(7, len(bl.Commit))], Href: b.forge.commitURL(bl.Commit)}
	counts := map[string]int{}
	groups := map[record.Kind]*baselineGroup{}
	for _, c := range bl.Changes {
		g := groups[c.Kind]
		if g == nil {
			g = &baselineGroup{Kind: kindTitle(c.Kind)}
			groups[c.Kind] = g
		}
		counts[c.Class]++
		bc := baselineChange{Ref: b.ref("", c.ID), Title: c.Title, Class: c.Class, OldFile: c.OldFile, File: c.File}
		if c.OldStatus != c.NewStatus && c.Class != gate.Added && c.Class != gate.Deleted {
			bc.From, bc.To = c.OldStatus, c.NewStatus
		}
		for _, f := range c.Fields {
			if f.Field == "body" {
				o, _ := f.Old.(string)
				n, _ := f.New.(string)
				if c.Class != gate.Added && c.Class != gate.Deleted {
					bc.BodyDiff = gate.WordDiff(strings.TrimSpace(o), strings.TrimSpace(n))
				}
				continue
			}
			if c.Class == gate.Added || c.Class == gate.Deleted {
				continue
			}
			bc.Fields = append(bc.Fields, baselineField{Field: f.Field, Old: valueText(f.Old), New: valueText(f.New)})
		}
		if c.Kind == record.RequirementKind && c.Class == gate.Meaning {
			bc.NeedAuth = true
			bc.Auth = b.refs("", c.AuthorisedBy)
		}
		g.Changes = append(g.Changes, bc)
	}
	for _, k := range record.AllKinds() {
		if g := groups[k]; g != nil {
			v.Groups = append(v.Groups, *g)
		}
	}
	for _, cl := range sortedKeys(counts, []string{gate.Added, gate.Deleted, gate.Meaning, gate.Status, gate.Attributes, gate.Renamed}) {
		v.Counts = append(v.Counts, legendItem{Key: cl, Label: b.t(cl), Value: counts[cl]})
	}
	return b.execute("baseline", b.newPage(b.t("Changes since baseline"), "baseline", "", "baseline.html", v))
}

func kindTitle(k record.Kind) string {
	switch k {
	case record.RequirementKind:
		return "Requirements"
	case record.ChangeKind:
		return "Change requests"
	case record.EvaluationKind:
		return "Evaluations"
	}
	return "Acceptance records"
}
