package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/matrix"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// requirementStatuses are the values --status accepts.
var requirementStatuses = vocab.Requirement.Statuses

// MatrixOptions are the inputs of `reqtrail matrix`.
type MatrixOptions struct {
	App         *App
	Dir         string // the project folder argument ("" for the current one)
	rf          reportFlags
	statuses    []string
	coverages   []string
	releases    []string
	resultFiles []string
}

// NewCmdMatrix builds `reqtrail matrix`.
func NewCmdMatrix(app *App) *cobra.Command {
	o := &MatrixOptions{App: app}
	cmd := &cobra.Command{
		Use:   "matrix [DIR]",
		Short: "Print the traceability matrix",
		Long: `Matrix prints one row per requirement: status, parent, children, change requests,
acceptance records (stale when the requirement changed after it was accepted), the code and
tests that cite it, and its coverage state — the first that holds of:

  failing      test results were given (--results) and one of its cases failed
  accepted     an acceptance with verdict accepted that is not stale
  verified     at least one test citation (with --results: at least one passing case)
  implemented  at least one implementation citation
  untraced     none of these

Code and tests cite a requirement by naming its id as a whole word anywhere in a file under
a trace: path of reqtrail.yaml (REQ-0001, or REQ_0001 where a hyphen cannot go).

Formats: text (a table 100 columns wide), json, csv, markdown, html (one self-contained page);
--output FORMAT=PATH also writes the matrix to PATH (repeatable).
--results FILE… reads test results — JUnit XML (Maven Surefire, pytest, go-junit-report,
gotestsum, jest-junit) or go test -json output — and lists, per row, the cases that verify
the requirement: their name or classname cites its id, or a citation lies inside the case's
function in its test file. An unreadable or malformed result file exits 2.
--status, --coverage and --release filter the rows (repeat them or separate values with
commas); the summary counts the rows shown.

The matrix is a report: it exits 0 whatever it shows (2 when it cannot run).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Dir = args[0]
			}
			return matrixRun(o)
		},
	}
	o.rf.add(cmd, matrix.Formats...)
	cmd.Flags().StringSliceVar(&o.statuses, "status", nil, "only requirements in these `statuses`")
	cmd.Flags().StringSliceVar(&o.coverages, "coverage", nil, "only requirements in these coverage `states` (accepted, verified, implemented, untraced)")
	cmd.Flags().StringSliceVar(&o.releases, "release", nil, "only requirements planned for these `releases`")
	cmd.Flags().StringSliceVar(&o.resultFiles, "results", nil, resultsFlagUsage)
	return cmd
}

func matrixRun(o *MatrixOptions) error {
	app := o.App
	f := matrix.Filter{Status: o.statuses, Release: o.releases}
	for _, s := range o.statuses {
		if !slices.Contains(requirementStatuses, s) {
			return Usagef("unknown --status %q (want one of %s)", s, strings.Join(requirementStatuses, ", "))
		}
	}
	for _, c := range o.coverages {
		if !slices.Contains(graph.States(true), graph.Coverage(c)) {
			return Usagef("unknown --coverage %q (want one of failing, accepted, verified, implemented, untraced)", c)
		}
		f.Coverage = append(f.Coverage, graph.Coverage(c))
	}
	r, root, gitTop, err := app.Load(o.Dir)
	if err != nil {
		return err
	}
	g := graph.Load(r)
	if err := app.applyResults(g, root, gitTop, o.resultFiles); err != nil {
		return err
	}
	for _, e := range g.Scan.Errors {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: %v\n", e)
	}
	for _, s := range g.Scan.Skipped {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: %s is over %d MiB; not scanned for citations\n", s, citation.MaxFileSize>>20)
	}
	m := matrix.Build(g, f)
	if p := project.Prefix(root, gitTop); p != "" {
		m.Prefix = p + "/"
	}
	return o.rf.emitReport(app, m.Report())
}
