package cli

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/exchange/doorstop"
	"github.com/reqtrail/reqtrail/pkg/exchange/reqif"
	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

func init() {
	importFormats = append(importFormats, newImportReqifCmd, newImportDoorstopCmd)
}

func newImportReqifCmd(app *App, o *importOptions) *cobra.Command {
	var types []string
	cmd := &cobra.Command{
		Use:   "reqif FILE.reqif|FILE.reqifz [--map ATTRIBUTE=field …] [--type TYPE=kind …]",
		Short: "Import a ReqIF 1.0–1.2 file (.reqif or zipped .reqifz) from DOORS, Polarion, Capella …",
		Long: `Import reqif reads every SPECIFICATION of a .reqif file, or of every .reqif file in a
.reqifz archive: SPEC-OBJECTs become requirements (objects of a SPEC-OBJECT-TYPE named
reqtrail.<kind>, or mapped with --type, that kind), chapters (objects without text that have
children) sub-folders, SPEC-RELATIONs links. ReqIF.Text becomes the Markdown body (tables,
lists, emphasis, links; images of a .reqifz are written as attachments beside the record),
ReqIF.Name or ReqIF.ChapterName the title, ReqIF.ForeignID the custom field foreign-id. An
attribute named like a reqtrail field maps to it (an enumeration only when every value maps:
--map 'Draft=new' maps a value); any other becomes a custom field declared in reqtrail.yaml.
origin.system is reqif:<REQ-IF-HEADER IDENTIFIER> unless --system says otherwise, origin.id
the SPEC-OBJECT IDENTIFIER, so importing a newer export updates the records.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.runImportReqif(args[0], o, types)
		},
	}
	cmd.Flags().StringArrayVar(&types, "type", nil, "import objects of a SPEC-OBJECT-TYPE as a kind: `TYPE=kind` (repeatable)")
	return cmd
}

func newImportDoorstopCmd(app *App, o *importOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "doorstop DIR",
		Short: "Import a Doorstop tree (documents with .doorstop.yml, items .yml or .md)",
		Long: `Import doorstop reads every document under DIR (a folder with .doorstop.yml) and its items:
each document becomes a sub-folder named by its prefix, each active normative item a
requirement (header or the first line of text as the title, text as the body, origin
doorstop:<prefix> and the UID), non-normative headings sub-folders; level is kept in the custom
field order, extra attributes as custom fields. The link into the parent document becomes the
parent, the others derived-from links; links whose Doorstop stamp is not the parent's current
one are listed as not reviewed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return app.runImportDoorstop(args[0], o)
		},
	}
}

// sourcePath is a file named on the command line: relative to where reqtrail was started.
func (app *App) sourcePath(p string) string { return app.path(p) }

