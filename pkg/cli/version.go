package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Stamped at release time (GoReleaser, `make release`) with
//
//	-ldflags "-X github.com/reqtrail/reqtrail/pkg/cli.Version=1.2.0 -X …Commit=<sha> -X …Date=<RFC 3339>"
//
// Unstamped builds take them from the build information Go records: the module version of a
// `go install …@v1.2.0` build, and the VCS revision and time of a build in a git checkout.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Build describes the running binary.
type Build struct {
	Version  string // "1.2.0", "v1.2.0" (go install) or "devel"
	Commit   string // full commit id, or ""
	Date     string // commit or build time (RFC 3339), or ""
	Modified bool   // built from a work tree with uncommitted changes
	Go       string
	Platform string // GOOS/GOARCH
}

// currentBuild reads the stamped values, falling back to the build information.
func currentBuild() Build {
	b := Build{Version: Version, Commit: Commit, Date: Date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b = fillBuild(b, bi)
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// fillBuild completes b from bi where the linker did not stamp a value.
func fillBuild(b Build, bi *debug.BuildInfo) Build {
	if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	stamped := b.Commit != ""
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if !stamped {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date = s.Value
			}
		case "vcs.modified":
			if !stamped {
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

// String is the one line `reqtrail version` prints.
func (b Build) String() string {
	var parts []string
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Modified {
			c += "+dirty"
		}
		parts = append(parts, "commit "+c)
	}
	if b.Date != "" {
		parts = append(parts, "built "+b.Date)
	}
	parts = append(parts, b.Go, b.Platform)
	return "reqtrail " + b.Version + " (" + strings.Join(parts, ", ") + ")"
}

// version is the version reports carry (SARIF's tool.driver.version, JUnit's properties).
func version() string { return currentBuild().Version }

// VersionOptions are the inputs of `reqtrail version`.
type VersionOptions struct {
	App *App
}

// NewCmdVersion builds `reqtrail version`.
func NewCmdVersion(app *App) *cobra.Command {
	o := &VersionOptions{App: app}
	return &cobra.Command{
		Use:   "version",
		Short: "Print reqtrail's version, commit, build date and platform",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return versionRun(o) },
	}
}

func versionRun(o *VersionOptions) error {
	fmt.Fprintln(o.App.Stdout, currentBuild().String())
	return nil
}
