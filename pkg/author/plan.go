package author

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/ids"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

// Plan stages creations and updates of records (and edits of reqtrail.yaml) in memory. Check
// runs the full lint on the work tree as the plan would leave it; Describe lists what would
// change, file by file and field by field (for --dry-run); Apply writes it all or nothing.
//
// A Plan is not safe for concurrent use.
type Plan struct {
	root  string
	base  *repo.Repo
	lint  func(*repo.Repo) []diag.Diagnostic
	files map[string]*change
	ids   map[string]bool // ids of the staged files
	order []string
	next  map[record.Kind]int
	// Warning is set when not every git branch could be read to allocate ids.
	Warning error
	checked *Result
	// shapes caches the schema shape of each kind under the configuration the plan would
	// leave (reset when reqtrail.yaml is staged), so a created record is parsed once, with
	// the shape the loader uses: Check takes it over instead of parsing it again.
	shapes map[record.Kind]*record.Shape
}

// change is what the plan does to one file.
type change struct {
	file    string
	kind    record.Kind // "" for reqtrail.yaml
	id      string
	old     []byte // nil when the plan creates the file
	data    []byte
	fields  []FieldChange
	body    bool
	created bool
	rec     *record.Record // data parsed, for Check; nil when not parsed
}

// Options tune a Plan.
type Options struct {
	// Lint runs the lint rules on a loaded repo; the default is lint.Run without extras.
	// Commands pass their own to include the rules that need the trace graph.
	Lint func(*repo.Repo) []diag.Diagnostic
}

// NewPlan starts an empty plan for the project at root, loaded as base (repo.Load of the
// work tree at root). It fails when the project's reqtrail.yaml does not load.
func NewPlan(root string, base *repo.Repo, opts Options) (*Plan, error) {
	if err := ConfigError(base); err != nil {
		return nil, err
	}
	p := &Plan{root: root, base: base, lint: opts.Lint, files: map[string]*change{}, ids: map[string]bool{}, next: map[record.Kind]int{}}
	if p.lint == nil {
		p.lint = func(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }
	}
	return p, nil
}

// Create stages a new record and returns its id: d.ID when set (an error if a record has
// it), else the next free id of the kind, counting every git branch and the records the plan
// already creates. The record is encoded canonically (Encode) and must parse; whether it
// passes the schema and the rules is for Check to say.
func (p *Plan) Create(d Draft) (string, error) {
	if d.Front == nil || d.Front.Kind != yaml.MappingNode {
		return "", errors.New("the front matter of a new record must be a mapping")
	}
	dir, err := Folder(p.root, p.base, d.Kind, d.Dir)
	if err != nil {
		return "", err
	}
	id := d.ID
	if id == "" {
		if id, err = p.allocate(d.Kind); err != nil {
			return "", err
		}
	} else if !p.base.Config.ValidID(d.Kind, id) {
		return "", fmt.Errorf("%s is not an id of a %s (%s-%0*d…)", id, KindNoun(d.Kind), p.base.Config.Kinds[d.Kind].Prefix, p.base.Config.Kinds[d.Kind].Digits, 1)
	} else if p.taken(id) {
		return "", fmt.Errorf("%s already exists", id)
	}
	data, tree, err := encodeOwned(d.Kind, withID(d.Front, id), d.Body)
	if err != nil {
		return "", err
	}
	file := path.Join(dir, id+".md")
	rec, perr := newRecord(file, d.Kind, data, tree, p.shape(d.Kind))
	if perr != nil {
		return "", fmt.Errorf("the new %s %s would not parse (%d:%d: %s)", KindNoun(d.Kind), id, perr.Pos.Line, perr.Pos.Column, perr.Message)
	}
	if _, err := os.Lstat(filepath.Join(p.root, filepath.FromSlash(file))); err == nil || p.files[file] != nil {
		return "", fmt.Errorf("%s already exists; not overwriting it", file)
	}
	p.stage(newChange(file, d, id, data, rec))
	return id, nil
}