func parseMap(list []string, flag string) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range list {
		k, v, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, Usagef("--%s %q: want NAME=VALUE", flag, m)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// knownFields lists the fields an attribute may map to: the built-in requirement fields and
// the project's custom fields.
func knownFields(r *repo.Repo) map[string]reqif.FieldSpec {
	v, _ := r.Config.Validator(record.RequirementKind) // fields: and values: applied
	out := map[string]reqif.FieldSpec{}
	for k, f := range requirementFields(v) {
		out[k] = reqif.FieldSpec{Type: f.Type, Enum: f.Enum}
	}
	for k, d := range r.Config.Fields[record.RequirementKind] {
		out[k] = declSpec(d)
	}
	out["origin"] = reqif.FieldSpec{Type: "yaml"} // written by export reqif, for an exact round trip
	return out
}

// otherKindFields are the fields of the importable kinds other than requirements, as export
// reqif writes them: enumerations by their values, lists and mappings as YAML text, custom
// fields as declared.
func otherKindFields(r *repo.Repo) map[string]map[string]reqif.FieldSpec {
	out := map[string]map[string]reqif.FieldSpec{}
	for _, k := range importableKinds() {
		kind := record.Kind(k)
		if kind == record.RequirementKind {
			continue
		}
		v, _ := r.Config.Validator(kind)
		root, _ := r.Config.Schema(kind)
		m := map[string]reqif.FieldSpec{"origin": {Type: "yaml"}}
		for name, sh := range v.Shape.Props {
			switch {
			case len(v.Enum(name)) > 0:
				m[name] = reqif.FieldSpec{Type: "string", Enum: v.Enum(name)}
			case sh != nil && (sh.Props != nil || sh.Items != nil || sh.Additional != nil):
				m[name] = reqif.FieldSpec{Type: "yaml"}
			default:
				// A scalar: the schema's type when it is not a string (a feedback's weight).
				typ := "string"
				if at := schema.At(root, name); at != nil {
					if t, _ := at["type"].(string); t == "integer" || t == "number" || t == "boolean" {
						typ = t
					}
				}
				m[name] = reqif.FieldSpec{Type: typ}
			}
		}
		for name, d := range r.Config.Fields[kind] {
			m[name] = declSpec(d)
		}
		out[k] = m
	}
	return out
}

func declSpec(d any) reqif.FieldSpec {
	m, _ := d.(map[string]any)
	var enum []string
	if l, ok := m["enum"].([]any); ok {
		for _, e := range l {
			enum = append(enum, fmt.Sprint(e))
		}
	}
	switch m["type"] {
	case "integer":
		return reqif.FieldSpec{Type: "integer"}
	case "number":
		return reqif.FieldSpec{Type: "number"}
	case "boolean":
		return reqif.FieldSpec{Type: "boolean"}
	case "array":
		if it, ok := m["items"].(map[string]any); ok {
			if l, ok := it["enum"].([]any); ok {
				for _, e := range l {
					enum = append(enum, fmt.Sprint(e))
				}
			}
			if it["type"] == "object" {
				return reqif.FieldSpec{Type: "yaml"}
			}
		}
		return reqif.FieldSpec{Type: "list", Enum: enum}
	case "object":
		return reqif.FieldSpec{Type: "yaml"}
	}
	if m["type"] == nil && enum == nil && len(m) == 0 {
		return reqif.FieldSpec{Type: "yaml"}
	}
	return reqif.FieldSpec{Type: "string", Enum: enum}
}

func reservedKeys(kind record.Kind) map[string]bool {
	out := map[string]bool{"id": true, "title": true, "origin": true, "parent": true, "links": true}
	for _, k := range format.KeyOrder(kind) {
		out[k] = true
	}
	return out
}

// importMemory is the soft memory limit of an import of up to 10,000 records, or of a
// source of up to 100 MB (SPEC §10's ReqIF target: 10,000 objects under 500 MB peak): the
// garbage collector works harder only near it. Bigger imports get a limit in proportion
// (importLimit), so that it never sits below what they keep alive.
const importMemory = 440 << 20

// importGCPercent is the garbage collector's growth target during an import: the heap may
// grow to five times what was live at the last collection before the next one, or to the
// memory limit. An import of 10,000 records keeps a few hundred MB alive to the end (the
// source, the items, the plan's files, the records of the check), so the default (100)
// collects a dozen times over the same live data.
const importGCPercent = 400

// importLimit is the soft memory limit for an import of a source of sourceBytes that gives
// items records (0 while not known yet).
func importLimit(sourceBytes int64, items int) int64 {
	return max(importMemory, sourceBytes/10*43, int64(items)*(importMemory/10000))
}

// ownsLimit is set while importGC's settings are in force (not GOMEMLIMIT's or GOGC's).
var ownsLimit atomic.Bool

// userTunedGC reports whether GOGC or a memory limit (GOMEMLIMIT) set the garbage
// collector's behaviour; the commands that tune it then leave it alone.
func userTunedGC() bool {
	return os.Getenv("GOGC") != "" || debug.SetMemoryLimit(-1) != math.MaxInt64
}

// importGC tunes the garbage collector for an import of a source of sourceBytes
// (importLimit, importGCPercent) unless GOMEMLIMIT or GOGC set it, and returns the function
// that restores the settings.
func importGC(sourceBytes int64) func() {
	if userTunedGC() {
		return func() {}
	}
	prevLimit := debug.SetMemoryLimit(-1)
	debug.SetMemoryLimit(importLimit(sourceBytes, 0))
	prevPercent := debug.SetGCPercent(importGCPercent)
	ownsLimit.Store(true)
	return func() {
		ownsLimit.Store(false)
		debug.SetGCPercent(prevPercent)
		debug.SetMemoryLimit(prevLimit)
	}
}

// fitImportGC raises the import's memory limit to what items records need (importLimit),
// when importGC set it.
func fitImportGC(items int) {
	if !ownsLimit.Load() {
		return
	}
	if cur := debug.SetMemoryLimit(-1); cur < importLimit(0, items) {
		debug.SetMemoryLimit(importLimit(0, items))
	}
}

func (app *App) runImportReqif(file string, o *importOptions, types []string) error {
	m, err := parseMaps(o.maps)
	if err != nil {
		return err
	}
	t, err := parseMap(types, "type")
	if err != nil {
		return err
	}
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	var size int64
	if st, err := os.Stat(app.sourcePath(file)); err == nil {
		size = st.Size()
	}
	defer importGC(size)()
	pkg, err := reqif.Open(app.sourcePath(file))
	if err != nil {
		return Usagef("%v", unwrapPath(err))
	}
	src, err := reqif.Items(pkg, reqif.ImportOptions{Fields: knownFields(r), KindFields: otherKindFields(r), Map: m, Types: t, Kinds: importableKinds(), ReservedKeys: reservedKeys(record.RequirementKind)})
	if err != nil {
		fmt.Fprintln(app.Stderr, mdterm.Sanitize(err.Error()))
		return Findings
	}
	return app.runImportOutline(src, o)
}

func (app *App) runImportDoorstop(dir string, o *importOptions) error {
	abs := app.sourcePath(dir)
	st, err := os.Stat(abs)
	if err != nil {
		return Usagef("cannot read %s: %v", dir, unwrapPath(err))
	}
	if !st.IsDir() {
		return Usagef("%s is not a folder: import doorstop reads a Doorstop tree", dir)
	}
	defer importGC(0)()
	tree, err := doorstop.Read(os.DirFS(abs))
	if err != nil {
		return Usagef("%s: %v", dir, err)
	}
	src := tree.Items(doorstop.Options{Root: filepath.ToSlash(dir), Reserved: reservedKeys(record.RequirementKind)})
	return app.runImportOutline(src, o)
}

// exportTimes returns the last-change time of each record id and the export's "now": commit
// times from git (SOURCE_DATE_EPOCH overrides "now"), the Unix epoch without git.
func (app *App) exportTimes(r *repo.Repo, root string, kinds []record.Kind) (map[string]time.Time, time.Time) {
	times := map[string]time.Time{}
	now := time.Unix(0, 0).UTC()
	if g, err := gitrepo.Open(root); err == nil {
		defer g.Close()
		if head, err := g.Resolve("HEAD"); err == nil {
			prefix := project.Prefix(root, g.Top())
			var dirs []string
			for _, k := range kinds {
				dirs = append(dirs, path.Join(prefix, r.Config.Kinds[k].Dir))
			}
			if hist, err := g.HistoryWith(head, dirs, gitrepo.HistoryOptions{NoStatus: true}); err == nil && hist != nil {
				for id, h := range hist.Records {
					if len(h.Touches) > 0 {
						times[id] = h.LastChange().Committed
					}
				}
				for _, h := range hist.Records {
					if len(h.Touches) > 0 && h.LastChange().Committed.After(now) {
						now = h.LastChange().Committed
					}
				}
			}
			if c, err := g.CommitInfo(head); err == nil {
				now = c.Committed
			}
		}
	}
	if s := app.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			now = time.Unix(n, 0).UTC()
		}
	}
	return times, now
}

