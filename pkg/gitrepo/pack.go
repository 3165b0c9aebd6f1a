package gitrepo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/klauspost/compress/zlib"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
)

// packSet is the pack files of a repository, read directly: an object is found by binary
// search in the pack's index, inflated, and its delta chain applied, without go-git's object
// decoding, hashing and caching, which cost more than the inflation for the small tree and
// record objects a history walk reads by the thousand. Anything it cannot find or read (loose
// objects, alternates, a damaged pack) is read through go-git instead, which reports it.
// The set is read-only once opened: any number of packReaders use it at once.
type packSet struct {
	packs []*pack
}

// pack is one pack file and its index.
type pack struct {
	f    io.ReaderAt
	size int64
	idx  *packIndex
	file io.Closer
}

// packIndex is a version 2 pack index (.idx) as it is on disk, looked up in place: the
// fan-out table, then the sorted object names, their CRCs, their 4-byte offsets and the
// 8-byte ones those point to. Nothing is decoded up front (go-git's decoder copies every
// name and offset into maps and slices first, which cost more than the lookups of a
// command that reads a few hundred objects).
type packIndex struct {
	fanout [256]uint32 // objects whose first byte is ≤ the index
	names  []byte      // 20 bytes per object, sorted
	off32  []byte      // 4 bytes per object
	off64  []byte      // 8 bytes per large offset
}

// errBadIndex is a pack index that is not a version 2 index of its own length.
var errBadIndex = errors.New("malformed pack index")

// parsePackIndex checks the layout of a version 2 pack index and returns it.
func parsePackIndex(data []byte) (*packIndex, error) {
	const header = 8 + 256*4
	if len(data) < header+40 || !bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(data[4:8]) != 2 {
		return nil, errBadIndex
	}
	x := &packIndex{}
	prev := uint32(0)
	for i := range x.fanout {
		v := binary.BigEndian.Uint32(data[8+4*i:])
		if v < prev {
			return nil, errBadIndex
		}
		x.fanout[i], prev = v, v
	}
	n := uint64(x.fanout[255])
	rest := uint64(len(data) - header - 40) // the two SHA-1 trailers
	if n*28 > rest {
		return nil, errBadIndex
	}
	large := rest - n*28
	if large%8 != 0 {
		return nil, errBadIndex
	}
	at := uint64(header)
	x.names = data[at : at+20*n]
	at += 24 * n // names, then the CRCs
	x.off32 = data[at : at+4*n]
	at += 4 * n
	x.off64 = data[at : at+large]
	return x, nil
}

// Object types in a pack (git's pack format).
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOfsDelta = 6
	packRefDelta = 7
)

// maxPackObject bounds the size of one object (or delta) read out of a pack: a damaged
// header cannot make the reader allocate more.
const maxPackObject = 1 << 30

// maxDeltaDepth bounds a delta chain (git's own limit is 4095).
const maxDeltaDepth = 10000

var errPackObject = errors.New("malformed pack object")

// openPacks opens the pack files under objects/pack of the .git folder dot, and those of
// the object stores its objects/info/alternates names; packs whose index cannot be read are
// left out (go-git reads their objects).
func openPacks(dot billy.Filesystem) *packSet {
	s := &packSet{}
	s.add(dot, path.Join("objects", "pack"))
	for _, alt := range alternates(dot) {
		s.add(osfs.New(alt), "pack")
	}
	return s
}

// add opens the pack files in folder dir of fs.
func (s *packSet) add(fs billy.Filesystem, dir string) {
	ents, err := fs.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasPrefix(name, "pack-") || !strings.HasSuffix(name, ".idx") {
			continue
		}
		if p := openPack(fs, path.Join(dir, name), path.Join(dir, strings.TrimSuffix(name, ".idx")+".pack")); p != nil {
			s.packs = append(s.packs, p)
		}
	}
}

// maxAlternates bounds the object stores read from objects/info/alternates.
const maxAlternates = 16

