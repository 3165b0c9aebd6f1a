package gitrepo

import (
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// Actions a commit can take on a record.
const (
	Added    = "added"
	Modified = "modified"
	Deleted  = "deleted"
	Renamed  = "renamed" // moved or renamed, same id
)

// Touch is one commit that changed a record.
type Touch struct {
	Commit
	Action string `json:"action"` // added, modified, deleted, renamed
	Path   string `json:"path"`   // repository-relative path of the record after the commit (before it, for a deletion)
	Status string `json:"status"` // the record's status after the commit ("" when unset or deleted)
}

// RecordHistory is the history of one record, newest first.
type RecordHistory struct {
	ID      string  `json:"id"`
	Touches []Touch `json:"commits"`
}

// Created is the commit that added the record (the oldest touch).
func (h *RecordHistory) Created() Touch { return h.Touches[len(h.Touches)-1] }

// LastChange is the newest commit that touched the record.
func (h *RecordHistory) LastChange() Touch { return h.Touches[0] }

// History is the history of every record of a repository, from one walk.
type History struct {
	// Records maps a record id (its file name without extension) to its history.
	Records map[string]*RecordHistory
	// Truncated is true when the walk stopped at the start of a shallow clone (or at a commit
	// missing from the clone): the oldest touches found are then not the true creations.
	Truncated bool
	// Commits is the number of commits walked.
	Commits int
}

// fileChange is one record file that differs between a commit and its parent.
type fileChange struct {
	path     string
	from, to plumbing.Hash // zero when absent
}

// History walks the history of head once, newest first, and returns for every record file
// below the folders dirs (repository-relative, e.g. "reqs" or "examples/shop/reqs") the
// commits that touched it, following moves between folders by record id. Subtrees whose
// hashes are equal are skipped without being read. At the start of a shallow clone the walk
// stops cleanly and sets Truncated.
func (r *Repo) History(head plumbing.Hash, dirs []string) (*History, error) {
	return r.HistoryWith(head, dirs, HistoryOptions{})
}

// HistoryOptions narrow a history walk to what a command needs.
type HistoryOptions struct {
	// NoStatus leaves every Touch's Status empty and reads no blob: rank needs only when
	// each record was created, not its statuses.
	NoStatus bool
	// IDs, when not empty, keeps only the histories of these records (log ID). Moves are
	// still followed: a record keeps its file name <ID>.md wherever it moves.
	IDs []string
	// Known gives the status (the front matter's status: as written, "" when absent) of
	// blobs the caller has parsed already, by git blob id: the site knows every record of the
	// work tree, and most of HEAD's blobs are those files, so they are not inflated and
	// parsed a second time.
	Known map[plumbing.Hash]string
}

// HistoryWith is History narrowed by opts: the same walk, fewer touches kept and, with
// NoStatus, no blob inflated or parsed.
func (r *Repo) HistoryWith(head plumbing.Hash, dirs []string, opts HistoryOptions) (*History, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := &walker{
		r:         r,
		requested: map[plumbing.Hash]bool{},
		hist:      &History{Records: map[string]*RecordHistory{}},
		noStatus:  opts.NoStatus,
		known:     opts.Known,
	}
	if len(opts.IDs) > 0 {
		w.only = map[string]bool{}
		for _, id := range opts.IDs {
			w.only[id] = true
		}
	}
	// Statuses are read by other goroutines, each with its own storage handle, while this one
	// walks the trees: blob inflation and YAML parsing run in parallel with the walk.
	statuses := func() map[plumbing.Hash]string { return nil }
	if !opts.NoStatus {
		statuses = r.startStatusReaders(w)
	}
	finished := false
	defer func() {
		if !finished {
			statuses() // stop the readers on an early return
		}
	}()
	for _, d := range dirs {
		d = strings.Trim(path.Clean("/"+d), "/")
		w.dirs = append(w.dirs, d)
	}
	slices.Sort(w.dirs)
	w.dirs = slices.Compact(w.dirs)
	// A folder inside another one is walked with it (nested kind folders).
	all := slices.Clone(w.dirs)
	w.dirs = slices.DeleteFunc(w.dirs, func(d string) bool {
		for _, o := range all {
			if o != d && (o == "" || strings.HasPrefix(d, o+"/")) {
				return true
			}
		}
		return false
	})
	order := map[string]int{} // commit hash → walk position, for sorting touches

	start, err := r.commitLocked(head)
	if err != nil {
		return nil, err
	}
	// This goroutine walks the commits and cuts them into chunks of consecutive ones; the
	// differs list each chunk's changed files on every core, each through its own storage
	// handle; the recorder takes the chunks in walk order.
	dispatch, stop := w.startDiffers()
	defer stop()
	ordered := make(chan *chunk, 1<<12)
	recorded := make(chan error, 1)
	go func() {
		var first error
		for ch := range ordered {
			<-ch.done
			if first == nil && ch.err != nil {
				first = ch.err
				w.failed.Store(true)
			}
			if first == nil {
				for i, st := range ch.steps {
					w.record(st.c, ch.changes[i])
				}
			}
		}
		recorded <- first
	}()
	cur := &chunk{done: make(chan struct{})}
	send := func() {
		ordered <- cur
		dispatch(cur)
		cur = &chunk{done: make(chan struct{})}
	}
	seen := map[plumbing.Hash]bool{head: true}
	q := commitQueue{start}
	for q.Len() > 0 && !w.failed.Load() {
		c := heap.Pop(&q).(*object.Commit)
		order[c.Hash.String()] = w.hist.Commits
		w.hist.Commits++
		var parents []*object.Commit
		if r.shallow[c.Hash] {
			w.hist.Truncated = true
		} else {
			for _, ph := range c.ParentHashes {
				pc, err := r.commitLocked(ph)
				if err != nil {
					w.hist.Truncated = true
					parents = nil
					break
				}
				parents = append(parents, pc)
			}
		}
		cur.steps = append(cur.steps, step{c, parents})
		if len(cur.steps) == chunkSize {
			send()
		}
		for _, pc := range parents {
			if !seen[pc.Hash] {
				seen[pc.Hash] = true
				heap.Push(&q, pc)
			}
		}
	}
	if len(cur.steps) > 0 {
		send()
	}
	close(ordered)
	if err := <-recorded; err != nil {
		return nil, err
	}
	st := statuses()
	finished = true
	for _, p := range w.pending {
		p.h.Touches[p.i].Status = st[p.blob]
	}
	for _, h := range w.hist.Records {
		slices.SortStableFunc(h.Touches, func(a, b Touch) int { return order[a.Hash] - order[b.Hash] })
	}
	return w.hist, nil
}

type walker struct {
	r         *Repo
	dirs      []string
	hist      *History
	requested map[plumbing.Hash]bool   // blobs whose status was asked for
	noStatus  bool                     // read no status (HistoryOptions.NoStatus)
	only      map[string]bool          // the ids to keep, nil for all (HistoryOptions.IDs)
	known     map[plumbing.Hash]string // statuses the caller parsed (HistoryOptions.Known)
	blobs     chan plumbing.Hash       // to the status readers
	pending   []pendingStatus
	failed    atomic.Bool // a differ failed: the walk stops
}

// chunkSize is how many consecutive commits a differ takes at a time: most trees a chunk
// reads are its own, so few are read by two differs.
const chunkSize = 64

// chunk is a run of consecutive commits of the walk and, once done is closed, the record
// files each changed (or the error that stopped the differ).
type chunk struct {
	steps   []step
	changes [][]fileChange
	err     error
	done    chan struct{}
}

// startDiffers starts one differ per core, each with its own storage handle; dispatch hands
// one a chunk, stop ends them. Without a second handle (a repository not on disk) dispatch
// lists the chunk at once through the main handle (r.mu is held).
func (w *walker) startDiffers() (dispatch func(*chunk), stop func()) {
	r := w.r
	if r.dotfs == nil {
		d := &differ{dirs: w.dirs, objs: r.objectsLocked(), trees: map[plumbing.Hash]*rawTree{}}
		return d.run, func() {}
	}
	packs := r.packsLocked()
	chunks := make(chan *chunk, 4)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		objs, closeObjs := r.workerObjects(packs)
		d := &differ{dirs: w.dirs, objs: objs, trees: map[plumbing.Hash]*rawTree{}}
		wg.Go(func() {
			defer closeObjs()
			for ch := range chunks {
				d.run(ch)
			}
		})
	}
	var once sync.Once
	return func(ch *chunk) { chunks <- ch }, func() { once.Do(func() { close(chunks); wg.Wait() }) }
}

