package reqif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/reqtrail/reqtrail/internal/parallel"
)

// A 10,000-object file is 100 MB of SPEC-OBJECTs, and tokenizing them is most of the time
// of reading it. The fast reader (byteTokens, in memory) therefore cuts the first
// SPEC-OBJECTS element at <SPEC-OBJECT tags into chunks and reads them on every core,
// while it reads the rest of the document (relations, the hierarchy) itself; the chunks'
// objects are merged in document order when the document is read.
//
// A cut is only found by searching the bytes, so it may fall inside a comment, a CDATA
// section or an XHTML value that happens to hold such a tag. That cannot go unnoticed: a
// chunk must read, token by token, from its start to exactly its end, leaving no element
// open, to be taken. The first chunk starts where the whole-document reader would be (just
// inside <SPEC-OBJECTS>), and the tokenizer gives the same tokens over a range whether or
// not the bytes after it are cut off (it stops, rather than reads something else, when a
// token would run past the end); so when a chunk reads cleanly, the next one also starts
// where the whole-document reader would be, between two SPEC-OBJECTS children. Anything
// else — a chunk that fails, an object IDENTIFIER missing or used twice — makes the
// document be read again in one piece (errSplit), which gives the one reading and every
// diagnostic.

// errSplit says the document is to be read again without cutting SPEC-OBJECTS.
var errSplit = errors.New("SPEC-OBJECTS cannot be read in chunks")

// minChunk is the least size of a chunk of SPEC-OBJECTS read on its own (smaller files
// are read in one piece); maxChunksPerCore bounds how many chunks each core gets, for an
// even share of the work between cores.
const (
	minChunk         = 1 << 20
	maxChunksPerCore = 8
)

// chunks is the SPEC-OBJECTS element being read in chunks.
type chunks struct {
	wg       sync.WaitGroup
	insertAt int // objects read before it (ObjectOrder), for the merge in document order
	docs     []*Document
	failed   atomic.Bool
}

// splitObjects starts reading the SPEC-OBJECTS element se, just started, in chunks on
// every core and moves the reader to its end tag; false when it is read in one piece.
func (r *reader) splitObjects(se xml.StartElement) bool {
	bt, ok := r.d.(*byteTokens)
	if !ok || r.split != nil || r.chunk <= 0 || bt.needClose || bt.failed {
		return false
	}
	prefix := ""
	if se.Name.Space != "" {
		prefix = se.Name.Space + ":"
	}
	start := bt.off
	end := bytes.Index(bt.b[start:], []byte("</"+qualified(se.Name)+">"))
	if end < 0 || end < 2*r.chunk {
		return false
	}
	end += start
	n := min((end-start)/r.chunk, maxChunksPerCore*runtime.GOMAXPROCS(0))
	// The cuts: the first object tag at or after each n-th of the element.
	tag := []byte("<" + prefix + "SPEC-OBJECT")
	cuts := []int{start}
	for k := 1; k < n; k++ {
		from := max(start+k*(end-start)/n, cuts[len(cuts)-1]+1)
		at := indexTag(bt.b[from:end], tag)
		if at < 0 {
			break
		}
		cuts = append(cuts, from+at)
	}
	cuts = append(cuts, end)
	// The position of each cut, as the tokenizer counts lines.
	lines, starts := make([]int, len(cuts)), make([]int, len(cuts))
	lines[0], starts[0] = bt.line, bt.linestart
	for k := 1; k < len(cuts); k++ {
		seg := bt.b[cuts[k-1]:cuts[k]]
		lines[k], starts[k] = lines[k-1]+bytes.Count(seg, []byte{'\n'}), starts[k-1]
		if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
			starts[k] = cuts[k-1] + i + 1
		}
	}
	c := &chunks{insertAt: len(r.doc.ObjectOrder), docs: make([]*Document, len(cuts)-1)}
	r.split = c
	depth, file, data := r.depth, r.file, bt.b // r goes on reading meanwhile
	c.wg.Go(func() {
		parallel.For(len(c.docs), runtime.GOMAXPROCS(0), func(_, k int) {
			if c.failed.Load() {
				return
			}
			t := &byteTokens{b: data[:cuts[k+1]], off: cuts[k], line: lines[k], linestart: starts[k], names: map[string]*tokenName{}}
			cr := &reader{d: t, file: file, depth: depth, open: []xml.Name{se.Name},
				doc: &Document{Objects: map[string]*Object{}}}
			if cr.objectsToEnd() != nil {
				c.failed.Store(true)
				return
			}
			c.docs[k] = cr.doc
		})
	})
	last := len(cuts) - 1
	bt.off, bt.line, bt.linestart = end, lines[last], starts[last]
	return true
}

// indexTag is the index in b of the first tag named tag (tag followed by white space, > or
// /), or -1.
func indexTag(b, tag []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], tag)
		if i < 0 {
			return -1
		}
		at := off + i
		if j := at + len(tag); j < len(b) && (isSpace(b[j]) || b[j] == '>' || b[j] == '/') {
			return at
		}
		off = at + 1
	}
}

// objectsToEnd reads a chunk of the children of SPEC-OBJECTS as children and content do,
// to the end of its bytes; an end tag at its top level is an error (errSplit).
func (r *reader) objectsToEnd() error {
	r.depth++
	if r.depth > maxDepth {
		return errSplit
	}
	for {
		tok, err := r.d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.open = append(r.open, t.Name)
			if t.Name.Local != "SPEC-OBJECT" {
				err = r.skip(t)
			} else {
				err = r.object(t)
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			return errSplit
		}
	}
}

// joinSplit waits for the chunks and merges their objects into the document in document
// order (errSplit when one failed or an IDENTIFIER is used twice).
func (r *reader) joinSplit() error {
	c := r.split
	if c == nil {
		return nil
	}
	c.wg.Wait()
	if c.failed.Load() {
		return errSplit
	}
	var ids []string
	for _, d := range c.docs {
		for _, id := range d.ObjectOrder {
			if _, dup := r.doc.Objects[id]; dup {
				return errSplit
			}
			r.doc.Objects[id] = d.Objects[id]
			ids = append(ids, id)
		}
	}
	r.doc.ObjectOrder = slices.Concat(r.doc.ObjectOrder[:c.insertAt], ids, r.doc.ObjectOrder[c.insertAt:])
	return nil
}

// waitSplit stops and waits for the chunks (the document failed to read).
func (r *reader) waitSplit() {
	if r.split != nil {
		r.split.failed.Store(true)
		r.split.wg.Wait()
	}
}
