package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/impact"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
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
					if _, err := requirementArg(r, id); err != nil {
						return err
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

// checkImpact returns the Markdown that check's report gains (SPEC §11): an Impact section
// for every requirement whose meaning the change makes, and with result files a Test
// results section listing the failing requirements the change touches. Result files that
// cannot be read are exit 2, before anything is written.
func (app *App) checkImpact(base, head *repo.Repo, res *gate.Result, root, gitTop string, resultFiles []string) ([]byte, error) {
	g := graph.Load(head)
	if err := app.applyResults(g, root, gitTop, resultFiles); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if ids := MeaningChanges(base, head); len(ids) > 0 {
		b.WriteString("\n## Impact\n\n")
		b.WriteString("What depends on the requirements whose meaning this pull request changes: children and\n")
		b.WriteString("linked requirements may need another look (pinned links to them are now suspect).\n\n")
		if err := impact.Analyze(g, ids, impact.Options{}).WriteMarkdown(&b, 3); err != nil {
			return nil, err
		}
	}
	if len(resultFiles) > 0 {
		b.WriteString("\n## Test results\n\n")
		var rows []string
		for _, c := range res.Changes {
			n := g.Node(c.ID)
			if c.Kind != record.RequirementKind || n == nil || n.Coverage != graph.Failing {
				continue
			}
			var failed []string
			for _, r := range n.Results {
				if r.Status == results.Failed {
					failed = append(failed, "`"+strings.ReplaceAll(mdterm.Sanitize(r.Name), "`", "'")+"`")
				}
			}
			rows = append(rows, fmt.Sprintf("| %s | %s |", n.ID, strings.Join(failed, ", ")))
		}
		if len(rows) == 0 {
			b.WriteString("✅ No requirement this pull request touches has a failing test case.\n")
		} else {
			fmt.Fprintf(&b, "❌ %d %s this pull request touches %s failing test cases.\n\n| requirement | failing cases |\n| --- | --- |\n",
				len(rows), plural(len(rows), "requirement", "requirements"), plural(len(rows), "has", "have"))
			b.WriteString(strings.Join(rows, "\n") + "\n")
		}
	}
	return b.Bytes(), nil
}