// workerObjects returns an object reader of its own for a goroutine of a walk — a pack
// reader over the shared packs and a storage handle of its own, with a small cache — and
// the function that closes it. r.dotfs must be set.
func (r *Repo) workerObjects(packs *packSet) (objects, func()) {
	st := filesystem.NewStorageWithOptions(r.dotfs, cache.NewObjectLRU(8*cache.MiByte), storageOptions())
	return objects{newPackReader(packs), st}, func() { st.Close() }
}

// run lists the changes of every commit of ch, then closes ch.done.
func (d *differ) run(ch *chunk) {
	defer close(ch.done)
	ch.changes = make([][]fileChange, len(ch.steps))
	for i, s := range ch.steps {
		fcs, err := d.commit(s)
		if err != nil {
			ch.err = err
			return
		}
		ch.changes[i] = fcs
	}
}

// pendingStatus is a touch whose status is read from blob once the walk is over.
type pendingStatus struct {
	h    *RecordHistory
	i    int
	blob plumbing.Hash
}

// rawTree is a tree's entries, decoded straight from the object's bytes (cheaper than
// object.Tree), and whether they are in git's order (for the merge join in diff).
type rawTree struct {
	Entries []object.TreeEntry
	sorted  bool
}

// differ lists the record files a commit changed. Each has its own tree cache and reads
// trees through its own storage handle (or the main one, with r.mu held).
type differ struct {
	dirs  []string
	objs  objects
	trees map[plumbing.Hash]*rawTree
}