// CreateAll stages the drafts as Create does, in order, and returns each one's id or error;
// the records are encoded and parsed on every core (an import creates thousands). An id is
// taken from the moment its draft is read, even when the draft then fails.
func (p *Plan) CreateAll(drafts []Draft) (ids []string, errs []error) {
	ids, errs = make([]string, len(drafts)), make([]error, len(drafts))
	type job struct {
		file string
		c    *change
		// dirExists is false when the record's folder does not exist: the file cannot either.
		dirExists bool
	}
	jobs := make([]job, len(drafts))
	// The folders, each looked at once (an import creates thousands of records in a few
	// hundred folders).
	type folderOf struct {
		rel    string
		exists bool
		err    error
	}
	folders := map[[2]string]folderOf{}
	// In order: the folder and the id, as Create finds them.
	for i, d := range drafts {
		if d.Front == nil || d.Front.Kind != yaml.MappingNode {
			errs[i] = errors.New("the front matter of a new record must be a mapping")
			continue
		}
		key := [2]string{string(d.Kind), d.Dir}
		fo, seen := folders[key]
		if !seen {
			fo.rel, fo.exists, fo.err = folder(p.root, p.base, d.Kind, d.Dir)
			folders[key] = fo
		}
		if fo.err != nil {
			errs[i] = fo.err
			continue
		}
		dir := fo.rel
		id := d.ID
		if id == "" {
			var err error
			if id, err = p.allocate(d.Kind); err != nil {
				errs[i] = err
				continue
			}
		} else if !p.base.Config.ValidID(d.Kind, id) {
			errs[i] = fmt.Errorf("%s is not an id of a %s (%s-%0*d…)", id, KindNoun(d.Kind), p.base.Config.Kinds[d.Kind].Prefix, p.base.Config.Kinds[d.Kind].Digits, 1)
			continue
		} else if p.taken(id) {
			errs[i] = fmt.Errorf("%s already exists", id)
			continue
		}
		ids[i] = id
		p.ids[id] = true
		p.shape(d.Kind) // computed here: the workers only read the cache
		jobs[i].file, jobs[i].dirExists = path.Join(dir, id+".md"), fo.exists
	}
	// On every core: encode, build the record, and list the fields written.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(drafts); i += workers {
				if errs[i] != nil {
					continue
				}
				d, j := drafts[i], &jobs[i]
				data, tree, err := encodeOwned(d.Kind, withID(d.Front, ids[i]), d.Body)
				if err != nil {
					errs[i] = err
					continue
				}
				rec, perr := newRecord(j.file, d.Kind, data, tree, p.shapes[d.Kind])
				if perr != nil {
					errs[i] = fmt.Errorf("the new %s %s would not parse (%d:%d: %s)", KindNoun(d.Kind), ids[i], perr.Pos.Line, perr.Pos.Column, perr.Message)
					continue
				}
				j.c = newChange(j.file, d, ids[i], data, rec)
			}
		})
	}
	wg.Wait()
	// In order: nothing may be overwritten.
	for i := range drafts {
		if errs[i] != nil {
			continue
		}
		j := jobs[i]
		if p.files[j.file] != nil || j.dirExists && exists(filepath.Join(p.root, filepath.FromSlash(j.file))) {
			errs[i] = fmt.Errorf("%s already exists; not overwriting it", j.file)
			continue
		}
		p.stage(j.c)
	}
	return ids, errs
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

// newChange is the staged creation of a record encoded as data and parsed as rec.
func newChange(file string, d Draft, id string, data []byte, rec *record.Record) *change {
	c := &change{file: file, kind: d.Kind, id: id, data: data, created: true, body: d.Body != "", rec: rec}
	if t := rec.Tree(); t != nil {
		for i := 0; i+1 < len(t.Content); i += 2 {
			c.fields = append(c.fields, FieldChange{Path: t.Content[i].Value, New: compact(t.Content[i+1])})
		}
	}
	rec.DropFields() // the loader decodes them again to validate: 10,000 maps are not kept meanwhile
	return c
}

