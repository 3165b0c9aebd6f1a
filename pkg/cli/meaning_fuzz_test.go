package cli

import (
	"fmt"
	"slices"
	"testing"

	"github.com/reqtrail/reqtrail/internal/repotest"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// FuzzMeaningChanges: looking only at the ids of the records the two loads do not share
// gives the requirements every id's look gives — with duplicate ids, renames and files that
// stop parsing. Each byte pair is one file: its folder, name, id and content on each side.
func FuzzMeaningChanges(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{1, 1, 1, 1, 2, 2, 2, 2, 17, 34, 51, 68, 85, 102})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64 {
			return
		}
		content := func(id int, v byte) []byte {
			switch v % 5 {
			case 0:
				return nil
			case 1:
				return []byte("---\nid: [broken\n---\n")
			}
			return fmt.Appendf(nil, "---\nid: REQ-%04d\ntitle: T%d\n---\nBody %d.\n", id, v%2, v%5)
		}
		base, head := repotest.Pair(b, content)
		h := repo.Load(head)
		o := repo.LoadWith(base, repo.Options{Reuse: h})
		var want []string
		for _, rec := range h.Records {
			if rec.Kind != record.RequirementKind || !rec.Parsed() || rec.ID == "" || h.ByID[rec.ID] != rec {
				continue
			}
			if old := o.Requirement(rec.ID); old != nil && old.Parsed() && old.Fingerprint != rec.Fingerprint {
				want = append(want, rec.ID)
			}
		}
		sortIDs(want)
		if got := MeaningChanges(o, h); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}
