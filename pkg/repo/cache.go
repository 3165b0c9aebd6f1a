package repo

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/reqtrail/reqtrail/internal/binenc"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Cache is the content-addressed record cache: what the loader derives from a record file —
// its front matter in compact form (record.AppendCompact), its references with their ranges
// and the file's parse and schema diagnostics — keyed by the git blob id of the file's bytes
// (SHA-1 of "blob <size>\0<content>") and the validator that judged it. A record read from
// the work tree and the same record read from any revision share one entry, and a revision's
// tree listing gives the keys without reading the blobs.
//
// A hit is exactly what parsing and validating the file would give: the key covers the bytes,
// the schema, the fields: configuration (both in the validator's key) and the binary that
// wrote the entry. The cache lives in one file per project in the user's cache folder,
// written atomically and bounded in size; a missing, truncated, corrupt or foreign file is an
// empty cache, never an error. The zero value is not usable; use NewCache or OpenCache.
type Cache struct {
	mu      sync.Mutex
	old     map[cacheKey][]byte // entries read from the file
	used    map[cacheKey][]byte // entries hit or added in this run
	added   bool
	schemas map[string][8]byte // validator key → its digest in cache keys
	hits    int
	misses  int
}

// cacheKey is a file's git blob id and a digest of the validator's key.
type cacheKey struct {
	blob   [20]byte
	schema [8]byte
}

const (
	cacheMagic = "reqtrail-record-cache-v2\n"
	// maxCacheBytes bounds the cache file: entries of this run always stay, older ones
	// (another branch's records) only while the file stays under it.
	maxCacheBytes = 64 << 20
	// maxEntry bounds one entry (a record is at most 1 MiB).
	maxEntry = 4 << 20
)

// binaryStamp identifies the binary that writes the cache: its module version and VCS
// revision when the build recorded them — so rebuilds of one release or clean commit share
// the cache — and otherwise (a build from modified sources, go run, a test binary) its own
// size and modification time too, so a rebuilt reqtrail never trusts another build's entries.
var binaryStamp = sync.OnceValue(func() string {
	s := "reqtrail"
	stable := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		s += " " + bi.Main.Version + " " + bi.GoVersion
		revision, modified := "", ""
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				revision = kv.Value
			case "vcs.modified":
				modified = kv.Value
			}
		}
		s += " " + revision + " " + modified
		stable = (revision != "" && modified == "false") ||
			(bi.Main.Version != "" && bi.Main.Version != "(devel)" && !strings.Contains(bi.Main.Version, "+dirty"))
	}
	if !stable {
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				s += " " + strconv.FormatInt(fi.Size(), 10) + " " + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
			}
		}
	}
	return s
})

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{old: map[cacheKey][]byte{}, used: map[cacheKey][]byte{}, schemas: map[string][8]byte{}}
}

// OpenCache reads the cache file at path; a missing, unreadable, truncated, corrupt or
// foreign file gives an empty cache.
func OpenCache(path string) *Cache {
	c := NewCache()
	data, err := os.ReadFile(path)
	if err != nil {
		return c
	}
	c.old = parseCache(data)
	return c
}

// header is what a cache file starts with: the magic line and the binary's stamp.
func header() []byte {
	return binenc.AppendBytes([]byte(cacheMagic), []byte(binaryStamp()))
}