// CreateFile stages a new file with exactly data: a record written by hand (a scaffold) or a
// file that is not a record. It fails when the file exists.
func (p *Plan) CreateFile(file string, data []byte) error {
	if !fs.ValidPath(file) || file == "." {
		return fmt.Errorf("%s is not a path inside the project", file)
	}
	if _, err := os.Lstat(filepath.Join(p.root, filepath.FromSlash(file))); err == nil || p.files[file] != nil {
		return fmt.Errorf("%s already exists; not overwriting it", file)
	}
	kind, _ := p.base.Config.KindOfDir(file)
	id := ""
	if rec, _ := record.Parse(file, kind, data, nil); rec != nil {
		id = rec.ID
	}
	p.stage(&change{file: file, kind: kind, id: id, data: slices.Clone(data), created: true})
	return nil
}

// ReplaceFile stages new content for an existing file that is not a record (a .gitignore):
// the whole file is replaced. Records are changed with Update.
func (p *Plan) ReplaceFile(file string, data []byte) error {
	if !fs.ValidPath(file) || file == "." {
		return fmt.Errorf("%s is not a path inside the project", file)
	}
	c := p.files[file]
	if c == nil {
		abs := filepath.Join(p.root, filepath.FromSlash(file))
		fi, err := os.Lstat(abs)
		if err != nil {
			return fmt.Errorf("cannot read %s: %v", file, unwrap(err))
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", file)
		}
		old, err := os.ReadFile(abs)
		if err != nil {
			return fmt.Errorf("cannot read %s: %v", file, unwrap(err))
		}
		c = &change{file: file, old: old}
	}
	c.data = slices.Clone(data)
	p.stage(c)
	return nil
}

func (p *Plan) taken(id string) bool {
	return p.base.ByID[id] != nil || p.ids[id]
}

func (p *Plan) allocate(kind record.Kind) (string, error) {
	n, ok := p.next[kind]
	if !ok {
		u, err := ids.Scan(p.base, p.root, kind)
		if err != nil {
			p.Warning = err
		}
		n = u.Max() + 1
	}
	for ; ; n++ {
		id := p.base.Config.FormatID(kind, n)
		if !p.taken(id) {
			p.next[kind] = n + 1
			return id, nil
		}
	}
}

// Update stages edits of the existing record file (a slash path relative to the project
// root, as record.Record.File). Only the lines of the fields edited change: comments, unknown
// keys, blank lines and the body stay byte for byte. Setting a field to the value it has is
// not a change.
func (p *Plan) Update(file string, edits ...Edit) error {
	c, err := p.open(file)
	if err != nil {
		return err
	}
	ext := strings.ToLower(path.Ext(file))
	e := &editor{file: file, kind: c.kind, yamlOnly: ext == ".yaml" || ext == ".yml", data: c.data}
	for _, ed := range edits {
		if err := e.apply(ed); err != nil {
			return err
		}
	}
	if bytes.Equal(e.data, c.data) {
		return nil
	}
	c.data = e.data
	c.rec = nil
	c.fields = mergeChanges(c.fields, e.changes)
	c.body = c.body || e.body
	p.stage(c)
	return nil
}