func (app *App) runExportReqif(kinds []record.Kind, out string, zip bool) error {
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	times, now := app.exportTimes(r, root, kinds)
	enums := map[string][]string{}
	multi := map[string]bool{}
	var recs []*reqif.ExportRecord
	files := map[string][]byte{}
	count := map[record.Kind]int{}
	for _, kind := range kinds {
		v, _ := r.Config.Validator(kind)
		builtin := kindFields(kind, v)
		custom := r.Config.Fields[kind]
		// The enumerations of this kind's fields; a kind other than requirements names its
		// datatypes <kind>.<field> (a change request's status is not a requirement's).
		local := map[string][]string{}
		enumKey := func(k string) string {
			if kind == record.RequirementKind {
				return k
			}
			return string(kind) + "." + k
		}
		for k, f := range builtin {
			if len(f.Enum) > 0 {
				local[k] = f.Enum
				enums[enumKey(k)] = f.Enum
			}
		}
		for k, d := range custom {
			if s := declSpec(d); len(s.Enum) > 0 {
				local[k] = s.Enum
				enums[enumKey(k)] = s.Enum
				multi[enumKey(k)] = s.Type == "list"
			}
		}
		kdir := r.Config.Kinds[kind].Dir
		for _, rec := range r.Parsed(kind) {
			if !rec.Parsed() {
				continue
			}
			er := &reqif.ExportRecord{ID: rec.ID, Kind: string(kind), Title: rec.Title, Body: rec.Body}
			if d := path.Dir(rec.File); d != kdir && strings.HasPrefix(d, kdir+"/") {
				er.Folder = strings.Split(strings.TrimPrefix(d, kdir+"/"), "/")
			}
			if rec.Req != nil {
				er.Parent = rec.Req.Parent
				for _, l := range rec.Req.Links {
					er.Links = append(er.Links, reqif.ExportLink{Type: l.Type, To: l.To})
				}
			} else {
				// The ids another kind names (a change request's affects, an acceptance's
				// requirements) as relations typed reqtrail.<kind>.<field>; the field's
				// attribute carries the value itself.
				for _, ref := range rec.Refs() {
					er.Links = append(er.Links, reqif.ExportLink{Type: "reqtrail." + string(kind) + "." + ref.Path[0], To: ref.ID})
				}
			}
			fields := rec.Fields() // decoded once, for the origin and the attributes
			if sys, id := originOf(fields); strings.HasPrefix(sys, "reqif:") {
				er.OriginID = id
			}
			er.Changed = now
			if t, ok := times[rec.ID]; ok && !t.IsZero() && !modifiedSince(root, rec) {
				er.Changed = t
			}
			er.Fields = exportFields(rec, fields, builtin, custom, local)
			if kind != record.RequirementKind {
				for i := range er.Fields {
					if er.Fields[i].Kind == reqif.KindEnum {
						er.Fields[i].EnumKey = enumKey(er.Fields[i].Key)
					}
				}
			}
			if zip {
				er.Images = map[string]string{}
				for _, dest := range localImages(rec.Body) {
					p := path.Join(path.Dir(rec.File), dest)
					if !strings.HasPrefix(p, kdir+"/") {
						continue
					}
					data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
					if err != nil {
						continue
					}
					files[p] = data
					er.Images[dest] = p
				}
			}
			recs = append(recs, er)
			count[kind]++
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	title := r.Config.Project
	if title == "" {
		title = filepath.Base(root)
	}
	opts := reqif.ExportOptions{Identifier: "reqtrail-" + title, Title: title, Time: now, Enums: enums,
		FieldOrder: exportOrder(), Multi: multi}
	write := func(w io.Writer) error {
		if zip {
			name := "requirements.reqif"
			if out != "" {
				name = strings.TrimSuffix(filepath.Base(out), filepath.Ext(out)) + ".reqif"
			}
			return reqif.WriteZip(w, name, recs, opts, files)
		}
		return reqif.Write(w, recs, opts)
	}
	if out == "" || out == "-" {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return &ExitError{Code: ExitFailure, Err: err}
		}
		_, err := app.Stdout.Write(buf.Bytes())
		return err
	}
	// Streamed to the file (a 10,000-requirement export is 100 MB): no copy in memory.
	var exportErr error
	if err := atomicfile.WriteStream(app.sourcePath(out), 0o644, func(w io.Writer) error {
		exportErr = write(w)
		return exportErr
	}); err != nil {
		if exportErr != nil {
			return &ExitError{Code: ExitFailure, Err: exportErr}
		}
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("cannot write %s: %v", out, unwrapPath(err))}
	}
	// The kinds written, in the kind table's order (kinds without records left out).
	var counts []string
	for _, k := range kinds {
		if count[k] == 0 && len(kinds) > 1 {
			continue
		}
		noun := author.KindNoun(k)
		if k == record.RequirementKind || count[k] != 1 && !strings.HasSuffix(noun, "feedback") {
			noun += "s"
		}
		counts = append(counts, fmt.Sprintf("%d %s", count[k], noun))
	}
	if len(counts) == 0 {
		counts = append(counts, "0 records")
	}
	fmt.Fprintf(app.Stderr, "wrote %s: %s\n", out, strings.Join(counts, ", "))
	return nil
}

