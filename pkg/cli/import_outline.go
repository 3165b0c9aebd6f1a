package cli

import (
	"path/filepath"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/exchange/outline"
	"github.com/reqtrail/reqtrail/pkg/exchange/reqif"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

// runImportOutline imports the items of a hierarchical source (ReqIF, Doorstop) through the
// common pipeline: --system and --kind apply to items that do not name their own, and the
// record ids that attachment links need are put in before the final plan.
func (app *App) runImportOutline(src *outline.Source, o *importOptions) error {
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	if err := author.ConfigError(r); err != nil {
		return Usagef("%v", err)
	}
	items := outline.Convert(src)
	if o.kind != "" {
		k, err := importKind(r, o.kind)
		if err != nil {
			return err
		}
		for i := range items {
			items[i].Kind = k
		}
	}
	if o.system != "" {
		for i := range items {
			if items[i].ID == "" {
				items[i].Origin.System = o.system
			}
		}
	}
	// Attachment links name the record id, known only once planned: plan, put it in.
	if marked := attachmentItems(items); len(marked) > 0 {
		plan, err := exchange.Prepare(r, root, items, exchange.Options{Dir: filepath.ToSlash(o.dir), Lint: func(*repo.Repo) []diag.Diagnostic { return nil }})
		if err != nil {
			return Usagef("%v", err)
		}
		ids := attachmentIDs(plan, marked)
		for i := range items {
			if id := ids[items[i].Pos]; id != "" {
				b := strings.ReplaceAll(*items[i].Body, reqif.AttachMarker, id)
				items[i].Body = &b
			}
		}
	}
	o.notes = append(o.notes, src.Notes...)
	return app.runImport(r, root, items, o, "")
}

// attachmentItems returns the positions of the items whose bodies link attachments.
func attachmentItems(items []exchange.Item) map[exchange.Pos]bool {
	out := map[exchange.Pos]bool{}
	for _, it := range items {
		if it.Body != nil && strings.Contains(*it.Body, reqif.AttachMarker) {
			out[it.Pos] = true
		}
	}
	return out
}

// attachmentIDs maps the position of each item whose body links attachments to the record
// id the plan gives it.
func attachmentIDs(plan *exchange.Plan, want map[exchange.Pos]bool) map[exchange.Pos]string {
	out := map[exchange.Pos]string{}
	for _, c := range plan.Result.Changes {
		if want[c.Pos] {
			out[c.Pos] = c.ID
		}
	}
	return out
}

// builtField is a built-in requirement field an attribute may map to.
type builtField struct {
	Type string
	Enum []string
}

// requirementFields lists the built-in requirement fields by dotted key.
func requirementFields(v *schema.Validator) map[string]builtField {
	out := map[string]builtField{}
	for _, k := range []string{"type", "necessity", "status", "priority.moscow", "priority.kano", "urgency", "feasibility", "source.channel", "verification"} {
		out[k] = builtField{Type: "string", Enum: v.Enum(strings.Split(k, ".")...)}
	}
	for _, k := range []string{"source.requester", "source.date", "owner", "release", "start", "due"} {
		out[k] = builtField{Type: "string"}
	}
	for _, k := range []string{"priority.ice.impact", "priority.ice.confidence", "priority.ice.ease", "priority.value", "priority.cost"} {
		out[k] = builtField{Type: "integer"}
	}
	out["tags"] = builtField{Type: "list"}
	out["acceptance-criteria"] = builtField{Type: "list"}
	if _, ok := v.Shape.Props["metrics"]; ok {
		out["metrics"] = builtField{Type: "yaml"}
	}
	return out
}
