package site

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// WorkTree is a project's working tree as `serve` reloads it after each change: an fs.FS that
// also tells the loader (repo.BlobHasher) the git blob id of each record file it loaded last
// time and that Watch has not reported changed since, so that a reload with
// repo.Options.Reuse reads, hashes and parses only the files that changed. A file it knows
// nothing of is read and hashed when asked.
type WorkTree struct {
	dirfs.FS
	root string
	mu   sync.Mutex
	ids  map[string]string // slash path → git blob id of the content last loaded
}

// NewWorkTree returns the working tree at root.
func NewWorkTree(root string) *WorkTree {
	return &WorkTree{FS: dirfs.New(root), root: root, ids: map[string]string{}}
}

// BlobHash implements repo.BlobHasher.
func (w *WorkTree) BlobHash(name string) (string, error) {
	w.mu.Lock()
	id, ok := w.ids[name]
	w.mu.Unlock()
	if ok {
		return id, nil
	}
	info, err := w.Lstat(name)
	if err != nil {
		return "", err
	}
	if !info.Mode().IsRegular() {
		return "", &fs.PathError{Op: "hash", Path: name, Err: errors.New("not a regular file")}
	}
	data, err := w.ReadFile(name)
	if err != nil {
		return "", err
	}
	sum := repo.BlobIDOf(data)
	return hex.EncodeToString(sum[:]), nil
}

// Loaded notes the blob ids of the records of r, just loaded from the tree.
func (w *WorkTree) Loaded(r *repo.Repo) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, rec := range r.Records {
		if rec.Raw == nil {
			delete(w.ids, rec.File)
			continue
		}
		if _, ok := w.ids[rec.File]; !ok {
			id := repo.BlobOf(rec)
			w.ids[rec.File] = hex.EncodeToString(id[:])
		}
	}
}

// Changed forgets what it knows of the files a burst of events touched (all of them when
// the change does not say).
func (w *WorkTree) Changed(c Change) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c.All {
		clear(w.ids)
		return
	}
	for _, p := range c.Paths {
		rel, err := filepath.Rel(w.root, p)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			clear(w.ids)
			return
		}
		rel = filepath.ToSlash(rel)
		delete(w.ids, rel)
		// A folder created, renamed or removed takes its files with it.
		prefix := rel + "/"
		for name := range w.ids {
			if strings.HasPrefix(name, prefix) {
				delete(w.ids, name)
			}
		}
	}
}
