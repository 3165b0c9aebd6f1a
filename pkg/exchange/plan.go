package exchange

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/ids"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

func isUnicodeLetter(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Options tune Prepare.
type Options struct {
	// System is origin.system for items that do not name one (SPEC §10: the source file's base
	// name for CSV/XLSX, reqif:<id>, doorstop:<prefix>).
	System string
	// Dir is the sub-folder of each kind's folder where created records go (--dir).
	Dir string
	// SkipInvalid skips invalid items (and the items that reference a skipped one) instead
	// of stopping the whole import.
	SkipInvalid bool
	// Lint runs the full lint over a repository (the CLI passes its lint with the trace
	// extras); nil runs lint.Run without extras.
	Lint func(*repo.Repo) []diag.Diagnostic
	// Reserved, when set, returns the highest number of kind already in use (work tree and
	// git branches, as `new` counts); nil uses ids.Scan.
	Reserved func(kind record.Kind) int
}

// Op is what an import does to one record.
type Op string

// The operations of a Change.
const (
	Create    Op = "create"
	Update    Op = "update"
	Unchanged Op = "unchanged"
)

// FieldChange is one field an import sets or removes.
type FieldChange struct {
	Path    string
	Old     string // "" when the field was absent
	New     string // "" when the field is removed
	Removed bool
}

// Change is what the import does to one record.
type Change struct {
	Op     Op
	Kind   record.Kind
	ID     string
	File   string // relative to the project root, forward slashes
	Pos    Pos    // the item's source position
	Fields []FieldChange
	// Body says the body is (re)written.
	Body bool
	// Attachments lists the attachment files written, relative to the project root.
	Attachments []string
	data        []byte
	old         []byte // the file's content before (updates)
	item        int
}

// Result is what Prepare found and what Apply writes.
type Result struct {
	Changes []Change
	// Problems lists invalid items and lint errors of the result, by source position.
	Problems []Problem
	// Skipped counts the items left out under SkipInvalid.
	Skipped int
	// Declared lists the custom fields declared in reqtrail.yaml, as kind.field.
	Declared []string
	// Unaccepted lists the imported requirements released or closed without an acceptance
	// record (release-unaccepted: the import never writes acceptances).
	Unaccepted []string
	// Notes are further remarks for the summary (a change request needed for adoption).
	Notes []string
	// Config is the new reqtrail.yaml content when fields are declared (nil otherwise).
	Config    []byte
	oldConfig []byte
	hadConfig bool
}

// Count returns how many changes have op.
func (r *Result) Count(op Op) int {
	n := 0
	for _, c := range r.Changes {
		if c.Op == op {
			n++
		}
	}
	return n
}

// Paths lists every path the import writes, sorted.
func (r *Result) Paths() []string {
	var out []string
	for _, c := range r.Changes {
		if c.Op != Unchanged {
			out = append(out, c.File)
		}
		out = append(out, c.Attachments...)
	}
	if r.Config != nil {
		out = append(out, config.FileName)
	}
	sort.Strings(out)
	return out
}

// Plan is a prepared import: every file it would write, checked, in memory.
type Plan struct {
	Result *Result
	root   string
	atts   map[string][]byte
	clean  bool // the items not skipped have no problems
}

// OK reports whether the plan can be applied: no problems, or every problem skipped.
func (p *Plan) OK() bool { return p.clean }

// ErrSource is wrapped by errors about a source that cannot be read (exit 2).
var ErrSource = errors.New("cannot read the source")

type target struct {
	rec    *record.Record // nil: created
	id     string
	file   string
	origin Origin // the origin written on a created record
}

// Prepare maps items onto the project r loaded from root (SPEC §10) and returns the plan:
// which records are created, updated or unchanged, field by field, with every problem at its
// source position. It writes nothing. The error is for a project that cannot take the import
// (a kind it does not configure); invalid items are Problems.
func Prepare(r *repo.Repo, root string, items []Item, opts Options) (*Plan, error) {
	for _, it := range items {
		if _, ok := r.Config.Kinds[it.Kind]; !ok {
			return nil, fmt.Errorf("%s: this project has no kind %q", it.Pos, it.Kind)
		}
	}
	for i := range items {
		if items[i].Origin.System == "" && items[i].Origin.ID != "" {
			items[i].Origin.System = opts.System
		}
	}
	skipped := make([]bool, len(items))
	var earlier []Problem
	for {
		p, bad, err := prepare(r, root, items, skipped, opts)
		if err != nil {
			return nil, err
		}
		if len(bad) == 0 || !opts.SkipInvalid {
			p.clean = len(p.Result.Problems) == 0
			if len(earlier) > 0 {
				p.Result.Problems = append(earlier, p.Result.Problems...)
				sortProblems(p.Result.Problems)
			}
			for _, s := range skipped {
				if s {
					p.Result.Skipped++
				}
			}
			return p, nil
		}
		// Skip the invalid items and every item that references one, then try again.
		earlier = append(earlier, p.Result.Problems...)
		for _, i := range bad {
			skipped[i] = true
		}
		propagateSkips(items, skipped)
	}
}

func propagateSkips(items []Item, skipped []bool) {
	for changed := true; changed; {
		changed = false
		gone := map[Origin]bool{}
		for i, it := range items {
			if skipped[i] && it.Origin.ID != "" {
				gone[Origin{System: it.Origin.System, ID: it.Origin.ID}] = true
			}
		}
		for i, it := range items {
			if skipped[i] {
				continue
			}
			for _, v := range it.Set {
				walkRefs(v, func(s SourceRef) {
					if gone[Origin{System: it.Origin.System, ID: string(s)}] {
						skipped[i], changed = true, true
					}
				})
			}
		}
	}
}

func walkRefs(v any, f func(SourceRef)) {
	switch x := v.(type) {
	case SourceRef:
		f(x)
	case []any:
		for _, e := range x {
			walkRefs(e, f)
		}
	case map[string]any:
		for _, e := range x {
			walkRefs(e, f)
		}
	}
}

// prepare is one pass of Prepare over the items not skipped; bad lists the invalid items.
func prepare(r *repo.Repo, root string, items []Item, skipped []bool, opts Options) (*Plan, []int, error) {
	res := &Result{}
	p := &Plan{Result: res, root: root, atts: map[string][]byte{}}
	badSet := map[int]bool{}
	problem := func(i int, pos Pos, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Pos: pos, Message: fmt.Sprintf(format, args...)})
		badSet[i] = true
	}
	cfg := r.Config

	// Existing records by origin.
	byOrigin := map[Origin]*record.Record{}
	for _, rec := range r.Records {
		if rec.Node == nil {
			continue
		}
		if o := recordOrigin(rec); !o.IsZero() {
			byOrigin[Origin{System: o.System, ID: o.ID}] = rec
		}
	}

	// 1. Targets: update by origin, by id, or create.
	targets := make([]*target, len(items))
	claimed := map[string]int{} // record id → item index
	for i := range items {
		if skipped[i] {
			continue
		}
		it := &items[i]
		for _, pr := range it.Invalid {
			res.Problems = append(res.Problems, pr)
			badSet[i] = true
		}
		var t *target
		key := Origin{System: it.Origin.System, ID: it.Origin.ID}
		if it.Origin.ID != "" {
			if rec := byOrigin[key]; rec != nil && rec.Kind == it.Kind {
				t = &target{rec: rec, id: rec.ID, file: rec.File}
			}
		}
		if t == nil && it.ID != "" {
			if !cfg.ValidID(it.Kind, it.ID) {
				problem(i, it.posOf("id"), "%q is not an id of a %s in this project (%s-%0*d)", it.ID, it.Kind, cfg.Kinds[it.Kind].Prefix, cfg.Kinds[it.Kind].Digits, 1)
				continue
			}
			if rec := r.ByID[it.ID]; rec != nil {
				if rec.Kind != it.Kind {
					problem(i, it.posOf("id"), "%s is a %s, not a %s", it.ID, rec.Kind, it.Kind)
					continue
				}
				if o := recordOrigin(rec); !o.IsZero() && !it.Origin.IsZero() && (o.System != it.Origin.System || o.ID != it.Origin.ID) {
					problem(i, it.posOf("id"), "%s came from %s %s, not from %s %s; not updating it", it.ID, o.System, o.ID, it.Origin.System, it.Origin.ID)
					continue
				}
				t = &target{rec: rec, id: rec.ID, file: rec.File}
			} else {
				t = &target{id: it.ID}
			}
		}
		if t == nil {
			t = &target{origin: it.Origin}
		}
		if t.id != "" {
			if j, dup := claimed[t.id]; dup {
				problem(i, it.Pos, "this row is %s again (first at %s)", t.id, items[j].Pos)
				continue
			}
			claimed[t.id] = i
		}
		targets[i] = t
	}

	// 2. Next free ids, in source order.
	next := map[record.Kind]int{}
	for i, t := range targets {
		if t == nil || t.id != "" || badSet[i] {
			continue
		}
		k := items[i].Kind
		if _, ok := next[k]; !ok {
			next[k] = reserved(r, root, k, opts)
			for _, rec := range r.Records {
				if n, ok := ids.Number(cfg.Kinds[k].Prefix, rec.ID); ok && rec.Kind == k && n > next[k] {
					next[k] = n
				}
			}
			for id := range claimed {
				if n, ok := ids.Number(cfg.Kinds[k].Prefix, id); ok && n > next[k] {
					next[k] = n
				}
			}
		}
		next[k]++
		t.id = cfg.FormatID(k, next[k])
	}
	// Where created records go.
	for i, t := range targets {
		if t == nil || t.rec != nil {
			continue
		}
		sub := []string{cfg.Kinds[items[i].Kind].Dir}
		if opts.Dir != "" {
			sub = append(sub, opts.Dir)
		}
		if items[i].Dir != "" {
			sub = append(sub, items[i].Dir)
		}
		t.file = path.Join(append(sub, t.id+".md")...)
		if !fs.ValidPath(t.file) {
			problem(i, items[i].Pos, "folder %q is not a folder inside %s/", path.Join(sub[1:]...), sub[0])
		}
	}

	// 3. References by source id.
	idOf := map[Origin]string{}
	for i, t := range targets {
		if t != nil && items[i].Origin.ID != "" {
			idOf[Origin{System: items[i].Origin.System, ID: items[i].Origin.ID}] = t.id
		}
	}
	for o, rec := range byOrigin {
		if _, ok := idOf[o]; !ok {
			idOf[o] = rec.ID
		}
	}

	// 4. Custom fields to declare.
	declare := map[record.Kind]map[string]map[string]any{}
	var declOrder []string
	validators := map[record.Kind]*schema.Validator{}
	for i, t := range targets {
		if t == nil {
			continue
		}
		it := &items[i]
		base, err := schema.For(string(it.Kind), nil)
		if err != nil {
			return nil, nil, err
		}
		for k := range it.Set {
			top, _, _ := strings.Cut(k, ".")
			if _, builtin := base.Shape.Props[top]; builtin {
				continue
			}
			if _, ok := cfg.Fields[it.Kind][top]; ok {
				continue
			}
			if declare[it.Kind] == nil {
				declare[it.Kind] = map[string]map[string]any{}
			}
			if _, ok := declare[it.Kind][top]; !ok {
				s := it.Declare[top]
				if s == nil {
					s = map[string]any{"type": "string"}
				}
				declare[it.Kind][top] = s
				declOrder = append(declOrder, string(it.Kind)+"."+top)
			}
		}
	}
	fields := map[record.Kind]map[string]any{}
	for _, k := range record.AllKinds() {
		m := map[string]any{}
		for f, s := range cfg.Fields[k] {
			m[f] = s
		}
		for f, s := range declare[k] {
			m[f] = s
		}
		fields[k] = m
		v, err := schema.For(string(k), m)
		if err != nil {
			return nil, nil, fmt.Errorf("fields: %v", err)
		}
		validators[k] = v
	}

	// 5. Build every record's new content.
	written := map[string][]byte{}
	for i, t := range targets {
		if t == nil {
			continue
		}
		it := &items[i]
		v := validators[it.Kind]
		set := map[string]any{}
		for k, val := range it.Set {
			val, missing := resolveRefs(val, it.Origin.System, idOf)
			if missing != "" {
				problem(i, it.posOf(k), "%s: %q is not an item of this import nor the origin of a record", k, missing)
				continue
			}
			set[k] = val
		}
		if badSet[i] {
			continue
		}
		ch := Change{Kind: it.Kind, ID: t.id, File: t.file, Pos: it.Pos, item: i}
		var data []byte
		var err error
		if t.rec == nil {
			ch.Op = Create
			data, ch.Fields, err = create(it, t, set, v.Shape)
			ch.Body = it.Body != nil && strings.TrimSpace(*it.Body) != ""
		} else {
			ch.old = t.rec.Raw
			data, ch.Fields, ch.Body, err = update(it, t.rec, set, v.Shape)
			ch.Op = Update
			if bytes.Equal(data, t.rec.Raw) {
				ch.Op = Unchanged
			}
		}
		if err != nil {
			problem(i, it.Pos, "%s: %v", t.id, err)
			continue
		}
		rec, perr := record.Parse(t.file, it.Kind, data, v.Shape)
		if perr != nil {
			problem(i, it.Pos, "%s would not parse: %s", t.id, perr.Message)
			continue
		}
		if ch.Op != Unchanged {
			before := map[string]bool{}
			if t.rec != nil {
				for _, pr := range v.Validate(t.rec) {
					before[pr.Message] = true
				}
			}
			for _, pr := range v.Validate(rec) {
				if !before[pr.Message] {
					problem(i, schemaPos(it, rec, pr), "%s", pr.Message)
				}
			}
		}
		ch.data = data
		for _, a := range it.Attachments {
			name := SafeName(a.Name)
			if name == "" {
				problem(i, it.Pos, "attachment %q has no usable file name", a.Name)
				continue
			}
			ap := path.Join(path.Dir(t.file), t.id+".files", name)
			if _, dup := p.atts[ap]; dup {
				continue
			}
			if old, err := fs.ReadFile(r.FS, ap); err == nil && bytes.Equal(old, a.Data) {
				continue
			}
			p.atts[ap] = a.Data
			ch.Attachments = append(ch.Attachments, ap)
		}
		res.Changes = append(res.Changes, ch)
		if ch.Op != Unchanged {
			written[t.file] = data
		}
	}

	// 6. reqtrail.yaml with the declared fields.
	if len(declOrder) > 0 {
		old, err := fs.ReadFile(r.FS, config.FileName)
		res.hadConfig = err == nil
		res.oldConfig = old
		conf, err := declareFields(old, declOrder, declare)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", config.FileName, err)
		}
		res.Config = conf
		res.Declared = declOrder
		written[config.FileName] = conf
	}

	// 7. The full lint of the result, over an overlay of the work tree.
	if len(written) > 0 && len(badSet) == 0 {
		ov := newOverlay(r.FS, written)
		after := repo.LoadWith(ov, repo.Options{Reuse: r})
		run := opts.Lint
		if run == nil {
			run = func(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }
		}
		byFile := map[string]int{}
		for _, ch := range res.Changes {
			byFile[ch.File] = ch.item
		}
		var beforeDiags map[string]bool
		existed := func(d diag.Diagnostic) bool {
			if beforeDiags == nil {
				beforeDiags = map[string]bool{}
				for _, b := range run(r) {
					beforeDiags[b.File()+"\x00"+b.Rule+"\x00"+b.Message] = true
				}
			}
			return beforeDiags[d.File()+"\x00"+d.Rule+"\x00"+d.Message]
		}
		for _, d := range run(after) {
			if d.Severity != diag.Error {
				continue
			}
			if _, err := fs.Stat(r.FS, d.File()); err == nil && existed(d) {
				continue // the file had this finding before the import
			}
			i, ours := byFile[d.File()]
			if d.File() == config.FileName {
				res.Problems = append(res.Problems, Problem{Pos: Pos{File: config.FileName, Line: d.Range.Start.Line, Column: d.Range.Start.Column}, Message: d.Message + " [" + d.Rule + "]"})
				continue
			}
			if !ours {
				continue
			}
			if d.Rule == "release-unaccepted" {
				res.Unaccepted = append(res.Unaccepted, d.ID)
				continue
			}
			problem(i, items[i].Pos, "%s would not lint: %s:%d:%d: %s [%s]", d.ID, d.File(), d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Rule)
		}
	}
	sortProblems(res.Problems)
	var bad []int
	for i := range badSet {
		bad = append(bad, i)
	}
	sort.Ints(bad)
	return p, bad, nil
}

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Pos.File != b.Pos.File {
			return strings.Compare(a.Pos.File, b.Pos.File)
		}
		if a.Pos.Sheet != b.Pos.Sheet {
			return strings.Compare(a.Pos.Sheet, b.Pos.Sheet)
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
}