// kindFields are the built-in fields of kind that export reqif types: the requirement's
// known ones, and for other kinds every enumerated top-level field of its schema.
func kindFields(kind record.Kind, v *schema.Validator) map[string]builtField {
	if kind == record.RequirementKind {
		return requirementFields(v)
	}
	out := map[string]builtField{}
	for k := range v.Shape.Props {
		if e := v.Enum(k); len(e) > 0 {
			out[k] = builtField{Type: "string", Enum: e}
		}
	}
	return out
}

// modifiedSince tells whether the work-tree file differs from what git last committed; such
// files take the export's "now". Without a cheap way to tell, a committed file is trusted.
func modifiedSince(string, *record.Record) bool { return false }

func exportOrder() []string {
	return []string{"type", "necessity", "status", "priority.moscow", "priority.kano", "priority.ice.impact",
		"priority.ice.confidence", "priority.ice.ease", "priority.value", "priority.cost", "urgency", "feasibility",
		"source.channel", "source.requester", "source.date", "owner", "release", "start", "due", "verification",
		"acceptance-criteria", "tags"}
}

// exportFields flattens a record's fields (rec.Fields: no node tree, which read-only loads
// drop) into attribute values, in the canonical key order of its kind (format.KeyRank;
// other keys after them, sorted).
func exportFields(rec *record.Record, fields map[string]any, builtin map[string]builtField, custom map[string]any, enums map[string][]string) []reqif.ExportField {
	var out []reqif.ExportField
	var walk func(m map[string]any, path []string)
	walk = func(m map[string]any, path []string) {
		for _, k := range canonicalKeys(rec.Kind, path, m) {
			v := m[k]
			key := strings.Join(append(slices.Clone(path), k), ".")
			switch key {
			case "id", "title", "parent", "links":
				continue
			}
			bf, isBuiltin := builtin[key]
			_, isCustom := custom[key]
			sub, isMap := v.(map[string]any)
			if isMap && !isCustom && (key == "priority" || key == "source" || key == "priority.ice") {
				walk(sub, append(slices.Clone(path), k))
				continue
			}
			list, isList := v.([]any)
			scalar := !isMap && !isList
			switch {
			case scalar && len(enums[key]) > 0 && !(isCustom && declSpec(custom[key]).Type == "list"):
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindEnum, Enum: []string{scalarText(v)}})
			case isList && len(enums[key]) > 0 && isCustom:
				var vals []string
				for _, c := range list {
					vals = append(vals, scalarText(c))
				}
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindEnum, Enum: vals})
			case scalar && ((isBuiltin && bf.Type == "integer") || (isCustom && declSpec(custom[key]).Type == "integer")):
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindInteger, Text: scalarText(v)})
			case scalar && isCustom && declSpec(custom[key]).Type == "number":
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindReal, Text: scalarText(v)})
			case scalar && isCustom && declSpec(custom[key]).Type == "boolean":
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindBoolean, Text: scalarText(v)})
			case scalar:
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindString, Text: scalarText(v)})
			case isList && allScalarValues(list) && ((isBuiltin && bf.Type == "list") || (isCustom && declSpec(custom[key]).Type == "list")):
				lines := make([]string, len(list))
				for i, c := range list {
					lines[i] = scalarText(c)
				}
				out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindString, Text: strings.Join(lines, "\n")})
			default:
				// A nested value (a list of mappings, a mapping) is written in flow YAML as the
				// file writes it: its node is looked up, so only records with such a value
				// parse their front matter again.
				if n := rec.ValueNode(append(slices.Clone(path), k)...); n != nil {
					if b, err := yaml.Marshal(flowCopy(n)); err == nil {
						out = append(out, reqif.ExportField{Key: key, Kind: reqif.KindString, Text: strings.TrimSpace(string(b))})
					}
				}
			}
		}
	}
	walk(fields, nil)
	return out
}

