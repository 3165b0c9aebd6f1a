package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func newFmtCmd(app *App) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "fmt [--check] [PATH...]",
		Short: "Rewrite records' front matter into canonical form",
		Long: `Fmt rewrites the front matter of records into canonical form: keys in the order of the
specification (id, title, then each kind's fields; nested maps such as priority, source,
impact, decision and the items of links, requirements and criteria too), unknown keys after
them in their original order, two-space indentation. It keeps every comment with the key it
belongs to, each value's quoting and each list's or map's flow or block style, aligned line
comments, and the Markdown body byte for byte. Formatting a formatted file changes nothing.

With no PATH, every record of the project is formatted; a PATH is a record file or a folder
of records. Fmt prints the files it rewrote. Files are replaced atomically (a temporary file
in the same folder, synced, then renamed).

--check changes nothing: it lists the files that are not in canonical form and exits 1 if
there are any (for CI and pre-commit hooks).

A file that cannot be parsed is reported and skipped (exit 1). A file that the YAML encoder
cannot rewrite without changing a value or losing a comment is left as it is, with a
warning: fmt never loses data.

Exit codes: 0 done (or, with --check, every file canonical); 1 files need formatting or
cannot be parsed; 2 fmt could not run or could not write a file.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, root, _, err := app.LoadForEdit("")
			if err != nil {
				return err
			}
			recs, err := app.fmtSelect(r, root, args)
			if err != nil {
				return err
			}
			return app.runFmt(r, root, recs, check)
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "list files that are not formatted and exit 1 if any; change nothing")
	return cmd
}

// selectRecords returns the records named by paths (files, or folders holding records),
// every record when paths is empty. Paths are relative to the working directory (-C).
func (app *App) fmtSelect(r *repo.Repo, root string, paths []string) ([]*record.Record, error) {
	if len(paths) == 0 {
		return r.Records, nil
	}
	base := app.path(app.Dir)
	seen := map[*record.Record]bool{}
	var out []*record.Record
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(base, p)
		}
		abs, err := filepath.Abs(abs)
		if err != nil {
			return nil, Usagef("%s: %v", p, err)
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, Usagef("%s is outside the project at %s", p, root)
		}
		rel = filepath.ToSlash(rel)
		found := false
		for _, rec := range r.Records {
			if rel == "." || rec.File == rel || strings.HasPrefix(rec.File, rel+"/") {
				found = true
				if !seen[rec] {
					seen[rec] = true
					out = append(out, rec)
				}
			}
		}
		if found {
			continue
		}
		fi, err := os.Stat(abs)
		switch {
		case err != nil:
			return nil, Usagef("%s: %v", p, unwrapPath(err))
		case !fi.IsDir():
			return nil, Usagef("%s is not a record file (records are the .md, .yaml and .yml files under %s)", p, fmtRecordDirs(r))
		}
	}
	return out, nil
}

func fmtRecordDirs(r *repo.Repo) string {
	var dirs []string
	for _, k := range record.AllKinds() {
		dirs = append(dirs, r.Config.Kinds[k].Dir+"/")
	}
	return strings.Join(dirs, ", ")
}

// fmtResult is what formatting one record gave.
type fmtResult struct {
	changed bool
	out     []byte
	problem string // parse error: the file is skipped and fmt fails
	warning string // left unchanged on purpose
}

func (app *App) runFmt(r *repo.Repo, root string, recs []*record.Record, check bool) error {
	shapes := map[record.Kind]*record.Shape{}
	for _, k := range record.AllKinds() {
		if v, err := r.Config.Validator(k); err == nil {
			shapes[k] = v.Shape
		}
	}
	results := make([]fmtResult, len(recs))
	var wg sync.WaitGroup
	next := make(chan int, len(recs))
	for i := range recs {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), max(len(recs), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = formatRecord(recs[i], shapes[recs[i].Kind])
			}
		})
	}
	wg.Wait()

	failed, writeFailed := false, false
	for i, rec := range recs {
		res := results[i]
		switch {
		case res.problem != "":
			fmt.Fprintf(app.Stderr, "%s: cannot format: %s\n", rec.File, res.problem)
			failed = true
		case res.warning != "":
			fmt.Fprintf(app.Stderr, "%s: left unchanged: %s\n", rec.File, res.warning)
		case !res.changed:
		case check:
			fmt.Fprintln(app.Stdout, rec.File)
			failed = true
		default:
			if err := author.Rewrite(filepath.Join(root, filepath.FromSlash(rec.File)), rec.Raw, res.out); err != nil {
				fmt.Fprintf(app.Stderr, "%s: %v\n", rec.File, err)
				writeFailed = true
				continue
			}
			fmt.Fprintln(app.Stdout, rec.File)
		}
	}
	if writeFailed {
		return &ExitError{Code: ExitFailure}
	}
	if failed {
		return Findings
	}
	return nil
}

func formatRecord(rec *record.Record, shape *record.Shape) fmtResult {
	if rec.Raw == nil && !rec.Parsed() {
		return fmtResult{problem: "the file could not be read"}
	}
	var out []byte
	var err error
	if rec.Parsed() {
		out, err = format.Record(rec, shape) // parsed by the loader: not again
	} else {
		// Parse again for the parse error's position and message.
		ext := strings.ToLower(path.Ext(rec.File))
		out, err = format.Source(rec.Kind, rec.Raw, ext == ".yaml" || ext == ".yml", shape)
	}
	var pe *record.ParseError
	switch {
	case errors.As(err, &pe):
		return fmtResult{problem: fmt.Sprintf("%d:%d: %s", pe.Pos.Line, pe.Pos.Column, pe.Message)}
	case errors.Is(err, format.ErrUnsafe):
		return fmtResult{warning: err.Error()}
	case err != nil:
		return fmtResult{problem: err.Error()}
	}
	return fmtResult{changed: !bytes.Equal(out, rec.Raw), out: out}
}
