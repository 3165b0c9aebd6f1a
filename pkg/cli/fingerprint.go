package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newFingerprintCmd) }

func newFingerprintCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "fingerprint ID",
		Short: "Print a requirement's current fingerprint",
		Long: `Fingerprint prints the requirement's fingerprint: the first 12 hex digits of a SHA-256 over
its title, acceptance criteria and body with white space normalised (SPEC §3). Status,
owner, priority, dates and every other field do not change it. Acceptance records pin it;
when it changes, their acceptance turns stale.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, _, _, err := app.Load("")
			if err != nil {
				return err
			}
			rec := r.Requirement(args[0])
			if rec == nil {
				if other := r.ByID[args[0]]; other != nil {
					return Usagef("%s is a %s, not a requirement", args[0], other.Kind)
				}
				return Usagef("no requirement %s in %s", args[0], r.Config.Kinds["requirement"].Dir+"/")
			}
			fmt.Fprintln(app.Stdout, rec.Fingerprint)
			return nil
		},
	}
}
