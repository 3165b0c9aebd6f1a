package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/acceptance"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// runAgain writes a new acceptance of every requirement the acceptance records accIDs
// accepted, with their current fingerprints: it supersedes them (a later date, or the same
// date and a greater id number), and they stay as history.
func (app *App) runAgain(accIDs []string, o *acceptOptions) error {
	if strings.TrimSpace(o.by) == "" {
		return Usagef("--by is required: who accepted (the customer's representative)")
	}
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	if o.date == "" {
		o.date = app.Today()
	}
	var reqIDs []string
	for _, id := range accIDs {
		acc := r.ByID[id]
		if acc == nil || acc.Kind != record.AcceptanceKind || acc.Acc == nil {
			if acc != nil {
				return Usagef("%s is %s, not an acceptance record", id, kindNoun(acc.Kind))
			}
			return Usagef("no acceptance record %s in %s/", id, r.Config.Kinds[record.AcceptanceKind].Dir)
		}
		if acc.Acc.Date > o.date {
			return Usagef("--date %s is before %s's date %s: the new acceptance would not supersede it", o.date, id, acc.Acc.Date)
		}
		for _, e := range acc.Acc.Requirements {
			if r.Requirement(e.ID) == nil {
				// Removed since (by a remove change request): that part is history.
				fmt.Fprintf(app.Stderr, "reqtrail: %s also accepted %s, which is no longer a requirement; the new acceptance leaves it out\n", id, e.ID)
				continue
			}
			if !slices.Contains(reqIDs, e.ID) {
				reqIDs = append(reqIDs, e.ID)
			}
		}
	}
	if len(reqIDs) == 0 {
		return Usagef("%s accepted no requirement that still exists: nothing to accept again", strings.Join(accIDs, ", "))
	}
	if strings.TrimSpace(o.title) == "" {
		var entries []acceptance.Entry
		for _, id := range reqIDs {
			entries = append(entries, acceptance.Entry{ID: id, Title: r.Requirement(id).Title})
		}
		o.title = againTitle(o.verdict, entries, accIDs)
	}
	return app.runAccept(reqIDs, o)
}

// againTitle names a superseding acceptance: "Acceptance of REQ-0001: Title, again
// (supersedes ACC-0001)".
func againTitle(verdict string, entries []acceptance.Entry, accIDs []string) string {
	return acceptance.DefaultTitle(verdict, entries) + ", again (supersedes " + strings.Join(accIDs, ", ") + ")"
}
