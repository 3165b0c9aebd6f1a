package exchange

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/internal/parallel"
	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/author"
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
	Config []byte
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
	plan   *author.Plan
	// unaccepted collects the release-unaccepted findings of the last check.
	unaccepted []string
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
					if gone[s.origin(it.Origin.System)] {
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
		if !rec.Parsed() {
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
		// The keys of fields to declare, sorted: the same order every run.
		var undeclared []string
		for k := range it.Set {
			top, _, _ := strings.Cut(k, ".")
			if _, builtin := base.Shape.Props[top]; builtin {
				continue
			}
			if _, ok := cfg.Fields[it.Kind][top]; ok {
				continue
			}
			undeclared = append(undeclared, k)
		}
		slices.Sort(undeclared)
		for _, k := range undeclared {
			top, _, _ := strings.Cut(k, ".")
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
		v, err := schema.Extended(string(k), schema.Extension{Fields: m, Values: cfg.Extension(k).Values})
		if err != nil {
			return nil, nil, fmt.Errorf("fields: %v", err)
		}
		validators[k] = v
	}

	// 5. Stage every record in the authoring layer's plan. References to pin (SPEC §11) need
	// their targets' fingerprints as the import leaves them: when there are any, the records
	// are staged a second time, on a fresh plan, with the pins filled in.
	res.Declared = declOrder
	nProblems := len(res.Problems)
	badBefore := maps.Clone(badSet)
	var ap *author.Plan
	for pass := 0; ; pass++ {
		var fps map[string]string
		if pass == 1 {
			fps = map[string]string{}
			for _, rec := range r.Records {
				if rec.Fingerprint != "" {
					fps[rec.ID] = rec.Fingerprint
				}
			}
			for _, ch := range res.Changes {
				if rec := ap.Record(ch.File); rec != nil && rec.Fingerprint != "" {
					fps[rec.ID] = rec.Fingerprint
				}
			}
			res.Problems, badSet, res.Changes, p.atts = res.Problems[:nProblems], maps.Clone(badBefore), nil, map[string][]byte{}
		}
		var wanted bool
		var err error
		if ap, wanted, err = p.stage(r, root, items, targets, declare, declOrder, validators, idOf, badSet, problem, fps, opts); err != nil {
			return nil, nil, err
		}
		if !wanted || pass == 1 {
			break
		}
	}
	p.plan = ap

	// What the plan does to each record.
	staged := map[string]author.FileChange{}
	for _, fc := range ap.Describe() {
		staged[fc.File] = fc
	}
	byFile := map[string]int{}
	for ci := range res.Changes {
		ch := &res.Changes[ci]
		byFile[ch.File] = ch.item
		fc, ok := staged[ch.File]
		switch {
		case !ok && ch.Op != Create:
			ch.Op = Unchanged
		case ok:
			if ch.Op != Create {
				ch.Op = Update
			}
			ch.Body = fc.Body
			for _, f := range fc.Fields {
				if f.Path == "id" && ch.Op == Update {
					continue
				}
				ch.Fields = append(ch.Fields, FieldChange{Path: f.Path, Old: f.Old, New: f.New, Removed: f.New == "" && f.Old != ""})
			}
		}
	}
	if _, ok := staged[config.FileName]; ok {
		res.Config, _ = ap.File(config.FileName)
	}
	return p.check(items, ap, staged, byFile, validators, badSet, problem)
}

// createBatch is how many records are created at a time (author.Plan.CreateAll).
const createBatch = 256

// prepareWindow is how many items prepareItems works out at a time.
const prepareWindow = 512

// prepared is what an item's record is made of, worked out before it is staged: its fields
// with the references resolved (and pinned), the references that resolve to nothing (key,
// source id), and for a new record its front matter and body.
type prepared struct {
	set      map[string]any
	missing  [][2]string
	wanted   bool
	front    *yaml.Node
	frontErr error
	body     string
}

// prepareItems works out, on every core, what the records of items (the items from index
// lo on, with their targets) are made of, reusing out; items without a target or marked bad
// are left out.
func prepareItems(items []Item, targets []*target, lo int, badSet map[int]bool, idOf map[Origin]string, pinAll bool, fps map[string]string, out []prepared) []prepared {
	out = slices.Grow(out[:0], len(items))[:len(items)]
	var todo []int
	for k, t := range targets {
		out[k] = prepared{}
		if t != nil && !badSet[lo+k] {
			todo = append(todo, k)
		}
	}
	parallel.For(len(todo), parallel.Workers(len(todo), 32), func(_, n int) {
		k := todo[n]
		it, t, pr := &items[k], targets[k], &out[k]
		pr.set = map[string]any{}
		for key, val := range it.Set {
			val, missing := resolveRefs(val, it.Origin.System, idOf)
			if missing != "" {
				pr.missing = append(pr.missing, [2]string{key, missing})
				continue
			}
			pr.set[key] = val
		}
		if len(pr.missing) > 0 {
			return
		}
		pr.wanted = pinRefs(pr.set, it.Pins, pinAll, fps)
		if t.rec == nil {
			pr.front, pr.frontErr = author.Node(nest(pr.set, t.origin))
			if it.Body != nil {
				pr.body = bodyText(*it.Body)
			}
		}
	})
	return out
}

// stage stages every valid item's record on a new authoring plan; fps, when set, holds the
// fingerprints of the requirements by id, to pin references with. wanted reports whether an
// item has a reference to pin.
func (p *Plan) stage(r *repo.Repo, root string, items []Item, targets []*target, declare map[record.Kind]map[string]map[string]any, declOrder []string,
	validators map[record.Kind]*schema.Validator, idOf map[Origin]string, badSet map[int]bool, problem func(int, Pos, string, ...any),
	fps map[string]string, opts Options) (ap *author.Plan, wanted bool, err error) {
	res := p.Result
	cfg := r.Config
	ap, err = author.NewPlan(root, r, author.Options{Lint: p.lintFor(r, opts)})
	if err != nil {
		return nil, false, err
	}
	for _, kf := range declOrder {
		kind, field, _ := strings.Cut(kf, ".")
		if err := ap.DeclareField(record.Kind(kind), field, declare[record.Kind(kind)][field]); err != nil {
			return nil, false, fmt.Errorf("%s: %v", config.FileName, err)
		}
	}
	// staged is an item's change, with its draft's index among drafts when it creates a
	// record (-1 for an update).
	type staged struct {
		ch    Change
		draft int
	}
	var pending []staged
	// Created records are staged in batches, so that the node trees of 10,000 drafts are
	// not all alive at once.
	var drafts []author.Draft
	var createErrs []error
	flush := func() {
		_, errs := ap.CreateAll(drafts)
		createErrs = append(createErrs, errs...)
		drafts = nil
	}
	// The items are taken a window at a time: what each one's record is made of (its fields
	// with references resolved, the front matter and body of a new record) is worked out on
	// every core, then the window is staged in source order.
	var win []prepared
	for lo := 0; lo < len(targets); lo += prepareWindow {
		hi := min(lo+prepareWindow, len(targets))
		win = prepareItems(items[lo:hi], targets[lo:hi], lo, badSet, idOf, cfg.PinLinks, fps, win)
		for k := range win {
			i, pr := lo+k, &win[k]
			t := targets[i]
			if t == nil || badSet[i] {
				continue
			}
			it := &items[i]
			v := validators[it.Kind]
			for _, m := range pr.missing {
				problem(i, it.posOf(m[0]), "%s: %q is not an item of this import nor the origin of a record", m[0], m[1])
			}
			if badSet[i] {
				continue
			}
			if pr.wanted {
				wanted = true
			}
			ch := Change{Kind: it.Kind, ID: t.id, File: t.file, Pos: it.Pos, item: i}
			if t.rec == nil {
				ch.Op = Create
				if pr.frontErr != nil {
					problem(i, it.Pos, "%s: %v", t.id, pr.frontErr)
					continue
				}
				sub := path.Dir(strings.TrimPrefix(t.file, cfg.Kinds[it.Kind].Dir+"/"))
				if sub == "." {
					sub = ""
				}
				pending = append(pending, staged{ch: ch, draft: len(createErrs) + len(drafts)})
				drafts = append(drafts, author.Draft{Kind: it.Kind, Dir: sub, ID: t.id, Front: pr.front, Body: pr.body})
				if len(drafts) == createBatch {
					flush()
				}
				continue
			}
			edits := changedFields(t.rec, pr.set, it.Remove, v.Shape, declare[it.Kind])
			if it.Body != nil && normBody(*it.Body) != "" && normBody(*it.Body) != normBody(t.rec.Body) {
				edits = append(edits, author.Body(bodyText(*it.Body)))
			}
			if len(edits) > 0 {
				if err := ap.Update(t.file, edits...); err != nil {
					problem(i, it.Pos, "%s: %v", t.id, err)
					continue
				}
			}
			pending = append(pending, staged{ch: ch, draft: -1})
		}
	}
	// The created records, encoded and parsed on every core; then, in source order, what
	// each item writes.
	flush()
	for _, st := range pending {
		ch, i := st.ch, st.ch.item
		it := &items[i]
		if st.draft >= 0 && createErrs[st.draft] != nil {
			problem(i, it.Pos, "%s: %v", ch.ID, createErrs[st.draft])
			continue
		}
		for _, a := range it.Attachments {
			name := SafeName(a.Name)
			if name == "" {
				problem(i, it.Pos, "attachment %q has no usable file name", a.Name)
				continue
			}
			at := path.Join(path.Dir(ch.File), ch.ID+".files", name)
			if _, dup := p.atts[at]; dup {
				continue
			}
			if old, err := fs.ReadFile(r.FS, at); err == nil && bytes.Equal(old, a.Data) {
				continue
			}
			p.atts[at] = a.Data
			ch.Attachments = append(ch.Attachments, at)
		}
		res.Changes = append(res.Changes, ch)
	}
	return ap, wanted, nil
}

// check runs the full lint of the result over the plan's overlay of the work tree and
// reports its errors at the items' source positions.
func (p *Plan) check(items []Item, ap *author.Plan, staged map[string]author.FileChange, byFile map[string]int,
	validators map[record.Kind]*schema.Validator, badSet map[int]bool, problem func(int, Pos, string, ...any)) (*Plan, []int, error) {
	res := p.Result
	// 6. The full lint of the result, over the plan's overlay of the work tree.
	if len(staged) > 0 {
		for _, d := range ap.Check().InPlan() {
			if d.Severity != diag.Error {
				continue
			}
			if d.File() == config.FileName {
				res.Problems = append(res.Problems, Problem{Pos: Pos{File: config.FileName, Line: d.Range.Start.Line, Column: d.Range.Start.Column}, Message: d.Message + " [" + d.Rule + "]"})
				continue
			}
			i, ours := byFile[d.File()]
			if !ours {
				continue
			}
			at := items[i].Pos
			data, _ := ap.File(d.File())
			if rec, _ := record.Parse(d.File(), items[i].Kind, data, validators[items[i].Kind].Shape); rec != nil && rec.Parsed() {
				at = fieldPos(&items[i], rec, d.Range.Start)
			}
			problem(i, at, "%s would not lint: %s:%d:%d: %s [%s]", d.ID, d.File(), d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Rule)
		}
		res.Unaccepted = p.unaccepted
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

// recordOrigin reads a record's origin from its fields (no node tree: the loader drops
// them, and every record of the project is asked).
func recordOrigin(rec *record.Record) Origin {
	m, _ := rec.Fields()["origin"].(map[string]any)
	str := func(k string) string {
		switch v := m[k].(type) {
		case string:
			return v
		case nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	return Origin{System: str("system"), ID: str("id"), URL: str("url")}
}

// resolveRefs replaces SourceRefs in v by record ids; missing is the first that resolves to
// nothing.
func resolveRefs(v any, system string, idOf map[Origin]string) (out any, missing string) {
	switch x := v.(type) {
	case SourceRef:
		o := x.origin(system)
		id, ok := idOf[o]
		if !ok {
			return nil, o.ID
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

// Apply writes the plan all or nothing through the authoring layer: created records with
// O_EXCL, updated records and reqtrail.yaml atomically; attachments first, removed again when
// a record cannot be written.
func (p *Plan) Apply() error {
	if !p.OK() {
		return fmt.Errorf("the import has problems; nothing written")
	}
	if p.plan == nil {
		return nil
	}
	var made []string
	undo := func() {
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i])
		}
	}
	for _, ch := range p.Result.Changes {
		for _, a := range ch.Attachments {
			if err := p.confined(a); err != nil {
				undo()
				return err
			}
			abs := filepath.Join(p.root, filepath.FromSlash(a))
			if err := atomicfile.CreateNew(abs, p.atts[a], 0o644); err != nil {
				undo()
				return fmt.Errorf("cannot create %s: %v; nothing written", a, err)
			}
			made = append(made, abs)
		}
	}
	if err := p.plan.Apply(); err != nil {
		undo()
		return err
	}
	return nil
}

// lintFor is the lint the authoring plan checks with: the caller's, with the findings the
// import is not to blame for made warnings — release-unaccepted on the requirements it
// writes (the import never writes acceptances; the summary lists them) and findings the
// files it updates had before.
func (p *Plan) lintFor(base *repo.Repo, opts Options) func(*repo.Repo) []diag.Diagnostic {
	run := opts.Lint
	if run == nil {
		run = func(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }
	}
	return func(r *repo.Repo) []diag.Diagnostic {
		ds := run(r)
		var before map[string]bool
		p.unaccepted = nil
		for i := range ds {
			d := &ds[i]
			if d.Severity != diag.Error {
				continue
			}
			if d.Rule == "release-unaccepted" {
				d.Severity = diag.Warning
				p.unaccepted = append(p.unaccepted, d.ID)
				continue
			}
			if _, err := fs.Stat(base.FS, d.File()); err != nil {
				continue // a file the import creates
			}
			if before == nil {
				before = map[string]bool{}
				for _, b := range run(base) {
					before[b.File()+"\x00"+b.Rule+"\x00"+b.Message] = true
				}
			}
			if before[d.File()+"\x00"+d.Rule+"\x00"+d.Message] {
				d.Severity = diag.Warning // it was there before the import
			}
		}
		return ds
	}
}

// fieldPos maps a position in a staged record back to the cell of the field there.
func fieldPos(it *Item, rec *record.Record, at pos.Position) Pos {
	best := ""
	for k := range it.At {
		parts := strings.Split(k, ".")
		same := func(p pos.Position) bool { return p.Line == at.Line }
		if (same(rec.PosOf(parts...)) || same(rec.KeyPos(parts...))) && len(k) > len(best) {
			best = k
		}
	}
	if best != "" {
		return it.At[best]
	}
	return it.Pos
}

// nest turns dotted field paths into nested mappings, with origin last.
func nest(set map[string]any, o Origin) map[string]any {
	out := map[string]any{}
	for k, v := range set {
		if k == "id" || k == "origin" || strings.HasPrefix(k, "origin.") {
			continue
		}
		parts := strings.Split(k, ".")
		m := out
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	if !o.IsZero() {
		om := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle} // origin: {system: …, id: …}
		for _, kv := range [][2]string{{"system", o.System}, {"id", o.ID}, {"url", o.URL}} {
			if kv[1] != "" {
				om.Content = append(om.Content, author.String(kv[0]), author.String(kv[1]))
			}
		}
		out["origin"] = om
	}
	return out
}

// changedFields returns the edits that make rec's fields what set and remove say, leaving
// out the fields that already have those values.
//
// The values are compared as the record's fields (decoded with the shape it was loaded with,
// which is shape wherever the import declares no new field); a field the import declares
// is read from its node, decoded with shape.
func changedFields(rec *record.Record, set map[string]any, remove []string, shape *record.Shape, declared map[string]map[string]any) []author.Edit {
	fields := rec.Fields()
	current := func(parts []string) (any, bool) {
		if _, isNew := declared[parts[0]]; isNew {
			n := rec.ValueNode(parts...)
			if n == nil {
				return nil, false
			}
			return record.Value(n, shape.At(parts...)), true
		}
		var v any = fields
		for _, p := range parts {
			m, isMap := v.(map[string]any)
			if !isMap {
				return nil, false
			}
			if v, isMap = m[p]; !isMap {
				return nil, false
			}
		}
		return v, true
	}
	var edits []author.Edit
	for _, k := range sortedKeys(set) {
		if k == "id" || k == "origin" || strings.HasPrefix(k, "origin.") {
			continue
		}
		if old, ok := current(strings.Split(k, ".")); ok && equalValues(old, set[k]) {
			continue
		}
		edits = append(edits, author.Set(k, set[k]))
	}
	rm := slices.Clone(remove)
	sort.Strings(rm)
	for _, k := range rm {
		if _, ok := current(strings.Split(k, ".")); ok {
			edits = append(edits, author.Remove(k))
		}
	}
	return edits
}

// confined checks that rel, after symbolic links, stays inside the project root.
func (p *Plan) confined(rel string) error {
	root, err := filepath.EvalSymlinks(p.root)
	if err != nil {
		return err
	}
	for d := filepath.Join(p.root, filepath.FromSlash(path.Dir(rel))); ; d = filepath.Dir(d) {
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
	case *yaml.Node:
		return normal(record.Value(x, nil))
	}
	return v
}

// pinRefs pins the parent and the links in set that are to be pinned (pins, else pinAll) with
// their target's fingerprint from fps, when fps is set; it reports whether there is a
// reference to pin.
func pinRefs(set map[string]any, pins map[string]bool, pinAll bool, fps map[string]string) bool {
	want := func(key string) bool {
		if v, ok := pins[key]; ok {
			return v
		}
		return pinAll
	}
	found := false
	if id, ok := set["parent"].(string); ok && want("parent") {
		found = true
		if fp := fps[id]; fp != "" {
			// The pinned form of SPEC §3: parent: {id: REQ-0001, fingerprint: 3b1f0c9e8d21}.
			set["parent"] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle,
				Content: []*yaml.Node{author.String("id"), author.String(id), author.String("fingerprint"), author.String(fp)}}
		}
	}
	if links, ok := set["links"].([]any); ok {
		var out []any
		for i, l := range links {
			m, isMap := l.(map[string]any)
			to, isID := m["to"].(string)
			if _, pinned := m["fingerprint"]; !isMap || !isID || pinned || !want("links."+strconv.Itoa(i)) {
				out = append(out, l)
				continue
			}
			found = true
			if fp := fps[to]; fp != "" {
				m = maps.Clone(m)
				m["fingerprint"] = fp
			}
			out = append(out, m)
		}
		set["links"] = out
	}
	return found
}