// parseCache returns the entries of a cache file, or none when it is not one this binary
// wrote whole: the file ends in a CRC-32C of everything before it.
func parseCache(data []byte) map[cacheKey][]byte {
	out := map[cacheKey][]byte{}
	h := header()
	if len(data) < len(h)+4 || !bytes.Equal(data[:len(h)], h) {
		return out
	}
	body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return out
	}
	b := body[len(h):]
	for len(b) > 0 {
		var k cacheKey
		if len(b) < len(k.blob)+len(k.schema) {
			return map[cacheKey][]byte{}
		}
		copy(k.blob[:], b)
		copy(k.schema[:], b[len(k.blob):])
		b = b[len(k.blob)+len(k.schema):]
		n, w := binary.Uvarint(b)
		if w <= 0 || n > maxEntry || n > uint64(len(b)-w) {
			return map[cacheKey][]byte{}
		}
		out[k] = b[w : w+int(n) : w+int(n)]
		b = b[w+int(n):]
	}
	return out
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Save writes the cache to path atomically when this run added entries: every entry used in
// this run, then older ones while the file stays under its bound. A run that added nothing
// leaves the file alone, even when it used only some of its entries (`lint` after `check`,
// which also keeps the merge base's): the file, written under the bound, would be written
// again with the same entries. A cache that cannot be written only costs time; the error
// says why.
func (c *Cache) Save(path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.added {
		return nil
	}
	keep := make([]cacheKey, 0, len(c.used))
	for k := range c.used {
		keep = append(keep, k)
	}
	// Older entries: deterministic order, so equal caches write equal files.
	var rest []cacheKey
	for k := range c.old {
		if _, ok := c.used[k]; !ok {
			rest = append(rest, k)
		}
	}
	cmp := func(a, b cacheKey) int {
		if x := bytes.Compare(a.blob[:], b.blob[:]); x != 0 {
			return x
		}
		return bytes.Compare(a.schema[:], b.schema[:])
	}
	slices.SortFunc(keep, cmp)
	slices.SortFunc(rest, cmp)
	// The file's size, so that its buffer is allocated once (not doubled a dozen times).
	size := len(header()) + 4
	for k, e := range c.used {
		size += len(k.blob) + len(k.schema) + binary.MaxVarintLen64 + len(e)
	}
	for _, k := range rest {
		if size >= maxCacheBytes {
			break
		}
		size += len(k.blob) + len(k.schema) + binary.MaxVarintLen64 + len(c.old[k])
	}
	buf := append(make([]byte, 0, min(size, maxCacheBytes+1<<16)), header()...)
	put := func(k cacheKey, e []byte) {
		buf = append(buf, k.blob[:]...)
		buf = append(buf, k.schema[:]...)
		buf = binenc.AppendBytes(buf, e)
	}
	for _, k := range keep {
		put(k, c.used[k])
	}
	for _, k := range rest {
		if e := c.old[k]; len(buf)+len(e)+40 < maxCacheBytes {
			put(k, e)
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, buf, 0o644); err != nil {
		return err
	}
	// The validation cache of earlier versions, which this cache replaces.
	if dir, name := filepath.Split(path); strings.HasPrefix(name, "records-") {
		_ = os.Remove(filepath.Join(dir, "valid-"+strings.TrimPrefix(name, "records-")))
	}
	return nil
}

// key returns the cache key of a file with git blob id blob under validator key vkey.
func (c *Cache) key(blob [20]byte, vkey string) cacheKey {
	c.mu.Lock()
	d, ok := c.schemas[vkey]
	if !ok {
		sum := sha256.Sum256([]byte(vkey))
		copy(d[:], sum[:])
		c.schemas[vkey] = d
	}
	c.mu.Unlock()
	return cacheKey{blob: blob, schema: d}
}

// get returns the entry for k, marking it used.
func (c *Cache) get(k cacheKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.used[k]; ok {
		c.hits++
		return e, true
	}
	if e, ok := c.old[k]; ok {
		c.used[k] = e
		c.hits++
		return e, true
	}
	c.misses++
	return nil, false
}

// Stats returns how many files were found in the cache and how many had to be parsed.
func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// forget drops an entry that could not be decoded, so it is not written again.
func (c *Cache) forget(k cacheKey) {
	c.mu.Lock()
	delete(c.used, k)
	delete(c.old, k)
	c.added = true
	c.hits--
	c.misses++
	c.mu.Unlock()
}

func (c *Cache) put(k cacheKey, e []byte) {
	c.mu.Lock()
	c.used[k] = e
	c.added = true
	c.mu.Unlock()
}

// Len returns how many entries the cache holds (read or added).
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.used)
	for k := range c.old {
		if _, ok := c.used[k]; !ok {
			n++
		}
	}
	return n
}

// BlobIDOf is git's object id of a blob with content data (what `git hash-object` prints,
// as bytes).
func BlobIDOf(data []byte) [20]byte {
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var id [20]byte
	h.Sum(id[:0])
	return id
}

// CachePath returns where the cache of the project at root lives: the user's cache folder,
// one file per project. It returns "" when no cache folder is available.
func CachePath(root string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, "reqtrail", "records-"+hex.EncodeToString(sum[:8]))
}

// An entry is what the loader derived from one file:
//
//	entry   = flags(1: parsed) [compact fingerprint refs] diags
//	compact = bytes (record.AppendCompact)
//	refs    = uvarint(n) n×(id uvarint(len(path)) path×string range target)
//	diags   = uvarint(n) n×(rule severity range message id fix field ids known(1 byte))
//	range   = 6×uvarint: start line, column, offset, end line, column, offset
//
// Ranges are stored without their file, which is the entry's file wherever it is read.

