package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// FingerprintOptions are the inputs of `reqtrail fingerprint`.
type FingerprintOptions struct {
	App *App
	ID  string
}

// NewCmdFingerprint builds `reqtrail fingerprint ID`.
func NewCmdFingerprint(app *App) *cobra.Command {
	o := &FingerprintOptions{App: app}
	return &cobra.Command{
		Use:   "fingerprint ID",
		Short: "Print a requirement's current fingerprint",
		Long: `Fingerprint prints the requirement's fingerprint: the first 12 hex digits of a SHA-256 over
its title, acceptance criteria and body with white space normalised (SPEC §3). Status,
owner, priority, dates and every other field do not change it. Acceptance records pin it;
when it changes, their acceptance turns stale.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return fingerprintRun(o)
		},
	}
}

func fingerprintRun(o *FingerprintOptions) error {
	app := o.App
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	rec := r.Requirement(o.ID)
	if rec == nil {
		if other := r.ByID[o.ID]; other != nil {
			return Usagef("%s is a %s, not a requirement", o.ID, other.Kind)
		}
		return Usagef("no requirement %s in %s", o.ID, r.Config.Kinds["requirement"].Dir+"/")
	}
	fmt.Fprintln(app.Stdout, rec.Fingerprint)
	return nil
}