// open returns the staged change of file, or a new one holding its current content.
func (p *Plan) open(file string) (*change, error) {
	if c := p.files[file]; c != nil {
		return c, nil
	}
	if !fs.ValidPath(file) {
		return nil, fmt.Errorf("%s is not a path inside the project", file)
	}
	var kind record.Kind
	id := ""
	if file != config.FileName {
		var rec *record.Record
		for _, r := range p.base.Records {
			if r.File == file {
				rec = r
			}
		}
		if rec == nil {
			return nil, fmt.Errorf("%s is not a record of the project", file)
		}
		kind, id = rec.Kind, rec.ID
	}
	abs := filepath.Join(p.root, filepath.FromSlash(file))
	fi, err := os.Lstat(abs)
	if err != nil {
		if file == config.FileName && errors.Is(err, fs.ErrNotExist) {
			return &change{file: file, created: true}, nil
		}
		return nil, fmt.Errorf("cannot read %s: %v", file, unwrap(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", file)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", file, unwrap(err))
	}
	return &change{file: file, kind: kind, id: id, old: data, data: data}, nil
}

func (p *Plan) stage(c *change) {
	if p.files[c.file] == nil {
		p.order = append(p.order, c.file)
	}
	if c.id != "" {
		p.ids[c.id] = true // the ids the plan stages, for taken
	}
	p.files[c.file] = c
	p.checked = nil
	if c.file == config.FileName {
		p.shapes = nil
	}
}

// Record returns the record the plan stages in file, parsed as Check loads it; nil when the
// plan does not stage file or it does not parse.
func (p *Plan) Record(file string) *record.Record {
	c := p.files[file]
	if c == nil || c.kind == "" {
		return nil
	}
	if c.rec == nil {
		rec, perr := record.Parse(file, c.kind, c.data, p.shape(c.kind))
		if perr != nil {
			return nil
		}
		rec.DropFields()
		c.rec = rec
	}
	return c.rec
}

// shape returns the schema shape of kind under the configuration the plan would leave: the
// shape the loader parses the kind's records with in Check.
func (p *Plan) shape(kind record.Kind) *record.Shape {
	if s, ok := p.shapes[kind]; ok {
		return s
	}
	cfg := p.base.Config
	if c := p.files[config.FileName]; c != nil {
		cfg, _ = config.Load(&Overlay{Base: os.DirFS(p.root), Files: map[string][]byte{config.FileName: c.data}})
	}
	v, err := schema.For(string(kind), cfg.Fields[kind])
	if err != nil {
		v, err = schema.For(string(kind), nil) // as the loader does: config.Load reported the bad fields
	}
	var s *record.Shape
	if err == nil {
		s = v.Shape
	}
	if p.shapes == nil {
		p.shapes = map[record.Kind]*record.Shape{}
	}
	p.shapes[kind] = s
	return s
}

func mergeChanges(prev, next []FieldChange) []FieldChange {
	for _, n := range next {
		i := slices.IndexFunc(prev, func(f FieldChange) bool { return f.Path == n.Path })
		if i < 0 {
			prev = append(prev, n)
			continue
		}
		prev[i].New = n.New
	}
	return slices.DeleteFunc(prev, func(f FieldChange) bool { return f.Old == f.New })
}

// DeclareField stages the declaration of a custom field of kind in reqtrail.yaml
// (fields: KIND: NAME: schema), keeping the file's comments and key order; the file is
// created when missing. Declaring a field again with the same schema does nothing; with
// another schema it is an error.
func (p *Plan) DeclareField(kind record.Kind, name string, schema map[string]any) error {
	if _, ok := p.base.Config.Kinds[kind]; !ok {
		return fmt.Errorf("unknown kind of record %q", kind)
	}
	c, err := p.open(config.FileName)
	if err != nil {
		return err
	}
	if c.created && len(c.data) == 0 {
		c.data = []byte("# reqtrail project configuration; every key is optional.\n")
	}
	want, err := Node(schema)
	if err != nil {
		return err
	}
	if want.Kind == yaml.MappingNode && allScalars(want, true) {
		want.Style = yaml.FlowStyle // name: {type: string}
	}
	if cur := currentField(c.data, kind, name); cur != nil {
		if sameValue(cur, want) {
			return nil
		}
		return fmt.Errorf("%s already declares fields.%s.%s as %s, not %s", config.FileName, kind, name, compact(cur), compact(want))
	}
	e := &editor{file: config.FileName, yamlOnly: true, data: c.data}
	if len(bytes.TrimSpace(stripComments(c.data))) == 0 {
		// A file of comments only: the first key is appended.
		node := want
		lines := e.render("fields", nest([]string{string(kind), name}, node), 0)
		data := c.data
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(data, '\n')
		}
		e.data = append(slices.Clone(data), join(lines)...)
		e.changes = []FieldChange{{Path: "fields." + string(kind) + "." + name, New: compact(node)}}
	} else if err := e.apply(SetPath([]string{"fields", string(kind), name}, want)); err != nil {
		return err
	}
	c.data = e.data
	c.fields = mergeChanges(c.fields, e.changes)
	p.stage(c)
	return nil
}

