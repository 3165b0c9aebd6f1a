package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FS returns the tree of commit at sub-folder subdir ("" or "." for the top) as a read-only
// file system. It implements fs.ReadFileFS, fs.ReadDirFS, fs.StatFS and fs.ReadLinkFS.
// Symbolic links show as fs.ModeSymlink and are never followed: opening one reads the link's
// target text. Submodules are left out. Modification times are the commit's committer date.
// The FS is safe for concurrent use.
func (r *Repo) FS(commit plumbing.Hash, subdir string) (fs.FS, error) {
	subdir = strings.Trim(path.Clean("/"+strings.ReplaceAll(subdir, "\\", "/")), "/")
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commitLocked(commit)
	if err != nil {
		return nil, err
	}
	t := &treeFS{r: r, mtime: c.Committer.When}
	rootH := c.TreeHash
	root, err := t.treeLocked(rootH)
	if err != nil {
		return nil, fmt.Errorf("tree of commit %s: %w", c.Hash.String()[:7], err)
	}
	if subdir != "" {
		e, err := t.lookupLocked(root, subdir)
		if err != nil || e.Mode != filemode.Dir {
			return nil, fmt.Errorf("%s: %w in commit %s", subdir, ErrNoFolder, c.Hash.String()[:7])
		}
		rootH = e.Hash
		if root, err = t.treeLocked(e.Hash); err != nil {
			return nil, err
		}
	}
	t.root, t.rootH = root, rootH
	return t, nil
}

type treeFS struct {
	r     *Repo
	root  *rawTree
	rootH plumbing.Hash
	mtime time.Time
}

var (
	_ fs.ReadFileFS = (*treeFS)(nil)
	_ fs.ReadDirFS  = (*treeFS)(nil)
	_ fs.StatFS     = (*treeFS)(nil)
	_ fs.ReadLinkFS = (*treeFS)(nil)
)

// treeLocked returns tree h, decoded once per Repo (guarded by r.mu).
func (t *treeFS) treeLocked(h plumbing.Hash) (*rawTree, error) {
	r := t.r
	if tr, ok := r.trees[h]; ok {
		return tr, nil
	}
	tr, err := r.readTreeLocked(h)
	if err != nil {
		return nil, err
	}
	if r.trees == nil || len(r.trees) >= maxTrees {
		r.trees = map[plumbing.Hash]*rawTree{}
	}
	r.trees[h] = tr
	return tr, nil
}

// lookupLocked finds the entry at a slash-separated path below tree.
func (t *treeFS) lookupLocked(tree *rawTree, name string) (object.TreeEntry, error) {
	for {
		first, rest, more := strings.Cut(name, "/")
		e, ok := findEntry(tree, first)
		if !ok || e.Mode == filemode.Submodule {
			return object.TreeEntry{}, fs.ErrNotExist
		}
		if !more {
			return e, nil
		}
		if e.Mode != filemode.Dir {
			return object.TreeEntry{}, fs.ErrNotExist
		}
		sub, err := t.treeLocked(e.Hash)
		if err != nil {
			return object.TreeEntry{}, err
		}
		tree, name = sub, rest
	}
}

// findEntry finds a name in a tree by linear search (trees are small).
func findEntry(tree *rawTree, name string) (object.TreeEntry, bool) {
	for _, e := range tree.Entries {
		if e.Name == name {
			return e, true
		}
	}
	return object.TreeEntry{}, false
}

// node is what a path names: the root, or a tree entry.
type node struct {
	name  string
	entry object.TreeEntry
	root  bool
}

func (t *treeFS) resolveLocked(op, name string) (node, error) {
	if !fs.ValidPath(name) {
		return node{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return node{name: ".", root: true, entry: object.TreeEntry{Mode: filemode.Dir, Hash: t.rootH}}, nil
	}
	e, err := t.lookupLocked(t.root, name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("%w: %v", fs.ErrNotExist, err)
		}
		return node{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return node{name: path.Base(name), entry: e}, nil
}

func (t *treeFS) infoLocked(n node) (fi *fileInfo, err error) {
	fi = &fileInfo{name: n.name, mtime: t.mtime}
	switch n.entry.Mode {
	case filemode.Dir:
		fi.mode = fs.ModeDir | 0o755
		return fi, nil
	case filemode.Symlink:
		fi.mode = fs.ModeSymlink | 0o777
	case filemode.Executable:
		fi.mode = 0o755
	default:
		fi.mode = 0o644
	}
	if size, ok := t.r.sizes[n.entry.Hash]; ok {
		fi.size = size
		return fi, nil
	}
	defer func() {
		if fi != nil {
			if t.r.sizes == nil {
				t.r.sizes = map[plumbing.Hash]int64{}
			}
			t.r.sizes[n.entry.Hash] = fi.size
		}
	}()
	// The size comes from the object's header: the blob is not inflated.
	if size, found, err := t.r.objectsLocked().pr.size(n.entry.Hash); found {
		if err != nil {
			return nil, err
		}
		fi.size = size
		return fi, nil
	}
	if s, ok := t.r.r.Storer.(interface {
		EncodedObjectSize(plumbing.Hash) (int64, error)
	}); ok {
		size, err := s.EncodedObjectSize(n.entry.Hash)
		if err == nil {
			fi.size = size
			return fi, nil
		}
		// go-git's size lookup does not search alternates; EncodedObject does.
		if !errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, err
		}
	}
	obj, err := t.r.r.Storer.EncodedObject(plumbing.BlobObject, n.entry.Hash)
	if err != nil {
		return nil, err
	}
	fi.size = obj.Size()
	return fi, nil
}

// BlobHash returns the git object id of the named file's content without reading it: two
// files with the same id have the same bytes. (The loader uses it to reuse records already
// parsed from another revision.)
func (t *treeFS) BlobHash(name string) (string, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("blobhash", name)
	if err != nil {
		return "", err
	}
	if n.entry.Mode == filemode.Dir {
		return "", &fs.PathError{Op: "blobhash", Path: name, Err: errors.New("is a directory")}
	}
	return n.entry.Hash.String(), nil
}

// TreeHash returns the git object id of the named folder's tree: two folders with the same
// id hold the same files with the same bytes.
func (t *treeFS) TreeHash(name string) ([20]byte, bool) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("treehash", name)
	if err != nil {
		return [20]byte{}, false
	}
	if n.root {
		return t.rootH, true
	}
	if n.entry.Mode != filemode.Dir {
		return [20]byte{}, false
	}
	return n.entry.Hash, true
}