func (d *differ) tree(h plumbing.Hash) (*rawTree, error) {
	if t, ok := d.trees[h]; ok {
		return t, nil
	}
	t, err := readTree(d.objs, h)
	if err != nil {
		return nil, err
	}
	if len(d.trees) >= 1<<14 {
		clear(d.trees)
	}
	d.trees[h] = t
	return t, nil
}

// readTreeLocked reads and decodes tree h; r.mu must be held.
func (r *Repo) readTreeLocked(h plumbing.Hash) (*rawTree, error) {
	return readTree(r.objectsLocked(), h)
}

// readTree reads and decodes tree h.
func readTree(objs objects, h plumbing.Hash) (*rawTree, error) {
	data, err := objs.read(h, plumbing.TreeObject)
	if err != nil {
		return nil, err
	}
	t, err := parseTree(data)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h.String()[:7], err)
	}
	return t, nil
}

var errBadTree = errors.New("malformed tree object")

// parseTree decodes a git tree object: entries "<octal mode> <name>\x00<20-byte hash>".
func parseTree(data []byte) (*rawTree, error) {
	t := &rawTree{Entries: make([]object.TreeEntry, 0, bytes.Count(data, []byte{0})), sorted: true}
	prev := ""
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, errBadTree
		}
		var mode uint32
		for _, c := range data[:sp] {
			if c < '0' || c > '7' {
				return nil, errBadTree
			}
			mode = mode<<3 | uint32(c-'0')
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+20 {
			return nil, errBadTree
		}
		e := object.TreeEntry{Name: string(data[:nul]), Mode: filemode.FileMode(mode)}
		copy(e.Hash[:], data[nul+1:nul+21])
		data = data[nul+21:]
		key := gitKey(e)
		if key < prev {
			t.sorted = false
		}
		prev = key
		t.Entries = append(t.Entries, e)
	}
	return t, nil
}

