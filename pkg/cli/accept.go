package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
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
}

func newAcceptCmd(app *App) *cobra.Command {
	var o acceptOptions
	cmd := &cobra.Command{
		Use:   "accept REQ-ID... --by NAME [--verdict accepted|conditional|rejected] [--evidence PATH]... [--date YYYY-MM-DD] [--title T]\n  reqtrail accept --refresh ACC-ID...",
		Short: "Record a customer's acceptance of requirements, or re-pin a stale acceptance",
		Long: `Accept writes a new acceptance record for the requirements named, with the next free id,
each requirement's current fingerprint, the verdict (default accepted), who accepted, the
date (default today) and the evidence, and prints its path. It never overwrites a file.

The fingerprint pins what was accepted: when a requirement's title, acceptance criteria or
body change afterwards, the acceptance turns stale (in matrix and lint) until someone
re-checks it with the customer and runs

  reqtrail accept --refresh ACC-0001

which rewrites only the fingerprint values of that record to the current ones, keeping every
comment, key and byte of the body (check allows this edit to an existing acceptance).

Exit codes: 0 written (or nothing to refresh); 2 bad usage, an unknown id, or the file
could not be written.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.refresh {
				if len(args) == 0 {
					return Usagef("--refresh needs the acceptance record ids to re-pin, e.g. reqtrail accept --refresh ACC-0001")
				}
				if o.by != "" || cmd.Flags().Changed("verdict") || len(o.evidence) > 0 || o.date != "" || o.title != "" {
					return Usagef("--refresh only re-pins fingerprints; it takes no --by, --verdict, --evidence, --date or --title")
				}
				return app.runRefresh(args)
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
	cmd.Flags().BoolVar(&o.refresh, "refresh", false, "re-pin the fingerprints of the acceptance records named to the requirements' current ones")
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

func (app *App) runRefresh(accIDs []string) error {
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	current := func(id string) (string, bool) {
		if q := r.Requirement(id); q != nil {
			return q.Fingerprint, true
		}
		return "", false
	}
	// Check every record before writing any.
	type write struct {
		rec    *record.Record
		data   []byte
		repins []acceptance.Repin
	}
	var writes []write
	for _, id := range accIDs {
		rec := r.ByID[id]
		if rec == nil || rec.Kind != record.AcceptanceKind {
			if rec != nil {
				return Usagef("%s is %s, not an acceptance record", id, kindNoun(rec.Kind))
			}
			return Usagef("no acceptance record %s in %s/", id, r.Config.Kinds[record.AcceptanceKind].Dir)
		}
		data, repins, err := acceptance.Refresh(rec, current)
		if err != nil {
			return Usagef("%v", err)
		}
		writes = append(writes, write{rec, data, repins})
	}
	for _, w := range writes {
		if len(w.repins) == 0 {
			fmt.Fprintf(app.Stdout, "%s: every fingerprint is current; nothing to do\n", w.rec.ID)
			continue
		}
		abs := filepath.Join(root, filepath.FromSlash(w.rec.File))
		perm := fs.FileMode(0o644)
		if info, err := os.Stat(abs); err == nil {
			perm = info.Mode().Perm()
		}
		if err := atomicfile.WriteFile(abs, w.data, perm); err != nil {
			return fmt.Errorf("cannot write %s: %v", w.rec.File, unwrapPath(err))
		}
		fmt.Fprintln(app.Stdout, app.displayPath(abs))
		for _, p := range w.repins {
			old := p.Old
			if old == "" {
				old = "(none)"
			}
			fmt.Fprintf(app.Stdout, "  %s: %s → %s\n", p.ID, old, p.New)
		}
	}
	return nil
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