// alternates returns the object folders objects/info/alternates of the .git folder dot
// names, as absolute paths: git writes them absolute (clone --shared, --reference) or
// relative to dot's objects folder. Comments, blank lines and folders that do not exist are
// left out.
func alternates(dot billy.Filesystem) []string {
	f, err := dot.Open(path.Join("objects", "info", "alternates"))
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<16))
	if err != nil {
		return nil
	}
	objectsDir := filepath.Join(dot.Root(), "objects")
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || len(out) == maxAlternates {
			continue
		}
		dir := filepath.FromSlash(line)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(objectsDir, dir)
		}
		dir = filepath.Clean(dir)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || dir == objectsDir || slices.Contains(out, dir) {
			continue
		}
		out = append(out, dir)
	}
	return out
}

// maxIndexSize bounds the pack index read into memory (git's for 100 million objects is
// under 3 GB; anything larger is left to go-git).
const maxIndexSize = 1 << 31

func openPack(dot billy.Filesystem, idxName, packName string) *pack {
	ifi, err := dot.Stat(idxName)
	if err != nil || ifi.Size() > maxIndexSize {
		return nil
	}
	f, err := dot.Open(idxName)
	if err != nil {
		return nil
	}
	// Pack indexes never change once written: read in one piece of the size stat gave.
	data := make([]byte, ifi.Size())
	_, err = io.ReadFull(f, data)
	f.Close()
	if err != nil {
		return nil
	}
	idx, err := parsePackIndex(data)
	if err != nil {
		return nil
	}
	pf, err := dot.Open(packName)
	if err != nil {
		return nil
	}
	fi, err := dot.Stat(packName)
	if err != nil {
		pf.Close()
		return nil
	}
	return &pack{f: pf, size: fi.Size(), idx: idx, file: pf}
}

// close closes the pack files.
func (s *packSet) close() {
	if s == nil {
		return
	}
	for _, p := range s.packs {
		if p.file != nil {
			p.file.Close()
		}
	}
	s.packs = nil
}

// find returns the pack holding object h and its offset there.
func (s *packSet) find(h plumbing.Hash) (*pack, int64, bool) {
	for _, p := range s.packs {
		if off, ok := p.offset(h); ok {
			return p, off, true
		}
	}
	return nil, 0, false
}

// offset looks h up in the pack's index (a binary search in the names of h's first byte).
func (p *pack) offset(h plumbing.Hash) (int64, bool) {
	x := p.idx
	lo, hi := 0, int(x.fanout[h[0]])
	if h[0] > 0 {
		lo = int(x.fanout[h[0]-1])
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(h[:], x.names[mid*20:mid*20+20]); {
		case c == 0:
			o := uint64(binary.BigEndian.Uint32(x.off32[mid*4:]))
			if o&(1<<31) != 0 {
				i := 8 * (o &^ (1 << 31))
				if i+8 > uint64(len(x.off64)) {
					return 0, false
				}
				o = binary.BigEndian.Uint64(x.off64[i:])
			}
			if o >= uint64(p.size) {
				return 0, false
			}
			return int64(o), true
		case c < 0:
			hi = mid
		default:
			lo = mid + 1
		}
	}
	return 0, false
}

// packReader reads objects out of a packSet; each goroutine has its own (it keeps a buffer,
// an inflater and the delta bases it resolved last).
type packReader struct {
	set   *packSet
	br    *bufio.Reader
	zr    io.ReadCloser
	bases map[baseKey]baseObject
	held  int // bytes in bases
}

type baseKey struct {
	p   *pack
	off int64
}

type baseObject struct {
	typ  int
	data []byte
}

// maxBaseBytes bounds the delta bases a reader keeps.
const maxBaseBytes = 32 << 20

func newPackReader(s *packSet) *packReader {
	return &packReader{set: s, bases: map[baseKey]baseObject{}}
}

// read returns the content of object h if it is of type want and in one of the packs;
// found is false when it is in none (the caller reads it another way). An object that is
// there but cannot be read is an error.
func (pr *packReader) read(h plumbing.Hash, want plumbing.ObjectType) (data []byte, found bool, err error) {
	if pr == nil || pr.set == nil {
		return nil, false, nil
	}
	p, off, ok := pr.set.find(h)
	if !ok {
		return nil, false, nil
	}
	typ, data, err := pr.at(p, off, 0)
	if err != nil {
		return nil, true, fmt.Errorf("object %s: %w", h.String()[:7], err)
	}
	if plumbing.ObjectType(typ) != want {
		return nil, true, fmt.Errorf("object %s is a %s, not a %s", h.String()[:7], plumbing.ObjectType(typ), want)
	}
	return data, true, nil
}

