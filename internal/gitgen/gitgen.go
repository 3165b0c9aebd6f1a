// Package gitgen generates large synthetic reqtrail repositories with long histories, fast
// (objects are built in memory and written as one pack file), for benchmarks.
package gitgen

import (
	"fmt"
	"math/rand/v2"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Options shape a generated repository.
type Options struct {
	Records int // requirements at the last commit
	Commits int // commits after the first one
	Groups  int // sub-folders of reqs/ the requirements are spread over
	Prefix  string
}

// Repo is a generated repository.
type Repo struct {
	Dir string
	// Commits lists the commit hashes, oldest first; the last one is refs/heads/main.
	Commits []plumbing.Hash
	// Touched lists, per commit, the repository paths it changed.
	Touched [][]string
}

var statuses = []string{"new", "analysis", "review", "approved", "development", "testing"}

type gen struct {
	st    *memory.Storage
	rnd   *rand.Rand
	files map[string]map[string]plumbing.Hash // folder → name → blob
	order []plumbing.Hash
	stat  map[string]int // record id → status index
	body  map[string]int // record id → body revision
	where map[string]string
	opts  Options
}

func (g *gen) put(o plumbing.EncodedObject) plumbing.Hash {
	h, err := g.st.SetEncodedObject(o)
	if err != nil {
		panic(err)
	}
	g.order = append(g.order, h)
	return h
}

func (g *gen) blob(content string) plumbing.Hash {
	o := g.st.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	_, _ = w.Write([]byte(content))
	_ = w.Close()
	return g.put(o)
}

func (g *gen) record(id string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: %s\ntitle: Requirement %s for the customer service platform\n", id, id)
	fmt.Fprintf(&b, "type: functional\nnecessity: mandatory\nstatus: %s\n", statuses[g.stat[id]])
	fmt.Fprintf(&b, "priority:\n  moscow: should\n  ice: {impact: %d, confidence: 7, ease: 5}\n  value: 6\n  cost: 3\n", 1+len(id)%9)
	fmt.Fprintf(&b, "source:\n  channel: interview\n  requester: Customer A\n  date: 2024-05-03\nowner: product-team\nrelease: \"2024.3\"\n")
	fmt.Fprintf(&b, "acceptance-criteria:\n  - Criterion one of %s\n  - Criterion two of %s\ntags: [chat, service]\n---\n", id, id)
	fmt.Fprintf(&b, "Revision %d of the description of %s. The agent must respond to the customer within the agreed\ntime and record the outcome in the ticket.\n", g.body[id], id)
	return b.String()
}

func parentDir(p string) string {
	if d := path.Dir(p); d != "." {
		return d
	}
	return ""
}

func (g *gen) set(file, content string) {
	dir := parentDir(file)
	for d := dir; ; d = parentDir(d) {
		if g.files[d] == nil {
			g.files[d] = map[string]plumbing.Hash{}
		}
		if d == "" {
			break
		}
	}
	g.files[dir][path.Base(file)] = g.blob(content)
}

func (g *gen) del(file string) {
	dir, name := path.Split(file)
	delete(g.files[strings.TrimSuffix(dir, "/")], name)
}

// tree writes the tree of folder dir (recursively) and returns its hash, or zero if empty.
func (g *gen) tree(dir string, cache map[string]plumbing.Hash, dirty map[string]bool) plumbing.Hash {
	if h, ok := cache[dir]; ok && !dirty[dir] {
		return h
	}
	var entries []object.TreeEntry
	for name, h := range g.files[dir] {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	// Sub-folders: every folder whose parent is dir.
	for sub := range g.files {
		if sub != dir && parentDir(sub) == dir {
			if h := g.tree(sub, cache, dirty); !h.IsZero() {
				entries = append(entries, object.TreeEntry{Name: path.Base(sub), Mode: filemode.Dir, Hash: h})
			}
		}
	}
	if len(entries) == 0 {
		cache[dir] = plumbing.ZeroHash
		return plumbing.ZeroHash
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int {
		an, bn := a.Name, b.Name
		if a.Mode == filemode.Dir {
			an += "/"
		}
		if b.Mode == filemode.Dir {
			bn += "/"
		}
		return strings.Compare(an, bn)
	})
	t := &object.Tree{Entries: entries}
	o := g.st.NewEncodedObject()
	if err := t.Encode(o); err != nil {
		panic(err)
	}
	h := g.put(o)
	cache[dir] = h
	delete(dirty, dir)
	return h
}

// Generate writes a repository into dir (which must exist and be empty): a first commit with
// most of the records, then opts.Commits commits that each add, edit, advance the status of,
// or move one requirement. The last five commits each edit one record.
func Generate(dir string, opts Options) (*Repo, error) {
	if opts.Groups <= 0 {
		opts.Groups = 100
	}
	if opts.Prefix == "" {
		opts.Prefix = "REQ"
	}
	g := &gen{st: memory.NewStorage(), rnd: rand.New(rand.NewPCG(1, 2)), files: map[string]map[string]plumbing.Hash{},
		stat: map[string]int{}, body: map[string]int{}, where: map[string]string{}, opts: opts}
	adds := min(opts.Commits/3, opts.Records/2)
	initial := opts.Records - adds
	next := 1
	var ids []string
	place := func(id string, n int) string {
		return fmt.Sprintf("reqs/g%03d/%s.md", n%opts.Groups, id)
	}
	newID := func() string {
		id := fmt.Sprintf("%s-%05d", opts.Prefix, next)
		next++
		ids = append(ids, id)
		return id
	}
	g.set("reqtrail.yaml", "project: Generated\nkinds:\n  requirement: {prefix: "+opts.Prefix+", digits: 5}\n")
	g.set("changes/CR-0001.md", "---\nid: CR-0001\ntitle: Baseline\nstatus: proposed\naction: modify\naffects: ["+opts.Prefix+"-00001]\n---\nBaseline.\n")
	for range initial {
		id := newID()
		g.where[id] = place(id, next)
		g.set(g.where[id], g.record(id))
	}
	cache := map[string]plumbing.Hash{}
	dirty := map[string]bool{}
	markDirty := func(file string) {
		for d := parentDir(file); ; d = parentDir(d) {
			dirty[d] = true
			if d == "" {
				break
			}
		}
	}
	for d := range g.files {
		dirty[d] = true
	}
	dirty[""] = true
	when := time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)
	out := &Repo{Dir: dir}
	var parent plumbing.Hash
	commit := func(msg string, touched []string) {
		for _, f := range touched {
			markDirty(f)
		}
		root := g.tree("", cache, dirty)
		when = when.Add(37 * time.Minute)
		sig := object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: when}
		c := &object.Commit{Author: sig, Committer: sig, Message: msg + "\n", TreeHash: root}
		if !parent.IsZero() {
			c.ParentHashes = []plumbing.Hash{parent}
		}
		o := g.st.NewEncodedObject()
		if err := c.Encode(o); err != nil {
			panic(err)
		}
		parent = g.put(o)
		out.Commits = append(out.Commits, parent)
		out.Touched = append(out.Touched, touched)
	}
	commit("Initial requirements", nil)
	for i := range opts.Commits {
		last := i >= opts.Commits-5
		switch r := g.rnd.IntN(100); {
		case !last && adds > 0 && (i%3 == 0 || opts.Commits-i-6 < adds):
			adds--
			id := newID()
			g.where[id] = place(id, next)
			g.set(g.where[id], g.record(id))
			commit("Add "+id, []string{g.where[id]})
		case !last && r < 5:
			id := ids[g.rnd.IntN(len(ids))]
			old := g.where[id]
			g.del(old)
			for g.where[id] == old && opts.Groups > 1 {
				g.where[id] = place(id, g.rnd.IntN(opts.Groups))
			}
			g.set(g.where[id], g.record(id))
			commit("Move "+id, []string{old, g.where[id]})
		case r < 70:
			id := ids[g.rnd.IntN(len(ids))]
			g.stat[id] = (g.stat[id] + 1) % len(statuses)
			g.set(g.where[id], g.record(id))
			commit("Advance "+id, []string{g.where[id]})
		default:
			id := ids[g.rnd.IntN(len(ids))]
			g.body[id]++
			g.set(g.where[id], g.record(id))
			commit("Edit "+id, []string{g.where[id]})
		}
	}

	// Write everything reachable into one pack file of a new repository.
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return nil, err
	}
	if err := writePack(filepath.Join(dir, ".git"), g.st, uniq(g.order)); err != nil {
		return nil, err
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", parent)); err != nil {
		return nil, err
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		return nil, err
	}
	return out, nil
}

func uniq(hs []plumbing.Hash) []plumbing.Hash {
	seen := make(map[plumbing.Hash]bool, len(hs))
	out := hs[:0:0]
	for _, h := range hs {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}
