// Package acceptance writes acceptance records: a new record pinning requirements' current
// fingerprints. A recorded acceptance is never edited: a newer one supersedes it.
package acceptance

import (
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Verdicts are the values of an acceptance record's verdict.
var Verdicts = vocab.Verdicts

// Entry is one accepted requirement with the fingerprint to pin.
type Entry struct {
	ID, Title, Fingerprint string
}

// DefaultTitle names a record after its verdict and requirements: "Acceptance of REQ-0001:
// <title>" for one requirement, "Conditional acceptance of REQ-0001, REQ-0002" for several.
func DefaultTitle(verdict string, entries []Entry) string {
	what := "Acceptance of "
	switch verdict {
	case "conditional":
		what = "Conditional acceptance of "
	case "rejected":
		what = "Rejected acceptance of "
	}
	if len(entries) == 1 {
		if entries[0].Title != "" {
			return what + entries[0].ID + ": " + entries[0].Title
		}
		return what + entries[0].ID
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return what + strings.Join(ids, ", ")
}

// ValidDate reports whether s is a calendar date written YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}
