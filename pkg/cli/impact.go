package cli

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/impact"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)


func newImpactCmd(app *App) *cobra.Command {
	var base, format string
	cmd := &cobra.Command{
		Use:   "impact ID... | --base REV [--format text|json|markdown]",
		Short: "Show what depends on requirements: downstream requirements, change requests, acceptance, code and tests",
		Long: `Impact prints everything downstream of the requirements given (SPEC §11): their children,
the requirements that link to them (any link type), and so on transitively — each listed once
with its shortest depth and the edge that first reached it — and, for every requirement of
that set, the change requests that affect it, the acceptance that counts for it (it would go
stale if the requirement's meaning changed), and the code and tests that cite it (file:line),
with counts per category. Feedback and evaluations that name a requirement join the list
once those record kinds exist.

--base REV takes the requirements whose meaning (fingerprint) changed between the merge
base of REV and HEAD and the working tree, as a pull request would change them.

Exit codes: 0 done (whatever the impact); 2 an unknown id or revision.`,
		Example: `  reqtrail impact REQ-0001
  reqtrail impact --base origin/main --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, impact.Formats...); err != nil {
				return err
			}
			if (base == "") == (len(args) == 0) {
				return Usagef("impact takes requirement ids or --base REV (run 'reqtrail impact --help' for usage)")
			}
			var r *repo.Repo
			ids := args
			if base != "" {
				head, changed, err := app.impactChanged(base)
				if err != nil {
					return err
				}
				r, ids = head, changed
			} else {
				loaded, _, _, err := app.Load("")
				if err != nil {
					return err
				}
				r = loaded
				for _, id := range ids {
					if r.Requirement(id) == nil {
						if other := r.ByID[id]; other != nil {
							return Usagef("%s is a %s, not a requirement", mdterm.Sanitize(id), other.Kind)
						}
						return Usagef("no requirement %s in %s", mdterm.Sanitize(id), r.Config.Kinds[record.RequirementKind].Dir+"/")
					}
				}
			}
			rep := impact.Analyze(graph.Load(r), ids, impact.Options{})
			return rep.Write(app.Stdout, format)
		},
	}
	cmd.Flags().StringVar(&base, "base", "", "the impact of every meaning change since the merge base of `REV` and HEAD")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// impactChanged loads the working tree and the merge base of rev and HEAD, and returns the
// working tree's repo and the ids of the requirements whose fingerprint differs between them
// (added and deleted requirements are not meaning changes).
func (app *App) impactChanged(rev string) (*repo.Repo, []string, error) {
	p, err := app.openGit()
	if err != nil {
		return nil, nil, err
	}
	defer p.Close()
	baseHash, err := p.resolve(rev)
	if err != nil {
		return nil, nil, err
	}
	headHash, err := p.resolve("HEAD")
	if err != nil {
		return nil, nil, err
	}
	mb, err := p.git.MergeBase(baseHash, headHash)
	if err != nil {
		return nil, nil, &ExitError{Code: ExitFailure, Err: err}
	}
	head, err := p.loadAt(plumbing.ZeroHash, nil)
	if err != nil {
		return nil, nil, err
	}
	old, err := p.loadAt(mb, head)
	if err != nil {
		return nil, nil, err
	}
	return head, MeaningChanges(old, head), nil
}

// MeaningChanges returns the ids of the requirements of head, in id order, whose fingerprint
// differs from the same id's in base.
func MeaningChanges(base, head *repo.Repo) []string {
	var ids []string
	for _, rec := range head.Parsed(record.RequirementKind) {
		if rec.ID == "" || head.ByID[rec.ID] != rec {
			continue
		}
		if old := base.Requirement(rec.ID); old != nil && old.Node != nil && old.Fingerprint != rec.Fingerprint {
			ids = append(ids, rec.ID)
		}
	}
	sortIDs(ids)
	return ids
}

func sortIDs(ids []string) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && graph.CompareIDs(ids[j], ids[j-1]) < 0; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
