package gitrepo

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/reqtrail/reqtrail/internal/filestat"
)

// Index is what git's index (.git/index) says of the work tree: its files, and the tree ids
// of the folders its cache tree knows. When the cache tree's id of a folder is the id of a
// commit's tree there, the index holds exactly that commit's files below the folder — what
// lets a caller compare a clean checkout with its commit without listing the commit's trees.
type Index struct {
	// Files are the index's files at stage 0, in git's order (by path, bytewise), without
	// those added with --intent-to-add (which no commit holds).
	Files []IndexFile
	// trees holds the cache tree's valid folders by path ("" for the top).
	trees map[string]plumbing.Hash
	// Stamp is when the index file was last written (ReadIndex; unknown from ParseIndex):
	// an entry's stat data is trusted only for a file modified before it (filestat.Trusted).
	Stamp filestat.Stamp
}

// IndexFile is one file of the index.
type IndexFile struct {
	Path string // slash-separated, relative to the work tree's top
	Mode filemode.FileMode
	Hash plumbing.Hash
	// SkipWorktree is set for files a sparse checkout leaves out of the work tree.
	SkipWorktree bool
	// Stat is the file's stat data when git last wrote the entry (zero after git read-tree
	// without -u: git then compares the file's content).
	Stat filestat.Stat
}

// Tree returns the tree id the cache tree holds for the folder dir ("" or "." for the top),
// and false when the cache tree does not know it or it is out of date.
func (ix *Index) Tree(dir string) (plumbing.Hash, bool) {
	if dir == "." {
		dir = ""
	}
	h, ok := ix.trees[dir]
	return h, ok
}

// Trees calls fn for every folder the cache tree knows with its tree id, in no order.
func (ix *Index) Trees(fn func(dir string, h plumbing.Hash)) {
	for d, h := range ix.trees {
		fn(d, h)
	}
}

// ErrIndexUnsupported means the index uses a form this reader does not read (a split or
// sparse index, a conflict, an extension it must understand); the caller reads the commit's
// trees instead.
var ErrIndexUnsupported = errors.New("index form not supported")

// maxIndex bounds the index file read (a 100,000-file work tree's index is about 10 MB).
const maxIndex = 512 << 20

