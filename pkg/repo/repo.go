// Package repo loads every record of a project from an fs.FS — the work tree or a git
// revision — into one indexed, validated set. It is the only way reqtrail reads records.
package repo

import (
	"bytes"
	"encoding/hex"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reqtrail/reqtrail/internal/filestat"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// Repo is every record of a project, loaded and indexed.
type Repo struct {
	// FS is the source the repo was loaded from, rooted at the project root.
	FS     fs.FS
	Config *config.Config
	// Records holds every record file found (parsed or not), sorted by file.
	Records []*record.Record
	// ByID indexes the parsed records by id; with duplicates, the first file wins.
	ByID map[string]*record.Record
	// Diags holds the loader's findings: parse and schema diagnostics, at default severity.
	Diags []diag.Diagnostic
	// walkClean is set when the walk over the kinds' folders found nothing it would not read.
	walkClean bool
	// trees holds the git tree id of every folder the walk entered, by path, when the
	// records were listed from a git tree (or matched one, LoadAgainst) and the walk was
	// clean: a later load of another revision takes over a folder whose tree is the same
	// without listing it (Options.Reuse), finding its records by binary search in Records,
	// which the loader leaves in file order.
	trees map[string][20]byte
}

// Options tune Load.
type Options struct {
	// Cache, when set, is the record cache: a file whose bytes it knows is not parsed or
	// validated again, and what is parsed is remembered.
	Cache *Cache
	// KeepTrees keeps every record's front-matter node tree (Record.Tree) for commands that
	// rewrite many files; read-only loads drop them, keeping the compact form, to use a
	// fraction of the memory.
	KeepTrees bool
	// Reuse, when set, is an earlier load (of another revision) whose records are taken over
	// as they are for files with the same path and bytes, under the same kinds and fields; a
	// folder whose git tree is the one the earlier load listed is not listed again.
	Reuse *Repo
	// Configure, when set, receives the source's own configuration and returns the one the
	// records are read and judged under (check: the merge base's configuration judges head).
	Configure func(*config.Config) *config.Config
	// Parsed, when set, holds records already parsed (record.Parse) by whoever wrote the
	// source's files, by file: a record whose Raw is the file's content and whose shape is the
	// schema's is validated as it is, not parsed again (a plan staging 10,000 new records).
	Parsed map[string]*record.Record
	// BlobIDs has the loader compute every file's git blob id on its workers, cache or not
	// (LoadAgainst compares them with a revision's tree).
	BlobIDs bool
	// Listing, for LoadAgainst, returns the revision's files as another source lists them —
	// git's index, when its cache tree is the revision's tree — compared instead of walking
	// the revision's trees; it is called on a core of its own, and nil (or nil returned)
	// walks the trees.
	Listing func() *Listing

	// known, set by LoadAgainst, gives the blob ids git's index holds with the stat data it
	// recorded: a file read with the same stat data is taken to hold that blob, as git
	// status takes it, instead of being hashed.
	known *knownFuture
}

// knownFuture is the knownBlobs of a listing read on another goroutine (the index of 10,000
// files takes a few milliseconds, about as long as the walk before the first file is read):
// ready gives it once it is read, nil before that or when there is none — a file read
// before is hashed, as without it; no worker waits for it.
type knownFuture struct {
	done chan struct{}
	k    *knownBlobs
}

func newKnownFuture() *knownFuture { return &knownFuture{done: make(chan struct{})} }

// set resolves f with k (nil for none); it is called once.
func (f *knownFuture) set(k *knownBlobs) {
	f.k = k
	close(f.done)
}

func (f *knownFuture) ready() *knownBlobs {
	select {
	case <-f.done:
		return f.k
	default:
		return nil
	}
}

// Listing is a revision's files as a source other than its trees lists them, relative to
// the project root: what LoadAgainst compares a work tree with.
type Listing struct {
	// Files are every file below the project root in path order (bytewise), submodules
	// left out.
	Files []ListedFile
	// Trees holds the git tree ids the source knows, by folder ("." for the project root).
	Trees map[string][20]byte
	// Stamp is when the source recorded the files' stat data (git's index file's time).
	Stamp filestat.Stamp
}

// ListedFile is one file of a Listing.
type ListedFile struct {
	Path    string
	ID      [20]byte // its git blob id
	Symlink bool
	// Stat is the file's stat data when the source recorded it (git's index), HasStat
	// whether it did: a work-tree file with the same stat data, modified before the
	// listing's Stamp, holds the blob ID (filestat.Trusted).
	Stat    filestat.Stat
	HasStat bool
}

// knownBlobs is what a Listing says of the work tree's files' content by their stat data.
type knownBlobs struct {
	stamp filestat.Stamp
	files map[string]knownBlob
}

type knownBlob struct {
	id   [20]byte
	stat filestat.Stat
}

// newKnownBlobs indexes the files of l that carry stat data; nil when none do.
func newKnownBlobs(l *Listing) *knownBlobs {
	if !l.Stamp.Known {
		return nil
	}
	k := &knownBlobs{stamp: l.Stamp, files: make(map[string]knownBlob, len(l.Files))}
	for _, f := range l.Files {
		if f.HasStat && !f.Symlink {
			k.files[f.Path] = knownBlob{f.ID, f.Stat}
		}
	}
	return k
}

// blob returns the blob id the listing gives for file, read with the stat data st and the
// content data, when that stat data can be trusted to say so.
func (k *knownBlobs) blob(file string, st filestat.Stat, data []byte) ([20]byte, bool) {
	e, ok := k.files[file]
	if !ok || uint32(len(data)) != e.stat.Size || !filestat.Trusted(st, e.stat, k.stamp) {
		return [20]byte{}, false
	}
	return e.id, true
}

// Load reads reqtrail.yaml and every record under the kinds' folders of fsys, parsing and
// validating the files concurrently. It never fails: every problem is a diagnostic.
func Load(fsys fs.FS) *Repo { return LoadWith(fsys, Options{}) }

// LoadWith is Load with options.
func LoadWith(fsys fs.FS, opts Options) *Repo {
	cfg, ds := config.Load(fsys)
	if opts.Configure != nil {
		cfg = opts.Configure(cfg)
	}
	r := &Repo{FS: fsys, Config: cfg}
	r.Diags = append(r.Diags, ds...)

	var prev *Repo // folders are taken over only with their records
	if sameShape(opts.Reuse, cfg) {
		prev = opts.Reuse
	}
	jobs, ds, trees := walk(fsys, cfg, prev)
	r.Diags = append(r.Diags, ds...)
	r.walkClean = len(ds) == 0
	if r.walkClean {
		r.trees = trees
	}

	validators := map[record.Kind]*schema.Validator{}
	for _, k := range record.AllKinds() {
		validators[k], _ = cfg.Validator(k) // the built-in one when fields: is bad (config.Load reported it)
	}

	reuse := newReuser(opts.Reuse, cfg)
	recs := make([]*record.Record, len(jobs))
	perFile := make([][]diag.Diagnostic, len(jobs))
	// A git tree lists its files' blob ids: they are kept on the records for whoever compares
	// this load with another (a reuse, LoadAgainst) and need no hashing.
	_, fromGit := fsys.(BlobHasher)
	wantBlobs := opts.Cache != nil || opts.BlobIDs || fromGit
	var wg sync.WaitGroup
	next := make(chan int, len(jobs))
	for i, j := range jobs {
		if j.prev != nil && reuse != nil {
			// Its folder's git tree is the one the earlier load listed: nothing to read.
			recs[i], perFile[i] = j.prev, reuse.diags[j.file]
			continue
		}
		next <- i
	}
	close(next)
	workers := min(runtime.GOMAXPROCS(0), max(len(jobs), 1))
	for range workers {
		wg.Go(func() {
			for i := range next {
				j := jobs[i]
				v := validators[j.kind]
				if j.size > record.MaxSize {
					recs[i] = &record.Record{Kind: j.kind, File: j.file}
					perFile[i] = []diag.Diagnostic{fileDiag(j.file, tooLarge)}
					continue
				}
				rec0, ds0, data, ok := reuse.take(fsys, j)
				if ok {
					recs[i], perFile[i] = rec0, ds0
					continue
				}
				var err error
				var st filestat.Stat
				statOK := false
				if data == nil {
					if sr, ok := fsys.(statReader); ok && opts.known != nil { // LoadAgainst: blob ids wanted
						data, st, statOK, err = sr.ReadFileStat(j.file, record.MaxSize)
					} else {
						data, err = readRecord(fsys, j.file)
					}
				}
				if err != nil {
					recs[i] = &record.Record{Kind: j.kind, File: j.file}
					perFile[i] = []diag.Diagnostic{fileDiag(j.file, "cannot read: "+errText(err))}
					continue
				}
				if len(data) > record.MaxSize {
					recs[i] = &record.Record{Kind: j.kind, File: j.file}
					perFile[i] = []diag.Diagnostic{fileDiag(j.file, tooLarge)}
					continue
				}
				if pre := opts.Parsed[j.file]; pre != nil && pre.Kind == j.kind && pre.Parsed() && pre.HasShape(v.Shape) && bytes.Equal(pre.Raw, data) {
					recs[i] = pre
					perFile[i] = v.Diagnostics(pre)
					pre.DropFields()
					if wantBlobs {
						pre.SetBlob(j.blobID(fsys, data))
					}
					continue
				}
				blobID := func() [20]byte {
					if statOK {
						if k := opts.known.ready(); k != nil {
							if id, ok := k.blob(j.file, st, data); ok {
								return id
							}
						}
					}
					return j.blobID(fsys, data)
				}
				var key cacheKey
				var blob [20]byte
				if opts.Cache != nil {
					blob = blobID()
					key = opts.Cache.key(blob, v.Key)
					if e, hit := opts.Cache.get(key); hit {
						if rec, ds, err := decodeEntry(e, j.file, j.kind, data, v.Shape); err == nil {
							rec.SetBlob(blob)
							recs[i], perFile[i] = rec, ds
							continue
						}
						opts.Cache.forget(key)
					}
				}
				parse := record.Read // read-only: no tree kept
				if opts.KeepTrees {
					parse = record.Parse
				}
				rec, perr := parse(j.file, j.kind, data, v.Shape)
				if wantBlobs {
					if opts.Cache == nil {
						blob = blobID() // after parsing: the listing has had longer to be read
					}
					rec.SetBlob(blob)
				}
				recs[i] = rec
				if perr != nil {
					perFile[i] = []diag.Diagnostic{{Rule: diag.RuleParse, Severity: diag.Error, Range: perr.Range(j.file, data), Message: perr.Message}}
				} else {
					perFile[i] = v.Diagnostics(rec)
					rec.DropFields()
				}
				if opts.Cache != nil && cacheable(j.file, perFile[i]) {
					opts.Cache.put(key, encodeEntry(rec, perFile[i]))
				}
				if !opts.KeepTrees {
					rec.DropTree()
				}
			}
		})
	}
	wg.Wait()

	for _, ds := range perFile {
		r.Diags = append(r.Diags, ds...)
	}
	r.Records = recs
	slices.SortFunc(r.Records, func(a, b *record.Record) int { return strings.Compare(a.File, b.File) })
	r.ByID = make(map[string]*record.Record, len(r.Records))
	for i := len(r.Records) - 1; i >= 0; i-- { // backwards: the first file of an id wins
		if rec := r.Records[i]; rec.Parsed() && rec.ID != "" {
			r.ByID[rec.ID] = rec
		}
	}
	r.Diags = diag.Sort(r.Diags)
	return r
}

// tooLarge is the finding on a record file over record.MaxSize.
const tooLarge = "file is larger than 1 MiB; records are limited to 1 MiB"

// job is one record file the walk found.
type job struct {
	file string
	kind record.Kind
	size int64
	// blob is the file's git blob id when the walk's source listed it (a git tree's entry).
	blob   [20]byte
	listed bool
	// prev is the earlier load's record of this file, when the walk took the file's folder
	// over from that load (the same git tree): its bytes are this file's.
	prev *record.Record
}

// listedBlob is a directory entry that knows its content's git blob id (a git tree's).
type listedBlob interface{ BlobID() [20]byte }

// blobID returns the git blob id of the job's file with content data: the listed one, or
// blobOf's.
func (j job) blobID(fsys fs.FS, data []byte) [20]byte {
	if j.listed {
		return j.blob
	}
	return blobOf(fsys, j.file, data)
}

// TreeHasher is implemented by sources that know a folder's git tree id (a git revision's
// tree); a folder's entry in a listing of its parent gives it as its BlobID.
type TreeHasher interface {
	TreeHash(name string) ([20]byte, bool)
}

// walk lists the record files of fsys under cfg's kind folders, in walk order, with the
// diagnostics of what it will not read (symbolic links, FIFOs, unreadable folders). When
// fsys is a git tree, trees is the tree id of every folder entered (nil when a folder was
// taken over from prev): a folder whose tree is the one prev's clean walk entered at the
// same path, under the same kinds, holds prev's record files there, which are listed from
// prev without reading the folder.
func walk(fsys fs.FS, cfg *config.Config, prev *Repo) (jobs []job, ds []diag.Diagnostic, trees map[string][20]byte) {
	_, fromGit := fsys.(BlobHasher)
	_, bounded := fsys.(maxReader)
	seen := map[string]bool{}
	th, _ := fsys.(TreeHasher)
	if fromGit {
		trees = map[string][20]byte{}
	}
	takeOver := fromGit && prev != nil && prev.trees != nil && distinctDirs(cfg)
	tookOver := false
	if takeOver {
		jobs = make([]job, 0, len(prev.Records)+64) // most files come from prev
	}
	for _, kind := range record.AllKinds() {
		dir := cfg.Kinds[kind].Dir
		if _, err := fs.Stat(fsys, dir); err != nil {
			continue
		}
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				ds = append(ds, fileDiag(p, "cannot read: "+errText(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				ds = append(ds, fileDiag(p, "symbolic link not followed; records must be regular files"))
				return nil
			}
			if d.IsDir() {
				if p != dir && isKindDir(cfg, p) {
					return fs.SkipDir // another kind's folder nested in this one
				}
				if trees == nil {
					return nil
				}
				var id [20]byte
				known := false
				if p == dir {
					if th != nil {
						id, known = th.TreeHash(p)
					}
				} else if lb, ok := d.(listedBlob); ok {
					id, known = lb.BlobID(), true
				}
				if !known {
					return nil
				}
				if prevID, ok := prev.treeAt(p); takeOver && ok && prevID == id {
					jobs = prev.jobsUnder(p, kind, jobs)
					tookOver = true
					foldersTakenOver.Add(1)
					return fs.SkipDir
				}
				trees[p] = id
				return nil
			}
			if !record.IsFile(name) || seen[p] {
				return nil
			}
			if !d.Type().IsRegular() {
				// A FIFO or device would block or never end: never opened.
				ds = append(ds, fileDiag(p, record.Irregular(d.Type())+", not a regular file; records must be regular files"))
				return nil
			}
			seen[p] = true
			// A git tree's sizes cost an object lookup each: its files are checked once read,
			// as are those of a source that bounds its reads (no stat per file).
			var size int64 = -1
			if !fromGit && !bounded {
				if info, err := d.Info(); err == nil {
					size = info.Size()
				}
			}
			jb := job{file: p, kind: kind, size: size}
			if lb, ok := d.(listedBlob); ok && fromGit {
				jb.blob, jb.listed = lb.BlobID(), true
			}
			jobs = append(jobs, jb)
			return nil
		})
	}
	if tookOver {
		trees = nil // the folders taken over were not entered
	}
	return jobs, ds, trees
}

// foldersTakenOver counts the folders walk took over from an earlier load (for tests).
var foldersTakenOver atomic.Int64

// treeAt returns the tree id of the folder p that r's walk entered.
func (r *Repo) treeAt(p string) ([20]byte, bool) {
	if r == nil {
		return [20]byte{}, false
	}
	id, ok := r.trees[p]
	return id, ok
}

// jobsUnder appends the record files of kind that r holds below folder dir, with their blob
// ids when r knows them, and r's records to take over when they have their bytes.
func (r *Repo) jobsUnder(dir string, kind record.Kind, jobs []job) []job {
	prefix := dir + "/"
	if dir == "." {
		prefix = "" // the project root as a kind's folder
	}
	i, _ := slices.BinarySearchFunc(r.Records, prefix, func(rec *record.Record, t string) int { return strings.Compare(rec.File, t) })
	for ; i < len(r.Records) && strings.HasPrefix(r.Records[i].File, prefix); i++ {
		rec := r.Records[i]
		if rec.Kind != kind {
			continue // a nested kind's folder, walked as that kind's
		}
		j := job{file: rec.File, kind: kind, size: -1}
		if id, ok := rec.Blob(); ok {
			j.blob, j.listed, j.prev = id, true, rec
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// distinctDirs reports whether every kind has a folder of its own (two kinds sharing one
// would let the first walk take files the second then skips as seen).
func distinctDirs(cfg *config.Config) bool {
	seen := map[string]bool{}
	for _, k := range record.AllKinds() {
		d := cfg.Kinds[k].Dir
		if seen[d] {
			return false
		}
		seen[d] = true
	}
	return true
}

// maxReader is implemented by sources that can read at most max+1 bytes of a file (the
// working tree, through dirfs).
type maxReader interface {
	ReadFileMax(name string, max int) ([]byte, error)
}

// statReader is a source that also gives a file's stat data as git's index keeps it
// (dirfs), read by the same system call as its size.
type statReader interface {
	ReadFileStat(name string, max int) ([]byte, filestat.Stat, bool, error)
}

// readRecord reads a record file: of a source that bounds its reads, at most
// record.MaxSize+1 bytes (enough to say it is too large).
func readRecord(fsys fs.FS, name string) ([]byte, error) {
	if m, ok := fsys.(maxReader); ok {
		return m.ReadFileMax(name, record.MaxSize)
	}
	return fs.ReadFile(fsys, name)
}

// blobOf returns the git blob id of file with content data: from the source's tree listing
// when it has one (a git revision), else hashed.
func blobOf(fsys fs.FS, file string, data []byte) [20]byte {
	if bh, ok := fsys.(BlobHasher); ok {
		if id, ok := hashedBlob(bh, file); ok {
			return id
		}
	}
	return BlobIDOf(data)
}

// hashedBlob returns the blob id bh gives for file; false when it gives none.
func hashedBlob(bh BlobHasher, file string) ([20]byte, bool) {
	h, err := bh.BlobHash(file)
	if err != nil {
		return [20]byte{}, false
	}
	return decodeBlobID(h)
}

// decodeBlobID decodes a blob id as git prints it (40 hexadecimal digits).
func decodeBlobID(h string) (id [20]byte, ok bool) {
	n, err := hex.Decode(id[:], []byte(h))
	return id, err == nil && n == len(id)
}

func isKindDir(cfg *config.Config, p string) bool {
	for _, k := range record.AllKinds() {
		if cfg.Kinds[k].Dir == p {
			return true
		}
	}
	return false
}

func fileDiag(file, msg string) diag.Diagnostic {
	return diag.Diagnostic{Rule: diag.RuleParse, Severity: diag.Error, Range: pos.FileStart(file), Message: msg}
}

func errText(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// BlobOf returns the git blob id of rec's content: the one its loader knew (a git tree's
// listing, or computed for the record cache), or hashed now.
func BlobOf(rec *record.Record) [20]byte {
	if id, ok := rec.Blob(); ok {
		return id
	}
	return BlobIDOf(rec.Raw)
}

// ConfigOnly returns a repo of fsys's configuration and its diagnostics, without records:
// what judging another revision by this one's configuration needs (gate.Judging).
func ConfigOnly(fsys fs.FS) *Repo {
	cfg, ds := config.Load(fsys)
	return &Repo{FS: fsys, Config: cfg, ByID: map[string]*record.Record{}, Diags: ds}
}

// LoadAgainst loads fsys as LoadWith does and reports whether rev — a git revision's tree,
// which knows its blob ids — holds exactly the loaded record files with the same bytes, and
// the same configuration file: then the repo, loaded from a clean work tree, is what loading
// rev would give. rev's tree is listed while fsys is read, on a core of its own.
func LoadAgainst(fsys, rev fs.FS, opts Options) (*Repo, bool) {
	listed := make(chan *revFiles, 1)
	listing, configure := opts.Listing, opts.Configure
	known := newKnownFuture()
	go func() {
		var l *Listing
		if listing != nil {
			l = listing()
		}
		if l == nil {
			known.set(nil)
			listed <- listRev(rev, configure)
			return
		}
		// The workers take the files' blob ids from here (before this goes on to compare
		// the listing with the load).
		known.set(newKnownBlobs(l))
		if rf := fromListing(rev, l, configure); rf != nil {
			listed <- rf
			return
		}
		listed <- listRev(rev, configure)
	}()
	opts.BlobIDs, opts.Listing, opts.known = true, nil, known
	r := LoadWith(fsys, opts)
	l := <-listed
	same := r.sameAs(l)
	if same {
		r.trees = l.trees // rev's folders, which hold exactly these records
	}
	return r, same
}

// revFiles is a revision's record files and configuration file as its tree lists them.
type revFiles struct {
	config    [20]byte // the configuration file's blob id
	hasConfig bool
	files     []revFile           // sorted by file
	trees     map[string][20]byte // folder → tree id, as walk gives them
}

// revFile is one record file of a revision.
type revFile struct {
	file string
	kind record.Kind
	blob [20]byte
}

// listRev lists rev's record files under its own configuration (passed through configure,
// as the loader does); nil when rev is not a git tree or its listing found anything the
// loader would report.
func listRev(rev fs.FS, configure func(*config.Config) *config.Config) *revFiles {
	bh, ok := rev.(BlobHasher)
	if !ok {
		return nil
	}
	l := &revFiles{}
	if _, err := fs.Stat(rev, config.FileName); err == nil {
		if l.config, l.hasConfig = hashedBlob(bh, config.FileName); !l.hasConfig {
			return nil
		}
	}
	cfg, _ := config.Load(rev)
	if configure != nil {
		cfg = configure(cfg)
	}
	jobs, ds, trees := walk(rev, cfg, nil)
	if len(ds) != 0 {
		return nil
	}
	l.trees = trees
	l.files = make([]revFile, len(jobs))
	for i, j := range jobs {
		if !j.listed {
			if j.blob, j.listed = hashedBlob(bh, j.file); !j.listed {
				return nil
			}
		}
		l.files[i] = revFile{file: j.file, kind: j.kind, blob: j.blob}
	}
	slices.SortFunc(l.files, func(a, b revFile) int { return strings.Compare(a.file, b.file) })
	return l
}

// fromListing gives rev's record files and configuration file from a listing of rev's files,
// applying the walk's rules to its paths; nil when the listing holds something the walk
// would report (a symbolic link it reaches) or an oddity left to the walk of rev's trees.
func fromListing(rev fs.FS, l *Listing, configure func(*config.Config) *config.Config) *revFiles {
	cfg, _ := config.Load(rev)
	if configure != nil {
		cfg = configure(cfg)
	}
	rf := &revFiles{trees: l.Trees, files: make([]revFile, 0, len(l.Files))}
	kd := kindDirsOf(cfg)
	for i, f := range l.Files {
		if i > 0 && l.Files[i-1].Path >= f.Path {
			return nil
		}
		if f.Path == config.FileName {
			if f.Symlink {
				return nil
			}
			rf.config, rf.hasConfig = f.ID, true
		}
		if kd.isDir(f.Path) {
			return nil // a file where a kind's folder would be
		}
		kind, reached := kd.reach(f.Path)
		if !reached {
			continue
		}
		if f.Symlink {
			return nil // the walk reports it: never the same as a clean load
		}
		if record.IsFile(path.Base(f.Path)) {
			rf.files = append(rf.files, revFile{file: f.Path, kind: kind, blob: f.ID})
		}
	}
	return rf
}

// kindDirs is each kind with its folder, in the walk's order.
type kindDirs []struct {
	kind record.Kind
	dir  string
}

func kindDirsOf(cfg *config.Config) kindDirs {
	var kd kindDirs
	for _, k := range record.AllKinds() {
		kd = append(kd, struct {
			kind record.Kind
			dir  string
		}{k, cfg.Kinds[k].Dir})
	}
	return kd
}

// isDir is isKindDir.
func (kd kindDirs) isDir(p string) bool {
	for _, e := range kd {
		if e.dir == p {
			return true
		}
	}
	return false
}

// reach returns the kind whose walk (walk) reaches the file at slash path f: the first kind
// whose folder holds it with no hidden name ("." or "_" first) below that folder and no other
// kind's folder between them.
func (kd kindDirs) reach(f string) (record.Kind, bool) {
kinds:
	for _, e := range kd {
		k, dir := e.kind, e.dir
		rel := f
		if dir != "." {
			var ok bool
			if rel, ok = strings.CutPrefix(f, dir+"/"); !ok {
				continue
			}
		}
		cur := dir
		for {
			name, rest, more := strings.Cut(rel, "/")
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				continue kinds
			}
			if !more {
				return k, true
			}
			if cur == "." {
				cur = name
			} else {
				cur += "/" + name
			}
			if kd.isDir(cur) {
				continue kinds // walked as that kind's
			}
			rel = rest
		}
	}
	return "", false
}

// sameAs reports whether l lists exactly r's record files, with r's bytes, and r's
// configuration file.
func (r *Repo) sameAs(l *revFiles) bool {
	if l == nil || !r.walkClean || r.FS == nil {
		return false
	}
	if data, err := fs.ReadFile(r.FS, config.FileName); err == nil {
		if !l.hasConfig || BlobIDOf(data) != l.config {
			return false
		}
	} else if l.hasConfig {
		return false
	}
	if len(l.files) != len(r.Records) {
		return false
	}
	for i, rec := range r.Records { // both sorted by file
		f := l.files[i]
		if f.file != rec.File || f.kind != rec.Kind || rec.Raw == nil || BlobOf(rec) != f.blob {
			return false
		}
	}
	return true
}

// Unshared returns the records of a and of b that the other does not hold (the very same
// *record.Record: the loader takes unchanged records of an earlier load over), when both are
// in file order as the loader leaves them (ok); ok is false otherwise. An id whose records
// are all shared has the same first file, and so the same record in ByID, on both sides.
func Unshared(a, b *Repo) (aOnly, bOnly []*record.Record, ok bool) {
	byFile := func(x, y *record.Record) int { return strings.Compare(x.File, y.File) }
	ra, rb := a.Records, b.Records
	if !slices.IsSortedFunc(ra, byFile) || !slices.IsSortedFunc(rb, byFile) {
		return nil, nil, false
	}
	i, j := 0, 0
	for i < len(ra) && j < len(rb) {
		if ra[i] == rb[j] {
			i, j = i+1, j+1
			continue
		}
		switch c := byFile(ra[i], rb[j]); {
		case c < 0:
			aOnly = append(aOnly, ra[i])
			i++
		case c > 0:
			bOnly = append(bOnly, rb[j])
			j++
		default:
			aOnly, bOnly = append(aOnly, ra[i]), append(bOnly, rb[j])
			i, j = i+1, j+1
		}
	}
	return append(aOnly, ra[i:]...), append(bOnly, rb[j:]...), true
}

// IDsIn returns the ids of the records in lists that parsed with an id: with Unshared's
// lists, every id whose record in ByID can differ between the two loads.
func IDsIn(lists ...[]*record.Record) map[string]bool {
	ids := map[string]bool{}
	for _, recs := range lists {
		for _, rec := range recs {
			if rec.Parsed() && rec.ID != "" {
				ids[rec.ID] = true
			}
		}
	}
	return ids
}

// Parsed returns the records of kind that parsed, in file order.
func (r *Repo) Parsed(kind record.Kind) []*record.Record {
	var out []*record.Record
	for _, rec := range r.Records {
		if rec.Kind == kind && rec.Parsed() {
			out = append(out, rec)
		}
	}
	return out
}

// Requirement returns the requirement with id, or nil.
func (r *Repo) Requirement(id string) *record.Record {
	if rec := r.ByID[id]; rec != nil && rec.Kind == record.RequirementKind {
		return rec
	}
	return nil
}

// Files returns how many record files were found.
func (r *Repo) Files() int { return len(r.Records) }
