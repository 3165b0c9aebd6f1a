// Package cli implements reqtrail's command line: one file per command, each a thin
// function that loads the repo, computes, and formats.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Exit codes (SPEC §7).
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitFailure  = 2
)

// App holds what every command shares: the -C folder, the I/O streams, and everything a
// command would otherwise read from the process — the environment, the clock and the
// working directory — injected so that commands run the same in tests.
type App struct {
	Dir    string // -C
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (injected for tests).
	Getenv func(string) string
	// IsTerminal tells whether w is a terminal (injected for tests).
	IsTerminal func(w io.Writer) bool
	// Now reads the clock (injected for tests; time.Now when nil).
	Now func() time.Time
	// WorkDir is the directory reqtrail was started in: relative -C and -o paths start there,
	// and printed paths are relative to it. Run fills it from the process when it is "".
	WorkDir string
}

// ExitError carries an exit code out of a command.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Findings is returned by a command whose findings include errors: exit 1, no message.
var Findings = &ExitError{Code: ExitFindings}

// Usagef reports bad usage or a command that could not run (exit 2).
func Usagef(format string, args ...any) error {
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf(format, args...)}
}

// NewRoot builds the root command with every command.
func NewRoot(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "reqtrail",
		Short: "Requirements as code: lint, trace, gate and publish requirements kept in git",
		Long: `reqtrail keeps customer requirements, change requests and acceptance records as
YAML/Markdown files in a git repository, validates them, traces them to code and tests,
gates pull requests that change them, and publishes a static report site.

Exit codes: 0 success; 1 findings of error severity; 2 the command could not run.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
	}
	root.PersistentFlags().StringVarP(&app.Dir, "directory", "C", ".", "run as if reqtrail was started in `DIR`")
	root.SetOut(app.Stdout)
	root.SetErr(app.Stderr)
	root.SetIn(app.Stdin)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%w (run '%s --help' for usage)", err, c.CommandPath())}
	})
	app.defaults()
	root.AddCommand(
		newAcceptCmd(app),
		NewCmdCheck(app),
		NewCmdDiff(app),
		NewCmdEvaluate(app),
		newExportCmd(app),
		NewCmdEditor(app),
		NewCmdFingerprint(app),
		newFmtCmd(app),
		newImportCmd(app),
		NewCmdImpact(app),
		newInitCmd(app),
		NewCmdLint(app),
		NewCmdList(app),
		NewCmdLog(app),
		NewCmdLSP(app),
		NewCmdMatrix(app),
		newNewCmd(app),
		NewCmdRank(app),
		NewCmdRenumber(app),
		NewCmdSchema(app),
		newReviewCmd(app),
		newReqifCmd(app),
		NewCmdServe(app),
		NewCmdShow(app),
		NewCmdSite(app),
		NewCmdVersion(app),
	)
	return root
}

// Main runs reqtrail with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, IsTerminal: isTerminal}
	return app.Run(args)
}

// defaults fills what the caller left unset from the process.
func (app *App) defaults() {
	if app.Getenv == nil {
		app.Getenv = os.Getenv
	}
	if app.IsTerminal == nil {
		app.IsTerminal = func(io.Writer) bool { return false }
	}
	if app.Now == nil {
		app.Now = time.Now
	}
	if app.WorkDir == "" {
		app.WorkDir, _ = os.Getwd()
	}
}

// Run executes the command line args and returns the exit code. An error that is not an
// *ExitError (a plain error returned by a command) exits 2 with its message: commands need
// not wrap them.
func (app *App) Run(args []string) int {
	return app.execute(NewRoot(app), args)
}

// execute runs root with args and maps its error to an exit code.
func (app *App) execute(root *cobra.Command, args []string) int {
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(app.Stderr, "reqtrail: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Errors from cobra itself (unknown command, bad arguments) are usage errors.
	fmt.Fprintf(app.Stderr, "reqtrail: %v\n", err)
	if strings.Contains(err.Error(), "unknown command") || strings.Contains(err.Error(), "arg(s)") {
		fmt.Fprintln(app.Stderr, "Run 'reqtrail --help' for usage.")
	}
	return ExitFailure
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Color reports whether output to w should be coloured: a terminal, and NO_COLOR unset.
func (app *App) Color(w io.Writer) bool {
	if app.Getenv("NO_COLOR") != "" || app.Getenv("TERM") == "dumb" {
		return false
	}
	return app.IsTerminal(w)
}

// Project resolves the project root (and the git work tree top) from -C and an optional
// DIR argument.
func (app *App) Project(arg string) (root, gitTop string, err error) {
	dir := app.path(app.Dir)
	if arg != "" {
		if filepath.IsAbs(arg) {
			dir = arg
		} else {
			dir = filepath.Join(dir, arg)
		}
	}
	root, gitTop, err = project.Root(dir)
	if err != nil {
		return "", "", Usagef("cannot use %s: %v", dir, unwrapPath(err))
	}
	return root, gitTop, nil
}

// Load finds the project and loads the work tree's records.
func (app *App) Load(arg string) (*repo.Repo, string, string, error) {
	root, gitTop, err := app.Project(arg)
	if err != nil {
		return nil, "", "", err
	}
	return app.LoadFS(dirfs.New(root), root), root, gitTop, nil
}

// LoadForEdit is Load for commands that rewrite many records (fmt): every record is parsed
// and keeps its node tree (repo.Options.KeepTrees), instead of being parsed again on demand.
func (app *App) LoadForEdit(arg string) (*repo.Repo, string, string, error) {
	root, gitTop, err := app.Project(arg)
	if err != nil {
		return nil, "", "", err
	}
	return repo.LoadWith(dirfs.New(root), repo.Options{KeepTrees: true}), root, gitTop, nil
}

// LoadFS loads the records of fsys with the project's record cache (see
// repo.Cache); REQTRAIL_NO_CACHE=1 turns the cache off.
func (app *App) LoadFS(fsys fs.FS, root string) *repo.Repo {
	path := ""
	if app.Getenv("REQTRAIL_NO_CACHE") == "" {
		path = repo.CachePath(root)
	}
	if path == "" {
		return repo.Load(fsys)
	}
	cache := repo.OpenCache(path)
	r := repo.LoadWith(fsys, repo.Options{Cache: cache})
	_ = cache.Save(path) // a cache that cannot be written only costs time
	return r
}

// path resolves p (a -C folder, or a path given relative to it after joining) against the
// working directory reqtrail was started in.
func (app *App) path(p string) string {
	if p == "" {
		p = "."
	}
	if filepath.IsAbs(p) || app.WorkDir == "" {
		return p
	}
	return filepath.Join(app.WorkDir, p)
}

// displayPath is p relative to the working directory when it is below it, else p, with
// forward slashes.
func (app *App) displayPath(p string) string { return author.DisplayPath(app.WorkDir, p) }

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkFormat returns a usage error unless format is one of allowed.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return Usagef("unknown --format %q (want one of %s)", format, strings.Join(allowed, ", "))
}