// size returns the size of object h's content when it is in one of the packs, from its
// header (a delta's, its target size: only the delta's first bytes are inflated); found is
// false when it is in none.
func (pr *packReader) size(h plumbing.Hash) (size int64, found bool, err error) {
	if pr == nil || pr.set == nil {
		return 0, false, nil
	}
	p, off, ok := pr.set.find(h)
	if !ok {
		return 0, false, nil
	}
	size, err = pr.sizeAt(p, off)
	if err != nil {
		return 0, true, fmt.Errorf("object %s: %w", h.String()[:7], err)
	}
	return size, true, nil
}

// header reads the type and size of the object at off in p, leaving the reader after them.
func (pr *packReader) header(p *pack, off int64) (br *bufio.Reader, typ int, size uint64, err error) {
	sr := io.NewSectionReader(p.f, off, p.size-off)
	if pr.br == nil {
		pr.br = bufio.NewReaderSize(sr, 16<<10)
	} else {
		pr.br.Reset(sr)
	}
	br = pr.br
	c, err := br.ReadByte()
	if err != nil {
		return nil, 0, 0, err
	}
	typ, size = int(c>>4)&7, uint64(c&15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 60 {
			return nil, 0, 0, errPackObject
		}
		if c, err = br.ReadByte(); err != nil {
			return nil, 0, 0, err
		}
		size |= uint64(c&0x7f) << shift
	}
	return br, typ, size, nil
}

// sizeAt returns the content size of the object at off in p.
func (pr *packReader) sizeAt(p *pack, off int64) (int64, error) {
	fail := func(err error) (int64, error) { return 0, err }
	br, typ, n, err := pr.header(p, off)
	if err != nil {
		return fail(err)
	}
	switch typ {
	case packCommit, packTree, packBlob, packTag:
		if n > maxPackObject {
			return fail(fmt.Errorf("%w: %d bytes", errPackObject, n))
		}
		return int64(n), nil
	case packOfsDelta:
		for c := byte(0x80); c&0x80 != 0; {
			if c, err = br.ReadByte(); err != nil {
				return fail(err)
			}
		}
	case packRefDelta:
		if _, err := br.Discard(20); err != nil {
			return fail(err)
		}
	default:
		return fail(fmt.Errorf("%w: type %d", errPackObject, typ))
	}
	// A delta begins with its base's size and its target's, as varints.
	if pr.zr == nil {
		pr.zr, err = zlib.NewReader(br)
	} else {
		err = pr.zr.(zlib.Resetter).Reset(br, nil)
	}
	if err != nil {
		return fail(err)
	}
	var head [20]byte
	m, err := io.ReadFull(pr.zr, head[:min(len(head), int(min(n, 20)))])
	if err != nil {
		return fail(err)
	}
	b := head[:m]
	for i := 0; i < 2; i++ {
		var v uint64
		shift := 0
		for {
			if len(b) == 0 || shift > 63 {
				return fail(errPackObject)
			}
			c := b[0]
			b = b[1:]
			v |= uint64(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				break
			}
		}
		if i == 1 {
			if v > maxPackObject {
				return fail(fmt.Errorf("%w: %d bytes", errPackObject, v))
			}
			return int64(v), nil
		}
	}
	return fail(errPackObject)
}

