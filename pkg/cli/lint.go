package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/output"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// runLint runs every lint rule over r (the trace rules read the graph of r's own fs.FS).
func runLint(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }

// ruleDocs lists every rule for formats that document them.
func ruleDocs() []output.RuleDoc {
	var docs []output.RuleDoc
	for _, r := range lint.Rules() {
		docs = append(docs, output.RuleDoc{ID: r.ID, Severity: r.Severity, Doc: r.Doc, Fix: r.Fix})
	}
	return docs
}

func newLintCmd(app *App) *cobra.Command {
	var format string
	var listRules bool
	cmd := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check every record against the schemas and the cross-file rules",
		Long: `Lint validates every requirement, change request and acceptance record of the project
against the JSON Schemas and the cross-file rules (reqtrail lint --list-rules lists them), and
prints every finding with its file:line:col.

Formats: text (compiler style; coloured on a terminal unless NO_COLOR is set), json,
sarif (SARIF 2.1.0), github (GitHub Actions annotations), junit.

Exit codes: 0 no error-severity findings; 1 errors found; 2 lint could not run.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if listRules {
				return printRules(app, format)
			}
			if err := checkFormat(format, output.Formats...); err != nil {
				return err
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			r, root, gitTop, err := app.Load(arg)
			if err != nil {
				return err
			}
			ds := runLint(r)
			rep := &output.Report{
				Tool:        "reqtrail lint",
				Version:     version(),
				Diagnostics: ds,
				Files:       r.Files(),
				Rules:       ruleDocs(),
				RepoPrefix:  project.Prefix(root, gitTop),
				Color:       app.Color(app.Stdout),
			}
			if err := output.Write(app.Stdout, format, rep); err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if diag.Summarize(ds, 0).Errors > 0 {
				return Findings
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output `format`: "+strings.Join(output.Formats, ", "))
	cmd.Flags().BoolVar(&listRules, "list-rules", false, "list the rules with their default severity and doc, and exit")
	return cmd
}

func printRules(app *App, format string) error {
	switch format {
	case "json":
		type rule struct {
			ID       string        `json:"id"`
			Severity diag.Severity `json:"severity"`
			Gate     bool          `json:"check_only"`
			Doc      string        `json:"doc"`
		}
		rules := []rule{}
		for _, r := range lint.Rules() {
			rules = append(rules, rule{r.ID, r.Severity, r.Gate, r.Doc})
		}
		return output.WriteJSON(app.Stdout, rules)
	case "markdown":
		fmt.Fprint(app.Stdout, RulesMarkdown())
		return nil
	case "text":
		tw := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
		for _, r := range lint.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Doc)
		}
		return tw.Flush()
	}
	return checkFormat(format, "text", "json", "markdown")
}

// RulesMarkdown renders the rules as a Markdown table (lint --list-rules --format markdown).
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("| rule id | default | fires when |\n| --- | --- | --- |\n")
	for _, r := range lint.Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, strings.ReplaceAll(r.Doc, "|", `\|`))
	}
	return b.String()
}
