package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/acceptance"
	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/ids"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

type acceptOptions struct {
	by       string
	verdict  string
	evidence []string
	date     string
	title    string
	refresh  bool
	again    bool
}

func newAcceptCmd(app *App) *cobra.Command {
	var o acceptOptions
	cmd := &cobra.Command{
		Use:   "accept REQ-ID... --by NAME [--verdict accepted|conditional|rejected] [--evidence PATH]... [--date YYYY-MM-DD] [--title T]\n  reqtrail accept --again ACC-ID... --by NAME [--date YYYY-MM-DD]",
		Short: "Record a customer's acceptance of requirements, or a new acceptance superseding a stale one",
		Long: `Accept writes a new acceptance record for the requirements named, with the next free id,
each requirement's current fingerprint, the verdict (default accepted), who accepted, the
date (default today) and the evidence, and prints its path. It never overwrites a file.

The fingerprint pins what was accepted: when a requirement's title, acceptance criteria or
body change afterwards, the acceptance turns stale (in matrix and lint). A customer's
signature is never moved onto text the customer did not see: once they have re-checked the
changed requirements,

  reqtrail accept --again ACC-0001 --by NAME

writes a NEW record for the requirements ACC-0001 accepted, with their current fingerprints.
The acceptance that counts for a requirement is the one with the greatest date, then the
greatest id number; ACC-0001 stays as history, superseded, never stale.

Exit codes: 0 written; 2 bad usage, an unknown id, or the file could not be written.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.refresh {
				return Usagef("--refresh is gone: it moved the customer's signature onto text they never saw; once they have re-checked it, record a new acceptance that supersedes the old one: reqtrail accept --again ACC-… --by NAME")
			}
			if o.again {
				if len(args) == 0 {
					return Usagef("--again needs the acceptance records to supersede, e.g. reqtrail accept --again ACC-0001 --by \"Customer A\"")
				}
				return app.runAgain(args, &o)
			}
			if len(args) == 0 {
				return Usagef("name the requirements accepted, e.g. reqtrail accept REQ-0001 --by \"Customer A\"")
			}
			return app.runAccept(args, &o)
		},
	}
	cmd.Flags().StringVar(&o.by, "by", "", "who accepted: the customer's representative (`NAME`; required)")
	cmd.Flags().StringVar(&o.verdict, "verdict", "accepted", "the `verdict`: accepted, conditional or rejected")
	cmd.Flags().StringArrayVar(&o.evidence, "evidence", nil, "a link or repository `PATH` showing the verification (repeatable)")
	cmd.Flags().StringVar(&o.date, "date", "", "the acceptance `DATE`, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&o.title, "title", "", "the record's `TITLE` (default: from the verdict and the requirements)")
	cmd.Flags().BoolVar(&o.again, "again", false, "write a new acceptance of the requirements the acceptance records named accepted, superseding them")
	cmd.Flags().BoolVar(&o.refresh, "refresh", false, "gone: use --again")
	_ = cmd.Flags().MarkHidden("refresh")
	return cmd
}

// nextAcceptanceID chooses the id of a new acceptance record: the next free one of the
// kind, counting the work tree and every git branch (see ids.Next).
func (app *App) nextAcceptanceID(r *repo.Repo, root string) string {
	id, _, err := ids.Next(r, root, record.AcceptanceKind)
	if err != nil {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: could not read every git branch (%v); the id counts the work tree and the branches read\n", err)
	}
	return id
}

func (app *App) runAccept(reqIDs []string, o *acceptOptions) error {
	if strings.TrimSpace(o.by) == "" {
		return Usagef("--by is required: who accepted (the customer's representative)")
	}
	if !slices.Contains(acceptance.Verdicts, o.verdict) {
		return Usagef("unknown --verdict %q (want accepted, conditional or rejected)", o.verdict)
	}
	if o.date == "" {
		o.date = app.Today()
	}
	if !acceptance.ValidDate(o.date) {
		return Usagef("--date %q is not a date written YYYY-MM-DD", o.date)
	}
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	var entries []acceptance.Entry
	for _, id := range reqIDs {
		rec := r.Requirement(id)
		if rec == nil {
			if other := r.ByID[id]; other != nil {
				return Usagef("%s is %s, not a requirement", id, kindNoun(other.Kind))
			}
			return Usagef("no requirement %s in %s/", id, r.Config.Kinds[record.RequirementKind].Dir)
		}
		if slices.ContainsFunc(entries, func(e acceptance.Entry) bool { return e.ID == id }) {
			continue
		}
		entries = append(entries, acceptance.Entry{ID: id, Title: rec.Title, Fingerprint: rec.Fingerprint})
	}
	v, err := schema.For(string(record.AcceptanceKind), r.Config.Fields[record.AcceptanceKind])
	if err != nil {
		if v, err = schema.For(string(record.AcceptanceKind), nil); err != nil {
			return err
		}
	}
	dir := r.Config.Kinds[record.AcceptanceKind].Dir
	// Another writer may take the id between the scan and the write: then try the next one.
	first := app.nextAcceptanceID(r, root)
	for attempt := 0; ; attempt++ {
		id := bump(r, first, attempt)
		data, err := acceptance.Render(acceptance.New{ID: id, Title: o.title, Verdict: o.verdict, Date: o.date,
			AcceptedBy: o.by, Entries: entries, Evidence: o.evidence})
		if err != nil {
			return Usagef("%v", err)
		}
		rel := path.Join(dir, id+".md")
		rec, perr := record.Parse(rel, record.AcceptanceKind, data, v.Shape)
		if perr != nil {
			return fmt.Errorf("the new record would not parse: %s (please report this)", perr.Message)
		}
		if ds := v.Diagnostics(rec); len(ds) > 0 {
			var msgs []string
			for _, d := range ds {
				msgs = append(msgs, "  "+d.Message)
			}
			return Usagef("the new acceptance record would not pass the schema; nothing written:\n%s", strings.Join(msgs, "\n"))
		}
		abs := filepath.Join(root, filepath.FromSlash(rel))
		err = atomicfile.CreateNew(abs, data, 0o644)
		if errors.Is(err, fs.ErrExist) && attempt < 10 {
			continue
		}
		if err != nil {
			return fmt.Errorf("cannot create %s: %v", rel, unwrapPath(err))
		}
		fmt.Fprintln(app.Stdout, app.displayPath(abs))
		return nil
	}
}

// bump returns the id n numbers after id.
func bump(r *repo.Repo, id string, n int) string {
	if n == 0 {
		return id
	}
	num, ok := ids.Number(r.Config.Kinds[record.AcceptanceKind].Prefix, id)
	if !ok {
		return id
	}
	return r.Config.FormatID(record.AcceptanceKind, num+n)
}

// kindNoun names a kind of record with its article.
func kindNoun(k record.Kind) string {
	switch k {
	case record.RequirementKind:
		return "a requirement"
	case record.ChangeKind:
		return "a change request"
	case record.AcceptanceKind:
		return "an acceptance record"
	}
	return "a " + string(k)
}
