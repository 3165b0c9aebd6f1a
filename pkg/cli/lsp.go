package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/lsp"
)

func init() { register(newLSPCmd) }

func newLSPCmd(app *App) *cobra.Command {
	var debounce int
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
		RunE: func(cmd *cobra.Command, args []string) error {
			if debounce < 0 {
				return Usagef("--debounce must be 0 or more milliseconds")
			}
			dir := app.Dir
			if dir == "" {
				dir = "."
			}
			s := lsp.New(app.Stdout, lsp.Options{Dir: dir, Debounce: msDuration(debounce), Log: app.Stderr,
				NoCache: app.Getenv("REQTRAIL_NO_CACHE") != ""})
			if err := s.Serve(app.Stdin); err != nil {
				return &ExitError{Code: ExitFindings, Err: err}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&debounce, "debounce", 150, "milliseconds to wait after the last edit before linting")
	return cmd
}

func msDuration(ms int) time.Duration {
	return max(time.Duration(ms)*time.Millisecond, time.Millisecond)
}
