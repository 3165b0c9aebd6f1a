package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func newReviewCmd(app *App) *cobra.Command {
	var all, pinAll bool
	cmd := &cobra.Command{
		Use:   "review ID... | --all [--pin]",
		Short: "Re-pin a requirement's parent and links to their targets' current fingerprints",
		Long: `Review records that you re-read requirements against their parents and linked
requirements: it re-pins their pinned parent and links to the targets' current fingerprints,
so link-suspect findings go away (SPEC §11). The new fingerprints are visible in the diff:
they are the reviewer's statement that the requirement still holds after its targets changed.

It rewrites only fingerprint values: comments, key order, quoting, layout and the Markdown
body stay byte for byte, and each file is replaced atomically. --pin also pins unpinned
links: a parent written as an id becomes {id: …, fingerprint: …} and a link gains a
fingerprint after its to. Links to unknown ids are left alone (lint reports them).

--all reviews every requirement. Review prints one line per fingerprint it wrote.

Exit codes: 0 done; 2 an unknown id, a file that cannot be re-pinned in place, or a write
that failed.`,
		Example: `  reqtrail review REQ-0002
  reqtrail review --all --pin`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return Usagef("review takes requirement ids or --all (run 'reqtrail review --help' for usage)")
			}
			r, root, _, err := app.LoadForEdit("")
			if err != nil {
				return err
			}
			var recs []*record.Record
			if all {
				recs = r.Parsed(record.RequirementKind)
			}
			for _, id := range args {
				rec, err := requirementArg(r, id)
				if err != nil {
					return err
				}
				if !rec.Parsed() {
					return Usagef("%s: cannot review: the file does not parse (reqtrail lint says why)", rec.File)
				}
				if !slices.Contains(recs, rec) {
					recs = append(recs, rec)
				}
			}
			shape := (*record.Shape)(nil)
			if v, err := r.Config.Validator(record.RequirementKind); err == nil {
				shape = v.Shape
			}
			// Compute every edit first, so that a file that cannot be re-pinned stops the
			// review before anything is written.
			type job struct {
				rec     *record.Record
				out     []byte
				changes []pin.Change
			}
			var jobs []job
			var problems []error
			for _, rec := range recs {
				out, changes, err := pin.Edit(r, rec, pinAll, shape)
				if err != nil {
					problems = append(problems, err)
					continue
				}
				if len(changes) > 0 {
					jobs = append(jobs, job{rec, out, changes})
				}
			}
			if len(problems) > 0 {
				for _, p := range problems {
					fmt.Fprintf(app.Stderr, "reqtrail: %s\n", mdterm.Sanitize(p.Error()))
				}
				return Usagef("nothing written: %d file(s) cannot be re-pinned in place; pin them by hand", len(problems))
			}
			n := 0
			var writeErr error
			for _, j := range jobs {
				if err := author.Rewrite(filepath.Join(root, filepath.FromSlash(j.rec.File)), j.rec.Raw, j.out); err != nil {
					writeErr = errors.Join(writeErr, fmt.Errorf("%s: %v", j.rec.File, err))
					continue
				}
				for _, c := range j.changes {
					old := c.Old
					if old == "" {
						old = "unpinned"
					}
					fmt.Fprintf(app.Stdout, "%s: %s: %s → %s\n", j.rec.File, mdterm.Sanitize(c.Link.Describe()), old, c.New)
					n++
				}
			}
			if writeErr != nil {
				return &ExitError{Code: ExitFailure, Err: writeErr}
			}
			switch {
			case n > 0:
				fmt.Fprintf(app.Stdout, "re-pinned %d %s in %d %s\n", n, plural(n, "link", "links"), len(jobs), plural(len(jobs), "requirement", "requirements"))
			case pinAll:
				fmt.Fprintln(app.Stdout, "nothing to re-pin: every link is pinned to its target's current fingerprint")
			default:
				fmt.Fprintln(app.Stdout, "nothing to re-pin: every pinned link matches its target (--pin also pins unpinned links)")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "review every requirement")
	cmd.Flags().BoolVar(&pinAll, "pin", false, "also pin unpinned parents and links")
	return cmd
}

// requirementArg returns the requirement an ID argument names; an unknown id, or one of
// another kind, is bad usage (exit 2).
func requirementArg(r *repo.Repo, id string) (*record.Record, error) {
	rec := r.Requirement(id)
	if rec == nil {
		if other := r.ByID[id]; other != nil {
			return nil, Usagef("%s is a %s, not a requirement", mdterm.Sanitize(id), other.Kind)
		}
		return nil, Usagef("no requirement %s in %s", mdterm.Sanitize(id), r.Config.Kinds[record.RequirementKind].Dir+"/")
	}
	return rec, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pinTemplateParent writes a new requirement's parent pinned, {id, fingerprint}, as
// pin-links: true asks (SPEC §11).
func pinTemplateParent(m *yaml.Node, parent *record.Record) {
	if parent == nil {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "parent" && m.Content[i+1].Kind == yaml.ScalarNode {
			m.Content[i+1] = tmplMap(true, tmplKey("id"), tmplString(parent.ID), tmplKey("fingerprint"), tmplString(parent.Fingerprint))
		}
	}
}