// canonicalKeys returns the keys of the mapping at path of a kind's front matter in
// canonical order: the known ones as fmt orders them, then the others, sorted.
func canonicalKeys(kind record.Kind, path []string, m map[string]any) []string {
	type ranked struct {
		key  string
		rank int // math.MaxInt for the keys the canonical order does not know
	}
	keys := make([]ranked, 0, len(m))
	for k := range m {
		r, ok := format.KeyRank(kind, path, k)
		if !ok {
			r = math.MaxInt
		}
		keys = append(keys, ranked{k, r})
	}
	slices.SortFunc(keys, func(a, b ranked) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		return strings.Compare(a.key, b.key)
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.key
	}
	return out
}

// scalarText is a decoded scalar as written (Fields keeps strings, dates included, as their
// text): numbers in their shortest form, null as nothing.
func scalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func allScalarValues(l []any) bool {
	for _, v := range l {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

// originOf is the origin system and id of a record's decoded fields ("" when it has none).
func originOf(fields map[string]any) (string, string) {
	o, _ := fields["origin"].(map[string]any)
	s, ok1 := o["system"].(string)
	id, ok2 := o["id"].(string)
	if !ok1 || !ok2 {
		return "", ""
	}
	return s, id
}

// flowCopy is a copy of n in flow style without comments or positions.
func flowCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Line, c.Column = 0, 0
	if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
		c.Style = yaml.FlowStyle
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = flowCopy(k)
	}
	return &c
}

