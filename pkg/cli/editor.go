package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vscode"
)

// loadConfig reads the project's reqtrail.yaml, refusing one that does not load.
func (app *App) loadConfig() (*config.Config, error) {
	root, _, err := app.Project("")
	if err != nil {
		return nil, err
	}
	return loadConfigAt(root)
}

func loadConfigAt(root string) (*config.Config, error) {
	cfg, ds := config.Load(os.DirFS(root))
	for _, d := range ds {
		if d.Severity == diag.Error {
			return nil, Usagef("reqtrail.yaml does not load: %s; fix it first", mdterm.Sanitize(d.String()))
		}
	}
	return cfg, nil
}

// schemaFolder is where editor setup writes the project's schemas, relative to the root.
const schemaFolder = ".vscode/reqtrail"

// writeEditorSetup writes the project's draft-07 schemas under .vscode/reqtrail/ and
// associates them with the .yaml/.yml records in .vscode/settings.json (yaml.schemas, read
// by the YAML extension), keeping every other setting. It returns the files written.
func writeEditorSetup(root string, cfg *config.Config) ([]string, error) {
	entries := map[string]any{}
	var written []string
	for _, k := range record.AllKinds() {
		b, err := editorSchema(cfg, k)
		if err != nil {
			return written, err
		}
		rel := path.Join(schemaFolder, string(k)+".schema.json")
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		if err := atomicfile.WriteFile(p, b, 0o644); err != nil {
			return written, err
		}
		written = append(written, rel)
		dir := cfg.Kinds[k].Dir
		globs := []any{dir + "/**/*.yaml", dir + "/**/*.yml"}
		if dir == "." {
			globs = []any{"**/*.yaml", "**/*.yml"}
		}
		entries["./"+rel] = globs
	}
	settings := filepath.Join(root, ".vscode", "settings.json")
	old, err := os.ReadFile(settings)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return written, err
	}
	merged, err := vscode.MergeObject(old, "yaml.schemas", entries)
	if err != nil {
		return written, fmt.Errorf(".vscode/%v; fix it or move it away, then run reqtrail editor setup again", err)
	}
	if err := atomicfile.WriteFile(settings, merged, 0o644); err != nil {
		return written, err
	}
	return append(written, ".vscode/settings.json"), nil
}

// initEditorSetup is init's step of editor setup (see writeEditorSetup); a settings.json it
// cannot merge into is reported and left alone, and init still succeeds.
func initEditorSetup(app *App, dir string) error {
	cfg, err := loadConfigAt(dir)
	if err != nil {
		return err
	}
	if _, err := writeEditorSetup(dir, cfg); err != nil {
		// The project is created; only the editor set-up is missing.
		fmt.Fprintf(app.Stderr, "reqtrail: editor set-up skipped: %v\n", err)
		return nil
	}
	fmt.Fprintf(app.Stdout, "wrote %s (schemas for editors: docs/editors.md)\n", app.displayPath(filepath.Join(dir, ".vscode", "settings.json")))
	return nil
}

// EditorSetupOptions are the inputs of `reqtrail editor setup`.
type EditorSetupOptions struct {
	App *App
}

// NewCmdEditor builds `reqtrail editor` and its sub-command setup.
func NewCmdEditor(app *App) *cobra.Command {
	o := &EditorSetupOptions{App: app}
	cmd := &cobra.Command{
		Use:   "editor",
		Short: "Set up editors for this project",
	}
	setup := &cobra.Command{
		Use:   "setup",
		Short: "Write .vscode/settings.json schema associations so editors without the language server agree with lint",
		Long: `Setup writes the project's JSON Schemas (reqtrail schema KIND: the built-in schema plus
fields:, as draft-07) to .vscode/reqtrail/ and associates them with the .yaml and .yml records
of each kind's folder under "yaml.schemas" in .vscode/settings.json, which the YAML extension
(yaml-language-server) reads. Every other setting, and the comments of the file, stay as they
are. Run it again after changing kinds: or fields: in reqtrail.yaml. Markdown records are
served by the language server (reqtrail lsp; see docs/editors.md).

Exit codes: 0 written; 2 reqtrail.yaml does not load, or settings.json cannot be read or
written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return editorSetupRun(o) },
	}
	cmd.AddCommand(setup)
	return cmd
}

func editorSetupRun(o *EditorSetupOptions) error {
	root, _, err := o.App.Project("")
	if err != nil {
		return err
	}
	cfg, err := loadConfigAt(root)
	if err != nil {
		return err
	}
	files, err := writeEditorSetup(root, cfg)
	for _, f := range files {
		fmt.Fprintf(o.App.Stdout, "wrote %s\n", f)
	}
	if err != nil {
		return Usagef("%v", err)
	}
	return nil
}
