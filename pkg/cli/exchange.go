package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/exchange/sheet"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// importOptions are the flags every importer shares (SPEC §10 "Common to every import").
type importOptions struct {
	system      string
	kind        string
	dir         string
	maps        []string
	dryRun      bool
	skipInvalid bool
	sheet       string
	// notes are the reader's lines for the summary (ReqIF relations to objects outside the
	// file, Doorstop links not reviewed …).
	notes []string
}

// importFormats builds the sub-commands of import, one per source format; other files of
// this package append theirs (reqif, doorstop).
var importFormats = []func(app *App, o *importOptions) *cobra.Command{newImportSheetCmd("csv"), newImportSheetCmd("xlsx")}

func newImportCmd(app *App) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import FORMAT SOURCE [--system NAME] [--kind K] [--dir SUBFOLDER] [--map 'NAME=field'…] [--dry-run] [--skip-invalid]",
		Short: "Import records from a spreadsheet or another tool",
		Long: `Import reads records from another tool's file and creates or updates the project's records.

An item whose origin (--system and its id in the source) matches a record updates that record;
an item whose id cell has the project's id form (REQ-0007) takes that id; every other item
becomes a new record with the next free id, in source order, keeping its origin, so importing
the same source again updates the records it created. An update changes only the fields whose
values changed: comments, unknown keys and untouched fields stay byte for byte.

All or nothing: any invalid item is reported at its position in the source (needs.csv:12:4,
needs.xlsx:需求表!D12) and nothing is written, unless --skip-invalid. --dry-run prints what
would be created and changed, field by field, and every path it would write.

Exit codes: 0 done; 1 invalid items stopped the import (or were skipped); 2 the source could
not be read.`,
	}
	f := cmd.PersistentFlags()
	f.StringVar(&o.system, "system", "", "origin.system of the imported records (default: the source file's base name)")
	f.StringVar(&o.kind, "kind", "", "the kind of record the source holds (default: requirement; XLSX sheets named like kinds are imported as those)")
	f.StringVar(&o.dir, "dir", "", "create new records in `SUBFOLDER` of the kind's folder")
	f.StringArrayVar(&o.maps, "map", nil, "map a column: `'HEADER=field'` (a field path, or - to drop the column; repeatable)")
	f.BoolVar(&o.dryRun, "dry-run", false, "print what would be created and changed; write nothing")
	f.BoolVar(&o.skipInvalid, "skip-invalid", false, "skip invalid items (and items that reference them) instead of importing nothing")
	for _, sub := range importFormats {
		cmd.AddCommand(sub(app, o))
	}
	return cmd
}