// localImages lists the image destinations of a Markdown body that are relative paths.
func localImages(body string) []string {
	var out []string
	rest := body
	for {
		i := strings.Index(rest, "![")
		if i < 0 {
			return out
		}
		rest = rest[i+2:]
		j := strings.Index(rest, "](")
		if j < 0 {
			return out
		}
		rest = rest[j+2:]
		k := strings.IndexAny(rest, ") \n")
		if k < 0 {
			return out
		}
		dest := strings.Trim(rest[:k], "<>")
		if dest != "" && !strings.Contains(dest, ":") && !strings.HasPrefix(dest, "/") && !strings.Contains(dest, "..") {
			out = append(out, dest)
		}
	}
}

func newReqifCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reqif anonymize IN OUT",
		Short: "ReqIF utilities: anonymize a file to share it in a bug report",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "anonymize IN OUT",
		Short: "Replace every text value by placeholder text of the same length and structure",
		Long: `Anonymize copies a .reqif or .reqifz file with every text value (names of objects and
specifications, string and XHTML values, descriptions, header texts) replaced by placeholder
text of the same length and structure: letters become x or X, digits 0, other characters
stay. Identifiers, references, dates, numbers, enumeration and attribute names and the XML
structure are kept, so a file that fails to import fails the same way once anonymized.
Attachments in a .reqifz are replaced by as many zero bytes.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := os.ReadFile(app.sourcePath(args[0]))
			if err != nil {
				return Usagef("cannot read %s: %v", args[0], unwrapPath(err))
			}
			out, err := reqif.Anonymize(in, filepath.Base(args[0]))
			if err != nil {
				return Usagef("%v", err)
			}
			if err := atomicfile.WriteFile(app.sourcePath(args[1]), out, 0o644); err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("cannot write %s: %v", args[1], unwrapPath(err))}
			}
			fmt.Fprintf(app.Stdout, "wrote %s\n", args[1])
			return nil
		},
	})
	return cmd
}
