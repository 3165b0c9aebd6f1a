package cli

import (
	"errors"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// worktreeRev names the working tree where a revision is expected.
const worktreeRev = "WORKTREE"

// gitProject is a project inside a git repository, for the commands that read revisions.
type gitProject struct {
	root, gitTop string
	prefix       string // the project root relative to the work tree's top
	git          *gitrepo.Repo
	// cacheOf returns the project's record cache shared by every load (nil when off),
	// saved once by Close; it is read while the repository is opened.
	cacheOf   func() *repo.Cache
	cachePath string
}

// cache is the record cache, nil when off.
func (p *gitProject) cache() *repo.Cache {
	if p.cacheOf == nil {
		return nil
	}
	return p.cacheOf()
}

// openGit finds the project root and opens its git repository.
func (app *App) openGit() (*gitProject, error) {
	root, gitTop, err := app.Project("")
	if err != nil {
		return nil, err
	}
	// The record cache file is read on another core while git opens the repository and
	// the command resolves its revisions.
	var cacheOf func() *repo.Cache
	var cachePath string
	if app.Getenv("REQTRAIL_NO_CACHE") == "" {
		if cachePath = repo.CachePath(root); cachePath != "" {
			opened := make(chan *repo.Cache, 1)
			go func() { opened <- repo.OpenCache(cachePath) }()
			cacheOf = sync.OnceValue(func() *repo.Cache { return <-opened })
		}
	}
	g, err := gitrepo.Open(root)
	if err != nil {
		return nil, err
	}
	if gitTop == "" {
		gitTop = g.Top()
	}
	return &gitProject{root: root, gitTop: gitTop, prefix: project.Prefix(root, gitTop), git: g, cacheOf: cacheOf, cachePath: cachePath}, nil
}

// Close saves the record cache and closes the repository.
func (p *gitProject) Close() {
	if c := p.cache(); c != nil {
		_ = c.Save(p.cachePath) // a cache that cannot be written only costs time
	}
	p.git.Close()
}

// resolve turns a revision into a commit hash; every failure is a plain error (exit 2).
func (p *gitProject) resolve(rev string) (plumbing.Hash, error) {
	h, err := p.git.Resolve(rev)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}

// fsAt returns the project root's tree at commit h; a revision without the project folder
// is an empty project.
func (p *gitProject) fsAt(h plumbing.Hash) (fs.FS, error) {
	fsys, err := p.git.FS(h, p.prefix)
	if errors.Is(err, gitrepo.ErrNoFolder) {
		return fstest.MapFS{}, nil
	}
	if err != nil {
		return nil, err
	}
	return fsys, nil
}

// loadAt loads the project at commit h, or the working tree exactly as lint sees it when h
// is the zero hash. Records of reuse (an earlier load, or nil) whose files are unchanged are
// taken over without being parsed again.
func (p *gitProject) loadAt(h plumbing.Hash, reuse *repo.Repo) (*repo.Repo, error) {
	return p.loadJudged(h, reuse, nil)
}

// loadJudged is loadAt with the configuration the records are judged under: configure
// receives the revision's own.
func (p *gitProject) loadJudged(h plumbing.Hash, reuse *repo.Repo, configure func(*config.Config) *config.Config) (*repo.Repo, error) {
	opts := repo.Options{Reuse: reuse, Cache: p.cache(), Configure: configure}
	if h.IsZero() {
		return repo.LoadWith(dirfs.New(p.root), opts), nil
	}
	fsys, err := p.fsAt(h)
	if err != nil {
		return nil, err
	}
	return repo.LoadWith(fsys, opts), nil
}

// fromWorkTree counts the commits loadCommit read from the work tree, and fromIndex those of
// them git's index matched (for tests).
var fromWorkTree, fromIndex atomic.Int64

// loadCommit is loadJudged for a commit. When h is the checked-out commit and the work tree
// holds exactly h's record files and configuration (a clean checkout, as CI has), the
// records are read from the work tree — through the record cache, without inflating h's
// blobs — and the repo's FS stays h's tree, so that the citation scan reads h's code and
// tests. Otherwise h is read from git, taking over the work tree's records whose bytes are
// h's. early, when not nil, is that work-tree load started before configure was known.
func (p *gitProject) loadCommit(h plumbing.Hash, configure func(*config.Config) *config.Config, early *workTreeLoad) (*repo.Repo, error) {
	var fsys fs.FS
	var wt *repo.Repo
	var same, usedIndex bool
	if early != nil && early.h == h {
		<-early.done
		if early.err != nil {
			return nil, early.err
		}
		fsys, wt, same, usedIndex = early.fsys, early.wt, early.same, early.usedIndex
		if same && configure != nil {
			// Loaded under the work tree's own configuration: it stands when the one that
			// judges it reads and validates records the same way.
			if judged := configure(wt.Config); repo.SameShape(wt.Config, judged) {
				wt.Config = judged
			} else {
				wt, same, usedIndex = p.loadAgainst(fsys, configure)
			}
		}
	} else {
		var err error
		if fsys, err = p.fsAt(h); err != nil {
			return nil, err
		}
		if checkedOut, err := p.resolve("HEAD"); err == nil && checkedOut == h {
			wt, same, usedIndex = p.loadAgainst(fsys, configure)
		}
	}
	if same {
		wt.FS = fsys
		fromWorkTree.Add(1)
		if usedIndex {
			fromIndex.Add(1)
		}
		return wt, nil
	}
	// The work tree's records whose bytes are h's are taken over (when read and validated
	// as h's are).
	return repo.LoadWith(fsys, repo.Options{Cache: p.cache(), Configure: configure, Reuse: wt}), nil
}

// loadAgainst loads the work tree and compares it with rev (repo.LoadAgainst), through git's
// index when it can (usedIndex).
func (p *gitProject) loadAgainst(rev fs.FS, configure func(*config.Config) *config.Config) (wt *repo.Repo, same, usedIndex bool) {
	var used atomic.Bool
	opts := repo.Options{Cache: p.cache(), Configure: configure, Listing: func() *repo.Listing {
		l := p.indexListing(rev)
		used.Store(l != nil)
		return l
	}}
	wt, same = repo.LoadAgainst(dirfs.New(p.root), rev, opts)
	return wt, same, used.Load()
}

// workTreeLoad is the work tree loaded and compared with the checked-out commit h under its
// own configuration, started while check is still finding the configuration that judges it.
type workTreeLoad struct {
	h    plumbing.Hash
	done chan struct{} // closed when the fields below are set
	fsys fs.FS
	wt   *repo.Repo
	same bool
	// usedIndex is set when git's index matched the work tree with h.
	usedIndex bool
	err       error
}

// startWorkTree starts loading the work tree against h on other cores; the caller waits for
// it (done) before the repository is closed.
func (p *gitProject) startWorkTree(h plumbing.Hash) *workTreeLoad {
	w := &workTreeLoad{h: h, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		if w.fsys, w.err = p.fsAt(h); w.err == nil {
			w.wt, w.same, w.usedIndex = p.loadAgainst(w.fsys, nil)
		}
	}()
	return w
}

// indexListing returns the project's files as git's index lists them, when the index's cache
// tree says it holds exactly the tree of rev (the project root's tree of the checked-out
// commit): comparing the work tree with it needs no walk of the commit's trees. nil when
// there is no index, it is of a form not read, or it differs from rev.
func (p *gitProject) indexListing(rev fs.FS) *repo.Listing {
	th, ok := rev.(repo.TreeHasher)
	if !ok {
		return nil
	}
	want, ok := th.TreeHash(".")
	if !ok {
		return nil
	}
	ix, err := p.git.ReadIndex()
	if err != nil {
		return nil
	}
	if got, ok := ix.Tree(p.prefix); !ok || got != want {
		return nil // files staged since, or another commit's index
	}
	under := ""
	if p.prefix != "" {
		under = p.prefix + "/"
	}
	l := &repo.Listing{Files: make([]repo.ListedFile, 0, len(ix.Files)), Trees: map[string][20]byte{}, Stamp: ix.Stamp}
	for _, f := range ix.Files {
		rel, ok := strings.CutPrefix(f.Path, under)
		if !ok || f.Mode == filemode.Submodule {
			continue
		}
		l.Files = append(l.Files, repo.ListedFile{Path: rel, ID: f.Hash, Symlink: f.Mode == filemode.Symlink, Stat: f.Stat, HasStat: true})
	}
	ix.Trees(func(dir string, h plumbing.Hash) {
		switch {
		case dir == p.prefix:
			l.Trees["."] = h
		case strings.HasPrefix(dir, under):
			l.Trees[dir[len(under):]] = h
		}
	})
	return l
}
