package lint

import (
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

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
		for _, l := range pin.Suspects(p.Repo, rec) {
			what := l.Describe()
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
		for _, l := range pin.Links(p.Repo, rec) {
			if l.Fingerprint != "" || l.Target == nil {
				continue // pinned, or ref-unknown's finding
			}
			what := l.Describe()
			ds = append(ds, Report(rec, rec.RangeOf(l.Path...), "%s is not pinned to a fingerprint; run reqtrail review --pin %s", what, rec.ID))
		}
	}
	return ds
}
