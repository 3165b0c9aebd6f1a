// Package gitrepo reads a git repository through go-git: it resolves revisions, serves the
// tree of any commit as an io/fs.FS, computes merge bases and walks the history of records.
//
// Nothing here touches the work tree or the index, and the git command-line tool is never
// needed. A Repo is safe for concurrent use: every access to go-git's object storage, which
// is not goroutine-safe in all paths, goes through one mutex.
package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// FetchHint is the advice given whenever history needed by a command is not in the clone.
const FetchHint = "fetch more history (actions/checkout: fetch-depth: 0, or git fetch --unshallow)"

// Errors returned by this package; test with errors.Is.
var (
	// ErrNotRepository means no git repository was found from the folder upward.
	ErrNotRepository = errors.New("not a git repository")
	// ErrUnknownRevision means a revision names no commit.
	ErrUnknownRevision = errors.New("unknown revision")
	// ErrNoCommits means the repository has no commits yet.
	ErrNoCommits = errors.New("the repository has no commits yet")
	// ErrShallow means history needed by the command is not in this (shallow) clone.
	ErrShallow = errors.New("history not in this clone")
	// ErrNoFolder means a revision has no folder at the path asked for.
	ErrNoFolder = errors.New("no such folder")
	// ErrNoMergeBase means two commits have no common ancestor.
	ErrNoMergeBase = errors.New("no common ancestor")
)

// Repo is an open git repository.
type Repo struct {
	mu      sync.Mutex // guards every use of r and its storage
	r       *git.Repository
	st      *filesystem.Storage
	top     string
	shallow map[plumbing.Hash]bool
	dotfs   billy.Filesystem        // the .git folder, to open more storage handles (nil if unknown)
	sizes   map[plumbing.Hash]int64 // blob sizes already looked up, shared by every FS
	// trees holds the trees every FS decoded (immutable, by hash): revisions share most of
	// their folders (check opens head, the merge base and the base). Bounded by maxTrees.
	trees map[plumbing.Hash]*rawTree
	// packs and pr read objects straight out of the pack files (packsLocked).
	packs *packSet
	pr    *packReader
}

// maxTrees bounds Repo.trees (a long-running process opening many revisions starts over).
const maxTrees = 1 << 16

// Open finds the git repository that holds dir, from dir upward (a sub-folder and a linked
// worktree work too), and opens it for reading.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	gr, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%s: %w (or any of the parent folders)", abs, ErrNotRepository)
		}
		return nil, fmt.Errorf("%s: cannot open the git repository: %w", abs, err)
	}
	rp := &Repo{r: gr}
	if wt, err := gr.Worktree(); err == nil {
		rp.top = wt.Filesystem.Root()
	}
	// Reopen the same storage with pack files kept open and a larger object cache: a history
	// walk reads thousands of objects from the same packs.
	if fst, ok := gr.Storer.(*filesystem.Storage); ok {
		st := filesystem.NewStorageWithOptions(fst.Filesystem(), cache.NewObjectLRU(96*cache.MiByte), storageOptions())
		var wtfs billy.Filesystem
		if wt, err := gr.Worktree(); err == nil {
			wtfs = wt.Filesystem
		}
		if gr2, err := git.Open(st, wtfs); err == nil {
			rp.r, rp.st, rp.dotfs = gr2, st, fst.Filesystem()
		}
	}
	sh, err := rp.r.Storer.Shallow()
	if err != nil {
		rp.Close()
		return nil, fmt.Errorf("%s: cannot read .git/shallow: %w", abs, err)
	}
	if len(sh) > 0 {
		rp.shallow = make(map[plumbing.Hash]bool, len(sh))
		for _, h := range sh {
			rp.shallow[h] = true
		}
	}
	return rp, nil
}

// Close releases the pack files kept open. The Repo must not be used afterwards.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.packs.close()
	if r.st != nil {
		err := r.st.Close()
		r.st = nil
		return err
	}
	return nil
}

// Top is the absolute path of the work tree's top folder, or "" for a bare repository.
func (r *Repo) Top() string { return r.top }

// Shallow reports whether the repository is a shallow clone.
func (r *Repo) Shallow() bool { return len(r.shallow) > 0 }

func (r *Repo) shallowHint() string {
	if r.Shallow() {
		return "; this is a shallow clone: " + FetchHint
	}
	return ""
}

// Resolve turns a revision into the hash of a commit. It understands branches, tags
// (annotated ones are peeled), remote-tracking branches such as origin/main, HEAD, full and
// short hashes, and the suffixes ~n and ^n.
func (r *Repo) Resolve(rev string) (h plumbing.Hash, err error) {
	rev = strings.TrimSpace(rev)
	if rev == "" {
		return plumbing.ZeroHash, fmt.Errorf("%w: empty revision", ErrUnknownRevision)
	}
	base, steps, err := ParseRevision(rev)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			h, err = plumbing.ZeroHash, fmt.Errorf("%w %q", ErrUnknownRevision, rev)
		}
	}()
	if rev == "HEAD" || strings.HasPrefix(rev, "HEAD~") || strings.HasPrefix(rev, "HEAD^") {
		if _, err := r.r.Head(); errors.Is(err, plumbing.ErrReferenceNotFound) {
			return plumbing.ZeroHash, fmt.Errorf("%w: %q names no commit", ErrNoCommits, rev)
		}
	}
	// Walk the ancestry ourselves, for a clear message when the path leaves the clone.
	hp, err := r.resolveRefLocked(base)
	if err != nil || hp == nil {
		if _, herr := r.r.Head(); errors.Is(herr, plumbing.ErrReferenceNotFound) {
			if refs, _ := r.r.References(); refs != nil {
				n := 0
				_ = refs.ForEach(func(ref *plumbing.Reference) error {
					if ref.Type() == plumbing.HashReference {
						n++
					}
					return nil
				})
				if n == 0 {
					return plumbing.ZeroHash, fmt.Errorf("%w: %q names no commit", ErrNoCommits, rev)
				}
			}
		}
		return plumbing.ZeroHash, fmt.Errorf("%w %q%s", ErrUnknownRevision, rev, r.shallowHint())
	}
	cur := *hp
	for _, st := range steps {
		n, nth := st.Count, st.Parent
		for i := 0; i < n; i++ {
			c, err := r.commitLocked(cur)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
			}
			if nth > c.NumParents() || r.shallow[c.Hash] {
				if r.shallow[c.Hash] {
					return plumbing.ZeroHash, fmt.Errorf("%w: revision %q reaches past the start of this shallow clone; %s", ErrShallow, rev, FetchHint)
				}
				return plumbing.ZeroHash, fmt.Errorf("%w %q: commit %s has no parent %d", ErrUnknownRevision, rev, c.Hash.String()[:7], nth)
			}
			cur = c.ParentHashes[nth-1]
		}
	}
	if _, err := r.commitLocked(cur); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
	}
	return cur, nil
}

