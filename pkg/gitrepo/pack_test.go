package gitrepo

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// TestPackReaderSameAsGoGit reads every object of repositories packed by git itself — with
// offset deltas (git gc), with reference deltas (pack.deltaBaseOffset=false) and after an
// aggressive repack with long chains — straight out of the pack and compares each with what
// go-git reads.
func TestPackReaderSameAsGoGit(t *testing.T) {
	for _, repack := range [][]string{
		{"gc", "-q"},
		{"-c", "pack.deltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"},
		{"repack", "-q", "-a", "-d", "-f", "--depth=250", "--window=250"},
	} {
		t.Run(strings.Join(repack, " "), func(t *testing.T) {
			s := newSandbox(t)
			for i := range 60 {
				for j := range 4 {
					var b strings.Builder
					for k := range 40 {
						fmt.Fprintf(&b, "line %d of file %d", k, j)
						if k == i%40 {
							fmt.Fprintf(&b, " changed in %d", i)
						}
						b.WriteString("\n")
					}
					s.write(fmt.Sprintf("reqs/g%d/REQ-%04d.md", j%2, j+1), req(fmt.Sprintf("REQ-%04d", j+1), "new", b.String()))
				}
				s.commit(fmt.Sprintf("commit %d", i))
			}
			s.git(repack...)
			r := s.open()
			r.mu.Lock()
			defer r.mu.Unlock()
			packs := r.packsLocked()
			if len(packs.packs) == 0 {
				t.Fatal("no pack opened")
			}
			pr := newPackReader(packs)
			types := map[string]plumbing.ObjectType{"commit": plumbing.CommitObject, "tree": plumbing.TreeObject, "blob": plumbing.BlobObject, "tag": plumbing.TagObject}
			n, deltas := 0, 0
			for _, line := range strings.Split(strings.TrimSpace(s.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype) %(deltabase) %(objectsize)")), "\n") {
				f := strings.Fields(line)
				h, typ := plumbing.NewHash(f[0]), types[f[1]]
				if f[2] != strings.Repeat("0", 40) {
					deltas++
				}
				got, found, err := pr.read(h, typ)
				if !found || err != nil {
					t.Fatalf("%s %s: found %v, %v", f[0], f[1], found, err)
				}
				obj, err := r.r.Storer.EncodedObject(typ, h)
				if err != nil {
					t.Fatal(err)
				}
				rd, _ := obj.Reader()
				want, _ := io.ReadAll(rd)
				rd.Close()
				if !bytes.Equal(got, want) {
					t.Fatalf("%s %s: %d bytes differ from go-git's %d", f[0], f[1], len(got), len(want))
				}
				// The size from the header alone (a delta's target size), as git gives it.
				if size, found, err := pr.size(h); !found || err != nil || fmt.Sprint(size) != f[3] || size != int64(len(want)) {
					t.Fatalf("%s %s: size %d, %v, %v; git says %s", f[0], f[1], size, found, err, f[3])
				}
				if _, found, err := pr.read(h, plumbing.TagObject); typ != plumbing.TagObject && (!found || err == nil) {
					t.Fatalf("%s read as a tag: found %v, %v", f[0], found, err)
				}
				n++
			}
			if deltas == 0 {
				t.Fatalf("%d objects, none a delta: the test packs nothing it means to", n)
			}
			t.Logf("%d objects, %d deltas", n, deltas)
			if _, found, _ := pr.read(plumbing.NewHash(strings.Repeat("ab", 20)), plumbing.BlobObject); found {
				t.Error("an object in no pack was found")
			}
		})
	}
}

// TestApplyDelta: copies, inserts and every malformed delta.
func TestApplyDelta(t *testing.T) {
	base := []byte("0123456789abcdef")
	// source 16, target 9: copy 4 bytes from offset 2, insert "xyz", copy 2 from 14.
	delta := []byte{16, 9, 0x80 | 0x01 | 0x10, 2, 4, 3, 'x', 'y', 'z', 0x80 | 0x01 | 0x10, 14, 2}
	got, err := applyDelta(base, delta)
	if err != nil || string(got) != "2345xyzef" {
		t.Fatalf("got %q, %v", got, err)
	}
	for name, d := range map[string][]byte{
		"empty":         {},
		"source size":   {15, 9},
		"copy past end": {16, 4, 0x80 | 0x01 | 0x10, 14, 4},
		"insert short":  {16, 4, 4, 'a'},
		"opcode 0":      {16, 1, 0},
		"target short":  {16, 5, 1, 'a'},
		"target long":   {16, 1, 2, 'a', 'b'},
		"copy operands": {16, 4, 0x80 | 0x01 | 0x02},
		"huge varint":   {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	} {
		if out, err := applyDelta(base, d); err == nil {
			t.Errorf("%s: no error, %q", name, out)
		}
	}
}

// FuzzApplyDelta: any delta either applies to exactly its target size or is an error.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte{16, 9, 0x80 | 0x01 | 0x10, 2, 4, 3, 'x', 'y', 'z', 0x80 | 0x01 | 0x10, 14, 2})
	f.Add([]byte(""), []byte{0, 0})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta)
		if err != nil {
			return
		}
		d := delta
		readVar := func() uint64 {
			var v uint64
			for shift := 0; ; shift += 7 {
				c := d[0]
				d = d[1:]
				v |= uint64(c&0x7f) << shift
				if c&0x80 == 0 {
					return v
				}
			}
		}
		readVar()
		if want := readVar(); uint64(len(out)) != want {
			t.Fatalf("%d bytes, the delta says %d", len(out), want)
		}
	})
}