// Open opens the named file or folder.
func (t *treeFS) Open(name string) (fs.File, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("open", name)
	if err != nil {
		return nil, err
	}
	fi, err := t.infoLocked(n)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if fi.IsDir() {
		ents, err := t.readDirLocked(n)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dirFile{info: fi, path: name, entries: ents}, nil
	}
	data, err := t.r.readBlobLocked(n.entry.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &file{info: fi, Reader: bytes.NewReader(data)}, nil
}

// ReadFile reads the named file (for a symbolic link: its target).
func (t *treeFS) ReadFile(name string) ([]byte, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("read", name)
	if err != nil {
		return nil, err
	}
	if n.entry.Mode == filemode.Dir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	data, err := t.r.readBlobLocked(n.entry.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// ReadDir lists the named folder, sorted by name.
func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("readdir", name)
	if err != nil {
		return nil, err
	}
	if n.entry.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	ents, err := t.readDirLocked(n)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return ents, nil
}

func (t *treeFS) readDirLocked(n node) ([]fs.DirEntry, error) {
	tr, err := t.treeLocked(n.entry.Hash)
	if err != nil {
		return nil, err
	}
	ents := make([]fs.DirEntry, 0, len(tr.Entries))
	for _, e := range tr.Entries {
		if e.Mode == filemode.Submodule || e.Name == "" || strings.ContainsAny(e.Name, "/\\") || e.Name == "." || e.Name == ".." {
			continue
		}
		ents = append(ents, &dirEntry{t: t, e: e})
	}
	// git orders a folder "a" as "a/"; fs.ReadDir promises plain name order.
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, nil
}

// Stat describes the named file; symbolic links are not followed (as Lstat).
func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("stat", name)
	if err != nil {
		return nil, err
	}
	fi, err := t.infoLocked(n)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return fi, nil
}

// Lstat is Stat: nothing here follows a symbolic link.
func (t *treeFS) Lstat(name string) (fs.FileInfo, error) { return t.Stat(name) }

// ReadLink returns the target of the named symbolic link.
func (t *treeFS) ReadLink(name string) (string, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	n, err := t.resolveLocked("readlink", name)
	if err != nil {
		return "", err
	}
	if n.entry.Mode != filemode.Symlink {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	data, err := t.r.readBlobLocked(n.entry.Hash)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return string(data), nil
}

type fileInfo struct {
	name  string
	size  int64
	mode  fs.FileMode
	mtime time.Time
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.size }
func (fi *fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi *fileInfo) ModTime() time.Time { return fi.mtime }
func (fi *fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi *fileInfo) Sys() any           { return nil }

type dirEntry struct {
	t *treeFS
	e object.TreeEntry
}

func (d *dirEntry) Name() string { return d.e.Name }
func (d *dirEntry) IsDir() bool  { return d.e.Mode == filemode.Dir }
func (d *dirEntry) Type() fs.FileMode {
	switch d.e.Mode {
	case filemode.Dir:
		return fs.ModeDir
	case filemode.Symlink:
		return fs.ModeSymlink
	}
	return 0
}
func (d *dirEntry) Info() (fs.FileInfo, error) {
	d.t.r.mu.Lock()
	defer d.t.r.mu.Unlock()
	fi, err := d.t.infoLocked(node{name: d.e.Name, entry: d.e})
	if err != nil {
		return nil, err
	}
	return fi, nil
}
func (d *dirEntry) String() string { return fs.FormatDirEntry(d) }

// BlobID is the git object id of the entry's content, from its tree: what the record loader
// keys its cache by and compares revisions with, without a lookup by path.
func (d *dirEntry) BlobID() [20]byte { return d.e.Hash }

type file struct {
	info *fileInfo
	*bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

type dirFile struct {
	info    *fileInfo
	path    string
	entries []fs.DirEntry
	off     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errors.New("is a directory")}
}

func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return slices.Clone(rest[:n]), nil
}
