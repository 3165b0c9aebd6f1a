package gitrepo

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
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
			for _, line := range strings.Split(strings.TrimSpace(s.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype) %(deltabase)")), "\n") {
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
		_, _, _ = pr.at(p, 18, 0)
	})
}
