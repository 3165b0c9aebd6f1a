package cli

import (
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// logEntry is one commit of `reqtrail log --format json`.
type logEntry struct {
	Hash    string    `json:"hash"`
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	Date    time.Time `json:"date"`
	Subject string    `json:"subject"`
	Action  string    `json:"action"`
	File    string    `json:"file"`
	Status  string    `json:"status"`
}

// recordDirs returns the repository-relative folders of every kind of record.
func recordDirs(cfg *config.Config, prefix string) []string {
	var dirs []string
	for _, k := range record.AllKinds() {
		dirs = append(dirs, path.Join(prefix, cfg.Kinds[k].Dir))
	}
	return dirs
}

// LogOptions are the inputs of `reqtrail log`.
type LogOptions struct {
	App  *App
	Args []string
	rev  string
	rf   reportFlags
}

// NewCmdLog builds `reqtrail log`.
func NewCmdLog(app *App) *cobra.Command {
	o := &LogOptions{App: app}
	cmd := &cobra.Command{
		Use:   "log ID",
		Short: "Show the git history of one record: commits, authors, dates and status changes",
		Long: `Log lists every commit that touched the record, newest first — following moves and renames
between folders by id — with its hash, author, date, subject, and the record's status after
it (a change request's status; an acceptance record's verdict is not tracked).

The history is one walk that keeps only this record's file (and reads only its statuses);
in a shallow clone it stops at the clone's first commit and says so.

Formats: text, json, markdown, csv; --output FORMAT=PATH also writes the log to PATH.
Exit codes: 0 success; 2 unknown id or revision, not a git repository.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Args = args
			return logRun(o)
		},
	}
	o.rf.add(cmd, report.Text, report.JSON, report.Markdown, report.CSV)
	cmd.Flags().StringVar(&o.rev, "rev", "HEAD", "walk the history of `REV`")
	return cmd
}

func logRun(o *LogOptions) error {
	app := o.App
	id := o.Args[0]
	p, err := app.openGit()
	if err != nil {
		return err
	}
	defer p.Close()
	cfg, _ := config.Load(os.DirFS(p.root))
	h, err := p.resolve(o.rev)
	if err != nil {
		return err
	}
	hist, err := p.git.HistoryWith(h, recordDirs(cfg, p.prefix), gitrepo.HistoryOptions{IDs: []string{id}})
	if err != nil {
		return err
	}
	rh := hist.Records[id]
	if rh == nil {
		if wt := app.LoadFS(dirfs.New(p.root), p.root); wt.ByID[id] == nil {
			return Usagef("no record %s in the history of %s or in the working tree", id, o.rev)
		}
		rh = &gitrepo.RecordHistory{ID: id}
	}
	entries := []logEntry{}
	for _, t := range rh.Touches {
		file := t.Path
		if p.prefix != "" {
			file = strings.TrimPrefix(file, p.prefix+"/")
		}
		entries = append(entries, logEntry{Hash: t.Hash, Author: t.Author, Email: t.Email, Date: t.Date,
			Subject: t.Subject, Action: t.Action, File: file, Status: t.Status})
	}
	if hist.Truncated {
		fmt.Fprintf(app.Stderr, "reqtrail: note: this is a shallow clone; history before its first commit is not shown (%s)\n", gitrepo.FetchHint)
	}
	return o.rf.emitReport(app, logReport(id, entries, hist.Truncated))
}

// logReport is the history of one record for every format: JSON {"id", "commits",
// "truncated"}; a table of commit, date, author, action, status (its move, "a → b") and
// subject — in text without a header, record text cleaned of control characters.
func logReport(id string, entries []logEntry, truncated bool) *report.Report {
	t := &report.Table{HideHead: true, Columns: []report.Column{
		{Key: "commit", Head: "Commit"}, {Key: "date", Head: "Date"}, {Key: "author", Head: "Author"},
		{Key: "email", Head: "Email", Only: []report.Format{report.CSV}}, {Key: "action", Head: "Action"},
		{Key: "status", Head: "Status"}, {Key: "subject", Head: "Subject"},
		{Key: "file", Head: "File", Only: []report.Format{report.CSV}},
	}}
	for i, e := range entries {
		status := e.Status
		if i+1 < len(entries) {
			if prev := entries[i+1].Status; prev != e.Status && prev != "" && e.Status != "" {
				status = prev + " → " + e.Status
			}
		}
		t.Add(report.Str(e.Hash[:min(7, len(e.Hash))]), report.DateCell(e.Date.Format(time.DateOnly)), report.Str(e.Author),
			report.Str(e.Email), report.Str(e.Action), report.Str(status), report.Str(e.Subject), report.Str(e.File))
	}
	doc := &report.Document{Title: "History of " + id}
	if len(entries) == 0 {
		doc.Add(report.Para(report.Plain(id + " has no commits yet (it exists only in the working tree)")))
	} else {
		doc.Add(t)
	}
	return &report.Report{Doc: doc, Table: t, Data: struct {
		ID        string     `json:"id"`
		Commits   []logEntry `json:"commits"`
		Truncated bool       `json:"truncated"`
	}{id, entries, truncated}}
}
