package cli

import (
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// The trace rules (requirement-untested, citation-unknown) read the trace graph, built from
// the repo's own fs.FS so that check judges each revision by its own code and tests.
func init() {
	lintExtras = append(lintExtras, func(r *repo.Repo, _ string, extra map[string]any) error {
		extra[graph.ExtraKey] = graph.Load(r)
		return nil
	})
}
