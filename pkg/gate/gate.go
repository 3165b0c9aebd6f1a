// Package gate compares two loaded revisions of a project — classifying every changed record —
// and applies the merge-gate rules of `reqtrail check` (SPEC §6).
package gate

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Classes of change, in the spelling of `check --format json`.
const (
	Added      = "added"
	Deleted    = "deleted"
	Meaning    = "meaning"    // a requirement's fingerprint changed
	Status     = "status"     // the status (verdict, for an acceptance record) changed
	Attributes = "attributes" // any other field, or the body of a change request or acceptance
	Renamed    = "renamed"    // same id, different path, nothing else changed
)

// FieldChange is one top-level front-matter key (or "body") whose value differs.
type FieldChange struct {
	Field string `json:"field"`
	Old   any    `json:"old"`
	New   any    `json:"new"`
}

// Change is one record that differs between two revisions.
type Change struct {
	ID string `json:"id"`
	// File is the record's path at head (at base for a deletion).
	File string      `json:"file"`
	Kind record.Kind `json:"kind"`
	// Class is the most significant class of the change: added, deleted, meaning, status,
	// renamed or attributes.
	Class string `json:"class"`
	// AuthorisedBy lists the change requests that authorise a change to this requirement.
	AuthorisedBy []string `json:"authorised_by"`
	// OldFile is the path at base when the record moved.
	OldFile   string `json:"old_file,omitempty"`
	OldStatus string `json:"old_status,omitempty"`
	NewStatus string `json:"new_status,omitempty"`
	// OldFingerprint and NewFingerprint are set for requirements.
	OldFingerprint string `json:"old_fingerprint,omitempty"`
	NewFingerprint string `json:"new_fingerprint,omitempty"`
	Title          string `json:"title"`
	// Fields lists what changed, field by field (a body change is the field "body").
	Fields []FieldChange `json:"fields"`

	// Old and New are the records at each side (nil when absent).
	Old *record.Record `json:"-"`
	New *record.Record `json:"-"`
}

// Compare returns every record whose content differs between base and head, matched by id,
// sorted by kind (requirements first) and id. Records that do not parse on one side are left
// out: lint reports them.
func Compare(base, head *repo.Repo) []Change {
	ids := map[string]bool{}
	for id := range base.ByID {
		ids[id] = true
	}
	for id := range head.ByID {
		ids[id] = true
	}
	unparsed := func(r *repo.Repo) map[string]bool {
		m := map[string]bool{}
		for _, rec := range r.Records {
			if rec.Node == nil {
				m[rec.File] = true
			}
		}
		return m
	}
	headBroken, baseBroken := unparsed(head), unparsed(base)

	var out []Change
	for id := range ids {
		o, n := base.ByID[id], head.ByID[id]
		if o != nil && n != nil && o.Kind != n.Kind {
			out = append(out, classify(o, nil), classify(nil, n))
			continue
		}
		// A record that no longer parses is not a deletion (nor an addition, the other way).
		if n == nil && o != nil && headBroken[o.File] || o == nil && n != nil && baseBroken[n.File] {
			continue
		}
		if o != nil && n != nil && o.File == n.File && (o == n || bytes.Equal(o.Raw, n.Raw)) {
			continue // unchanged (often the very same record, reused by the loader)
		}
		if c, changed := diffRecords(o, n); changed {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Change) int {
		if ka, kb := kindOrder(a.Kind), kindOrder(b.Kind); ka != kb {
			return ka - kb
		}
		if a.ID != b.ID {
			return strings.Compare(a.ID, b.ID)
		}
		return strings.Compare(a.Class, b.Class)
	})
	return out
}

func kindOrder(k record.Kind) int {
	return slices.Index(record.Kinds, k)
}

func diffRecords(o, n *record.Record) (Change, bool) {
	c := classify(o, n)
	if o != nil && n != nil && len(c.Fields) == 0 && o.File == n.File {
		return c, false
	}
	return c, true
}