// resolveRefLocked resolves a revision without ~ and ^ steps: a reference name that
// names a commit by git's rules (refs/NAME, refs/tags/NAME, refs/heads/NAME, …) without
// go-git's object storage, which decodes a pack's whole index on first use; anything else
// (hashes and their prefixes, which git prefers to a reference of the same name, annotated
// tags, …) by go-git's ResolveRevision. r.mu must be held.
func (r *Repo) resolveRefLocked(base string) (*plumbing.Hash, error) {
	if !isHex(base) {
		for _, rule := range plumbing.RefRevParseRules {
			ref, err := r.r.Reference(plumbing.ReferenceName(fmt.Sprintf(rule, base)), true)
			if err != nil || ref.Type() != plumbing.HashReference {
				continue
			}
			h := ref.Hash()
			if _, err := r.commitLocked(h); err == nil {
				return &h, nil
			}
			break // a tag or something else: go-git's rules
		}
	}
	return r.r.ResolveRevision(plumbing.Revision(base))
}

// isHex reports whether s is made of hexadecimal digits only (it may be an abbreviated
// object id).
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// commitLocked reads a commit; r.mu must be held.
func (r *Repo) commitLocked(h plumbing.Hash) (*object.Commit, error) {
	// Out of the pack files directly when it is there: go-git's storage decodes a pack's
	// whole index the first time it reads from it.
	r.packsLocked()
	if data, found, err := r.pr.read(h, plumbing.CommitObject); found && err == nil {
		o := &plumbing.MemoryObject{}
		o.SetType(plumbing.CommitObject)
		if _, err := o.Write(data); err == nil && o.Hash() == h {
			if c, err := object.DecodeCommit(r.r.Storer, o); err == nil {
				return c, nil
			}
		}
	}
	c, err := r.r.CommitObject(h)
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("%w: commit %s is not in this clone; %s", ErrShallow, h.String()[:7], FetchHint)
		}
		return nil, fmt.Errorf("commit %s: %w", h.String()[:7], err)
	}
	return c, nil
}

// Commit describes one commit.
type Commit struct {
	Hash    string    `json:"hash"`
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	Date    time.Time `json:"date"` // author date
	Subject string    `json:"subject"`
	// Committed is the committer date: the order of history, and "now" for a revision.
	Committed time.Time `json:"committed"`
}

// CommitInfo returns the description of commit h.
func (r *Repo) CommitInfo(h plumbing.Hash) (Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commitLocked(h)
	if err != nil {
		return Commit{}, err
	}
	return describe(c), nil
}

func describe(c *object.Commit) Commit {
	subj, _, _ := strings.Cut(strings.TrimLeft(c.Message, "\n"), "\n")
	return Commit{
		Hash:      c.Hash.String(),
		Author:    c.Author.Name,
		Email:     c.Author.Email,
		Date:      c.Author.When,
		Subject:   strings.TrimSpace(subj),
		Committed: c.Committer.When,
	}
}

// readBlobLocked reads a blob fully; r.mu must be held.
func (r *Repo) readBlobLocked(h plumbing.Hash) ([]byte, error) {
	return r.objectsLocked().read(h, plumbing.BlobObject)
}

// packsLocked returns the repository's pack files, opened on first use; r.mu must be held.
func (r *Repo) packsLocked() *packSet {
	if r.packs == nil {
		r.packs = &packSet{}
		if r.dotfs != nil {
			r.packs = openPacks(r.dotfs)
		}
		r.pr = newPackReader(r.packs)
	}
	return r.packs
}

// storageOptions are the options of every storage handle the package opens: pack files kept
// open, and alternates (objects/info/alternates, which `git clone --shared` or `--reference`
// writes) resolved on the whole file system, not inside the .git folder.
func storageOptions() filesystem.Options {
	return filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New(string(filepath.Separator))}
}

// objectsLocked is the reader of objects through the main storage handle; r.mu must be held.
func (r *Repo) objectsLocked() objects {
	r.packsLocked()
	return objects{r.pr, r.r.Storer}
}

// objects reads objects out of the pack files directly when it can, else through go-git's
// storage (loose objects, alternates; and whatever the direct reader could not read, which
// go-git then reads or reports).
type objects struct {
	pr *packReader
	st storer.EncodedObjectStorer
}

func (o objects) read(h plumbing.Hash, typ plumbing.ObjectType) ([]byte, error) {
	if data, found, err := o.pr.read(h, typ); found && err == nil {
		return data, nil
	}
	obj, err := o.st.EncodedObject(typ, h)
	if err != nil {
		return nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}
