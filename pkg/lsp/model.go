package lsp

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

// model is the server's incremental model of one project: every record parsed once and
// kept, and every traced file's citations, so that an edit re-parses only the edited file
// and re-runs the cross-file rules over the cached set (as gopls does with overlays).
// It is owned by one goroutine at a time (the server's relint loop).
type model struct {
	root string // absolute folder
	fsys fs.FS
	// loadOpts is used for full loads (the record cache).
	cache *repo.Cache

	cfg        *config.Config
	other      []diag.Diagnostic // loader findings that belong to no record (reqtrail.yaml, walk errors)
	validators map[record.Kind]*schema.Validator
	schemas    map[record.Kind]map[string]any
	records    map[string]*fileRecord // record files by path
	roles      map[string]string      // traced files by path → role
	cites      map[string][]citation.Citation
	matcher    *citation.Matcher
}

type fileRecord struct {
	rec   *record.Record
	diags []diag.Diagnostic
}

// snapshot is an immutable view of the project after one lint run; requests read it.
type snapshot struct {
	repo  *repo.Repo
	graph *graph.Graph
	// diags holds the lint findings by file.
	diags   map[string][]diag.Diagnostic
	byFile  map[string]*record.Record
	schemas map[record.Kind]map[string]any
	roles   map[string]string
	scan    *citation.Result
}

func newModel(root string, cache *repo.Cache) *model {
	return &model{root: root, fsys: dirfs.New(root), cache: cache}
}

// load reads the whole project from disk.
func (p *model) load() {
	r := repo.LoadWith(p.fsys, repo.Options{Cache: p.cache})
	p.cfg = r.Config
	p.records = make(map[string]*fileRecord, len(r.Records))
	for _, rec := range r.Records {
		p.records[rec.File] = &fileRecord{rec: rec}
	}
	p.other = nil
	for _, d := range r.Diags {
		if fr := p.records[d.File()]; fr != nil {
			fr.diags = append(fr.diags, d)
		} else {
			p.other = append(p.other, d)
		}
	}
	p.validators = map[record.Kind]*schema.Validator{}
	p.schemas = map[record.Kind]map[string]any{}
	for _, k := range record.AllKinds() {
		p.validators[k], _ = p.cfg.Validator(k)
		p.schemas[k], _ = p.cfg.Schema(k)
	}
	k := p.cfg.Kinds[record.RequirementKind]
	p.matcher = citation.NewMatcher(k.Prefix, k.Digits)
	p.walkTrace()
	scan := citation.Scan(p.fsys, p.cfg)
	p.cites = map[string][]citation.Citation{}
	for _, c := range scan.Citations {
		p.cites[c.File()] = append(p.cites[c.File()], c)
	}
}

// walkTrace lists the traced files with their roles.
func (p *model) walkTrace() {
	p.roles = map[string]string{}
	citation.Walk(p.fsys, p.cfg, func(f citation.File) { p.roles[f.Path] = f.Role })
}

// recordKind returns the kind of record the file at slash path would be, as the loader
// decides it: under a kind's folder (the innermost), no path element below it starting
// with "." or "_", a .md/.yaml/.yml name other than README.md.
func (p *model) recordKind(file string) (record.Kind, bool) {
	best, bestLen := record.Kind(""), -1
	for _, k := range record.AllKinds() {
		d := p.cfg.Kinds[k].Dir
		if d == "." {
			if bestLen < 0 {
				best, bestLen = k, 0
			}
			continue
		}
		if strings.HasPrefix(file, d+"/") && len(d) > bestLen {
			best, bestLen = k, len(d)
		}
	}
	if bestLen < 0 {
		return "", false
	}
	rest := file
	if bestLen > 0 {
		rest = file[bestLen+1:]
	}
	for _, el := range strings.Split(rest, "/") {
		if strings.HasPrefix(el, ".") || strings.HasPrefix(el, "_") {
			return "", false
		}
	}
	name := path.Base(file)
	if strings.EqualFold(name, "README.md") {
		return "", false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".yaml", ".yml":
		return best, true
	}
	return "", false
}