// classify describes the change from o to n (either may be nil).
func classify(o, n *record.Record) Change {
	c := Change{Old: o, New: n, AuthorisedBy: []string{}, Fields: []FieldChange{}}
	cur := n
	if cur == nil {
		cur = o
	}
	c.ID, c.Kind, c.File, c.Title = cur.ID, cur.Kind, cur.File, cur.Title
	if o != nil {
		c.OldStatus = statusOf(o)
		c.OldFingerprint = o.Fingerprint
	}
	if n != nil {
		c.NewStatus = statusOf(n)
		c.NewFingerprint = n.Fingerprint
	}
	c.Fields = fieldChanges(o, n)
	switch {
	case o == nil:
		c.Class = Added
	case n == nil:
		c.Class = Deleted
	default:
		if o.File != n.File {
			c.OldFile = o.File
		}
		switch {
		case n.Kind == record.RequirementKind && o.Fingerprint != n.Fingerprint:
			c.Class = Meaning
		case statusOf(o) != statusOf(n):
			c.Class = Status
		case c.OldFile != "" && len(c.Fields) == 0:
			c.Class = Renamed
		case len(c.Fields) > 0:
			c.Class = Attributes
		default:
			c.Class = Renamed
		}
	}
	return c
}

// statusOf is the workflow state of a record: a requirement's status ("new" when unset), a
// change request's status, an acceptance record's verdict.
func statusOf(r *record.Record) string {
	if r == nil {
		return ""
	}
	return r.Status()
}

// fieldChanges lists the top-level keys whose values differ, in the order of the newer
// record's front matter (then the removed keys), and "body" last.
func fieldChanges(o, n *record.Record) []FieldChange {
	out := []FieldChange{}
	var od, nd map[string]any
	var oBody, nBody string
	if o != nil {
		od, oBody = o.Fields(), o.Body
	}
	if n != nil {
		nd, nBody = n.Fields(), n.Body
	}
	for _, k := range keyOrder(n, o) {
		ov, oOK := od[k]
		nv, nOK := nd[k]
		if oOK == nOK && reflect.DeepEqual(ov, nv) {
			continue
		}
		out = append(out, FieldChange{Field: k, Old: ov, New: nv})
	}
	if normalizeBody(oBody) != normalizeBody(nBody) {
		out = append(out, FieldChange{Field: "body", Old: oBody, New: nBody})
	}
	return out
}

