package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/backlog"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// ListOptions are the inputs of `reqtrail list`.
type ListOptions struct {
	App  *App
	kind string
	rf   reportFlags
	f    backlog.Filter
}

// NewCmdList builds `reqtrail list`.
func NewCmdList(app *App) *cobra.Command {
	o := &ListOptions{App: app}
	cmd := &cobra.Command{
		Use:   "list [--status S] [--type T] [--moscow M] [--owner O] [--release R] [--tag T] [--query TEXT]",
		Short: "List records, filtered by status, type, priority, owner, release, tag or text",
		Long: `List prints the requirements (or, with --kind, change requests, acceptance records or every
record) that match all the filters given, ordered by id.

Each filter takes one value or several separated by commas (--status new,analysis), and
"unset" matches records without the field (--moscow unset). Values are compared without
regard to case. --query matches the id, title, body, acceptance criteria and tags: every word of
the query must occur, case-insensitively (Chinese text, written without spaces, matches as
written: --query 工单).

Formats: text (default), json, csv, markdown. Exit codes: 0 success (even when nothing
matches); 2 bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.kind, "kind", "requirement", "records to list: requirement, change, acceptance or all")
	fl.StringVar(&o.f.Status, "status", "", "only records in `STATUS` (a change request's status, an acceptance's verdict)")
	fl.StringVar(&o.f.Type, "type", "", "only requirements of `TYPE` (functional, non-functional, …)")
	fl.StringVar(&o.f.MoSCoW, "moscow", "", "only requirements with MoSCoW `PRIORITY` (must, should, could, wont, unset)")
	fl.StringVar(&o.f.Owner, "owner", "", "only requirements owned by `OWNER`")
	fl.StringVar(&o.f.Release, "release", "", "only requirements planned for `RELEASE`")
	fl.StringVar(&o.f.Tag, "tag", "", "only requirements tagged `TAG`")
	fl.StringVarP(&o.f.Query, "query", "q", "", "only records whose id, title, body, criteria or tags contain `TEXT`")
	o.rf.add(cmd, backlog.ListFormats...)
	return cmd
}

func listRun(o *ListOptions) error {
	app := o.App
	switch {
	case slices.Contains(record.AllKinds(), record.Kind(o.kind)):
		o.f.Kind = record.Kind(o.kind)
	case o.kind == "all":
		o.f.Kind = ""
	default:
		var names []string
		for _, k := range record.AllKinds() {
			names = append(names, string(k))
		}
		return Usagef("unknown --kind %q (want %s or all)", o.kind, strings.Join(names, ", "))
	}
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	enumValues := func(k record.Kind, path ...string) []string { return enumValues(r.Config, k, path...) }
	for _, c := range []struct {
		flag, value string
		enum        []string
	}{
		{"--status", o.f.Status, enumValues(record.RequirementKind, "status")},
		{"--type", o.f.Type, enumValues(record.RequirementKind, "type")},
		{"--moscow", o.f.MoSCoW, enumValues(record.RequirementKind, "priority", "moscow")},
	} {
		if c.flag == "--status" {
			c.enum = append(c.enum, enumValues(record.ChangeKind, "status")...)
			c.enum = append(c.enum, enumValues(record.AcceptanceKind, "verdict")...)
		}
		for _, v := range strings.Split(c.value, ",") {
			if v = strings.TrimSpace(v); v != "" && v != "unset" && !slices.Contains(c.enum, v) {
				return Usagef("unknown %s value %q (known: %s)", c.flag, v, strings.Join(unique(c.enum), ", "))
			}
		}
	}
	recs := backlog.Select(r, o.f)
	return o.rf.emitReport(app, backlog.ListReport(recs, app.termWidth(app.Stdout)))
}

// enumValues returns the values the schema of kind allows at path: the built-in ones and
// those reqtrail.yaml's values: adds.
func enumValues(cfg *config.Config, kind record.Kind, path ...string) []string {
	if v, err := cfg.Validator(kind); err == nil {
		return v.Enum(path...)
	}
	return vocab.Enum(kind, path...)
}

func unique(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	return slices.Compact(out)
}
