package cli

import (
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/lsp"
)

// LSPOptions are the inputs of `reqtrail lsp`.
type LSPOptions struct {
	App *App
	// Debounce is the wait after the last edit, in milliseconds.
	Debounce int
}

// NewCmdLSP builds `reqtrail lsp`.
func NewCmdLSP(app *App) *cobra.Command {
	o := &LSPOptions{App: app}
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server for editors (Language Server Protocol over stdio)",
		Long: `Lsp speaks the Language Server Protocol (3.17) on standard input and output, for
editors: lint diagnostics on unsaved buffers as you type, completion of keys, values and ids,
hover, go to definition and find references on ids (in records, code and tests), code
actions and symbols. The project is found from the client's workspace folder (or -C).
Messages about the server itself go to standard error. See docs/editors.md.

Exit codes: 0 after the client's shutdown and exit; 1 exit without shutdown, or the
client went away; 2 bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return lspRun(o) },
	}
	cmd.Flags().IntVar(&o.Debounce, "debounce", 150, "milliseconds to wait after the last edit before linting")
	return cmd
}

func lspRun(o *LSPOptions) error {
	app := o.App
	if o.Debounce < 0 {
		return Usagef("--debounce must be 0 or more milliseconds")
	}
	dir := app.Dir
	if dir == "" || dir == "." {
		dir = app.WorkDir
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join(app.WorkDir, dir)
	}
	s := lsp.New(app.Stdout, lsp.Options{Dir: dir, Debounce: msDuration(o.Debounce), Log: app.Stderr,
		NoCache: app.Getenv("REQTRAIL_NO_CACHE") != ""})
	if err := s.Serve(app.Stdin); err != nil {
		return &ExitError{Code: ExitFindings, Err: err}
	}
	return nil
}

func msDuration(ms int) time.Duration {
	return max(time.Duration(ms)*time.Millisecond, time.Millisecond)
}
