package cli

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/report"
)

var diffFormats = []report.Format{report.Text, report.Markdown, report.JSON, report.HTML}

// DiffOptions are the inputs of `reqtrail diff`.
type DiffOptions struct {
	App  *App
	Args []string
	rf   reportFlags
}

// NewCmdDiff builds `reqtrail diff`.
func NewCmdDiff(app *App) *cobra.Command {
	o := &DiffOptions{App: app}
	cmd := &cobra.Command{
		Use:   "diff REV [REV]",
		Short: "Show the requirements, change requests and acceptance records that changed between two revisions",
		Long: `Diff compares the records of two revisions — or of a revision and the working tree when the
second is left out (or is WORKTREE) — matched by id: records added, deleted, and changed,
with every changed field (old → new) and a word-level diff of the body.

Formats: text (bodies git --word-diff style: [-old-]{+new+}), markdown, json, html (one
self-contained page); --output FORMAT=PATH also writes the diff to PATH (repeatable).

Exit codes: 0 whatever the diff shows; 2 an unknown revision or not a git repository.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Args = args
			return diffRun(o)
		},
	}
	o.rf.add(cmd, diffFormats...)
	return cmd
}

func diffRun(o *DiffOptions) error {
	app := o.App
	p, err := app.openGit()
	if err != nil {
		return err
	}
	defer p.Close()
	to := worktreeRev
	if len(o.Args) == 2 {
		to = o.Args[1]
	}
	if o.Args[0] == worktreeRev {
		return Usagef("the first revision of diff must be a commit, not %s", worktreeRev)
	}
	var hashes [2]plumbing.Hash // the zero hash stands for the working tree
	for i, rev := range []string{o.Args[0], to} {
		if rev == worktreeRev {
			continue
		}
		if hashes[i], err = p.resolve(rev); err != nil {
			return err
		}
	}
	newRepo, err := p.loadAt(hashes[1], nil)
	if err != nil {
		return err
	}
	oldRepo, err := p.loadAt(hashes[0], newRepo)
	if err != nil {
		return err
	}
	d := &gate.Diff{From: o.Args[0], To: to, Changes: gate.Compare(oldRepo, newRepo)}
	return o.rf.emitReport(app, d.Report())
}