// FuzzPackObject reads a pack of one object of any bytes: an error or an object, never a
// panic, a hang or an allocation beyond the limits.
func FuzzPackObject(f *testing.F) {
	f.Add([]byte{0x35, 0x78, 0x9c, 0x4b, 0x4c, 0x4a, 0x06, 0x00, 0x02, 0x4d, 0x01, 0x27}) // blob "abc"
	f.Add([]byte{0x65, 0x01, 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, data []byte) {
		buf := append(bytes.Repeat([]byte{0x30, 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}, 2), data...)
		p := &pack{f: bytes.NewReader(buf), size: int64(len(buf))}
		pr := newPackReader(&packSet{packs: []*pack{p}})
		_, got, err := pr.at(p, 18, 0)
		size, serr := pr.sizeAt(p, 18)
		if err == nil && (serr != nil || size != int64(len(got))) {
			// What reads whole has the size its header gives.
			t.Fatalf("read %d bytes; size %d, %v", len(got), size, serr)
		}
	})
}

// TestPackIndexSameAsGoGit: every object of a real pack index is found at the offset
// go-git's decoder gives, and names not in it are not found.
func TestPackIndexSameAsGoGit(t *testing.T) {
	s := newSandbox(t)
	for i := range 30 {
		s.write(fmt.Sprintf("reqs/REQ-%04d.md", i%7+1), req(fmt.Sprintf("REQ-%04d", i%7+1), "new", fmt.Sprintf("body %d", i)))
		s.commit(fmt.Sprintf("commit %d", i))
	}
	s.git("gc", "-q")
	idxs, _ := filepath.Glob(filepath.Join(s.dir, ".git", "objects", "pack", "*.idx"))
	if len(idxs) == 0 {
		t.Fatal("no pack index")
	}
	for _, name := range idxs {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		x, err := parsePackIndex(data)
		if err != nil {
			t.Fatal(err)
		}
		p := &pack{size: 1 << 40, idx: x}
		want := idxfile.NewMemoryIndex()
		if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(want); err != nil {
			t.Fatal(err)
		}
		entries, err := want.Entries()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			e, err := entries.Next()
			if err != nil {
				break
			}
			n++
			if off, ok := p.offset(e.Hash); !ok || uint64(off) != e.Offset {
				t.Errorf("%s: offset %d, %v; go-git says %d", e.Hash, off, ok, e.Offset)
			}
			missing := e.Hash
			missing[19] ^= 0x5a
			if _, ok := p.offset(missing); ok {
				if _, err := want.FindOffset(missing); err != nil {
					t.Errorf("%s is found but is not in the index", missing)
				}
			}
		}
		if n == 0 || n != int(x.fanout[255]) {
			t.Errorf("%d objects, fan-out says %d", n, x.fanout[255])
		}
	}
}

// TestPackIndexLargeOffset: an offset with its high bit set points into the table of 8-byte
// offsets; one past that table, or past the pack's end, is not an object.
func TestPackIndexLargeOffset(t *testing.T) {
	var h1, h2 plumbing.Hash
	h1[0], h2[0] = 0x10, 0x20
	var b bytes.Buffer
	b.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	for i := range 256 {
		n := uint32(0)
		if i >= 0x10 {
			n = 1
		}
		if i >= 0x20 {
			n = 2
		}
		b.Write(binary.BigEndian.AppendUint32(nil, n))
	}
	b.Write(h1[:])
	b.Write(h2[:])
	b.Write(make([]byte, 8))                                   // CRCs
	b.Write(binary.BigEndian.AppendUint32(nil, 1<<31))         // h1: large offset 0
	b.Write(binary.BigEndian.AppendUint32(nil, 1<<31|1))       // h2: large offset 1, missing
	b.Write(binary.BigEndian.AppendUint64(nil, 5_000_000_000)) // the one large offset
	b.Write(make([]byte, 40))
	x, err := parsePackIndex(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	p := &pack{size: 6_000_000_000, idx: x}
	if off, ok := p.offset(h1); !ok || off != 5_000_000_000 {
		t.Errorf("h1: %d, %v", off, ok)
	}
	if _, ok := p.offset(h2); ok {
		t.Error("h2's large offset is outside the table, yet found")
	}
	p.size = 4_000_000_000
	if _, ok := p.offset(h1); ok {
		t.Error("an offset past the pack's end is found")
	}
	for _, bad := range [][]byte{nil, b.Bytes()[:100], b.Bytes()[:len(b.Bytes())-1], append([]byte{0, 't', 'O', 'c'}, b.Bytes()[4:]...)} {
		if _, err := parsePackIndex(bad); err == nil {
			t.Errorf("a malformed index of %d bytes parses", len(bad))
		}
	}
}

// FuzzPackIndex: any bytes either fail to parse or can be looked up without a panic.
func FuzzPackIndex(f *testing.F) {
	f.Add([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		// A valid header and fan-out of zeros, then the fuzzer's bytes.
		buf := append([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}, make([]byte, 256*4)...)
		if len(data) > 0 {
			binary.BigEndian.PutUint32(buf[8+255*4:], uint32(data[0]))
		}
		buf = append(buf, data...)
		x, err := parsePackIndex(buf)
		if err != nil {
			return
		}
		p := &pack{size: 1 << 40, idx: x}
		for i := range 256 {
			var h plumbing.Hash
			h[0] = byte(i)
			p.offset(h)
		}
	})
}
