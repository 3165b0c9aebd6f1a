package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// EvaluateOptions are the inputs of `reqtrail evaluate`.
type EvaluateOptions struct {
	App *App
	// IDs are the requirements evaluated.
	IDs    []string
	By     string
	Date   string
	Title  string
	Editor bool
}

// NewCmdEvaluate builds `reqtrail evaluate`.
func NewCmdEvaluate(app *App) *cobra.Command {
	o := &EvaluateOptions{App: app}
	cmd := &cobra.Command{
		Use:   "evaluate REQ-ID... --by NAME [--date YYYY-MM-DD] [--title T] [--editor]",
		Short: "Start an effect evaluation of released requirements: one result per metric, to fill in",
		Long: `Evaluate writes a new evaluation record (evaluations/EVAL-0001.md, the next free id) for the
requirements named, with one result per metric each declares: the result copies the metric's
unit, baseline, target and better, so the evaluation is judged against the targets as they
were when it was made, not as they are edited later. It prints the record's path.

The evaluator then measures and fills in each result's actual and the verdict (met,
partly-met or not-met); until then lint reports them as missing. Results for metrics the
requirements do not declare may be added by hand (ad hoc: give them a target to be judged).

--by NAME is who evaluates (a team or a person; required). --date is the evaluation's date
(default today). --editor opens the new file in $VISUAL or $EDITOR.

Exit codes: 0 written; 2 bad usage, an unknown id, a requirement without metrics, or the file
could not be written.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IDs = args
			return o.Run()
		},
	}
	cmd.Flags().StringVar(&o.By, "by", "", "who evaluates: a team or a person (`NAME`; required)")
	cmd.Flags().StringVar(&o.Date, "date", "", "the evaluation's `DATE`, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&o.Title, "title", "", "the record's `TITLE` (default: from the requirements)")
	cmd.Flags().BoolVarP(&o.Editor, "editor", "e", false, "open the new file in $VISUAL or $EDITOR")
	return cmd
}

// Run writes the evaluation.
func (o *EvaluateOptions) Run() error {
	app := o.App
	if len(o.IDs) == 0 {
		return Usagef("name the requirements evaluated, e.g. reqtrail evaluate REQ-0001 --by data-team")
	}
	if strings.TrimSpace(o.By) == "" {
		return Usagef("--by is required: who evaluates (a team or a person)")
	}
	if err := app.dateFlag(&o.Date); err != nil {
		return err
	}
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	var reqs []*record.Record
	for _, id := range o.IDs {
		rec := r.Requirement(id)
		if rec == nil {
			if other := r.ByID[id]; other != nil {
				return Usagef("%s is %s, not a requirement", id, kindNoun(other.Kind))
			}
			return Usagef("no requirement %s in %s/", id, r.Config.Kinds[record.RequirementKind].Dir)
		}
		if rec.Req == nil || len(rec.Req.Metrics) == 0 {
			return Usagef("%s declares no metrics, so there is nothing to evaluate it against; add metrics: [{name: …, unit: …, baseline: …, target: …}] to %s first (a change request if it is approved)", id, rec.File)
		}
		if !slices.Contains(reqs, rec) {
			reqs = append(reqs, rec)
		}
	}
	created, err := author.Create(root, r, author.Draft{Kind: record.EvaluationKind, Front: o.front(reqs),
		Body: localBody(r.Config, record.EvaluationKind, evaluationBody), Unfilled: []string{"verdict", "actual"}})
	if err != nil {
		return err
	}
	if created.Warning != nil {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: could not read every git branch (%v); the id counts the work tree and the branches read\n", created.Warning)
	}
	fmt.Fprintln(app.Stdout, app.displayPath(created.Path))
	fmt.Fprintln(app.Stdout, "fill in: each result's actual, and the verdict (met, partly-met or not-met)")
	if o.Editor {
		return app.openEditor(created.Path)
	}
	return nil
}

// evaluationBody is the Markdown body a new evaluation starts with.
const evaluationBody = "## Method\n\n<!-- Survey, usage analytics, complaint statistics: what was measured, how, over which period. -->\n\n## Findings\n\n## Feedback to the requester\n"

// front is the front matter of the new evaluation (author.Create adds the id): one result
// per metric of each requirement, copying its unit, baseline, target and better as written.
func (o *EvaluateOptions) front(reqs []*record.Record) *yaml.Node {
	title := o.Title
	if strings.TrimSpace(title) == "" {
		if len(reqs) == 1 {
			title = "Effect of " + reqs[0].ID + ": " + reqs[0].Title
		} else {
			ids := make([]string, len(reqs))
			for i, q := range reqs {
				ids[i] = q.ID
			}
			title = "Effect of " + strings.Join(ids, ", ")
		}
	}
	ids := tmplSeq(true)
	results := tmplSeq(false)
	for _, q := range reqs {
		ids.Content = append(ids.Content, tmplString(q.ID))
		for i, m := range q.Req.Metrics {
			res := tmplMap(true, tmplKey("requirement"), tmplString(q.ID), tmplKey("metric"), tmplString(m.Name))
			if m.Unit != "" {
				res.Content = append(res.Content, tmplKey("unit"), tmplString(m.Unit))
			}
			for _, k := range []string{"baseline", "target"} {
				if n := q.ValueNode("metrics", strconv.Itoa(i), k); n != nil && n.Kind == yaml.ScalarNode {
					res.Content = append(res.Content, tmplKey(k), &yaml.Node{Kind: yaml.ScalarNode, Tag: n.ShortTag(), Value: n.Value})
				}
			}
			if m.Better != "" {
				res.Content = append(res.Content, tmplKey("better"), tmplString(m.Better))
			}
			results.Content = append(results.Content, res)
		}
	}
	dateKey := tmplKey("date")
	dateKey.HeadComment = "fill in: each result's actual (the measured value), and\nverdict: met | partly-met | not-met"
	return tmplMap(false, tmplKey("title"), tmplString(title), dateKey, tmplString(o.Date),
		tmplKey("by"), tmplString(o.By), tmplKey("requirements"), ids, tmplKey("results"), results)
}