func currentField(data []byte, kind record.Kind, name string) *yaml.Node {
	rec, perr := record.Parse(config.FileName, "", data, nil)
	if perr != nil || !rec.Parsed() {
		return nil
	}
	return lookupNode(rec.Tree(), []string{"fields", string(kind), name})
}

func stripComments(data []byte) []byte {
	var out bytes.Buffer
	for l := range strings.SplitSeq(string(data), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			out.WriteString(l + "\n")
		}
	}
	return out.Bytes()
}

// Result is what Check found.
type Result struct {
	// Repo is the project as the plan would leave it.
	Repo *repo.Repo
	// Diagnostics are every finding of the full lint on it.
	Diagnostics []diag.Diagnostic
	files       map[string]bool
}

// InPlan returns the diagnostics on files the plan creates or changes.
func (r *Result) InPlan() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range r.Diagnostics {
		if r.files[d.File()] {
			out = append(out, d)
		}
	}
	return out
}

// Errors returns the error-severity diagnostics on files the plan creates or changes: Apply
// refuses to write while there are any.
func (r *Result) Errors() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range r.InPlan() {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}

// Overlay returns the work tree as the plan would leave it.
func (p *Plan) Overlay() *Overlay {
	files := make(map[string][]byte, len(p.files))
	for f, c := range p.files {
		files[f] = c.data
	}
	return &Overlay{Base: os.DirFS(p.root), Files: files}
}

// Check loads the project as the plan would leave it, with the loader every command uses,
// and runs the full lint on it.
func (p *Plan) Check() *Result {
	if p.checked != nil {
		return p.checked
	}
	parsed := map[string]*record.Record{}
	for f, c := range p.files {
		if c.rec != nil {
			parsed[f] = c.rec
		}
	}
	// Untouched records are taken over from the base load (when the configuration is the
	// same), the staged ones as parsed when they were staged: each file is parsed once.
	r := repo.LoadWith(p.Overlay(), repo.Options{Parsed: parsed, Reuse: p.base})
	res := &Result{Repo: r, Diagnostics: p.lint(r), files: map[string]bool{}}
	for f := range p.files {
		res.files[f] = true
	}
	p.checked = res
	return res
}

// FileChange describes what the plan does to one file.
type FileChange struct {
	File   string      // slash path relative to the project root
	Action string      // "create" or "update"
	Kind   record.Kind // "" for reqtrail.yaml
	ID     string
	// Fields lists the fields a creation writes (in file order) or an update sets or
	// removes (in the order they were edited).
	Fields []FieldChange
	// Body is true when the Markdown body is written (created or replaced).
	Body bool
}

// Describe lists what the plan would write, in the order the files were first staged.
func (p *Plan) Describe() []FileChange {
	var out []FileChange
	for _, f := range p.order {
		c := p.files[f]
		fc := FileChange{File: f, Action: "update", Kind: c.kind, ID: c.id, Fields: slices.Clone(c.fields), Body: c.body}
		if c.created {
			fc.Action = "create"
		}
		out = append(out, fc)
	}
	return out
}