func normalizeBody(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// keyOrder returns the front-matter keys of the records, in the order they are written.
func keyOrder(recs ...*record.Record) []string {
	var keys []string
	seen := map[string]bool{}
	for _, r := range recs {
		if r == nil {
			continue
		}
		if r.Node != nil {
			for i := 0; i+1 < len(r.Node.Content); i += 2 {
				k := r.Node.Content[i].Value
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		var rest []string
		for k := range r.Fields() {
			if !seen[k] {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// Options tune a check.
type Options struct {
	// Lint returns the lint findings of a repo, exactly as `reqtrail lint` computes them. When
	// nil, lint.Run with no extras is used.
	Lint func(*repo.Repo) []diag.Diagnostic
}

// Result is the outcome of a check.
type Result struct {
	Changes []Change `json:"changes"`
	// Diagnostics are the gate's findings and the lint findings that are new at head; the
	// error-severity ones fail the check.
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	// PreExisting are head's lint findings that already existed at the merge base.
	PreExisting []diag.Diagnostic `json:"preexisting"`
	// Files is the number of record files at head.
	Files int `json:"-"`
}

// Failed reports whether the result has error-severity findings.
func (r *Result) Failed() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// Check compares base (the merge base) with head and applies the rules of SPEC §6.
func Check(base, head *repo.Repo, opts Options) *Result {
	lintOf := opts.Lint
	if lintOf == nil {
		lintOf = func(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }
	}
	res := &Result{Changes: Compare(base, head), Files: head.Files()}

	var gateDiags []diag.Diagnostic
	for i := range res.Changes {
		c := &res.Changes[i]
		gateDiags = append(gateDiags, judge(c, base, head)...)
	}
	// The gate's own rules take their severity from the base's configuration: a pull request
	// cannot switch off the gate that judges it.
	gateDiags = finishWith(base, gateDiags)

	baseLint, headLint := lintOf(base), lintOf(head)
	seen := map[string]int{}
	for _, d := range baseLint {
		seen[lintKey(d)]++
	}
	for _, d := range headLint {
		k := lintKey(d)
		if seen[k] > 0 {
			seen[k]--
			res.PreExisting = append(res.PreExisting, d)
			continue
		}
		res.Diagnostics = append(res.Diagnostics, d)
	}
	res.Diagnostics = diag.Sort(append(res.Diagnostics, gateDiags...))
	res.PreExisting = diag.Sort(res.PreExisting)
	if res.Diagnostics == nil {
		res.Diagnostics = []diag.Diagnostic{}
	}
	if res.PreExisting == nil {
		res.PreExisting = []diag.Diagnostic{}
	}
	return res
}

// lintKey identifies a finding across revisions: same rule, record and message.
func lintKey(d diag.Diagnostic) string {
	who := d.ID
	if who == "" {
		who = d.File()
	}
	return d.Rule + "\x00" + who + "\x00" + d.Message
}

func finishWith(cfgRepo *repo.Repo, ds []diag.Diagnostic) []diag.Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		sev := lint.Severity(cfgRepo, d.Rule)
		if sev == diag.Off {
			continue
		}
		d.Severity = sev
		out = append(out, d)
	}
	return out
}

// authorisers returns the change requests that authorise a change to requirement id: at head
// they list it in affects with status approved or implemented, and at base they were not
// already implemented, closed, rejected or withdrawn. With action set, only change requests
// with that action count.
func authorisers(id, action string, base, head *repo.Repo) []string {
	out := []string{}
	for _, cr := range head.Parsed(record.ChangeKind) {
		ch := cr.Change
		if ch == nil || !slices.Contains(ch.Affects, id) {
			continue
		}
		if ch.Status != "approved" && ch.Status != "implemented" {
			continue
		}
		if action != "" && ch.Action != action {
			continue
		}
		if old := base.ByID[cr.ID]; old != nil && old.Change != nil {
			switch old.Change.Status {
			case "implemented", "closed", "rejected", "withdrawn":
				continue
			}
		}
		if head.ByID[cr.ID] != cr {
			continue // a duplicate id: only the file that wins counts
		}
		out = append(out, cr.ID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func at(rec *record.Record, where pos.Spanner, rule, format string, args ...any) diag.Diagnostic {
	d := lint.Report(rec, where, format, args...)
	d.Rule = rule
	return d
}

// fixed sets d's fix hint.
func fixed(d diag.Diagnostic, format string, args ...any) diag.Diagnostic {
	d.Fix = fmt.Sprintf(format, args...)
	return d
}

// The fix hints of the gate's findings, for the pull-request comment.
const (
	fixDeleted        = "Add a change request with `action: remove` and `affects: [%s]`, approved by the change board (status `approved`, with a `decision`), or restore the file."
	fixAdded          = "Set `status: new`, or add an approved change request with `affects: [%s]`."
	fixMeaning        = "Add (or reference) a change request with `affects: [%s]` in status `approved` with a `decision`, or revert the change to the title, acceptance criteria and body."
	fixAcceptance     = "Revert the edit; record a new acceptance with `reqtrail accept` instead. Only fingerprints may be re-pinned (`reqtrail accept --refresh`)."
	fixDecidedChange  = "Revert the edit to the decided change request and raise a new change request for the new decision."
	fixTransitionHint = "Move the status one step forward along %s (one step per pull request), back to any earlier stage, or to rejected/deferred."
)

const untraced, transition = lint.RuleUntracedChange, lint.RuleStatusTransition

// judge fills c.AuthorisedBy and returns the gate findings for one change.
func judge(c *Change, base, head *repo.Repo) []diag.Diagnostic {
	var ds []diag.Diagnostic
	switch c.Kind {
	case record.RequirementKind:
		switch c.Class {
		case Deleted:
			c.AuthorisedBy = authorisers(c.ID, "remove", base, head)
			if len(c.AuthorisedBy) == 0 {
				ds = append(ds, fixed(at(c.Old, pos.FileStart(c.Old.File), untraced,
					"%s was deleted without an approved change request with action: remove that lists it in affects", c.ID), fixDeleted, c.ID))
			}
			return ds
		default:
			c.AuthorisedBy = authorisers(c.ID, "", base, head)
		}
		if c.Class == Added {
			if st := c.NewStatus; st != "new" && len(c.AuthorisedBy) == 0 {
				ds = append(ds, fixed(at(c.New, c.New.RangeOf("status"), untraced,
					"%s was added with status %s and no approved change request authorises it; a new requirement starts as new (or add a change request with action: add and affects: [%s])", c.ID, st, c.ID), fixAdded, c.ID))
			}
			return ds
		}
		if c.OldFingerprint != c.NewFingerprint && len(c.AuthorisedBy) == 0 {
			ds = append(ds, fixed(at(c.New, c.New.KeyRange("id"), untraced,
				"%s changed in meaning (%s; fingerprint %s → %s) and no approved change request authorises it: list %s in the affects of an approved change request, or revert the change",
				c.ID, meaningParts(c), c.OldFingerprint, c.NewFingerprint, c.ID), fixMeaning, c.ID))
		}
		if from, to := c.OldStatus, c.NewStatus; from != to && !Legal(from, to) && Known(from) && Known(to) {
			ds = append(ds, fixed(at(c.New, c.New.RangeOf("status"), transition,
				"%s: status %s → %s is not a legal transition (%s)", c.ID, from, to, TransitionHint(from, to)), fixTransitionHint, strings.Join(Stages, " → ")))
		}
	case record.ChangeKind:
		ds = append(ds, judgeChange(c, base)...)
	case record.AcceptanceKind:
		ds = append(ds, judgeAcceptance(c)...)
	}
	return ds
}

// meaningParts names which of title, acceptance criteria and body changed.
func meaningParts(c *Change) string {
	var parts []string
	for _, f := range c.Fields {
		switch f.Field {
		case "title", "acceptance-criteria", "body":
			parts = append(parts, strings.ReplaceAll(f.Field, "-", " "))
		}
	}
	if len(parts) == 0 {
		return "its text"
	}
	return strings.Join(parts, ", ") + " changed"
}

var decided = []string{"approved", "rejected", "implemented", "closed"}

// laterCR lists the statuses a decided change request may move on to.
var laterCR = map[string][]string{
	"approved":    {"implemented", "closed"},
	"implemented": {"closed"},
	"rejected":    {"closed"},
	"closed":      {},
}

func judgeChange(c *Change, base *repo.Repo) []diag.Diagnostic {
	o := c.Old
	if o == nil || o.Change == nil || !slices.Contains(decided, o.Change.Status) {
		return nil
	}
	if c.Class == Deleted {
		return []diag.Diagnostic{fixed(at(o, pos.FileStart(o.File), untraced,
			"%s was deleted, but it was already %s at the base: a decided change request is a signed record and stays in the repository", c.ID, o.Change.Status), fixDecidedChange)}
	}
	n := c.New
	var ds []diag.Diagnostic
	for _, f := range c.Fields {
		switch f.Field {
		case "affects", "action", "decision":
			if f.Field == "affects" && sameSet(o.Change.Affects, n.Change.Affects) {
				continue
			}
			ds = append(ds, fixed(at(n, n.KeyRange(f.Field), untraced,
				"%s was already %s at the base; its %s may not change (a decision is a signed record: raise a new change request instead)", c.ID, o.Change.Status, f.Field), fixDecidedChange))
		}
	}
	if from, to := o.Change.Status, n.Change.Status; from != to && !slices.Contains(laterCR[from], to) {
		ds = append(ds, fixed(at(n, n.RangeOf("status"), untraced,
			"%s was already %s at the base; its status may only move on (approved → implemented → closed), not to %s", c.ID, from, to), fixDecidedChange))
	}
	return ds
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func judgeAcceptance(c *Change) []diag.Diagnostic {
	o := c.Old
	if o == nil || o.Acc == nil {
		return nil
	}
	if c.Class == Deleted {
		return []diag.Diagnostic{fixed(at(o, pos.FileStart(o.File), untraced,
			"acceptance record %s was deleted: an acceptance is the customer's signed record and stays in the repository", c.ID), fixAcceptance)}
	}
	n := c.New
	oa, na := o.Acc, n.Acc
	var changed []string
	if oa.Verdict != na.Verdict {
		changed = append(changed, "verdict")
	}
	if oa.AcceptedBy != na.AcceptedBy {
		changed = append(changed, "accepted-by")
	}
	if oa.Date != na.Date {
		changed = append(changed, "date")
	}
	if !slices.Equal(accIDs(oa), accIDs(na)) {
		changed = append(changed, "requirements")
	}
	if !reflect.DeepEqual(o.Fields()["criteria"], n.Fields()["criteria"]) {
		changed = append(changed, "criteria")
	}
	var ds []diag.Diagnostic
	for _, f := range changed {
		ds = append(ds, fixed(at(n, n.KeyRange(f), untraced,
			"acceptance record %s: its %s changed; a recorded acceptance may not be edited (only fingerprints may be re-pinned with accept --refresh): write a new acceptance record instead", c.ID, f), fixAcceptance))
	}
	return ds
}

func accIDs(a *record.AcceptanceRecord) []string {
	var ids []string
	for _, r := range a.Requirements {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return ids
}

// Summary counts changes by class.
func Summary(cs []Change) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[c.Class]++
	}
	return m
}

// String is a one-line description of a change, for logs and tests.
func (c Change) String() string {
	return fmt.Sprintf("%s %s %s", c.ID, c.Class, strings.Join(c.AuthorisedBy, ","))
}
