package site

import (
	"testing"

	"github.com/reqtrail/reqtrail/internal/gitgen"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestKnownStatuses: the history walk given the statuses of HEAD's records (as the site
// loaded them) gives exactly the history of the walk that reads every blob, and the statuses
// cover most of HEAD's files.
func TestKnownStatuses(t *testing.T) {
	dir := t.TempDir()
	g, err := gitgen.Generate(dir, gitgen.Options{Records: 200, Commits: 120, Groups: 5})
	if err != nil {
		t.Fatal(err)
	}
	gr, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer gr.Close()
	head := g.Commits[len(g.Commits)-1]
	fsys, err := gr.FS(head, "")
	if err != nil {
		t.Fatal(err)
	}
	r := repo.Load(fsys)
	known := KnownStatuses(r)
	if len(known) < len(r.Records)/2 {
		t.Errorf("statuses known for %d of %d records", len(known), len(r.Records))
	}
	full, err := gr.History(head, []string{"reqs"})
	if err != nil {
		t.Fatal(err)
	}
	reused, err := gr.HistoryWith(head, []string{"reqs"}, gitrepo.HistoryOptions{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Records) != len(reused.Records) {
		t.Fatalf("%d records, full walk %d", len(reused.Records), len(full.Records))
	}
	for id, h := range full.Records {
		o := reused.Records[id]
		if o == nil || len(o.Touches) != len(h.Touches) {
			t.Fatalf("%s: %v, full walk %d touches", id, o, len(h.Touches))
		}
		for i := range h.Touches {
			if h.Touches[i] != o.Touches[i] {
				t.Errorf("%s touch %d = %+v, full walk %+v", id, i, o.Touches[i], h.Touches[i])
			}
		}
	}
}
