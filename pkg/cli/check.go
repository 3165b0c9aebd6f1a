package cli

import (
	"bytes"
	"os"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

var checkFormats = []report.Format{report.Text, report.JSON, report.Markdown, report.GitHub, report.SARIF, report.JUnit}

// CheckOptions are the inputs of `reqtrail check`.
type CheckOptions struct {
	App         *App
	base        string
	head        string
	summary     string
	rf          reportFlags
	resultFiles []string
}

// NewCmdCheck builds `reqtrail check`.
func NewCmdCheck(app *App) *cobra.Command {
	o := &CheckOptions{App: app}
	cmd := &cobra.Command{
		Use:   "check --base REV [--head REV|WORKTREE]",
		Short: "The merge gate: fail when requirements changed without an approved change request",
		Long: `Check compares the merge base of --base and --head (default HEAD) with head, classifies
every changed record (added, deleted, meaning, status, attributes, renamed; config for
reqtrail.yaml) and judges it under the merge base's reqtrail.yaml. It fails when:

  - a baselined requirement (approved or later at the merge base) changed in meaning or
    metrics, went back to a draft status, or was deleted, or a requirement was added past the
    drafts, and no change request authorises it: one that lists it in affects, was approved at
    the merge base, and is moved to implemented or closed by this change (untraced-change);
  - a decided change request or an existing acceptance record was edited or deleted
    (untraced-change);
  - a requirement's status passed approval in one change (status-transition);
  - an id was also added on --base since the merge base, by another file (id-duplicate);
  - a lint finding is new at head (findings inherited from the merge base are listed as
    pre-existing and do not fail the check).

--head WORKTREE compares against the working tree exactly as lint sees it, uncommitted and
untracked files included. In a shallow clone the base and the merge base must be present
(actions/checkout: fetch-depth: 0).

Formats: text, json, markdown (a pull-request comment, within GitHub's 65,536 characters:
the most important findings first, the rest folded as "… and N more"), github
(annotations), sarif, junit. --output FORMAT=PATH also writes the report to PATH
(repeatable: --output sarif=check.sarif --output markdown=pr.md). --summary FILE appends
the Markdown report to FILE (for example $GITHUB_STEP_SUMMARY, within its 1 MiB).

Exit codes: 0 passed; 1 blocking findings; 2 check could not run (unknown revision, history
missing from a shallow clone, not a git repository).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return checkRun(o)
		},
	}
	cmd.Flags().StringVar(&o.base, "base", "", "the `REV` the change is judged against (its merge base with head)")
	cmd.Flags().StringVar(&o.head, "head", "HEAD", "the `REV` to check, or WORKTREE for the working tree")
	o.rf.add(cmd, checkFormats...)
	cmd.Flags().StringVar(&o.summary, "summary", "", "also append the Markdown report to `FILE`")
	cmd.Flags().StringSliceVar(&o.resultFiles, "results", nil, resultsFlagUsage)
	return cmd
}

func checkRun(o *CheckOptions) error {
	app := o.App
	if o.base == "" {
		return Usagef("check needs --base REV (for a pull request: the target branch, e.g. --base origin/main)")
	}
	p, err := app.openGit()
	if err != nil {
		return err
	}
	defer p.Close()
	worktree := o.head == worktreeRev
	headRev := o.head
	if worktree {
		headRev = "HEAD"
	}
	// Head that is the clean checkout is read from the work tree: that load starts now, under
	// the work tree's own configuration, while the merge base and its configuration are found.
	var early *workTreeLoad
	if !worktree {
		if co, err := p.resolve("HEAD"); err == nil {
			if hh, err := p.resolve(headRev); err == nil && hh == co {
				early = p.startWorkTree(co)
				defer func() { <-early.done }() // before the repository closes
			}
		}
	}
	baseHash, err := p.resolve(o.base)
	if err != nil {
		return err
	}
	headHash, err := p.resolve(headRev)
	if err != nil {
		return err
	}
	mb, err := p.git.MergeBase(baseHash, headHash)
	if err != nil {
		return err
	}
	loadHead := headHash
	if worktree {
		loadHead = plumbing.ZeroHash
	}
	// The merge base's configuration judges o.head (SPEC §6). Head is loaded first (from
	// the work tree when it is the clean checkout, started above); the merge base then takes
	// over every record whose blob is head's, reading only the files the change touched.
	baseFS, err := p.fsAt(mb)
	if err != nil {
		return err
	}
	judging := gate.Judging(repo.ConfigOnly(baseFS))
	var headRepo *repo.Repo
	if worktree {
		headRepo, err = p.loadJudged(loadHead, nil, judging)
	} else {
		headRepo, err = p.loadCommit(headHash, judging, early)
	}
	if err != nil {
		return err
	}
	// Head's trace graph is built once, for lint and then for the impact sections; head's
	// lint runs while the merge base loads (both only read head's records).
	headGraph := sync.OnceValue(func() *graph.Graph { return graph.Load(headRepo) })
	headLinted := make(chan []diag.Diagnostic, 1)
	go func() { headLinted <- lint.Run(headRepo, lint.Options{Graph: headGraph()}) }()
	headLint := sync.OnceValue(func() []diag.Diagnostic { return <-headLinted })
	baseRepo, err := p.loadAt(mb, headRepo)
	if err != nil {
		return err
	}
	var revRepo *repo.Repo
	if baseHash != mb {
		// REV moved on since o.head forked: ids it added may collide with o.head's.
		if revRepo, err = p.loadAt(baseHash, headRepo); err != nil {
			return err
		}
	}
	lintOf := func(r *repo.Repo) []diag.Diagnostic {
		if r == headRepo {
			return headLint()
		}
		return runLint(r)
	}
	res := gate.Check(baseRepo, headRepo, gate.Options{Rev: revRepo, RevName: o.base, Lint: lintOf})
	revs := gate.Revisions{Base: o.base, MergeBase: mb.String(), Head: o.head, HeadHash: headHash.String()}
	if worktree {
		revs.HeadHash = ""
	}
	// The impact of the meaning changes and the test results (SPEC §11); a result file
	// that cannot be read stops check before it writes anything.
	extra, err := app.checkImpact(baseRepo, headGraph(), res, p.root, p.gitTop, o.resultFiles)
	if err != nil {
		return err
	}
	start := app.Now()
	rep := res.Report(revs, p.prefix)
	if rep.Doc != nil && len(extra) > 0 {
		// SPEC §11: the Markdown report (and the HTML page) gain these sections.
		rep.Doc.Add(report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: extra})
	}
	rep.Findings = &report.Findings{Tool: "reqtrail check", Version: version(), Diagnostics: res.Diagnostics,
		Files: res.Files, Rules: ruleDocs(), RepoPrefix: p.prefix, Start: start}
	if err := o.rf.emitReport(app, rep); err != nil {
		return err
	}
	if o.summary != "" {
		var buf bytes.Buffer
		rep.Limit = report.SummaryLimit
		if err := rep.Write(&buf, report.Markdown); err != nil {
			return err
		}
		f, err := os.OpenFile(o.summary, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, werr := f.Write(buf.Bytes())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	if res.Failed() {
		return Findings
	}
	return nil
}