// at reads the object at off in p, resolving deltas; depth is the delta chain so far.
func (pr *packReader) at(p *pack, off int64, depth int) (int, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, nil, fmt.Errorf("%w: delta chain longer than %d", errPackObject, maxDeltaDepth)
	}
	br, typ, size, err := pr.header(p, off)
	if err != nil {
		return 0, nil, err
	}
	if size > maxPackObject {
		return 0, nil, fmt.Errorf("%w: %d bytes", errPackObject, size)
	}
	switch typ {
	case packCommit, packTree, packBlob, packTag:
		data, err := pr.inflate(br, int(size))
		return typ, data, err
	case packOfsDelta:
		c, err := br.ReadByte()
		if err != nil {
			return 0, nil, err
		}
		rel := uint64(c & 0x7f)
		for c&0x80 != 0 {
			if rel > 1<<56 {
				return 0, nil, errPackObject
			}
			if c, err = br.ReadByte(); err != nil {
				return 0, nil, err
			}
			rel = (rel+1)<<7 | uint64(c&0x7f)
		}
		if rel == 0 || rel > uint64(off) {
			return 0, nil, fmt.Errorf("%w: delta base outside the pack", errPackObject)
		}
		delta, err := pr.inflate(br, int(size))
		if err != nil {
			return 0, nil, err
		}
		btyp, base, err := pr.base(p, off-int64(rel), depth)
		if err != nil {
			return 0, nil, err
		}
		data, err := applyDelta(base, delta)
		return btyp, data, err
	case packRefDelta:
		var bh plumbing.Hash
		if _, err := io.ReadFull(br, bh[:]); err != nil {
			return 0, nil, err
		}
		delta, err := pr.inflate(br, int(size))
		if err != nil {
			return 0, nil, err
		}
		bp, boff, ok := pr.set.find(bh)
		if !ok {
			return 0, nil, fmt.Errorf("%w: delta base %s not in a pack", errPackObject, bh.String()[:7])
		}
		btyp, base, err := pr.base(bp, boff, depth)
		if err != nil {
			return 0, nil, err
		}
		data, err := applyDelta(base, delta)
		return btyp, data, err
	}
	return 0, nil, fmt.Errorf("%w: type %d", errPackObject, typ)
}

// base returns the object at off in p as a delta base: kept for the next delta on it.
func (pr *packReader) base(p *pack, off int64, depth int) (int, []byte, error) {
	k := baseKey{p, off}
	if b, ok := pr.bases[k]; ok {
		return b.typ, b.data, nil
	}
	typ, data, err := pr.at(p, off, depth+1)
	if err != nil {
		return 0, nil, err
	}
	if pr.held+len(data) > maxBaseBytes {
		clear(pr.bases)
		pr.held = 0
	}
	pr.bases[k] = baseObject{typ, data}
	pr.held += len(data)
	return typ, data, nil
}

// inflate reads size bytes of zlib-compressed data from br.
func (pr *packReader) inflate(br *bufio.Reader, size int) ([]byte, error) {
	var err error
	if pr.zr == nil {
		pr.zr, err = zlib.NewReader(br)
	} else {
		err = pr.zr.(zlib.Resetter).Reset(br, nil)
	}
	if err != nil {
		return nil, err
	}
	// The buffer grows with what inflates: a damaged header's size allocates nothing.
	buf := bytes.NewBuffer(make([]byte, 0, min(size, 1<<20)+bytes.MinRead))
	if n, err := io.CopyN(buf, pr.zr, int64(size)); err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: %d of %d bytes", io.ErrUnexpectedEOF, n, size)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// applyDelta applies a git delta (source size, target size, then copy and insert
// instructions) to base.
func applyDelta(base, delta []byte) ([]byte, error) {
	varint := func() (uint64, bool) {
		var v uint64
		for shift := 0; shift < 64; shift += 7 {
			if len(delta) == 0 {
				return 0, false
			}
			c := delta[0]
			delta = delta[1:]
			v |= uint64(c&0x7f) << shift
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	src, ok1 := varint()
	dst, ok2 := varint()
	if !ok1 || !ok2 || src != uint64(len(base)) || dst > maxPackObject {
		return nil, fmt.Errorf("%w: delta sizes", errPackObject)
	}
	out := make([]byte, 0, min(dst, 1<<20))
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, n uint64
			for i := range 7 {
				if op&(1<<i) == 0 {
					continue
				}
				if len(delta) == 0 {
					return nil, fmt.Errorf("%w: delta copy", errPackObject)
				}
				if i < 4 {
					off |= uint64(delta[0]) << (8 * i)
				} else {
					n |= uint64(delta[0]) << (8 * (i - 4))
				}
				delta = delta[1:]
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || uint64(len(out))+n > dst {
				return nil, fmt.Errorf("%w: delta copy out of range", errPackObject)
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
			n := int(op)
			if n > len(delta) || uint64(len(out)+n) > dst {
				return nil, fmt.Errorf("%w: delta insert", errPackObject)
			}
			out = append(out, delta[:n]...)
			delta = delta[n:]
		default:
			return nil, fmt.Errorf("%w: delta opcode 0", errPackObject)
		}
	}
	if uint64(len(out)) != dst {
		return nil, fmt.Errorf("%w: delta gives %d bytes, not %d", errPackObject, len(out), dst)
	}
	return out, nil
}