// WriteText writes Describe as text: one line per file, then one indented line per field.
func WriteText(w io.Writer, changes []FileChange) error {
	for _, c := range changes {
		what := c.ID
		switch {
		case what != "":
		case c.File == config.FileName:
			what = "configuration"
		default:
			what = "file"
		}
		if _, err := fmt.Fprintf(w, "%s %s (%s)\n", c.Action, c.File, what); err != nil {
			return err
		}
		for _, f := range c.Fields {
			var err error
			switch {
			case f.Old == "":
				_, err = fmt.Fprintf(w, "  + %s: %s\n", f.Path, f.New)
			case f.New == "":
				_, err = fmt.Fprintf(w, "  - %s: %s\n", f.Path, f.Old)
			default:
				_, err = fmt.Fprintf(w, "  ~ %s: %s → %s\n", f.Path, f.Old, f.New)
			}
			if err != nil {
				return err
			}
		}
		if c.Body && c.Action == "update" {
			if _, err := fmt.Fprintln(w, "  ~ body"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Files returns the content the plan would write to each file, by slash path.
func (p *Plan) Files() map[string][]byte {
	out := make(map[string][]byte, len(p.files))
	for f, c := range p.files {
		out[f] = slices.Clone(c.data)
	}
	return out
}

// File returns the content the plan would write to file (a copy), and whether it stages it.
func (p *Plan) File(file string) ([]byte, bool) {
	c := p.files[file]
	if c == nil {
		return nil, false
	}
	return slices.Clone(c.data), true
}

// ErrNotClean is returned (wrapped) by Apply when the plan's files have lint errors.
var ErrNotClean = errors.New("the plan does not pass lint")

// Apply writes the plan: every created file with O_EXCL, every updated file atomically after
// checking it did not change since it was read. It first runs Check and writes nothing while
// a file of the plan has an error-severity finding. When a write fails, the files already
// written are restored (created ones removed), so the work tree is as before.
func (p *Plan) Apply() error {
	if errs := p.Check().Errors(); len(errs) > 0 {
		return fmt.Errorf("%w: %d errors in the files it would write, the first %s", ErrNotClean, len(errs), errs[0])
	}
	type done struct {
		abs     string
		old     []byte
		perm    fs.FileMode
		created bool
	}
	var written []done
	rollback := func(cause error) error {
		var problems []string
		for i := len(written) - 1; i >= 0; i-- {
			w := written[i]
			var err error
			if w.created {
				err = os.Remove(w.abs)
			} else {
				err = atomicfile.WriteFile(w.abs, w.old, w.perm)
			}
			if err != nil {
				problems = append(problems, err.Error())
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%w; restoring the files written before failed too: %s", cause, strings.Join(problems, "; "))
		}
		return fmt.Errorf("%w; nothing was written", cause)
	}
	// Check every update first: nothing is written if a file changed under the plan.
	for _, f := range p.order {
		c := p.files[f]
		if c.created {
			continue
		}
		cur, err := os.ReadFile(filepath.Join(p.root, filepath.FromSlash(f)))
		if err != nil || !bytes.Equal(cur, c.old) {
			return fmt.Errorf("%s changed since the plan read it; nothing was written", f)
		}
	}
	// New files are written and synced all at once (one file-system sync, not one per file:
	// an import creates thousands), then linked into place.
	var newFiles, newNames []string
	var newData [][]byte
	for _, f := range p.order {
		if c := p.files[f]; c.created {
			newFiles = append(newFiles, f)
			newNames = append(newNames, filepath.Join(p.root, filepath.FromSlash(f)))
			newData = append(newData, c.data)
		}
	}
	prepared, err := atomicfile.PrepareAll(newNames, newData, 0o644)
	if err != nil {
		return fmt.Errorf("cannot write the new files: %v; nothing was written", unwrap(err))
	}
	defer atomicfile.Discard(prepared)
	defer atomicfile.SyncDirs(newNames)
	// The new files first, on every core; then the updated ones.
	var failed error
	for i, err := range atomicfile.LinkAll(prepared) {
		if err == nil {
			written = append(written, done{abs: newNames[i], created: true})
		} else if failed == nil {
			failed = fmt.Errorf("cannot create %s: %v", newFiles[i], unwrap(err))
		}
	}
	if failed != nil {
		return rollback(failed)
	}
	for _, f := range p.order {
		c := p.files[f]
		if c.created {
			continue
		}
		abs := filepath.Join(p.root, filepath.FromSlash(f))
		perm := fs.FileMode(0o644)
		if fi, err := os.Lstat(abs); err == nil {
			perm = fi.Mode().Perm()
		}
		if err := writeFile(abs, c.data, perm); err != nil {
			return rollback(fmt.Errorf("cannot write %s: %v", f, unwrap(err)))
		}
		written = append(written, done{abs: abs, old: c.old, perm: perm})
	}
	return nil
}

// writeFile replaces a file atomically; a variable so tests can make a write fail.
var writeFile = defaultWriteFile

var defaultWriteFile = atomicfile.WriteFile
