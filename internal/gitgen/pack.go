package gitgen

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/memory"
)

// writePack writes the objects hs of st as one pack file (no deltas, fast compression,
// compressed in parallel) with its index into gitDir/objects/pack.
func writePack(gitDir string, st *memory.Storage, hs []plumbing.Hash) error {
	type packed struct {
		hdr  []byte
		data []byte
		err  error
	}
	out := make([]packed, len(hs))
	var wg sync.WaitGroup
	next := make(chan int, len(hs))
	for i := range hs {
		next <- i
	}
	close(next)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
			for i := range next {
				obj, err := st.EncodedObject(plumbing.AnyObject, hs[i])
				if err != nil {
					out[i].err = err
					continue
				}
				rd, err := obj.Reader()
				if err != nil {
					out[i].err = err
					continue
				}
				buf.Reset()
				zw.Reset(&buf)
				_, err = io.Copy(zw, rd)
				rd.Close()
				if err == nil {
					err = zw.Close()
				}
				out[i] = packed{hdr: objectHeader(obj.Type(), obj.Size()), data: bytes.Clone(buf.Bytes()), err: err}
			}
		})
	}
	wg.Wait()

	var pack bytes.Buffer
	pack.WriteString("PACK")
	_ = binary.Write(&pack, binary.BigEndian, uint32(2))
	_ = binary.Write(&pack, binary.BigEndian, uint32(len(hs)))
	idx := new(idxfile.Writer)
	if err := idx.OnHeader(uint32(len(hs))); err != nil {
		return err
	}
	for i, p := range out {
		if p.err != nil {
			return p.err
		}
		pos := pack.Len()
		crc := crc32.NewIEEE()
		crc.Write(p.hdr)
		crc.Write(p.data)
		pack.Write(p.hdr)
		pack.Write(p.data)
		if err := idx.OnInflatedObjectContent(hs[i], int64(pos), crc.Sum32(), nil); err != nil {
			return err
		}
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	var packHash plumbing.Hash
	copy(packHash[:], sum[:])
	if err := idx.OnFooter(packHash); err != nil {
		return err
	}
	mi, err := idx.Index()
	if err != nil {
		return err
	}
	var ib bytes.Buffer
	if _, err := idxfile.NewEncoder(&ib).Encode(mi); err != nil {
		return err
	}
	dir := filepath.Join(gitDir, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, fmt.Sprintf("pack-%x", sum))
	if err := os.WriteFile(base+".pack", pack.Bytes(), 0o444); err != nil {
		return err
	}
	return os.WriteFile(base+".idx", ib.Bytes(), 0o444)
}

// objectHeader is a pack object's header: type and size as git's variable-length integer.
func objectHeader(t plumbing.ObjectType, size int64) []byte {
	b := byte(t)<<4 | byte(size&0x0f)
	size >>= 4
	var out []byte
	for size > 0 {
		out = append(out, b|0x80)
		b = byte(size & 0x7f)
		size >>= 7
	}
	return append(out, b)
}
