package gate

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/reqtrail/reqtrail/internal/repotest"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// FuzzCompareShared: comparing only the ids of the records the two loads do not share gives
// what comparing every id gives — with duplicate ids, renames, files that stop parsing and
// kinds that change. Each byte pair is one file: its folder, name, id and content on each
// side.
func FuzzCompareShared(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{1, 1, 1, 1, 2, 2, 2, 2, 17, 34, 51, 68, 85, 102})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64 {
			return
		}
		content := func(id int, v byte) []byte {
			switch v % 5 {
			case 0:
				return nil // absent on this side
			case 1:
				return []byte("---\nid: [broken\n---\n")
			}
			return fmt.Appendf(nil, "---\nid: REQ-%04d\ntitle: T\nstatus: %s\n---\nBody %d.\n", id, []string{"new", "approved", "released"}[v%3], v%5)
		}
		base, head := repotest.Pair(b, content)
		h := repo.Load(head)
		o := repo.LoadWith(base, repo.Options{Reuse: h})
		got, want := compareRepos(o, h, true), compareRepos(o, h, false)
		if !reflect.DeepEqual(summary(got), summary(want)) {
			t.Fatalf("shared:\n%v\nevery id:\n%v", summary(got), summary(want))
		}
	})
}

func summary(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s %s %v", c.Kind, c.ID, c.Class, c.File, c.BaseUnparsed))
	}
	return out
}