func reserved(r *repo.Repo, root string, k record.Kind, opts Options) int {
	if opts.Reserved != nil {
		return opts.Reserved(k)
	}
	u, _ := ids.Scan(r, root, k)
	if u == nil {
		return 0
	}
	return u.Max()
}

// schemaPos maps a schema problem of the built record back to the cell of the field.
func schemaPos(it *Item, rec *record.Record, pr schema.Problem) Pos {
	best := ""
	for k := range it.At {
		parts := strings.Split(k, ".")
		at := pr.Range.Start
		same := func(p pos.Position) bool { return p.Line == at.Line && p.Column == at.Column }
		if same(rec.PosOf(parts...)) || same(rec.KeyPos(parts...)) {
			if len(k) > len(best) {
				best = k
			}
		}
	}
	if best != "" {
		return it.At[best]
	}
	return it.Pos
}

// recordOrigin reads a record's origin.
func recordOrigin(rec *record.Record) Origin {
	n := rec.ValueNode("origin")
	if n == nil || n.Kind != yaml.MappingNode {
		return Origin{}
	}
	var o Origin
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "system":
			o.System = n.Content[i+1].Value
		case "id":
			o.ID = n.Content[i+1].Value
		case "url":
			o.URL = n.Content[i+1].Value
		}
	}
	return o
}

