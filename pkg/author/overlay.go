package author

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// Overlay is an fs.FS that shows files staged in memory over a base file system: a staged
// file replaces (or adds) the file at its path, and the folders leading to it exist. It is
// what a Plan is checked on: the loader reads it as it would read the work tree.
//
// Files must not change once the overlay is read: the staged folders are indexed on first
// use (an import stages 10,000 files in a hundred folders; each listing does not go
// through all of them).
type Overlay struct {
	Base  fs.FS
	Files map[string][]byte // slash paths relative to the root of Base

	once sync.Once
	dirs map[string]map[string]bool // staged folder → its staged entries, true for a folder
}

// index returns the staged folders (every folder leading to a staged file, "." included),
// each with the names of its staged entries (true for a folder).
func (o *Overlay) index() map[string]map[string]bool {
	o.once.Do(func() {
		o.dirs = map[string]map[string]bool{}
		add := func(dir, name string, isDir bool) (seen bool) {
			entries := o.dirs[dir]
			if entries == nil {
				entries = map[string]bool{}
				o.dirs[dir] = entries
			}
			was, seen := entries[name]
			entries[name] = was || isDir // a name both staged and leading deeper is a folder
			return seen && (was || !isDir)
		}
		parent := func(p string) (dir, name string) {
			dir, name = path.Split(p)
			if dir == "" {
				return ".", name
			}
			return dir[:len(dir)-1], name
		}
		for p := range o.Files {
			dir, name := parent(p)
			add(dir, name, false)
			// The folders leading to it, up to the first one already listed as a folder.
			for dir != "." {
				d, n := parent(dir)
				if add(d, n, true) {
					break
				}
				dir = d
			}
		}
	})
	return o.dirs
}

var (
	_ fs.ReadDirFS  = (*Overlay)(nil)
	_ fs.ReadFileFS = (*Overlay)(nil)
	_ fs.StatFS     = (*Overlay)(nil)
)

// Open opens name, a staged file first.
func (o *Overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := o.Files[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(data))}, r: strings.NewReader(string(data))}, nil
	}
	if o.stagedDir(name) {
		entries, err := o.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &memDir{info: memInfo{name: path.Base(name), dir: true}, entries: entries}, nil
	}
	return o.Base.Open(name)
}

// ReadFile reads name, a staged file first.
func (o *Overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.Files[name]; ok {
		return slices.Clone(data), nil
	}
	return fs.ReadFile(o.Base, name)
}

// Stat describes name, a staged file first.
func (o *Overlay) Stat(name string) (fs.FileInfo, error) {
	if data, ok := o.Files[name]; ok {
		return memInfo{name: path.Base(name), size: int64(len(data))}, nil
	}
	fi, err := fs.Stat(o.Base, name)
	if err != nil && o.stagedDir(name) {
		return memInfo{name: path.Base(name), dir: true}, nil
	}
	return fi, err
}

// ReadDir lists name: the base folder's entries with the staged files and folders merged in.
func (o *Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	base, err := fs.ReadDir(o.Base, name)
	if err != nil && !(errors.Is(err, fs.ErrNotExist) && o.stagedDir(name)) {
		return nil, err
	}
	staged := o.index()[name]
	if len(staged) == 0 {
		return base, nil
	}
	byName := make(map[string]fs.DirEntry, len(base)+len(staged))
	for _, e := range base {
		byName[e.Name()] = e
	}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	for first, dir := range staged {
		if dir {
			if e, ok := byName[first]; !ok || !e.IsDir() {
				byName[first] = fs.FileInfoToDirEntry(memInfo{name: first, dir: true})
			}
			continue
		}
		byName[first] = fs.FileInfoToDirEntry(memInfo{name: first, size: int64(len(o.Files[prefix+first]))})
	}
	out := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// stagedDir reports whether a staged file lies under the folder name.
func (o *Overlay) stagedDir(name string) bool {
	if name == "." {
		return len(o.Files) > 0
	}
	return len(o.index()[name]) > 0
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	info memInfo
	r    *strings.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

type memDir struct {
	info    memInfo
	entries []fs.DirEntry
	off     int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}
func (d *memDir) Close() error { return nil }
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}
