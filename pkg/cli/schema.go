package cli

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

func kindNames() []string {
	var names []string
	for _, k := range record.AllKinds() {
		names = append(names, string(k))
	}
	return names
}

// editorSchema returns the draft-07 schema of kind for editors, with the project's fields:.
func editorSchema(cfg *config.Config, kind record.Kind) ([]byte, error) {
	s, err := schema.EffectiveWith(string(kind), cfg.Extension(kind))
	if err != nil {
		return nil, err
	}
	out := schema.ForEditors(s)
	delete(out, "$id") // the published $id names the built-in draft 2020-12 schema
	if cfg.Project != "" {
		out["title"] = "reqtrail " + string(kind) + " — " + cfg.Project
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// SchemaOptions are the inputs of `reqtrail schema KIND`.
type SchemaOptions struct {
	App    *App
	Format string
	Kind   string
}

// NewCmdSchema builds `reqtrail schema KIND`.
func NewCmdSchema(app *App) *cobra.Command {
	o := &SchemaOptions{App: app}
	cmd := &cobra.Command{
		Use:   "schema KIND",
		Short: "Print the project's effective JSON Schema for a kind of record, for editors and other tools",
		Long: `Schema prints the JSON Schema (draft-07) that a record of KIND (` + strings.Join(kindNames(), ", ") + `)
must satisfy in this project: the built-in schema plus the keys declared under fields: in
reqtrail.yaml. Values are typed as reqtrail reads them: a plain scalar where a string is
expected is its text (release: 2024.10 is "2024.10"), so string fields also accept the numbers
and booleans another YAML parser makes of such scalars. Editors without the language server
(the YAML extension's yaml.schemas) then agree with lint; reqtrail editor setup writes them.

Exit codes: 0 printed; 2 unknown kind or a reqtrail.yaml that does not load.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Kind = args[0]
			return schemaRun(o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "json", "output `format`: json")
	return cmd
}

func schemaRun(o *SchemaOptions) error {
	if err := checkFormat(o.Format, "json"); err != nil {
		return err
	}
	if !slices.Contains(kindNames(), o.Kind) {
		return Usagef("unknown kind %q; kinds are %s", o.Kind, strings.Join(kindNames(), ", "))
	}
	cfg, err := o.App.loadConfig()
	if err != nil {
		return err
	}
	b, err := editorSchema(cfg, record.Kind(o.Kind))
	if err != nil {
		return Usagef("%v", err)
	}
	_, err = o.App.Stdout.Write(b)
	return err
}
