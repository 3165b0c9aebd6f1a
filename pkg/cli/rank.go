package cli

import (
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/reqtrail/reqtrail/pkg/backlog"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// RankOptions are the inputs of `reqtrail rank`.
type RankOptions struct {
	App *App
	rf  reportFlags
	by  string
}

// NewCmdRank builds `reqtrail rank`.
func NewCmdRank(app *App) *cobra.Command {
	o := &RankOptions{App: app}
	cmd := &cobra.Command{
		Use:   "rank",
		Short: "Print the prioritised backlog of open requirements",
		Long: `Rank prints the open requirements (every status but released, closed, rejected and
deferred) in priority order:

  1. MoSCoW bucket: must, should, could, then requirements without one, then wont;
  2. ICE score, impact × confidence × ease, highest first (without all three: last);
  3. value / cost, highest first (without both: last);
  4. urgency: urgent, important, routine, then unset;
  5. id.

--by demand orders by demand first: how many distinct customers asked for the requirement
(the customers of the feedback records that name it, plus its source.requester when not
among them; names compared regardless of case, width and spacing), then the total weight
of that feedback, then the order above. Every row shows its demand.

Each row shows the Kano category too. A requirement still in status new whose urgency has a
response target — urgent: 24 hours, important: one week — shows how long it has waited,
and OVERDUE once it has waited longer. The clock starts at the commit that added the
record (read from git), or at its source.date when git does not know it (uncommitted, or
outside a git repository); it runs to now (REQTRAIL_TODAY=YYYY-MM-DD sets today).

Formats: text (default), json, markdown, csv. Exit code: 0 whatever the backlog holds; 2
when rank cannot run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return rankRun(o)
		},
	}
	o.rf.add(cmd, backlog.RankFormats...)
	cmd.Flags().StringVar(&o.by, "by", backlog.ByPriority, "the order: `priority` (MoSCoW, ICE, value/cost, urgency) or demand (distinct customers first)")
	return cmd
}

func rankRun(o *RankOptions) error {
	app := o.App
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	if !slices.Contains(backlog.Orders, o.by) {
		return Usagef("unknown --by %q (want %s)", o.by, strings.Join(backlog.Orders, " or "))
	}
	opt := backlog.Options{Now: app.TodayTime(), By: o.by}
	if len(backlog.NeedsCreated(r)) > 0 {
		opt.Created = createdFromGit(r, root)
	}
	entries := backlog.Rank(r, opt)
	return o.rf.emitReport(app, backlog.RankReport(entries, app.termWidth(app.Stdout)))
}

// createdFromGit returns when each requirement was first committed, from one walk of the
// history of HEAD; nil when the project is not in git or has no commits.
func createdFromGit(r *repo.Repo, root string) func(string) (time.Time, bool) {
	g, err := gitrepo.Open(root)
	if err != nil {
		return nil
	}
	defer g.Close()
	head, err := g.Resolve("HEAD")
	if err != nil {
		return nil
	}
	prefix := project.Prefix(root, g.Top())
	hist, err := g.HistoryWith(head, []string{path.Join(prefix, r.Config.Kinds[record.RequirementKind].Dir)}, gitrepo.HistoryOptions{NoStatus: true})
	if err != nil || hist == nil {
		return nil
	}
	return func(id string) (time.Time, bool) {
		h := hist.Records[id]
		if h == nil || len(h.Touches) == 0 {
			return time.Time{}, false
		}
		c := h.Created()
		if !c.Committed.IsZero() {
			return c.Committed, true
		}
		return c.Date, !c.Date.IsZero()
	}
}

// termWidth is the width of the terminal w writes to, or 0 when it is not a terminal.
func (app *App) termWidth(w io.Writer) int {
	if !app.IsTerminal(w) {
		return 0
	}
	if f, ok := w.(*os.File); ok {
		if wd, _, err := term.GetSize(int(f.Fd())); err == nil && wd > 0 {
			return wd
		}
	}
	return 100
}
