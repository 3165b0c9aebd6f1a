package cli

import (
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/impact"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// ImpactOptions are the inputs of `reqtrail impact`.
type ImpactOptions struct {
	App    *App
	IDs    []string
	Base   string
	Format report.Format
}

// NewCmdImpact builds `reqtrail impact`.
func NewCmdImpact(app *App) *cobra.Command {
	o := &ImpactOptions{App: app}
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
			o.IDs = args
			return impactRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Base, "base", "", "the impact of every meaning change since the merge base of `REV` and HEAD")
	report.FormatFlag(cmd.Flags(), &o.Format, impact.Formats...)
	return cmd
}

func impactRun(o *ImpactOptions) error {
	app := o.App
	if (o.Base == "") == (len(o.IDs) == 0) {
		return Usagef("impact takes requirement ids or --base REV (run 'reqtrail impact --help' for usage)")
	}
	var r *repo.Repo
	ids := o.IDs
	if o.Base != "" {
		head, changed, err := app.impactChanged(o.Base)
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
			if _, err := requirementArg(r, id); err != nil {
				return err
			}
		}
	}
	return impact.Analyze(graph.Load(r), ids).Report(2, o.Format).Write(app.Stdout, o.Format)
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
	changed := func(rec *record.Record) bool {
		if rec.Kind != record.RequirementKind || !rec.Parsed() || rec.ID == "" || head.ByID[rec.ID] != rec {
			return false
		}
		old := base.Requirement(rec.ID)
		return old != nil && old.Parsed() && old.Fingerprint != rec.Fingerprint
	}
	if headOnly, baseOnly, ok := repo.Unshared(head, base); ok {
		// Only the ids of records the two do not share can have changed.
		for id := range repo.IDsIn(headOnly, baseOnly) {
			if rec := head.ByID[id]; rec != nil && changed(rec) {
				ids = append(ids, id)
			}
		}
	} else {
		for _, rec := range head.Records {
			if changed(rec) {
				ids = append(ids, rec.ID)
			}
		}
	}
	sortIDs(ids)
	return ids
}

func sortIDs(ids []string) { slices.SortFunc(ids, graph.CompareIDs) }

// checkImpact returns the parts that check's report gains (SPEC §11): an Impact section for
// every requirement whose meaning the change makes (counts, details folded), and with result
// files a Test results section listing the failing requirements the change touches. Result
// files that cannot be read are exit 2, before anything is written. g is head's trace graph
// (the results are applied to it).
func (app *App) checkImpact(base *repo.Repo, g *graph.Graph, res *gate.Result, root, gitTop string, resultFiles []string) ([]report.Block, error) {
	head := g.Repo
	if err := app.applyResults(g, root, gitTop, resultFiles); err != nil {
		return nil, err
	}
	var out []report.Block
	if ids := MeaningChanges(base, head); len(ids) > 0 {
		out = append(out, report.Heading{Level: 2, Text: report.Inline{report.Plain("Impact")}},
			report.Para(report.Plain("What depends on the requirements whose meaning this change makes: their children and the requirements that link to them may need another look (pinned links to them are now suspect).")))
		out = append(out, impact.Analyze(g, ids).Sections(3)...)
	}
	if len(resultFiles) > 0 {
		out = append(out, report.Heading{Level: 2, Text: report.Inline{report.Plain("Test results")}})
		t := &report.Table{Columns: []report.Column{{Key: "requirement", Head: "Requirement"}, {Key: "failing", Head: "Failing cases"}}}
		for _, c := range res.Changes {
			n := g.Node(c.ID)
			if c.Kind != record.RequirementKind || n == nil || n.Coverage != graph.Failing {
				continue
			}
			failed := report.ListCell()
			for _, r := range n.Results {
				if r.Status == results.Failed {
					failed.Items = append(failed.Items, report.Str(r.Name))
				}
			}
			t.Add(report.IDCell(n.ID), failed)
		}
		if len(t.Rows) == 0 {
			out = append(out, report.Para(report.Plain("✅ No requirement this change touches has a failing test case.")))
		} else {
			out = append(out, report.Para(report.Plain(fmt.Sprintf("❌ %d %s this change touches %s failing test cases.",
				len(t.Rows), plural(len(t.Rows), "requirement", "requirements"), plural(len(t.Rows), "has", "have")))), t)
		}
	}
	return out, nil
}
