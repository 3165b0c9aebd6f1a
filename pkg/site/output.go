package site

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/reqtrail/reqtrail/pkg/config"
)

// ManifestName is the file, in the output folder, that lists the files of the last build, so
// that a rebuild removes the pages of deleted records and never touches other files.
const ManifestName = config.SiteMarker

// Dir writes the site into a folder. A file whose content is unchanged is not rewritten;
// every other file is written to a temporary name and renamed, so a reader (a web server, a
// browser) never sees half a page. Call Finish after the build.
type Dir struct {
	root    string
	mu      sync.Mutex
	made    map[string]bool
	written map[string]bool
}

// NewDir returns an Output writing into root, creating it if needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &Dir{root: root, made: map[string]bool{".": true}, written: map[string]bool{}}, nil
}

func validName(name string) bool {
	return name != "" && fs.ValidPath(name) && !strings.Contains(name, "\\")
}

// WriteFile implements Output.
func (d *Dir) WriteFile(name string, data []byte) error {
	if !validName(name) || name == ManifestName {
		return fmt.Errorf("invalid site file name %q", name)
	}
	full := filepath.Join(d.root, filepath.FromSlash(name))
	d.mu.Lock()
	d.written[name] = true
	// The folder is created under the lock: another writer into it must not go ahead first.
	if dir := path.Dir(name); !d.made[dir] {
		if err := d.mkdirs(dir); err != nil {
			d.mu.Unlock()
			return err
		}
		d.made[dir] = true
	}
	d.mu.Unlock()
	info, err := os.Lstat(full)
	switch {
	case err == nil && info.Mode().IsRegular():
		if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, data) {
			return nil
		}
	case err == nil && info.IsDir():
		return fmt.Errorf("%s is a folder where the site writes a file", full)
	}
	// Anything else in the way (a symbolic link planted in the output) is replaced by the
	// rename below, never written through.
	tmp := filepath.Join(filepath.Dir(full), "."+filepath.Base(full)+".tmp")
	if err := writeExcl(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, full); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeExcl writes a new file at name, removing whatever was there first (a leftover, or a
// planted symbolic link, which is never written through).
func writeExcl(name string, data []byte) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(name)
	}
	return werr
}

// mkdirs creates the folders of the slash path dir under the root one by one; a symbolic
// link in the way is removed and replaced by a real folder, so no write goes through it.
func (d *Dir) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	cur := d.root
	for _, part := range strings.Split(dir, "/") {
		cur = filepath.Join(cur, part)
		info, err := os.Lstat(cur)
		switch {
		case err == nil && info.IsDir():
			continue
		case err == nil && info.Mode()&fs.ModeSymlink != 0:
			if err := os.Remove(cur); err != nil {
				return err
			}
		case err == nil:
			return fmt.Errorf("%s is a file where the site needs a folder", cur)
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if err := os.Mkdir(cur, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

// linked reports whether a folder on the slash path name, under the root, is a symbolic link.
func (d *Dir) linked(name string) bool {
	cur := d.root
	parts := strings.Split(name, "/")
	for _, part := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, part)
		if info, err := os.Lstat(cur); err != nil || info.Mode()&fs.ModeSymlink != 0 {
			return err == nil
		}
	}
	return false
}

// Finish removes the files the previous build wrote and this one did not, then records this
// build's files.
func (d *Dir) Finish() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	mpath := filepath.Join(d.root, ManifestName)
	if old, err := os.ReadFile(mpath); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(old))
		var dirs []string
		for sc.Scan() {
			name := sc.Text()
			if !validName(name) || d.written[name] || name == ManifestName || d.linked(name) {
				continue // never remove anything through a symbolic link
			}
			if err := os.Remove(filepath.Join(d.root, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			for p := path.Dir(name); p != "."; p = path.Dir(p) {
				dirs = append(dirs, p)
			}
		}
		// Remove folders the removals emptied, deepest first; a folder with other files stays.
		slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
		for _, p := range slices.Compact(dirs) {
			_ = os.Remove(filepath.Join(d.root, filepath.FromSlash(p)))
		}
	}
	names := make([]string, 0, len(d.written))
	for n := range d.written {
		names = append(names, n)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	for _, n := range names {
		buf.WriteString(n)
		buf.WriteByte('\n')
	}
	tmp := mpath + ".tmp"
	if err := writeExcl(tmp, buf.Bytes()); err != nil {
		return err
	}
	return os.Rename(tmp, mpath)
}

// Files is an in-memory site, for `reqtrail serve` and tests.
type Files struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewFiles returns an empty in-memory site.
func NewFiles() *Files { return &Files{files: map[string][]byte{}} }

// WriteFile implements Output.
func (f *Files) WriteFile(name string, data []byte) error {
	if !validName(name) {
		return fmt.Errorf("invalid site file name %q", name)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[name] = slices.Clone(data)
	return nil
}

// Get returns the content of a file.
func (f *Files) Get(name string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, ok := f.files[name]
	return data, ok
}

// Names returns every file name, sorted.
func (f *Files) Names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.files))
	for n := range f.files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
