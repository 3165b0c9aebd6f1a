// Package atomicfile writes files so that a reader, or a crash, never sees half of one:
// the data goes to a temporary file in the same folder, is synced, then renamed into place.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/reqtrail/reqtrail/internal/parallel"
)

// WriteFile atomically replaces (or creates) name with data.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(name, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(name))
	return nil
}

// WriteStream atomically replaces (or creates) name with what write writes, streamed to the
// temporary file (a 100 MB export is never held in memory). When write fails, name is left
// as it was.
func WriteStream(name string, perm fs.FileMode, write func(io.Writer) error) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(name))
	return nil
}

// ErrExist is returned by CreateNew when the file already exists.
var ErrExist = fs.ErrExist

// CreateNew atomically creates name with data and fails with an error wrapping fs.ErrExist
// if it already exists; it never overwrites.
func CreateNew(name string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(name); err == nil {
		return fmt.Errorf("%s already exists; not overwriting it: %w", name, fs.ErrExist)
	}
	tmp, err := writeTemp(name, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// A hard link fails if name exists, so two writers can never clobber each other.
	if err := os.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting it: %w", name, fs.ErrExist)
		}
		// File systems without hard links: fall back to an exclusive create.
		f, ferr := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if ferr != nil {
			if errors.Is(ferr, fs.ErrExist) {
				return fmt.Errorf("%s already exists; not overwriting it: %w", name, fs.ErrExist)
			}
			return ferr
		}
		_, werr := f.Write(data)
		if serr := f.Sync(); werr == nil {
			werr = serr
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(name)
			return werr
		}
	}
	syncDir(filepath.Dir(name))
	return nil
}

func writeTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	return writeTempSync(name, data, perm, true)
}

// writeTempSync writes data to a new temporary file beside name, synced when sync is set.
func writeTempSync(name string, data []byte, perm fs.FileMode, sync bool) (string, error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Prepared is a new file whose data is already durable in a temporary file beside it, not
// yet in place: many files are prepared with one file-system sync (PrepareAll) instead of one
// per file, then moved into place one by one.
type Prepared struct {
	name, tmp string
	data      []byte
	perm      fs.FileMode
	placed    bool // tmp was renamed to name: there is no temporary file left
}

// PrepareAll writes data[i] to a temporary file beside names[i] (creating missing folders,
// each once) and makes them all durable at once. Link puts each in place; Discard removes
// what is left. The files get perm as os.WriteFile gives it (less the umask). Many files
// are written on every core: most of the cost is the kernel's, creating each inode, and
// files in other folders (or the data of one while another is created) need not wait.
func PrepareAll(names []string, data [][]byte, perm fs.FileMode) ([]*Prepared, error) {
	if err := mkdirs(names); err != nil {
		return nil, err
	}
	out := make([]*Prepared, len(names))
	errs := make([]error, len(names))
	workers := 1
	if len(names) >= 256 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	var failed atomic.Bool
	parallel.For(len(names), workers, func(_, i int) {
		if failed.Load() {
			return
		}
		tmp, err := writeNewTemp(names[i], data[i], perm)
		if err != nil {
			errs[i] = err
			failed.Store(true)
			return
		}
		out[i] = &Prepared{name: names[i], tmp: tmp, data: data[i], perm: perm}
	})
	if err := firstError(errs); err != nil {
		Discard(slices.DeleteFunc(out, func(p *Prepared) bool { return p == nil }))
		return nil, err
	}
	tmps := make([]string, len(out))
	for i, p := range out {
		tmps[i] = p.tmp
	}
	if err := syncFiles(tmps); err != nil {
		Discard(out)
		return nil, err
	}
	return out, nil
}

// mkdirs makes the folder of each of names, and the folders leading to it, where missing:
// each folder once, on every core (an import makes hundreds), with one mkdir for a folder
// whose parent exists.
func mkdirs(names []string) error {
	dirs := folders(names)
	// Shorter first: a parent before its folders, mostly. The first error is the first
	// folder's in the order of names.
	order := make([]int, len(dirs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(dirs[a]) - len(dirs[b]) })
	errs := make([]error, len(dirs))
	parallel.For(len(dirs), parallel.Workers(len(dirs), 64), func(_, k int) {
		i := order[k]
		if os.Mkdir(dirs[i], 0o755) != nil {
			// It exists, or its parent is missing (made here or by another worker), or
			// something is in the way: MkdirAll says which.
			errs[i] = os.MkdirAll(dirs[i], 0o755)
		}
	})
	return firstError(errs)
}

// folders returns the folder of each of names, each once, in the order of names.
func folders(names []string) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, n := range names {
		if d := filepath.Dir(n); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Link puts the prepared file in place, failing with an error wrapping fs.ErrExist when its
// name exists (it never overwrites). The folder is not synced: call SyncDirs once at the end.
func (p *Prepared) Link() error {
	switch err := renameNoReplace(p.tmp, p.name); {
	case err == nil:
		p.placed = true
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s already exists; not overwriting it: %w", p.name, fs.ErrExist)
	case !errors.Is(err, errors.ErrUnsupported):
		return err
	}
	// No rename that refuses to replace here: a hard link, which fails if name exists.
	if _, err := os.Lstat(p.name); err == nil {
		return fmt.Errorf("%s already exists; not overwriting it: %w", p.name, fs.ErrExist)
	}
	if err := os.Link(p.tmp, p.name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting it: %w", p.name, fs.ErrExist)
		}
		return CreateNew(p.name, p.data, p.perm) // no hard links either: an exclusive create
	}
	return nil
}

// LinkAll puts every prepared file in place as Link does, on every core (an import links
// thousands into hundreds of folders), and returns each one's error.
func LinkAll(ps []*Prepared) []error {
	errs := make([]error, len(ps))
	parallel.For(len(ps), parallel.Workers(len(ps), 128), func(_, i int) { errs[i] = ps[i].Link() })
	return errs
}

// Discard removes the temporary files of ps that were not moved into place.
func Discard(ps []*Prepared) {
	for _, p := range ps {
		if !p.placed {
			os.Remove(p.tmp)
		}
	}
}

// SyncDirs syncs the folder of each of names once; many folders on every core (an import
// writes thousands of files into hundreds of folders, and each sync waits for the disk).
func SyncDirs(names []string) {
	dirs := folders(names)
	parallel.For(len(dirs), parallel.Workers(len(dirs), 32), func(_, i int) { syncDir(dirs[i]) })
}
