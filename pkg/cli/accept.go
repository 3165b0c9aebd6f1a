package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/acceptance"
	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/record"
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

func (app *App) runAccept(reqIDs []string, o *acceptOptions) error {
	if strings.TrimSpace(o.by) == "" {
		return Usagef("--by is required: who accepted (the customer's representative)")
	}
	if !slices.Contains(acceptance.Verdicts, o.verdict) {
		return Usagef("unknown --verdict %q (want accepted, conditional or rejected)", o.verdict)
	}
	if err := app.dateFlag(&o.date); err != nil {
		return err
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
	created, err := author.Create(root, r, author.Draft{Kind: record.AcceptanceKind, Front: acceptFront(o, entries), Body: localBody(r.Config, record.AcceptanceKind, newBody(record.AcceptanceKind))})
	if err != nil {
		return err
	}
	if created.Warning != nil {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: could not read every git branch (%v); the id counts the work tree and the branches read\n", created.Warning)
	}
	fmt.Fprintln(app.Stdout, app.displayPath(created.Path))
	return nil
}

// acceptFront is the front matter of a new acceptance record (author.Create adds the id).
func acceptFront(o *acceptOptions, entries []acceptance.Entry) *yaml.Node {
	title := o.title
	if strings.TrimSpace(title) == "" {
		title = acceptance.DefaultTitle(o.verdict, entries)
	}
	reqs := tmplSeq(false)
	for _, e := range entries {
		reqs.Content = append(reqs.Content, tmplMap(false, tmplKey("id"), tmplString(e.ID), tmplKey("fingerprint"), tmplString(e.Fingerprint)))
	}
	m := tmplMap(false, tmplKey("title"), tmplString(title), tmplKey("verdict"), tmplString(o.verdict),
		tmplKey("date"), tmplString(o.date), tmplKey("accepted-by"), tmplString(o.by), tmplKey("requirements"), reqs)
	if len(o.evidence) > 0 {
		ev := tmplSeq(false)
		for _, e := range o.evidence {
			ev.Content = append(ev.Content, tmplString(e))
		}
		m.Content = append(m.Content, tmplKey("evidence"), ev)
	}
	return m
}

// kindNoun names a kind of record with its article.
func kindNoun(k record.Kind) string {
	n := author.KindNoun(k)
	if strings.ContainsRune("aeiou", rune(n[0])) {
		return "an " + n
	}
	return "a " + n
}

// dateFlag checks a --date flag, today when it is empty.
func (app *App) dateFlag(date *string) error {
	if *date == "" {
		*date = app.Today()
	}
	if !acceptance.ValidDate(*date) {
		return Usagef("--date %q is not a date written YYYY-MM-DD", *date)
	}
	return nil
}