func newImportSheetCmd(format string) func(app *App, o *importOptions) *cobra.Command {
	return func(app *App, o *importOptions) *cobra.Command {
		cmd := &cobra.Command{
			Use:   format + " FILE",
			Short: "Import requirements (or change requests) from a " + strings.ToUpper(format) + " sheet",
			Long: `Import ` + strings.ToUpper(format) + ` reads one record per row; the first row names the columns, in English
(the export's own: id, title, priority.moscow, source.channel, body …) or in Chinese (需求编号,
标题, 需求描述, 优先级, 状态 … as SPEC section 10 lists them), with Chinese values (功能需求, 高,
已批准 …). A header matches after trimming white space, a trailing * and a parenthesised
suffix (优先级（必填）). A column no field matches becomes a custom field declared in
reqtrail.yaml (--map 'HEADER=-' drops it, --map 'HEADER=field' maps it).

CSV may be UTF-8 (with or without BOM), GB18030 (Excel on Chinese Windows) or UTF-16 with a
BOM (tab-separated); the encoding is detected. Dates may be 2024-05-03, 2024/5/3, 2024年5月3日
or an Excel date. An empty cell removes the field; an absent column leaves it alone; an empty
body cell leaves the body alone.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return app.runImportSheet(o, format, args[0])
			},
		}
		if format == "xlsx" {
			cmd.Flags().StringVar(&o.sheet, "sheet", "", "import the sheet `NAME` (default: sheets named like kinds, else the first)")
		}
		return cmd
	}
}

// importKind resolves --kind for an import: a kind the project has, never acceptance.
func importKind(r *repo.Repo, k string) (record.Kind, error) {
	if k == "" {
		return record.RequirementKind, nil
	}
	kind := record.Kind(k)
	if kind == record.AcceptanceKind {
		return "", Usagef("--kind acceptance: an import never writes acceptance records (record them with reqtrail accept)")
	}
	if _, ok := r.Config.Kinds[kind]; !ok || !slices.Contains(record.AllKinds(), kind) {
		return "", Usagef("--kind %s: this version of reqtrail has no %s records; kinds an import can write: %s", k, k, strings.Join(importableKinds(), ", "))
	}
	return kind, nil
}

func importableKinds() []string {
	var out []string
	for _, k := range record.AllKinds() {
		if k != record.AcceptanceKind {
			out = append(out, string(k))
		}
	}
	return out
}

func (app *App) runImportSheet(o *importOptions, format, file string) error {
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	if err := author.ConfigError(r); err != nil {
		return Usagef("%v", err)
	}
	maps, err := parseMaps(o.maps)
	if err != nil {
		return err
	}
	var size int64
	if st, err := os.Stat(app.path(file)); err == nil {
		size = st.Size()
	}
	defer importGC(size)()
	data, err := os.ReadFile(app.path(file))
	if err != nil {
		return Usagef("cannot read %s: %v", file, unwrapPath(err))
	}
	name := filepath.Base(file)
	tables, kinds, err := sheetReaders[format](r, name, data, o)
	if err != nil {
		return err
	}
	im := &sheet.Importer{Config: r.Config, Map: maps}
	var items []exchange.Item
	for i, t := range tables {
		its, problems := im.Items(t, kinds[i])
		if len(problems) > 0 {
			for _, p := range problems {
				fmt.Fprintf(app.Stderr, "%s\n", sanitizeLine(p.String()))
			}
			return Findings
		}
		items = append(items, its...)
	}
	system := o.system
	if system == "" {
		system = strings.TrimSuffix(name, filepath.Ext(name))
	}
	return app.runImport(r, root, items, o, system)
}

// sheetReaders read an imported spreadsheet file's tables and the kind each holds, one
// reader per file format.
var sheetReaders = map[string]func(r *repo.Repo, name string, data []byte, o *importOptions) ([]*sheet.Table, []record.Kind, error){
	"csv": func(r *repo.Repo, name string, data []byte, o *importOptions) ([]*sheet.Table, []record.Kind, error) {
		t, _, err := sheet.ReadCSV(name, data)
		if err != nil {
			return nil, nil, Usagef("%v", err)
		}
		k, err := importKind(r, o.kind)
		if err != nil {
			return nil, nil, err
		}
		return []*sheet.Table{t}, []record.Kind{k}, nil
	},
	"xlsx": func(r *repo.Repo, name string, data []byte, o *importOptions) ([]*sheet.Table, []record.Kind, error) {
		all, err := sheet.ReadXLSX(name, data)
		if err != nil {
			return nil, nil, Usagef("%v", err)
		}
		return pickSheets(r, all, o)
	},
}

// runImport is the end of every importer: prepare, report, apply, summarise.
func (app *App) runImport(r *repo.Repo, root string, items []exchange.Item, o *importOptions, system string) error {
	dir := filepath.ToSlash(o.dir)
	fitImportGC(len(items))
	plan, err := exchange.Prepare(r, root, items, exchange.Options{
		System: system, Dir: dir, SkipInvalid: o.skipInvalid,
		Lint: runLint,
	})
	if err != nil {
		return Usagef("%v", err)
	}
	res := plan.Result
	res.Notes = append(res.Notes, o.notes...)
	res.WriteProblems(app.Stderr)
	past := 0
	for _, c := range res.Changes {
		if c.Op == exchange.Create && c.Kind == record.RequirementKind {
			for _, f := range c.Fields {
				if f.Path == "status" && slices.Contains([]string{"approved", "development", "testing", "released", "closed"}, f.New) {
					past++
				}
			}
		}
	}
	if past > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d new requirement(s) are past review: once the project is adopted, the gate (reqtrail check) wants a change request with action: add that lists them", past))
	}
	if o.dryRun {
		res.WriteDryRun(app.Stdout)
		res.WriteSummary(app.Stdout, true)
		if res.ExitCode() != 0 {
			return Findings
		}
		return nil
	}
	for _, n := range o.notes { // the reader's notes (ReqIF, Doorstop); the dry run shows them all
		fmt.Fprintf(app.Stdout, "note: %s\n", sanitizeLine(n))
	}
	if !plan.OK() {
		fmt.Fprintf(app.Stderr, "reqtrail: %d problem(s); nothing written (fix them, or pass --skip-invalid)\n", len(res.Problems))
		return Findings
	}
	if err := plan.Apply(); err != nil {
		return Usagef("%v", err)
	}
	res.WriteSummary(app.Stdout, false)
	if res.ExitCode() != 0 {
		return Findings
	}
	return nil
}

func parseMaps(maps []string) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range maps {
		h, f, ok := strings.Cut(m, "=")
		h, f = strings.TrimSpace(h), strings.TrimSpace(f)
		if !ok || h == "" || f == "" {
			return nil, Usagef("--map %q: want 'HEADER=field' (or 'HEADER=-' to drop the column)", m)
		}
		out[h] = f
	}
	return out, nil
}

// pickSheets chooses the sheets of a workbook to import: --sheet, else the sheets named like
// kinds, else the first.
func pickSheets(r *repo.Repo, all []*sheet.Table, o *importOptions) ([]*sheet.Table, []record.Kind, error) {
	if o.sheet != "" {
		for _, t := range all {
			if t.Sheet == o.sheet {
				k, err := importKind(r, o.kind)
				return []*sheet.Table{t}, []record.Kind{k}, err
			}
		}
		var names []string
		for _, t := range all {
			names = append(names, t.Sheet)
		}
		return nil, nil, Usagef("--sheet %q: the workbook has the sheets %s", o.sheet, strings.Join(names, ", "))
	}
	var tables []*sheet.Table
	var kinds []record.Kind
	for _, t := range all {
		k := record.Kind(strings.ToLower(t.Sheet))
		if slices.Contains(record.AllKinds(), k) && k != record.AcceptanceKind && (o.kind == "" || string(k) == o.kind) {
			tables, kinds = append(tables, t), append(kinds, k)
		}
	}
	if len(tables) > 0 {
		return tables, kinds, nil
	}
	if len(all) == 0 {
		return nil, nil, Usagef("the workbook has no sheet")
	}
	k, err := importKind(r, o.kind)
	return all[:1], []record.Kind{k}, err
}

func sanitizeLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return '�'
		}
		return r
	}, s)
}

// exportOptions are the flags of export.
type exportOptions struct {
	kind   string
	kinds  []string // every --kind given (export reqif takes several)
	lang   string
	output string
	noBody bool
	zip    bool
}

func newExportCmd(app *App) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export csv|xlsx|reqif [--kind K …] [--lang en|zh-CN] [-o FILE] [--no-body] [--zip]",
		Short: "Export records as a spreadsheet (CSV or XLSX) or as ReqIF",
		Long: `Export writes one row per record (requirements by default, --kind for another kind; XLSX:
--kind all writes one sheet per kind), one column per field: nested fields flattened by dots
(priority.moscow, source.channel), parent and parent.fingerprint as two columns, custom fields
after the built-ins, the Markdown body last. A list is one item per line in its cell; a list of
mappings (links, metrics) is written in YAML flow syntax. Numbers are numeric cells, strings
text cells (2024.10 and 2024-05-03 stay as written).

CSV is UTF-8 with a BOM and CRLF line ends, so Excel shows Chinese text; cells a spreadsheet
would run as formulas (=, +, -, @ first) get a leading '. XLSX has a frozen, filterable header
row, fitted column widths, wrapped text and a drop-down list on every enumerated column.

--lang zh-CN (default: site.lang of reqtrail.yaml) writes Chinese headers and values; import
reads both. Without -o the sheet goes to standard output.

export reqif writes the requirements (--kind K … for others, --kind all for every kind, each a
SPEC-OBJECT-TYPE named reqtrail.<kind>) as one ReqIF SPECIFICATION whose hierarchy follows the
sub-folders and parents, links and the ids other kinds reference as SPEC-RELATIONs, the body as XHTML plus the verbatim Markdown
(reqtrail.Markdown) and the id (reqtrail.ID), so importing it back gives the same records;
valid against the OMG ReqIF schema. LAST-CHANGE and CREATION-TIME come from commit times, so
one revision always gives the same bytes. --zip writes a .reqifz with the images the bodies
reference.`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"csv", "xlsx", "reqif"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "reqif" {
				kinds, err := reqifKinds(o.kinds)
				if err != nil {
					return err
				}
				return app.runExportReqif(kinds, o.output, o.zip)
			}
			if len(o.kinds) > 1 {
				return Usagef("export %s takes one --kind (xlsx: --kind all for every kind)", args[0])
			}
			if len(o.kinds) == 1 {
				o.kind = o.kinds[0]
			}
			if o.zip {
				return Usagef("--zip is for export reqif")
			}
			if args[0] != "csv" && args[0] != "xlsx" {
				return Usagef("unknown export format %q: want csv, xlsx or reqif", args[0])
			}
			return app.runExport(o, args[0])
		},
	}
	cmd.Flags().StringArrayVar(&o.kinds, "kind", nil, "the kind to export (default requirement; xlsx and reqif also all; reqif takes several)")
	cmd.Flags().StringVar(&o.lang, "lang", "", "header and value language: en or zh-CN (default: site.lang)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write to `FILE` (default: standard output)")
	cmd.Flags().BoolVar(&o.noBody, "no-body", false, "leave the body column out")
	cmd.Flags().BoolVar(&o.zip, "zip", false, "export reqif: write a .reqifz holding the images the bodies reference")
	return cmd
}

func (app *App) runExport(o *exportOptions, format string) error {
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	lang := o.lang
	if lang == "" {
		lang = r.Config.Site.Lang
	}
	if lang != "en" && lang != "zh-CN" {
		return Usagef("--lang %q: want en or zh-CN", o.lang)
	}
	var kinds []record.Kind
	switch {
	case o.kind == "":
		kinds = []record.Kind{record.RequirementKind}
	case o.kind == "all" && format == "xlsx":
		kinds = record.AllKinds()
	case o.kind == "all":
		return Usagef("--kind all writes one sheet per kind: only with export xlsx")
	default:
		k := record.Kind(o.kind)
		if !slices.Contains(record.AllKinds(), k) {
			var names []string
			for _, k := range record.AllKinds() {
				names = append(names, string(k))
			}
			return Usagef("--kind %s: this version of reqtrail has no %s records; kinds: %s", o.kind, o.kind, strings.Join(names, ", "))
		}
		kinds = []record.Kind{k}
	}
	var sheets []sheet.Data
	for _, k := range kinds {
		d, err := sheet.Export(r, k, sheet.ExportOptions{Lang: lang, NoBody: o.noBody})
		if err != nil {
			return &ExitError{Code: ExitFindings, Err: err}
		}
		sheets = append(sheets, d)
	}
	var buf bytes.Buffer
	if format == "csv" {
		d := sheets[0]
		rows := make([][]string, 0, len(d.Rows)+1)
		hdr := make([]string, len(d.Columns))
		for i, c := range d.Columns {
			hdr[i] = c.Header
		}
		rows = append(rows, hdr)
		for _, row := range d.Rows {
			cells := make([]string, len(row))
			for i, v := range row {
				if v != nil {
					cells[i] = fmt.Sprint(v)
				}
			}
			rows = append(rows, cells)
		}
		err = sheet.WriteCSV(&buf, rows)
	} else {
		if o.output == "" && app.IsTerminal(app.Stdout) {
			return Usagef("an XLSX workbook is binary: write it to a file with -o FILE")
		}
		err = sheet.WriteXLSX(&buf, sheets)
	}
	if err != nil {
		return err
	}
	if o.output == "" {
		_, err := io.Copy(app.Stdout, &buf)
		return err
	}
	out := app.path(o.output)
	if err := atomicfile.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %v", o.output, unwrapPath(err))
	}
	return nil
}

// reqifKinds is the kinds export reqif writes: requirements by default, every kind for all.
func reqifKinds(names []string) ([]record.Kind, error) {
	if len(names) == 0 {
		return []record.Kind{record.RequirementKind}, nil
	}
	var out []record.Kind
	for _, n := range names {
		if n == "all" {
			return record.AllKinds(), nil
		}
		k := record.Kind(n)
		if record.Info(k) == nil {
			var known []string
			for _, k := range record.AllKinds() {
				known = append(known, string(k))
			}
			return nil, Usagef("--kind %s: this version of reqtrail has no %s records; kinds: %s, all", n, n, strings.Join(known, ", "))
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	// In the kind table's order, whatever the order of the flags.
	slices.SortFunc(out, func(a, b record.Kind) int {
		return slices.Index(record.AllKinds(), a) - slices.Index(record.AllKinds(), b)
	})
	return out, nil
}
