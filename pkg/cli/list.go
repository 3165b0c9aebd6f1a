package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/backlog"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
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
		Use:   "list [--kind K] [--status S] [--type T] [--moscow M] [--owner O] [--release R] [--tag T] [--requester R] [--channel C] [--query TEXT]",
		Short: "List records, filtered by status, type, priority, owner, release, tag, requester, channel or text",
		Long: `List prints the requirements (or, with --kind, change requests, acceptance records, feedback
or every record) that match all the filters given, ordered by id. Requirements show their
demand: how many distinct customers asked for them (their feedback's customers and their
source.requester).

Each filter takes one value or several separated by commas (--status new,analysis), and
"unset" matches records without the field (--moscow unset). Values are compared without
regard to case. --requester matches a requirement's source.requester and a feedback's
customer as customers are counted for demand: "Customer A" matches "customer  a" and the
requester "Customer A, service director" (alternatives are separated by ";", as a name may
hold a comma). --channel matches source.channel and a feedback's channel.

--query searches what the site's search box searches: the id, title, body and every
front-matter value (requester, channel, owner, tags, acceptance criteria, …). Every word of
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
	fl.StringVar(&o.kind, "kind", "requirement", "records to list: requirement, change, acceptance, feedback, evaluation or all")
	fl.StringVar(&o.f.Status, "status", "", "only records in `STATUS` (a change request's status, an acceptance's verdict)")
	fl.StringVar(&o.f.Type, "type", "", "only requirements of `TYPE` (functional, non-functional, …)")
	fl.StringVar(&o.f.MoSCoW, "moscow", "", "only requirements with MoSCoW `PRIORITY` (must, should, could, wont, unset)")
	fl.StringVar(&o.f.Owner, "owner", "", "only requirements owned by `OWNER`")
	fl.StringVar(&o.f.Release, "release", "", "only requirements planned for `RELEASE`")
	fl.StringVar(&o.f.Tag, "tag", "", "only requirements tagged `TAG`")
	fl.StringVar(&o.f.Requester, "requester", "", "only records requested by `CUSTOMER` (source.requester, a feedback's customer)")
	fl.StringVar(&o.f.Channel, "channel", "", "only records that came through `CHANNEL` (source.channel, a feedback's channel)")
	fl.StringVarP(&o.f.Query, "query", "q", "", "only records whose id, title, body or any field contains `TEXT` (as the site's search)")
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
	if err := checkChannel(r, o.f.Channel); err != nil {
		return err
	}
	recs := backlog.Select(r, o.f)
	g := graph.Build(r, nil)
	demand := func(id string) int {
		if n := g.Node(id); n != nil {
			return n.Demand()
		}
		return 0
	}
	return o.rf.emitReport(app, backlog.ListReport(recs, demand, app.termWidth(app.Stdout)))
}

// checkChannel rejects a --channel value that is neither a built-in channel nor one a
// record uses (a typo would silently match nothing).
func checkChannel(r *repo.Repo, want string) error {
	known := enumValues(r.Config, record.RequirementKind, "source", "channel")
	for _, kind := range []record.Kind{record.RequirementKind, record.FeedbackKind} {
		for _, rec := range r.Parsed(kind) {
			switch {
			case rec.Req != nil && rec.Req.Channel != "":
				known = append(known, rec.Req.Channel)
			case rec.Fb != nil && rec.Fb.Channel != "":
				known = append(known, rec.Fb.Channel)
			}
		}
	}
	for _, v := range strings.Split(want, ",") {
		if v = strings.TrimSpace(v); v != "" && v != "unset" && v != "-" && v != "none" &&
			!slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, v) }) {
			return Usagef("unknown --channel value %q (known: %s)", v, strings.Join(unique(known), ", "))
		}
	}
	return nil
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
