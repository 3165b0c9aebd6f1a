package lint

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// PinnedLink is one parent or link of a requirement, pinned or not, resolved against the
// repository (SPEC §11).
type PinnedLink struct {
	// Path is the field path of the reference's id (parent, parent.id or links[i].to); Pin
	// is the path of its fingerprint (parent.fingerprint or links[i].fingerprint).
	Path, Pin []string
	// Type is "parent" or the link's type.
	Type string
	// To is the target id; Target the target requirement, nil when unknown.
	To     string
	Target *record.Record
	// Fingerprint is the pinned fingerprint, "" when unpinned.
	Fingerprint string
}

// Suspect reports whether the link is pinned to a fingerprint that is no longer its target's.
func (l PinnedLink) Suspect() bool {
	return l.Fingerprint != "" && l.Target != nil && l.Target.Fingerprint != l.Fingerprint
}

// PinnedLinks returns the parent and links of requirement rec, in file order, that name an
// id (links without "to" are schema findings, not links).
func PinnedLinks(r *repo.Repo, rec *record.Record) []PinnedLink {
	if rec.Req == nil {
		return nil
	}
	var out []PinnedLink
	if q := rec.Req; q.Parent != "" {
		l := PinnedLink{Path: []string{"parent"}, Pin: []string{"parent", "fingerprint"}, Type: "parent", To: q.Parent,
			Target: r.Requirement(q.Parent), Fingerprint: q.ParentFingerprint}
		if n := rec.ValueNode("parent"); n != nil && n.Kind == yaml.MappingNode {
			l.Path = []string{"parent", "id"}
		}
		out = append(out, l)
	}
	for i, k := range rec.Req.Links {
		if k.To == "" {
			continue
		}
		idx := strconv.Itoa(i)
		out = append(out, PinnedLink{Path: []string{"links", idx, "to"}, Pin: []string{"links", idx, "fingerprint"},
			Type: k.Type, To: k.To, Target: r.Requirement(k.To), Fingerprint: k.Fingerprint})
	}
	return out
}

// SuspectLinks returns the suspect links of rec.
func SuspectLinks(r *repo.Repo, rec *record.Record) []PinnedLink {
	var out []PinnedLink
	for _, l := range PinnedLinks(r, rec) {
		if l.Suspect() {
			out = append(out, l)
		}
	}
	return out
}

// linkUnpinnedSeverity is link-unpinned's default: off unless reqtrail.yaml says pin-links.
func linkUnpinnedSeverity(r *repo.Repo) diag.Severity {
	if r.Config.PinLinks {
		return diag.Warning
	}
	return diag.Off
}

func checkLinkSuspect(p *Pass) []diag.Diagnostic {
	// The change requests that affect each requirement name the target's change.
	changes := map[string][]string{}
	for _, cr := range p.Repo.Parsed(record.ChangeKind) {
		for _, id := range cr.Change.Affects {
			changes[id] = append(changes[id], cr.ID)
		}
	}
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		for _, l := range SuspectLinks(p.Repo, rec) {
			what := "parent " + l.To
			if l.Type != "parent" {
				what = l.Type + " link to " + l.To
			}
			by := ""
			if crs := changes[l.To]; len(crs) > 0 {
				by = " (change requests affecting it: " + strings.Join(crs, ", ") + ")"
			}
			ds = append(ds, Report(rec, rec.RangeOf(l.Pin...),
				"%s is suspect: %s changed meaning since it was pinned (pinned %s, now %s)%s; review this requirement against it, then run reqtrail review %s",
				what, l.To, l.Fingerprint, l.Target.Fingerprint, by, rec.ID))
		}
	}
	return ds
}

func checkLinkUnpinned(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		for _, l := range PinnedLinks(p.Repo, rec) {
			if l.Fingerprint != "" || l.Target == nil {
				continue // pinned, or ref-unknown's finding
			}
			what := "parent " + l.To
			if l.Type != "parent" {
				what = l.Type + " link to " + l.To
			}
			ds = append(ds, Report(rec, rec.RangeOf(l.Path...), "%s is not pinned to a fingerprint; run reqtrail review --pin %s", what, rec.ID))
		}
	}
	return ds
}
