package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

const scaffoldConfig = `# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/config.schema.json
# reqtrail project configuration; every key is optional.
project: My Product
kinds:
  requirement: {dir: reqs, prefix: REQ, digits: 4}
  change: {dir: changes, prefix: CR, digits: 4}
  acceptance: {dir: acceptance, prefix: ACC, digits: 4}
# trace:                          # where code and tests that cite requirement ids live
#   - {path: src, role: impl}
#   - {path: tests, role: test}
rules: {}                         # e.g. acceptance-stale: error
site:
  title: My Product requirements
  lang: en                        # en | zh-CN
`

const scaffoldRequirement = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/requirement.schema.json
id: REQ-0001
title: Customers can reset their password without calling support
type: functional
necessity: mandatory
status: approved
priority:
  moscow: must
  kano: basic
  ice: {impact: 8, confidence: 7, ease: 6}
  value: 8
  cost: 3
urgency: important
feasibility: feasible
source:
  channel: ticket
  requester: Support team lead
  date: %[1]s
owner: product-team
release: "1.0"
verification: test
acceptance-criteria:
  - A reset link arrives by e-mail within one minute
  - The link expires after 30 minutes
tags: [account, self-service]
---
Password resets are the most frequent support ticket. Customers should be able to
reset their password themselves from the sign-in page.

## Rationale

Fewer tickets, faster recovery for the customer.
`

const scaffoldChange = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/change.schema.json
id: CR-0001
title: Shorten the reset link lifetime
status: proposed
action: modify
affects: [REQ-0001]
requested-by: Security officer
requested: %[1]s
reason: A 30-minute window is longer than the security policy allows.
impact:
  schedule: "+2 days"
  cost: low
  risk: low
---
Change the expiry of the reset link from 30 to 15 minutes.
`

const scaffoldAcceptance = `---
# yaml-language-server: $schema=https://raw.githubusercontent.com/reqtrail/reqtrail/main/schema/acceptance.schema.json
id: ACC-0001
title: Password reset accepted by the support team
verdict: accepted
date: %[1]s
accepted-by: Support team lead
requirements:
  - id: REQ-0001
    fingerprint: %[2]s
criteria:
  - {criterion: A reset link arrives by e-mail within one minute, met: true, requirement: REQ-0001}
  - {criterion: The link expires after 30 minutes, met: true, requirement: REQ-0001}
---
Verified in the staging environment with three test accounts.
`

// initOptions are the arguments of reqtrail init.
type initOptions struct {
	dir  string // where to scaffold
	lang string // the project's language: en or zh-CN (site.lang and the examples' text)
}

func newInitCmd(app *App) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create reqtrail.yaml and one example of each record",
		Long: `Init scaffolds a reqtrail project in DIR (default: the current folder): reqtrail.yaml and
reqs/REQ-0001.md, changes/CR-0001.md, acceptance/ACC-0001.md as examples to edit, and adds the
report site's output folder (/public/) to .gitignore, creating it or adding the line. It
refuses to overwrite any existing file and then creates nothing; the files are written all
or nothing. With --lang zh-CN the project's language is Chinese: reqtrail.yaml sets site.lang:
zh-CN, the examples are written in Chinese, and new, accept and evaluate start records with
Chinese headings; keys, values and the command line stay English.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.lang != "en" && o.lang != "zh-CN" {
				return Usagef("unknown --lang %q (want en or zh-CN)", o.lang)
			}
			o.dir = app.path(app.Dir)
			if len(args) == 1 {
				if filepath.IsAbs(args[0]) {
					o.dir = args[0]
				} else {
					o.dir = filepath.Join(o.dir, args[0])
				}
			}
			return app.runInit(&o)
		},
	}
	cmd.Flags().StringVar(&o.lang, "lang", "en", "the project's language, `LANG`: en or zh-CN (site.lang, and the examples and the templates of new in Chinese; the command line stays English)")
	return cmd
}

// siteIgnore is the .gitignore line for the report site's default output folder.
const siteIgnore = "/public/"

func (app *App) runInit(o *initOptions) error {
	date := author.Quote(app.Today())
	cfg, reqTmpl, crTmpl, accTmpl := scaffoldConfig, scaffoldRequirement, scaffoldChange, scaffoldAcceptance
	if o.lang == "zh-CN" {
		cfg = scaffoldConfigZh
		reqTmpl, crTmpl, accTmpl = zhScaffold.Replace(reqTmpl), zhScaffold.Replace(crTmpl), zhScaffold.Replace(accTmpl)
	}
	req := fmt.Sprintf(reqTmpl, date)
	rec, perr := record.Parse("reqs/REQ-0001.md", record.RequirementKind, []byte(req), nil)
	if perr != nil {
		return fmt.Errorf("internal error: scaffold requirement: %v", perr)
	}
	files := []struct{ name, data string }{
		{"reqtrail.yaml", cfg},
		{"reqs/REQ-0001.md", req},
		{"changes/CR-0001.md", fmt.Sprintf(crTmpl, date)},
		{"acceptance/ACC-0001.md", fmt.Sprintf(accTmpl, date, rec.Fingerprint)},
	}
	var exist []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(o.dir, f.name)); err == nil {
			exist = append(exist, f.name)
		}
	}
	if len(exist) > 0 {
		return Usagef("%s: %s already exist%s; init never overwrites files", o.dir, strings.Join(exist, ", "), map[bool]string{true: "s", false: ""}[len(exist) == 1])
	}
	p, err := author.NewPlan(o.dir, repo.Load(os.DirFS(o.dir)), author.Options{})
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := p.CreateFile(f.name, []byte(f.data)); err != nil {
			return err
		}
	}
	ignore, err := initGitignore(p, o.dir)
	if err != nil {
		return err
	}
	if err := p.Apply(); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(app.Stdout, "created %s\n", app.displayPath(filepath.Join(o.dir, f.name)))
	}
	if ignore != "" {
		fmt.Fprintf(app.Stdout, ignore, app.displayPath(filepath.Join(o.dir, ".gitignore")))
	}
	if err := initEditorSetup(app, o.dir); err != nil {
		return err
	}
	fmt.Fprintln(app.Stdout, "next: edit the examples, then run reqtrail lint")
	return nil
}

// initGitignore stages the site folder's line in DIR/.gitignore and returns the message to
// print (with a %s for the path), or "" when the folder is already ignored.
func initGitignore(p *author.Plan, dir string) (string, error) {
	old, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if errors.Is(err, fs.ErrNotExist) {
		return "created %s (ignores the report site's output, " + siteIgnore + ")\n",
			p.CreateFile(".gitignore", []byte("# the report site written by reqtrail site\n"+siteIgnore+"\n"))
	}
	if err != nil {
		return "", fmt.Errorf("cannot read .gitignore: %v", unwrapPath(err))
	}
	for l := range strings.SplitSeq(string(old), "\n") {
		switch strings.TrimSpace(l) {
		case "public", "public/", "/public", "/public/":
			return "", nil
		}
	}
	data := string(old)
	if data != "" && !strings.HasSuffix(data, "\n") {
		data += "\n"
	}
	return "added " + siteIgnore + " to %s\n", p.ReplaceFile(".gitignore", []byte(data+siteIgnore+"\n"))
}