// ReadIndex reads the work tree's index. A missing index is fs.ErrNotExist.
func (r *Repo) ReadIndex() (*Index, error) {
	r.mu.Lock()
	dotfs := r.dotfs
	r.mu.Unlock()
	var data []byte
	var err error
	var stamp filestat.Stamp
	stampOf := func(fi os.FileInfo) {
		t := fi.ModTime()
		stamp = filestat.Stamp{Sec: t.Unix(), Nsec: int64(t.Nanosecond()), Known: true}
	}
	if dotfs != nil {
		data, err = readBounded(func() (io.ReadCloser, int64, error) {
			f, err := dotfs.Open("index")
			if err != nil {
				return nil, 0, err
			}
			var size int64 = -1
			if fi, err := dotfs.Stat("index"); err == nil {
				size = fi.Size()
				stampOf(fi)
			}
			return f, size, nil
		})
	} else if r.top != "" {
		data, err = readBounded(func() (io.ReadCloser, int64, error) {
			f, err := os.Open(filepath.Join(r.top, ".git", "index"))
			if err != nil {
				return nil, 0, err
			}
			var size int64 = -1
			if fi, err := f.Stat(); err == nil {
				size = fi.Size()
				stampOf(fi)
			}
			return f, size, nil
		})
	} else {
		return nil, fmt.Errorf("a bare repository has no index: %w", os.ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	ix, err := ParseIndex(data)
	if ix != nil {
		ix.Stamp = stamp
	}
	return ix, err
}

// readBounded reads what open opens, in one buffer when its size is known, up to maxIndex.
func readBounded(open func() (io.ReadCloser, int64, error)) ([]byte, error) {
	f, size, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > maxIndex {
		return nil, fmt.Errorf("index larger than %d MiB: %w", maxIndex>>20, ErrIndexUnsupported)
	}
	var buf bytes.Buffer
	if size > 0 {
		buf.Grow(int(size) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxIndex+1)); err != nil {
		return nil, err
	}
	if buf.Len() > maxIndex {
		return nil, fmt.Errorf("index larger than %d MiB: %w", maxIndex>>20, ErrIndexUnsupported)
	}
	return buf.Bytes(), nil
}

// Index entry flags (git's Documentation/gitformat-index.txt).
const (
	indexExtended     = 0x4000 // flags: an extended-flags word follows (version 3 and later)
	indexStage        = 0x3000 // flags: the merge stage
	indexNameMask     = 0x0fff // flags: the path's length, 0xfff when longer
	indexSkipWorktree = 0x4000 // extended flags
	indexIntentToAdd  = 0x2000 // extended flags
	indexEntryFixed   = 62     // stat data, object id and flags
)

// ParseIndex parses an index file of version 2, 3 or 4 with a SHA-1 trailer. It never
// panics: damage is an error, and a form it does not read is ErrIndexUnsupported.
func ParseIndex(data []byte) (*Index, error) {
	const hashLen = sha1.Size
	if len(data) < 12+hashLen || string(data[:4]) != "DIRC" {
		return nil, errors.New("index: not an index file")
	}
	body, sum := data[:len(data)-hashLen], data[len(data)-hashLen:]
	if !allZero(sum) { // index.skipHash writes a zero trailer
		if got := sha1.Sum(body); !bytes.Equal(got[:], sum) {
			return nil, errors.New("index: checksum mismatch")
		}
	}
	version := binary.BigEndian.Uint32(body[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("index version %d: %w", version, ErrIndexUnsupported)
	}
	count := binary.BigEndian.Uint32(body[8:12])
	if uint64(count)*indexEntryFixed > uint64(len(body)) {
		return nil, errors.New("index: more entries than the file holds")
	}
	// One string for the whole file: a version 2 or 3 path is a slice of it.
	text := string(body)
	ix := &Index{Files: make([]IndexFile, 0, count)}
	off := 12
	prev := ""
	for i := uint32(0); i < count; i++ {
		start := off
		if off+indexEntryFixed > len(body) {
			return nil, errors.New("index: entry past the end")
		}
		be := binary.BigEndian
		st := filestat.Stat{
			CtimeSec: be.Uint32(body[off:]), CtimeNsec: be.Uint32(body[off+4:]),
			MtimeSec: be.Uint32(body[off+8:]), MtimeNsec: be.Uint32(body[off+12:]),
			Dev: be.Uint32(body[off+16:]), Ino: be.Uint32(body[off+20:]),
			UID: be.Uint32(body[off+28:]), GID: be.Uint32(body[off+32:]),
			Size: be.Uint32(body[off+36:]),
		}
		mode := be.Uint32(body[off+24 : off+28])
		var h plumbing.Hash
		copy(h[:], body[off+40:off+60])
		flags := binary.BigEndian.Uint16(body[off+60 : off+62])
		off += indexEntryFixed
		var ext uint16
		if flags&indexExtended != 0 {
			if version < 3 {
				return nil, errors.New("index: extended flags in a version 2 index")
			}
			if off+2 > len(body) {
				return nil, errors.New("index: entry past the end")
			}
			ext = binary.BigEndian.Uint16(body[off : off+2])
			off += 2
		}
		var name string
		if version == 4 {
			strip, n := indexVarint(body[off:])
			if n <= 0 || strip > uint64(len(prev)) {
				return nil, errors.New("index: bad path prefix")
			}
			off += n
			end := bytes.IndexByte(body[off:], 0)
			if end < 0 {
				return nil, errors.New("index: path without its end")
			}
			name = prev[:len(prev)-int(strip)] + text[off:off+end]
			off += end + 1
		} else {
			end := bytes.IndexByte(body[off:], 0)
			if end < 0 {
				return nil, errors.New("index: path without its end")
			}
			name = text[off : off+end]
			// Padding: 1 to 8 NULs, to a multiple of 8 bytes from the entry's start.
			off = start + (off+end-start+8)&^7
			if off > len(body) {
				return nil, errors.New("index: entry past the end")
			}
		}
		if n := int(flags & indexNameMask); n != indexNameMask && n != len(name) {
			return nil, errors.New("index: path length does not match its flags")
		}
		if name == "" {
			return nil, fmt.Errorf("index: an entry without a path (a split index): %w", ErrIndexUnsupported)
		}
		if name <= prev && i > 0 {
			return nil, errors.New("index: paths out of order")
		}
		prev = name
		if flags&indexStage != 0 {
			return nil, fmt.Errorf("index: %s is in conflict: %w", name, ErrIndexUnsupported)
		}
		fm := filemode.FileMode(mode)
		switch fm {
		case filemode.Regular, filemode.Executable, filemode.Symlink, filemode.Submodule, filemode.Deprecated:
		case filemode.Dir:
			return nil, fmt.Errorf("index: a sparse index: %w", ErrIndexUnsupported)
		default:
			return nil, fmt.Errorf("index: %s has mode %o", name, mode)
		}
		if ext&indexIntentToAdd != 0 {
			continue
		}
		ix.Files = append(ix.Files, IndexFile{Path: name, Mode: fm, Hash: h, SkipWorktree: ext&indexSkipWorktree != 0, Stat: st})
	}
	for off < len(body) {
		if off+8 > len(body) {
			return nil, errors.New("index: extension past the end")
		}
		sig := body[off : off+4]
		size := binary.BigEndian.Uint32(body[off+4 : off+8])
		off += 8
		if uint64(size) > uint64(len(body)-off) {
			return nil, errors.New("index: extension past the end")
		}
		ext := body[off : off+int(size)]
		off += int(size)
		switch {
		case string(sig) == "TREE":
			trees, err := parseCacheTree(ext)
			if err != nil {
				return nil, err
			}
			ix.trees = trees
		case sig[0] >= 'A' && sig[0] <= 'Z':
			// Optional: an untracked cache, monitor data, resolve-undo, entry offsets.
		default:
			// "link" (split index), "sdir" (sparse index) and any other that must be understood.
			return nil, fmt.Errorf("index extension %q: %w", sig, ErrIndexUnsupported)
		}
	}
	return ix, nil
}

// indexVarint decodes a version 4 path-prefix length (git's offset varint); n ≤ 0 when
// the bytes end first or the value overflows.
func indexVarint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v = uint64(c & 0x7f)
	n = 1
	for c&0x80 != 0 {
		if n >= len(b) || n > 9 {
			return 0, -1
		}
		v++
		c = b[n]
		n++
		v = v<<7 | uint64(c&0x7f)
	}
	return v, n
}

// parseCacheTree parses the TREE extension: each folder as its path component, its entry
// count (-1 when out of date) and subtree count, then its tree id when up to date, followed
// by its subtrees.
func parseCacheTree(b []byte) (map[string]plumbing.Hash, error) {
	trees := map[string]plumbing.Hash{}
	off := 0
	var node func(dir string, depth int) error
	node = func(dir string, depth int) error {
		if depth > 4096 {
			return errors.New("index: cache tree too deep")
		}
		end := bytes.IndexByte(b[off:], 0)
		if end < 0 {
			return errors.New("index: bad cache tree")
		}
		name := string(b[off : off+end])
		off += end + 1
		nl := bytes.IndexByte(b[off:], '\n')
		if nl < 0 {
			return errors.New("index: bad cache tree")
		}
		counts := string(b[off : off+nl])
		off += nl + 1
		sp := strings.IndexByte(counts, ' ')
		if sp < 0 {
			return errors.New("index: bad cache tree")
		}
		entries, err1 := strconv.Atoi(counts[:sp])
		subtrees, err2 := strconv.Atoi(counts[sp+1:])
		if err1 != nil || err2 != nil || entries < -1 || subtrees < 0 || subtrees > len(b) {
			return errors.New("index: bad cache tree")
		}
		p := name
		if depth == 0 {
			if name != "" {
				return errors.New("index: bad cache tree")
			}
		} else {
			if name == "" || strings.Contains(name, "/") {
				return errors.New("index: bad cache tree")
			}
			if dir != "" {
				p = dir + "/" + name
			}
		}
		if entries >= 0 {
			if off+sha1.Size > len(b) {
				return errors.New("index: bad cache tree")
			}
			var h plumbing.Hash
			copy(h[:], b[off:off+sha1.Size])
			off += sha1.Size
			trees[p] = h
		}
		for range subtrees {
			if err := node(p, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(b) == 0 {
		return trees, nil
	}
	if err := node("", 0); err != nil {
		return nil, err
	}
	if off != len(b) {
		return nil, errors.New("index: bad cache tree")
	}
	return trees, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
