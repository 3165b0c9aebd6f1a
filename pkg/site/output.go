package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/config"
)

// ManifestName is the file, in the output folder, that lists the files of the last build, so
// that a rebuild removes the pages of deleted records and never touches other files.
const ManifestName = config.SiteMarker

// Dir writes the site into a folder. The marker file (ManifestName) lists every file of the
// last build with a hash of its content: a rebuild skips a file whose hash is unchanged and
// still on disk with its size, without reading it; a changed file is written to a temporary
// name and renamed, so a reader (a web server, a browser) never sees half a page; a file the
// last build did not write is created directly (nothing to replace, nothing to read first).
// Call Finish after the build.
type Dir struct {
	root    string
	mu      sync.Mutex
	made    map[string]bool
	written map[string]string // name → content hash of this build
	// old is the last build's files and their hashes ("" for a marker of the older format,
	// which listed names only: such files are compared by content).
	old map[string]string
	// Wrote counts the files actually written (created or replaced) by this build.
	wrote atomic.Int64
	// prev is the state the last build left (StateName; nil when missing or damaged), next
	// the one this build leaves (Build sets it; nil: none is written).
	prev, next *siteState
	// plainDirs are the folders keep found to be real folders, not symbolic links.
	plainDirs map[string]bool
}

// markerHeader starts a marker that lists hashes ("<hash> <name>" lines); a marker without
// it lists names only.
const markerHeader = "# reqtrail site v2"

// NewDir returns an Output writing into root, creating it if needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	d := &Dir{root: root, made: map[string]bool{".": true}, written: map[string]string{}, old: map[string]string{}}
	if data, err := os.ReadFile(filepath.Join(root, ManifestName)); err == nil {
		d.old = parseMarker(data)
	}
	// The state is read, then removed until Finish writes the next one: a build that fails
	// half-way leaves no state that would keep pages it replaced.
	spath := filepath.Join(root, StateName)
	if info, err := os.Lstat(spath); err == nil {
		if info.Mode().IsRegular() {
			if data, err := os.ReadFile(spath); err == nil {
				d.prev, _ = decodeState(data)
			}
		}
		if err := os.Remove(spath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return d, nil
}

// keep keeps the file name of the last build as it is, without writing it, when the marker
// lists it with a hash and it is still there as a regular file of size bytes (not behind a
// symbolic link); it reports whether it did.
func (d *Dir) keep(name string, size int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	hash := d.old[name]
	if hash == "" {
		return false
	}
	dir := path.Dir(name)
	if !d.plainDirs[dir] {
		if d.linked(name) {
			return false
		}
		if d.plainDirs == nil {
			d.plainDirs = map[string]bool{}
		}
		d.plainDirs[dir] = true
	}
	info, err := os.Lstat(filepath.Join(d.root, filepath.FromSlash(name)))
	if err != nil || !info.Mode().IsRegular() || info.Size() != size {
		return false
	}
	d.written[name] = hash
	return true
}

// parseMarker reads a marker file: names with their hashes, or names only (older format).
func parseMarker(data []byte) map[string]string {
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	hashed := len(lines) > 0 && lines[0] == markerHeader
	for i, line := range lines {
		if hashed && i == 0 || line == "" {
			continue
		}
		name, hash := line, ""
		if hashed {
			var ok bool
			if hash, name, ok = strings.Cut(line, " "); !ok || len(hash) != 2*hashSize {
				continue
			}
		}
		if validName(name) && name != ManifestName && name != StateName {
			out[name] = hash
		}
	}
	return out
}

// hashSize is the length in bytes of the content hashes in the marker.
const hashSize = 16

// contentHash is the marker's hash of a file's content (SHA-256, truncated).
func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:hashSize])
}

// Wrote returns how many files this build created or replaced (unchanged ones are skipped).
func (d *Dir) Wrote() int { return int(d.wrote.Load()) }

func validName(name string) bool {
	return name != "" && fs.ValidPath(name) && !strings.Contains(name, "\\") && !strings.ContainsAny(name, "\n\r")
}

// WriteFile implements Output.
func (d *Dir) WriteFile(name string, data []byte) error {
	return d.writeHashed(name, data, contentHash(data))
}

// writeHashed is WriteFile with the content hash of data computed by the caller: a build
// hashes each page on the goroutine that rendered it, not on the one writing the files.
func (d *Dir) writeHashed(name string, data []byte, hash string) error {
	if !validName(name) || name == ManifestName || name == StateName {
		return fmt.Errorf("invalid site file name %q", name)
	}
	full := filepath.Join(d.root, filepath.FromSlash(name))
	d.mu.Lock()
	d.written[name] = hash
	oldHash, existed := d.old[name]
	// The folder is created under the lock: another writer into it must not go ahead first.
	if dir := path.Dir(name); !d.made[dir] {
		if err := d.mkdirs(dir); err != nil {
			d.mu.Unlock()
			return err
		}
		d.made[dir] = true
	}
	d.mu.Unlock()
	if !existed {
		// A file the last build did not write: create it directly. Something already there
		// (a file of the user's with --force, a planted symbolic link) is replaced below
		// instead, never written through: O_EXCL fails on any existing name.
		err := atomicfile.WriteNew(full, data, 0o644)
		if err == nil {
			d.wrote.Add(1)
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		oldHash = ""
	}
	info, err := os.Lstat(full)
	switch {
	case err == nil && info.Mode().IsRegular() && info.Size() == int64(len(data)):
		if oldHash == hash {
			return nil // the marker says the file holds these bytes
		}
		if oldHash == "" {
			if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, data) {
				return nil
			}
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
	d.wrote.Add(1)
	return nil
}

// writeExcl writes a new file at name, removing whatever was there first (a leftover, or a
// planted symbolic link, which is never written through).
func writeExcl(name string, data []byte) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.WriteNew(name, data, 0o644)
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
// build's files and their hashes.
func (d *Dir) Finish() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	mpath := filepath.Join(d.root, ManifestName)
	var dirs []string
	for name := range d.old {
		if _, ok := d.written[name]; ok || d.linked(name) {
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
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	slices.SortStableFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, p := range dirs {
		_ = os.Remove(filepath.Join(d.root, filepath.FromSlash(p)))
	}
	names := make([]string, 0, len(d.written))
	for n := range d.written {
		names = append(names, n)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	buf.WriteString(markerHeader + "\n")
	for _, n := range names {
		buf.WriteString(d.written[n])
		buf.WriteByte(' ')
		buf.WriteString(n)
		buf.WriteByte('\n')
	}
	if err := replaceFile(mpath, buf.Bytes()); err != nil {
		return err
	}
	if d.next != nil {
		if err := replaceFile(filepath.Join(d.root, StateName), d.next.encode()); err != nil {
			return err
		}
	}
	d.old = d.written
	d.written = map[string]string{}
	d.prev, d.next = d.next, nil
	return nil
}

// replaceFile writes data to name atomically: a temporary file beside it, then a rename.
func replaceFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := writeExcl(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
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
