package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/ids"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/renumber"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// RenumberOptions are the inputs of `reqtrail renumber`.
type RenumberOptions struct {
	App      *App
	Old, New string
	// Code rewrites the citations in code and tests too (otherwise they are listed).
	Code bool
	// Force rewrites acceptance records and decided change requests that exist at HEAD.
	Force bool
}

// NewCmdRenumber builds `reqtrail renumber`.
func NewCmdRenumber(app *App) *cobra.Command {
	o := &RenumberOptions{App: app}
	cmd := &cobra.Command{
		Use:   "renumber ID [NEW] [--code] [--force]",
		Short: "Give a record the next free id (or NEW), rewriting every reference to it",
		Long: `Renumber gives a record the next free id of its kind (or NEW): it renames the file, rewrites
the id and every reference to it in other records (parent, links, affects, requirements,
criteria), keeping comments and layout, and lists the citations in code and tests — or, with
--code, rewrites them too (UTF-8 text files under trace: paths, line endings and mode kept).

It is the fix for two branches that each added the same id (check reports id-duplicate):
renumber the one on your branch. It is meant for ids added since the branch's merge base:
it refuses to rewrite an acceptance record or a decided change request that exists at HEAD
(check would report the edit) unless --force, and warns when the id itself exists at HEAD
(check then sees a deletion plus an addition).

Exit codes: 0 renumbered; 2 bad usage, an unknown id, or a file that could not be written.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Old = args[0]
			if len(args) == 2 {
				o.New = args[1]
			}
			return renumberRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.Code, "code", false, "also rewrite the citations in code and tests")
	cmd.Flags().BoolVar(&o.Force, "force", false, "rewrite acceptance records and decided change requests that exist at HEAD")
	return cmd
}

func renumberRun(o *RenumberOptions) error {
	app := o.App
	r, root, _, err := app.LoadForEdit("")
	if err != nil {
		return err
	}
	rec := r.ByID[o.Old]
	if rec == nil {
		return Usagef("no record %s", o.Old)
	}
	newID := o.New
	if newID == "" {
		id, _, err := ids.Next(r, root, rec.Kind)
		if err != nil {
			fmt.Fprintf(app.Stderr, "reqtrail: warning: could not read every git branch (%v); the id counts the work tree and the branches read\n", err)
		}
		newID = id
	}
	var cites []citation.Citation
	if rec.Kind == record.RequirementKind {
		cites = citation.Scan(r.FS, r.Config).Citations
	}
	plan, err := renumber.Make(r, o.Old, newID, cites, func(name string) ([]byte, error) { return fs.ReadFile(r.FS, name) })
	if err != nil {
		return Usagef("%v", err)
	}

	// What HEAD already has: those records are signed history.
	if head := app.headRepo(r); head != nil {
		if head.ByID[o.Old] != nil {
			fmt.Fprintf(app.Stderr, "reqtrail: warning: %s exists at HEAD: check will see a deletion of %s plus an addition of %s\n", o.Old, o.Old, newID)
		}
		if !o.Force {
			for _, e := range plan.Records {
				if signed(head, e.Record) {
					return Usagef("%s exists at HEAD and is %s: rewriting it is an edit check refuses (a signed record); renumber only ids added on this branch, or pass --force", e.File, signedWhat(e.Record))
				}
			}
		}
	}

	// Write: the new record file first, then the records that refer to it, then the code;
	// the old file goes last, so an interruption never loses the record.
	own := plan.Records[0]
	ownAbs := filepath.Join(root, filepath.FromSlash(own.NewFile))
	if own.NewFile != own.File {
		if err := atomicfile.CreateNew(ownAbs, own.Data, perm(filepath.Join(root, filepath.FromSlash(own.File)))); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return Usagef("%s already exists; not overwriting it", own.NewFile)
			}
			return fmt.Errorf("cannot create %s: %v", own.NewFile, unwrapPath(err))
		}
	}
	writes := slices.Clone(plan.Records)
	if own.NewFile != own.File {
		writes = writes[1:]
	}
	if o.Code {
		writes = append(writes, plan.Code...)
	}
	for _, e := range writes {
		abs := filepath.Join(root, filepath.FromSlash(e.File))
		if err := atomicfile.WriteFile(abs, e.Data, perm(abs)); err != nil {
			return fmt.Errorf("cannot write %s: %v", e.File, unwrapPath(err))
		}
	}
	if own.NewFile != own.File {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(own.File))); err != nil {
			return fmt.Errorf("cannot remove %s: %v", own.File, unwrapPath(err))
		}
	}

	w := app.Stdout
	fmt.Fprintf(w, "renumbered %s → %s\n", o.Old, newID)
	for i, e := range plan.Records {
		if i == 0 && e.NewFile != e.File {
			fmt.Fprintf(w, "  %s → %s\n", e.File, e.NewFile)
			continue
		}
		fmt.Fprintf(w, "  %s: %s\n", e.File, joinFields(e.Fields))
	}
	if len(plan.Citations) > 0 {
		if o.Code {
			fmt.Fprintf(w, "rewrote %d %s in code and tests:\n", len(plan.Citations), plural(len(plan.Citations), "citation", "citations"))
		} else {
			fmt.Fprintf(w, "%d %s in code and tests still name %s (rewrite them with --code):\n", len(plan.Citations), plural(len(plan.Citations), "citation", "citations"), o.Old)
		}
		for _, c := range plan.Citations {
			fmt.Fprintf(w, "  %s:%d\n", c.File(), c.Line())
		}
	}
	return nil
}

// headRepo loads the project at HEAD, or returns nil outside git (or with no commits).
func (app *App) headRepo(work *repo.Repo) *repo.Repo {
	p, err := app.openGit()
	if err != nil {
		return nil
	}
	defer p.Close()
	h, err := p.git.Resolve("HEAD")
	if err != nil || h == plumbing.ZeroHash {
		return nil
	}
	head, err := p.loadAt(h, work)
	if err != nil {
		return nil
	}
	return head
}

// signed reports whether rec is an acceptance record or a decided change request that
// exists at head (check forbids editing those).
func signed(head *repo.Repo, rec *record.Record) bool {
	if rec == nil {
		return false
	}
	at := head.ByID[rec.ID]
	if at == nil || at.Kind != rec.Kind {
		return false
	}
	switch rec.Kind {
	case record.AcceptanceKind:
		return true
	case record.ChangeKind:
		return at.Change != nil && vocab.IsDecided(at.Change.Status)
	}
	return false
}

func signedWhat(rec *record.Record) string {
	if rec.Kind == record.AcceptanceKind {
		return "an acceptance record"
	}
	return "a decided change request"
}

func perm(abs string) fs.FileMode {
	if info, err := os.Stat(abs); err == nil {
		return info.Mode().Perm()
	}
	return 0o644
}

func joinFields(fs []string) string { return strings.Join(fs, ", ") }
