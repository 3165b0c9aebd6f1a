package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// VersionOptions are the inputs of `reqtrail version`.
type VersionOptions struct {
	App *App
}

// NewCmdVersion builds `reqtrail version`.
func NewCmdVersion(app *App) *cobra.Command {
	o := &VersionOptions{App: app}
	return &cobra.Command{
		Use:   "version",
		Short: "Print reqtrail's version",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return versionRun(o) },
	}
}

func versionRun(o *VersionOptions) error {
	fmt.Fprintf(o.App.Stdout, "reqtrail %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