// update re-reads one file from data (nil: from disk; gone: the file was removed). It
// reports whether the whole project must be reloaded (reqtrail.yaml changed, or a file
// appeared that may change what is traced).
func (p *model) update(file string, data []byte, fromDisk bool) (reload bool) {
	if file == config.FileName || path.Base(file) == ".gitignore" {
		return true
	}
	if fromDisk {
		b, err := fs.ReadFile(p.fsys, file)
		switch {
		case err == nil:
			data = b
		case errors.Is(err, fs.ErrNotExist):
			data = nil
		default:
			data = nil
		}
		if info, err := fs.Stat(p.fsys, file); err == nil && info.IsDir() {
			return true // a new folder: walk it all
		}
	}
	if kind, ok := p.recordKind(file); ok {
		if data == nil {
			delete(p.records, file)
		} else {
			p.records[file] = p.parse(file, kind, data)
		}
		return false
	}
	if role, ok := p.roles[file]; ok {
		if data == nil {
			delete(p.cites, file)
			p.roles = maps.Clone(p.roles) // snapshots share the old map
			delete(p.roles, file)
			return false
		}
		p.cites[file] = p.scanFile(file, role, data)
		return false
	}
	if data != nil && p.mayBeTraced(file) {
		p.walkTrace()
		if role, ok := p.roles[file]; ok {
			p.cites[file] = p.scanFile(file, role, data)
		}
	}
	return false
}

// mayBeTraced reports whether file lies under a trace: entry's folder (cheap test before a
// re-walk).
func (p *model) mayBeTraced(file string) bool {
	for _, t := range p.cfg.Trace {
		root := t.Path
		if i := strings.IndexAny(root, "*?["); i >= 0 {
			root = path.Dir(root[:i] + "x")
		}
		if root == "." || file == root || strings.HasPrefix(file, root+"/") {
			return true
		}
	}
	return false
}

func (p *model) parse(file string, kind record.Kind, data []byte) *fileRecord {
	v := p.validators[kind]
	if len(data) > record.MaxSize {
		return &fileRecord{rec: &record.Record{Kind: kind, File: file},
			diags: []diag.Diagnostic{diag.At(pos.FileStart(file), diag.RuleParse, diag.Error, "file is larger than 1 MiB; records are limited to 1 MiB")}}
	}
	rec, perr := record.Parse(file, kind, data, v.Shape)
	if perr != nil {
		return &fileRecord{rec: rec, diags: []diag.Diagnostic{{Rule: diag.RuleParse, Severity: diag.Error,
			Range: perr.Range(file, data), Message: perr.Message}}}
	}
	ds := v.Diagnostics(rec)
	rec.DropFields()
	return &fileRecord{rec: rec, diags: ds}
}

func (p *model) scanFile(file, role string, data []byte) []citation.Citation {
	if len(data) > citation.MaxFileSize || bytes.IndexByte(data[:min(len(data), 8<<10)], 0) >= 0 {
		return nil
	}
	var cs []citation.Citation
	p.matcher.Find(data, func(m citation.Match) {
		cs = append(cs, citation.Citation{ID: m.ID, Range: m.Range(file), Role: role})
	})
	return cs
}

// build assembles the repo from the cached records, builds the trace graph and runs every
// lint rule: the cross-file rules see the edited buffers and every other file as cached.
func (p *model) build() *snapshot {
	files := make([]string, 0, len(p.records))
	for f := range p.records {
		files = append(files, f)
	}
	slices.Sort(files)
	r := &repo.Repo{FS: p.fsys, Config: p.cfg, Records: make([]*record.Record, 0, len(files)),
		ByID: make(map[string]*record.Record, len(files))}
	r.Diags = append(r.Diags, p.other...)
	for _, f := range files {
		fr := p.records[f]
		r.Records = append(r.Records, fr.rec)
		r.Diags = append(r.Diags, fr.diags...)
		if fr.rec.Parsed() && fr.rec.ID != "" {
			if _, dup := r.ByID[fr.rec.ID]; !dup {
				r.ByID[fr.rec.ID] = fr.rec
			}
		}
	}
	r.Diags = diag.Sort(r.Diags)
	byFile := make(map[string]*record.Record, len(r.Records))
	for _, rec := range r.Records {
		byFile[rec.File] = rec
	}

	traced := make([]string, 0, len(p.cites))
	n := 0
	for f, cs := range p.cites {
		if len(cs) > 0 {
			traced = append(traced, f)
			n += len(cs)
		}
	}
	slices.Sort(traced)
	scan := &citation.Result{Citations: make([]citation.Citation, 0, n), Files: len(p.roles)}
	for _, f := range traced {
		scan.Citations = append(scan.Citations, p.cites[f]...)
	}
	g := graph.Build(r, scan)
	ds := lint.Run(r, lint.Options{Graph: g})
	diags := map[string][]diag.Diagnostic{}
	for _, d := range ds {
		diags[d.File()] = append(diags[d.File()], d)
	}
	return &snapshot{repo: r, graph: g, diags: diags, byFile: byFile, schemas: p.schemas, roles: p.roles, scan: scan}
}
