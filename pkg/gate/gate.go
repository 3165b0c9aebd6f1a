// Package gate compares two loaded revisions of a project — classifying every changed record —
// and applies the merge-gate rules of `reqtrail check` (SPEC §6).
package gate

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

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
	Config     = "config"     // reqtrail.yaml changed (Kind is also "config")
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
	// renamed, attributes or config.
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
	// Keys lists the dotted leaf paths that changed in a config change (reqtrail.yaml).
	Keys []string `json:"keys,omitempty"`
	// BaseUnparsed marks a requirement whose file did not parse at the merge base.
	BaseUnparsed bool `json:"-"`

	// Old and New are the records at each side (nil when absent).
	Old *record.Record `json:"-"`
	New *record.Record `json:"-"`
}

// Compare returns every record whose content differs between base and head, matched by id,
// sorted by kind (requirements first) and id. Records that do not parse on one side are left
// out: lint reports them.
func Compare(base, head *repo.Repo) []Change { return compareRepos(base, head, true) }

// compareRepos is Compare; looking at every id instead of the unshared records' ids when
// !useShared (for tests).
func compareRepos(base, head *repo.Repo, useShared bool) []Change {
	// Records the two loads share (the loader takes unchanged ones over) need no look: only
	// the ids of the others can differ (an id's first file is the same on both sides when
	// both hold all its shared files).
	headOnly, baseOnly, merged := repo.Unshared(head, base)
	if !merged || !useShared {
		headOnly, baseOnly = head.Records, base.Records
	}
	ids := repo.IDsIn(headOnly, baseOnly)
	unparsed := func(recs []*record.Record) map[string]bool {
		m := map[string]bool{}
		for _, rec := range recs {
			if !rec.Parsed() {
				m[rec.File] = true
			}
		}
		return m
	}
	headBroken, baseBroken := unparsed(headOnly), unparsed(baseOnly)

	var out []Change
	compare := func(o, n *record.Record) {
		if o != nil && n != nil && o.Kind != n.Kind {
			out = append(out, classify(o, nil), classify(nil, n))
			return
		}
		// A record that no longer parses is not a deletion (nor an addition, the other way).
		if n == nil && o != nil && headBroken[o.File] {
			return
		}
		if o == nil && n != nil && baseBroken[n.File] {
			if n.Kind == record.RequirementKind {
				// It counts as baselined (SPEC §6): a change whose meaning cannot be compared.
				c := classify(nil, n)
				c.Class, c.BaseUnparsed = Meaning, true
				out = append(out, c)
			}
			return
		}
		if o != nil && n != nil && o.File == n.File && bytes.Equal(o.Raw, n.Raw) {
			return // unchanged
		}
		if c, changed := diffRecords(o, n); changed {
			out = append(out, c)
		}
	}
	for id := range ids {
		if o, n := base.ByID[id], head.ByID[id]; o != n {
			compare(o, n)
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
	return slices.Index(record.AllKinds(), k)
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
		case n.Kind == record.RequirementKind && (o.Fingerprint != n.Fingerprint || metricsChanged(o, n)):
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

// metricsChanged reports whether a requirement's metrics differ: how success is measured is
// part of what was agreed, like its text.
func metricsChanged(o, n *record.Record) bool {
	return !reflect.DeepEqual(o.Fields()["metrics"], n.Fields()["metrics"])
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
		if t := r.Tree(); t != nil {
			for i := 0; i+1 < len(t.Content); i += 2 {
				k := t.Content[i].Value
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