// resolveRefs replaces SourceRefs in v by record ids; missing is the first that resolves to
// nothing.
func resolveRefs(v any, system string, idOf map[Origin]string) (out any, missing string) {
	switch x := v.(type) {
	case SourceRef:
		id, ok := idOf[Origin{System: system, ID: string(x)}]
		if !ok {
			return nil, string(x)
		}
		return id, ""
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			var m string
			if l[i], m = resolveRefs(e, system, idOf); m != "" {
				return nil, m
			}
		}
		return l, ""
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			var miss string
			if m[k], miss = resolveRefs(e, system, idOf); miss != "" {
				return nil, miss
			}
		}
		return m, ""
	}
	return v, ""
}

// Apply writes the plan: created records with O_EXCL, updated records and reqtrail.yaml
// atomically, all or nothing — when a write fails, the files written before it are put back.
func (p *Plan) Apply() error {
	res := p.Result
	if !p.OK() {
		return fmt.Errorf("the import has problems; nothing written")
	}
	type undo struct {
		file string
		old  []byte // nil: remove
	}
	var done []undo
	rollback := func() {
		for i := len(done) - 1; i >= 0; i-- {
			abs := filepath.Join(p.root, filepath.FromSlash(done[i].file))
			if done[i].old == nil {
				os.Remove(abs)
			} else {
				_ = atomicfile.WriteFile(abs, done[i].old, 0o644)
			}
		}
	}
	for _, ch := range res.Changes {
		if ch.Op == Unchanged && len(ch.Attachments) == 0 {
			continue
		}
		if err := p.confined(ch.File); err != nil {
			rollback()
			return err
		}
		abs := filepath.Join(p.root, filepath.FromSlash(ch.File))
		switch ch.Op {
		case Create:
			if err := atomicfile.CreateNew(abs, ch.data, 0o644); err != nil {
				rollback()
				return fmt.Errorf("cannot create %s: %v; nothing written", ch.File, err)
			}
			done = append(done, undo{file: ch.File})
		case Update:
			cur, err := os.ReadFile(abs)
			if err != nil || !bytes.Equal(cur, ch.old) {
				rollback()
				return fmt.Errorf("%s changed while the import ran; nothing written", ch.File)
			}
			if err := atomicfile.WriteFile(abs, ch.data, 0o644); err != nil {
				rollback()
				return fmt.Errorf("cannot write %s: %v; nothing written", ch.File, err)
			}
			done = append(done, undo{file: ch.File, old: ch.old})
		}
		for _, a := range ch.Attachments {
			if err := p.confined(a); err != nil {
				rollback()
				return err
			}
			aabs := filepath.Join(p.root, filepath.FromSlash(a))
			if err := atomicfile.CreateNew(aabs, p.atts[a], 0o644); err != nil {
				rollback()
				return fmt.Errorf("cannot create %s: %v; nothing written", a, err)
			}
			done = append(done, undo{file: a})
		}
	}
	if res.Config != nil {
		abs := filepath.Join(p.root, config.FileName)
		var err error
		if res.hadConfig {
			err = atomicfile.WriteFile(abs, res.Config, 0o644)
		} else {
			err = atomicfile.CreateNew(abs, res.Config, 0o644)
		}
		if err != nil {
			rollback()
			return fmt.Errorf("cannot write %s: %v; nothing written", config.FileName, err)
		}
	}
	return nil
}

// confined checks that rel, after symbolic links, stays inside the project root.
func (p *Plan) confined(rel string) error {
	root, err := filepath.EvalSymlinks(p.root)
	if err != nil {
		return err
	}
	dir := filepath.Join(p.root, filepath.FromSlash(path.Dir(rel)))
	// Resolve the deepest existing ancestor.
	for d := dir; ; d = filepath.Dir(d) {
		if real, err := filepath.EvalSymlinks(d); err == nil {
			if real != root && !strings.HasPrefix(real, root+string(filepath.Separator)) {
				return fmt.Errorf("%s: its folder leads outside the project through a symbolic link; nothing written", rel)
			}
			return nil
		}
		if d == filepath.Dir(d) || len(d) <= len(p.root) {
			return nil
		}
	}
}

// equalValues compares decoded values, numbers by value.
func equalValues(a, b any) bool {
	return reflect.DeepEqual(normal(a), normal(b))
}

func normal(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return l
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normal(e)
		}
		return l
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normal(e)
		}
		return m
	case SourceRef:
		return string(x)
	}
	return v
}