func encodeEntry(rec *record.Record, ds []diag.Diagnostic) []byte {
	var b []byte
	if !rec.Parsed() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binenc.AppendBytes(b, rec.Compact())
		b = binenc.AppendString(b, rec.Fingerprint)
		refs := rec.Refs()
		b = binary.AppendUvarint(b, uint64(len(refs)))
		for _, r := range refs {
			b = binenc.AppendString(b, r.ID)
			b = binary.AppendUvarint(b, uint64(len(r.Path)))
			for _, p := range r.Path {
				b = binenc.AppendString(b, p)
			}
			b = appendRange(b, r.Range)
			b = binenc.AppendString(b, string(r.Target))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(ds)))
	for _, d := range ds {
		b = binenc.AppendString(b, d.Rule)
		b = binenc.AppendString(b, string(d.Severity))
		b = appendRange(b, d.Range)
		b = binenc.AppendString(b, d.Message)
		b = binenc.AppendString(b, d.ID)
		b = binenc.AppendString(b, d.Fix)
		b = binenc.AppendString(b, d.Subject.Field)
		b = binenc.AppendString(b, d.Subject.IDs)
		known := byte(0)
		if d.Subject.Known {
			known = 1
		}
		b = append(b, known)
	}
	// Kept until the cache is written: not with the slack of append's growth (up to half
	// the capacity of 12,000 entries).
	if cap(b)-len(b) > len(b)/8 {
		b = append(make([]byte, 0, len(b)), b...)
	}
	return b
}

// cacheable reports whether the loader's result for a file can be kept: its diagnostics are
// all in the file itself.
func cacheable(file string, ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Range.Start.File != file || (d.Range.End.File != "" && d.Range.End.File != file) {
			return false
		}
	}
	return true
}

var errEntry = errors.New("corrupt cache entry")

// decodeEntry rebuilds the record of file (content data, git blob key) from its entry.
func decodeEntry(e []byte, file string, kind record.Kind, data []byte, shape *record.Shape) (*record.Record, []diag.Diagnostic, error) {
	r := &entryReader{binenc.Reader{B: e, Bad: errEntry}}
	parsed := r.Byte()
	var rec *record.Record
	switch parsed {
	case 0:
		rec = &record.Record{Kind: kind, File: file, Raw: data}
	case 1:
		compact := r.Bytes()
		fingerprint := r.string()
		n := r.Count(4)
		var refs []record.Ref
		if n > 0 {
			refs = make([]record.Ref, n)
		}
		for i := range refs {
			refs[i].ID = r.string()
			np := r.Count(1)
			if np > 0 {
				refs[i].Path = make([]string, np)
			}
			for j := range refs[i].Path {
				refs[i].Path[j] = r.string()
			}
			refs[i].Range = r.rng(file)
			refs[i].Target = record.Kind(r.string())
		}
		if r.Err != nil {
			return nil, nil, r.Err
		}
		var err error
		if rec, err = record.Restore(file, kind, data, shape, compact, refs, fingerprint); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, errEntry
	}
	nd := r.Count(8)
	var ds []diag.Diagnostic
	if nd > 0 {
		ds = make([]diag.Diagnostic, nd)
	}
	for i := range ds {
		d := &ds[i]
		d.Rule = r.string()
		d.Severity = diag.Severity(r.string())
		d.Range = r.rng(file)
		d.Message = r.string()
		d.ID = r.string()
		d.Fix = r.string()
		d.Subject.Field = r.string()
		d.Subject.IDs = r.string()
		d.Subject.Known = r.Byte() == 1
	}
	if r.Err != nil || len(r.B) != 0 {
		return nil, nil, errEntry
	}
	return rec, ds, nil
}

func appendRange(b []byte, r pos.Range) []byte {
	for _, v := range [...]int{r.Start.Line, r.Start.Column, r.Start.Offset, r.End.Line, r.End.Column, r.End.Offset} {
		b = binary.AppendUvarint(b, uint64(max(v, 0)))
	}
	return b
}

// entryReader reads an entry; the first error sticks.
type entryReader struct{ binenc.Reader }

func (r *entryReader) string() string { return string(r.Bytes()) }

// maxPos bounds positions read back (a record is at most 1 MiB).
const maxPos = 1 << 24

func (r *entryReader) rng(file string) pos.Range {
	var v [6]int
	for i := range v {
		u := r.Uvarint()
		if u > maxPos {
			r.Fail()
		}
		v[i] = int(u)
	}
	rg := pos.Range{Start: pos.Position{File: file, Line: v[0], Column: v[1], Offset: v[2]}}
	if v[3] > 0 {
		rg.End = pos.Position{File: file, Line: v[3], Column: v[4], Offset: v[5]}
	}
	return rg
}