// gitKey is an entry's sort key in git's tree order: folders sort as if named "name/".
func gitKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// subtree returns the hash of the folder at p in tree root, or the zero hash.
func (d *differ) subtree(root plumbing.Hash, p string) (plumbing.Hash, error) {
	h := root
	if p == "" {
		return h, nil
	}
	for _, part := range strings.Split(p, "/") {
		t, err := d.tree(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		found := false
		for _, e := range t.Entries {
			if e.Name == part && e.Mode == filemode.Dir {
				h, found = e.Hash, true
				break
			}
		}
		if !found {
			return plumbing.ZeroHash, nil
		}
	}
	return h, nil
}

// changes lists the record files that differ between the trees to and from (zero: empty).
func (d *differ) changes(to, from plumbing.Hash) ([]fileChange, error) {
	var out []fileChange
	for _, dir := range d.dirs {
		a, b := plumbing.ZeroHash, plumbing.ZeroHash
		var err error
		if !to.IsZero() {
			if a, err = d.subtree(to, dir); err != nil {
				return nil, err
			}
		}
		if !from.IsZero() {
			if b, err = d.subtree(from, dir); err != nil {
				return nil, err
			}
		}
		if err := d.diff(dir, a, b, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// diff appends the files that differ between folder trees a (new) and b (old) at prefix.
func (d *differ) diff(prefix string, a, b plumbing.Hash, out *[]fileChange) error {
	if a == b {
		return nil
	}
	var ae, be []object.TreeEntry
	sorted := true
	if !a.IsZero() {
		t, err := d.tree(a)
		if err != nil {
			return err
		}
		ae, sorted = t.Entries, t.sorted
	}
	if !b.IsZero() {
		t, err := d.tree(b)
		if err != nil {
			return err
		}
		be, sorted = t.Entries, sorted && t.sorted
	}
	join := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "/" + name
	}
	if !sorted {
		return d.diffUnsorted(ae, be, join, out)
	}
	// Merge join in git order. A file and a folder of the same name do not meet (their keys
	// differ): one is handled as deleted, the other as added.
	i, j := 0, 0
	for i < len(ae) || j < len(be) {
		var c int
		switch {
		case i == len(ae):
			c = 1
		case j == len(be):
			c = -1
		default:
			c = strings.Compare(gitKey(ae[i]), gitKey(be[j]))
		}
		switch {
		case c < 0:
			if err := d.entry(join(ae[i].Name), ae[i], object.TreeEntry{}, false, out); err != nil {
				return err
			}
			i++
		case c > 0:
			if err := d.entry(join(be[j].Name), object.TreeEntry{}, be[j], true, out); err != nil {
				return err
			}
			j++
		default:
			if ae[i].Hash != be[j].Hash || ae[i].Mode != be[j].Mode {
				if err := d.entry(join(ae[i].Name), ae[i], be[j], true, out); err != nil {
					return err
				}
			}
			i++
			j++
		}
	}
	return nil
}

// diffUnsorted is diff for trees not in git's order (written by a broken tool).
func (d *differ) diffUnsorted(ae, be []object.TreeEntry, join func(string) string, out *[]fileChange) error {
	old := make(map[string]object.TreeEntry, len(be))
	for _, e := range be {
		old[e.Name] = e
	}
	for _, e := range ae {
		o, had := old[e.Name]
		delete(old, e.Name)
		if had && o.Hash == e.Hash && o.Mode == e.Mode {
			continue
		}
		if err := d.entry(join(e.Name), e, o, had, out); err != nil {
			return err
		}
	}
	for _, e := range be {
		if o, ok := old[e.Name]; ok {
			if err := d.entry(join(e.Name), object.TreeEntry{}, o, true, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// entry handles one name that differs: e is the new entry (zero Mode if absent), o the old.
func (d *differ) entry(p string, e, o object.TreeEntry, had bool, out *[]fileChange) error {
	newDir, oldDir := e.Mode == filemode.Dir, had && o.Mode == filemode.Dir
	newFile := e.Mode != 0 && !newDir && e.Mode != filemode.Submodule
	oldFile := had && !oldDir && o.Mode != filemode.Submodule
	if newDir || oldDir {
		var a, b plumbing.Hash
		if newDir {
			a = e.Hash
		}
		if oldDir {
			b = o.Hash
		}
		if err := d.diff(p, a, b, out); err != nil {
			return err
		}
	}
	if (newFile || oldFile) && record.IsFile(p) {
		fc := fileChange{path: p}
		if newFile {
			fc.to = e.Hash
		}
		if oldFile {
			fc.from = o.Hash
		}
		*out = append(*out, fc)
	}
	return nil
}

// step is one commit of the walk with its parents (none: a root commit or the start of a
// shallow clone, where every record is added).
type step struct {
	c       *object.Commit
	parents []*object.Commit
}

// commit lists the record files commit s.c changed against its parents. For a merge, a file
// counts only when it differs from every parent: changes brought in from a branch belong to
// its commits.
func (d *differ) commit(s step) ([]fileChange, error) {
	c, parents := s.c, s.parents
	if len(parents) == 0 {
		return d.changes(c.TreeHash, plumbing.ZeroHash)
	}
	fcs, err := d.changes(c.TreeHash, parents[0].TreeHash)
	for _, p := range parents[1:] {
		if len(fcs) == 0 || err != nil {
			break
		}
		var other []fileChange
		other, err = d.changes(c.TreeHash, p.TreeHash)
		keep := map[string]bool{}
		for _, o := range other {
			keep[o.path] = true
		}
		fcs = slices.DeleteFunc(fcs, func(f fileChange) bool { return !keep[f.path] })
	}
	return fcs, err
}

// record adds the touches of commit c, whose changed record files are fcs.
func (w *walker) record(c *object.Commit, fcs []fileChange) {
	if len(fcs) == 0 {
		return
	}
	// Group by id: a deletion and an addition of the same id in one commit is a move.
	type pair struct{ del, add *fileChange }
	byID := map[string]*pair{}
	var ids []string
	for i := range fcs {
		f := &fcs[i]
		id, _ := record.FileID(f.path)
		if w.only != nil && !w.only[id] {
			continue
		}
		pr := byID[id]
		if pr == nil {
			pr = &pair{}
			byID[id] = pr
			ids = append(ids, id)
		}
		switch {
		case f.to.IsZero():
			pr.del = f
		default:
			pr.add = f // an addition or a modification
		}
	}
	info := describe(c)
	for _, id := range ids {
		pr := byID[id]
		t := Touch{Commit: info}
		switch {
		case pr.add != nil && pr.add.from.IsZero() && pr.del != nil:
			t.Action, t.Path = Renamed, pr.add.path // moved, perhaps edited too
		case pr.add != nil && pr.add.from.IsZero():
			t.Action, t.Path = Added, pr.add.path
		case pr.add != nil:
			t.Action, t.Path = Modified, pr.add.path
		default:
			t.Action, t.Path = Deleted, pr.del.path
		}
		h := w.hist.Records[id]
		if h == nil {
			h = &RecordHistory{ID: id}
			w.hist.Records[id] = h
		}
		if pr.add != nil && !w.noStatus {
			if st, ok := w.known[pr.add.to]; ok {
				t.Status = st
				h.Touches = append(h.Touches, t)
				continue
			}
		}
		h.Touches = append(h.Touches, t)
		if pr.add != nil && !w.noStatus {
			b := pr.add.to
			w.pending = append(w.pending, pendingStatus{h, len(h.Touches) - 1, b})
			if !w.requested[b] {
				w.requested[b] = true
				w.blobs <- b
			}
		}
	}
}

// maxRecordSize is the size above which a record file is not parsed (SPEC §2: a parse error).
const maxRecordSize = 1 << 20

// startStatusReaders starts the goroutines that read the status of the blobs sent on
// w.blobs; the function returned closes the channel and returns the statuses by blob.
func (r *Repo) startStatusReaders(w *walker) func() map[plumbing.Hash]string {
	w.blobs = make(chan plumbing.Hash, 1024)
	n := max(1, min(runtime.GOMAXPROCS(0)-1, 4))
	results := make([]map[plumbing.Hash]string, n)
	var wg sync.WaitGroup
	var packs *packSet
	if r.dotfs != nil {
		packs = r.packsLocked()
	}
	for i := range n {
		results[i] = map[plumbing.Hash]string{}
		var read func(plumbing.Hash) ([]byte, error)
		var done func()
		if r.dotfs != nil {
			objs, closeObjs := r.workerObjects(packs)
			read = func(h plumbing.Hash) ([]byte, error) { return objs.read(h, plumbing.BlobObject) }
			done = closeObjs
		}
		wg.Go(func() {
			if done != nil {
				defer done()
			}
			for h := range w.blobs {
				if read == nil {
					results[i][h] = "" // filled below, under the lock
					continue
				}
				s := ""
				if data, err := read(h); err == nil && len(data) <= maxRecordSize {
					s = FrontMatterField(data, "status")
				}
				results[i][h] = s
			}
		})
	}
	return func() map[plumbing.Hash]string {
		close(w.blobs)
		wg.Wait()
		all := results[0]
		for _, m := range results[1:] {
			maps.Copy(all, m)
		}
		if r.dotfs == nil { // no second handle: read through the main one (r.mu is held)
			for h := range all {
				if data, err := r.readBlobLocked(h); err == nil && len(data) <= maxRecordSize {
					all[h] = FrontMatterField(data, "status")
				}
			}
		}
		return all
	}
}

// FrontMatterField returns the scalar value of a top-level key of a record's front matter
// (the YAML between the opening and closing "---" lines, or the whole file when it does not
// start with "---"), or "" when it is missing, not a scalar, or the file does not parse.
// Aliases are never expanded.
func FrontMatterField(data []byte, key string) string {
	// Blobs are read by hash, without their file names: a file that does not start with a
	// fence is read as a .yaml record.
	p, err := record.Cut(data, !record.HasFence(data))
	if err != nil {
		return ""
	}
	fm := p.Front
	if v, ok := quickField(fm, key); ok {
		return v
	}
	return yamlField(fm, key)
}

// yamlField is FrontMatterField's exact path: a full YAML parse (without alias expansion).
func yamlField(fm []byte, key string) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil || len(doc.Content) == 0 {
		return ""
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == key {
			if v.Kind == yaml.ScalarNode {
				return v.Value
			}
			return ""
		}
	}
	return ""
}

// quickField finds key's value by scanning lines, for the front matter reqtrail and people
// write: "key: word" at column 0, once, in a front matter where no value opens a quoted
// scalar or a flow collection it does not close on the same line, with no anchors, tags,
// aliases, tabs or document markers. Anything else gives ok == false and the caller parses
// the YAML properly; where it answers, it answers what the YAML parser would.
func quickField(fm []byte, key string) (value string, ok bool) {
	found, pending := false, false // pending: the key's line was the last one that was not blank
	for len(fm) > 0 {
		line := fm
		if i := bytes.IndexByte(fm, '\n'); i >= 0 {
			line, fm = fm[:i], fm[i+1:]
		} else {
			fm = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.ContainsAny(line, "\t&*!%@`") || bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
			return "", false
		}
		t := bytes.TrimLeft(line, " ")
		if pending && len(t) > 0 {
			if len(line) != len(t) {
				return "", false // an indented line after the value: it may go on there
			}
			pending = t[0] == '#'
		}
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if t[0] == '"' || t[0] == '\'' || t[0] == '[' || t[0] == '{' || t[0] == '?' || t[0] == ':' || t[0] == '|' || t[0] == '>' {
			return "", false // a key or value form the scan does not follow
		}
		if bytes.HasPrefix(t, []byte("- ")) {
			t = bytes.TrimLeft(t[2:], " ")
		}
		// The value after the first ": " (or a trailing ":"), if any.
		var val []byte
		if i := bytes.Index(t, []byte(": ")); i >= 0 {
			val = bytes.TrimSpace(t[i+2:])
		} else if !bytes.HasSuffix(t, []byte(":")) && len(line) == len(t) {
			return "", false // a column-0 line that is not "key: value": let YAML judge
		}
		if len(val) > 0 {
			if c := val[0]; c == '"' || c == '\'' || c == '[' || c == '{' || c == '|' || c == '>' {
				end := map[byte]byte{'"': '"', '\'': '\'', '[': ']', '{': '}'}[c]
				if end == 0 || len(val) < 2 || val[len(val)-1] != end || bytes.Contains(val, []byte(" #")) {
					return "", false
				}
				if c == '"' && bytes.Count(val, []byte("\\")) > 0 {
					return "", false
				}
			}
		}
		if len(line) == len(t) {
			k := bytes.Index(t, []byte(": "))
			if k < 0 && bytes.HasSuffix(t, []byte(":")) {
				k = len(t) - 1
			}
			if k > 0 && t[k-1] == ' ' {
				return "", false // "key :": YAML trims the key; let it judge
			}
		}
		if len(line) != len(t) || !bytes.HasPrefix(line, []byte(key+":")) {
			continue
		}
		if found {
			return "", false // a duplicate key: YAML refuses the document
		}
		found = true
		v := bytes.TrimSpace(line[len(key)+1:])
		if len(line) > len(key)+1 && line[len(key)+1] != ' ' {
			return "", false
		}
		if i := bytes.Index(v, []byte(" #")); i >= 0 {
			v = bytes.TrimSpace(v[:i])
		}
		if len(v) == 0 || !plainWord(v) {
			return "", false
		}
		value, pending = string(v), true
	}
	return value, true
}

// plainWord reports whether v is a plain scalar made of letters, digits, '-', '_' and '.'
// that YAML reads as the same string (statuses are such words).
func plainWord(v []byte) bool {
	for _, c := range v {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	switch string(v) {
	case "~", "null", "Null", "NULL":
		return false
	}
	return true
}

// Entered returns the newest touch of record id in which its status entered the set in
// (e.g. released or closed) from a status outside it, and false when there is none in the
// history walked. A record added with such a status did not enter it in this history (it
// was adopted or imported already released), and a status set before the start of a
// shallow clone is not found either.
func (h *History) Entered(id string, in func(status string) bool) (Touch, bool) {
	rh := h.Records[id]
	if rh == nil {
		return Touch{}, false
	}
	for i, t := range rh.Touches {
		if t.Action == Deleted || !in(t.Status) {
			continue
		}
		if i+1 < len(rh.Touches) && t.Action != Added {
			if prev := rh.Touches[i+1]; prev.Action != Deleted && !in(prev.Status) {
				return t, true
			}
		}
	}
	return Touch{}, false
}

// ReleasedAt returns, for evaluation-missing, when each record entered the statuses in (see
// Entered): the committer time of that commit.
func (h *History) ReleasedAt(in func(status string) bool) func(id string) (time.Time, bool) {
	return func(id string) (time.Time, bool) {
		t, ok := h.Entered(id, in)
		if !ok {
			return time.Time{}, false
		}
		return t.Committed, true
	}
}
