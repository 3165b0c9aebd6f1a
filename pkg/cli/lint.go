package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// runLint runs every lint rule over r (the trace rules read the graph of r's own fs.FS)
// without the git history: evaluation-missing, which depends only on time, is silent (the
// gate never counts it as new; importers do not create it).
func runLint(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }

// ruleDocs lists every rule for formats that document them.
func ruleDocs() []report.RuleDoc {
	var docs []report.RuleDoc
	for _, r := range lint.Rules() {
		docs = append(docs, report.RuleDoc{ID: r.ID, Severity: r.Severity, Doc: r.Doc, Fix: r.Fix})
	}
	return docs
}

// LintOptions are the inputs of `reqtrail lint`.
type LintOptions struct {
	App       *App
	Dir       string // the project folder argument ("" for the current one)
	rf        reportFlags
	listRules bool
}

// NewCmdLint builds `reqtrail lint`.
func NewCmdLint(app *App) *cobra.Command {
	o := &LintOptions{App: app}
	cmd := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check every record against the schemas and the cross-file rules",
		Long: `Lint validates every requirement, change request and acceptance record of the project
against the JSON Schemas and the cross-file rules (reqtrail lint --list-rules lists them), and
prints every finding with its file:line:col.

Formats: text (compiler style; coloured on a terminal unless NO_COLOR is set), json,
sarif (SARIF 2.1.0), github (GitHub Actions annotations), junit, markdown. --output
FORMAT=PATH also writes the findings to PATH (repeatable: --output sarif=lint.sarif
--output junit=lint.xml). --list-rules takes text, json, markdown and csv.

Exit codes: 0 no error-severity findings; 1 errors found; 2 lint could not run.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Dir = args[0]
			}
			return lintRun(o)
		},
	}
	o.rf.add(cmd, report.DiagnosticFormats...)
	cmd.Flags().BoolVar(&o.listRules, "list-rules", false, "list the rules with their default severity and doc, and exit")
	return cmd
}

func lintRun(o *LintOptions) error {
	app := o.App
	if o.listRules {
		return printRules(app, &o.rf)
	}
	r, root, gitTop, err := app.Load(o.Dir)
	if err != nil {
		return err
	}
	start := app.Now()
	ds := lint.Run(r, app.lintOptions(r, root))
	f := &report.Findings{
		Tool:        "reqtrail lint",
		Version:     version(),
		Diagnostics: ds,
		Files:       r.Files(),
		FileNames:   fileNames(r),
		Rules:       ruleDocs(),
		RepoPrefix:  project.Prefix(root, gitTop),
		Start:       start,
		Elapsed:     app.Now().Sub(start),
	}
	if err := o.rf.emit(app, func(w io.Writer, ft report.Format) error {
		f.Color = w == app.Stdout && app.Color(app.Stdout)
		return report.PrintDiagnostics(w, ft, f)
	}); err != nil {
		return err
	}
	if diag.Summarize(ds, 0).Errors > 0 {
		return Findings
	}
	return nil
}

// printRules writes the rule registry: id, default severity, whether only check runs it,
// what it finds and how to fix a finding.
func printRules(app *App, rf *reportFlags) error {
	type rule struct {
		ID       string        `json:"id"`
		Severity diag.Severity `json:"severity"`
		Gate     bool          `json:"check_only"`
		Doc      string        `json:"doc"`
	}
	rules := []rule{}
	t := &report.Table{Columns: []report.Column{
		{Key: "id", Head: "Rule id"}, {Key: "severity", Head: "Default"}, {Key: "check_only", Head: "Check only", Only: []report.Format{report.CSV}},
		{Key: "doc", Head: "Fires when"}, {Key: "fix", Head: "How to fix", Only: []report.Format{report.CSV}},
	}}
	for _, r := range lint.Rules() {
		rules = append(rules, rule{r.ID, r.Severity, r.Gate, r.Doc})
		t.Add(report.IDCell(r.ID), report.Str(string(r.Severity)), report.BoolCell(r.Gate), report.Str(r.Doc), report.Str(r.Fix))
	}
	if rf.format == report.SARIF || rf.format == report.GitHub || rf.format == report.JUnit {
		return Usagef("--list-rules writes text, json, markdown or csv, not %s", rf.format)
	}
	return rf.emitReport(app, &report.Report{Data: rules, Table: t, Doc: &report.Document{Blocks: []report.Block{
		report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: []report.Block{rulesText()}},
		report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: []report.Block{t}},
	}}})
}

// rulesText is the rule list for a terminal: id, severity and doc per line.
func rulesText() report.Block {
	l := &report.List{}
	width := 0
	for _, r := range lint.Rules() {
		width = max(width, len(r.ID))
	}
	for _, r := range lint.Rules() {
		l.Items = append(l.Items, report.Item{Text: report.Inline{report.Plain(fmt.Sprintf("%-*s  %-7s  %s", width, r.ID, r.Severity, r.Doc))}})
	}
	return l
}

// fileNames lists the files r was loaded from.
func fileNames(r *repo.Repo) []string {
	out := make([]string, 0, len(r.Records))
	for _, rec := range r.Records {
		out = append(out, rec.File)
	}
	return out
}
