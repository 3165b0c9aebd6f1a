package record

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// Parse reads one record file. file is its slash path relative to the project root; shape
// guides scalar decoding (see Shape). The returned record is never nil; on a parse error it
// is not Parsed (no tree, no fields) and the error says where and why.
func Parse(file string, kind Kind, data []byte, shape *Shape) (*Record, *ParseError) {
	return parse(file, kind, data, shape, nil)
}

// Read is Parse for read-only loads: the record it returns holds no tree (as after
// DropTree; Tree parses the front matter with yaml.v3 when asked). Front matter in the plain
// YAML records are written in is read by a parser several times faster than yaml.v3 that
// builds the same nodes (fastFront); anything else goes to yaml.v3.
func Read(file string, kind Kind, data []byte, shape *Shape) (*Record, *ParseError) {
	fp := fastParsers.Get().(*fastParser)
	r, perr := parse(file, kind, data, shape, fp)
	if perr == nil {
		r.DropTree() // computes the references from the tree first
	}
	// The tree's nodes are the parser's, and the next file's: nothing may keep them.
	r.tree.Store(nil)
	fp.reset()
	fastParsers.Put(fp)
	return r, perr
}

// fastReads counts the files Read parsed with fastFront (for tests).
var fastReads atomic.Int64

// parse is Parse, reading the front matter with fastFront first (on fp's memory) when fp is
// set. A tree
// fastFront builds but checkNodes refuses is parsed again by yaml.v3, so that the finding
// comes from the same code either way.
func parse(file string, kind Kind, data []byte, shape *Shape, fp *fastParser) (*Record, *ParseError) {
	r := &Record{Kind: kind, File: file, Raw: data}
	front, body, fmLine, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return r, perr
	}
	var node *yaml.Node
	if fp != nil {
		if n, ok := fp.parse(front); ok && checkNodes(n, fmLine-1) == nil {
			node = n
			fastReads.Add(1)
		}
	}
	if node == nil {
		if node, perr = ParseFrontMatter(front, fmLine); perr != nil {
			return r, perr
		}
	}
	return r, r.setTree(node, body, bodyLine, shape, fp == nil)
}

// FromTree builds the record of a file with content data whose front matter was just
// written from tree, without parsing it: tree must be what Parse would find in data — every
// node's kind, tag, style, value, line and column — and becomes the record's tree. The
// authoring layer uses it for the records it encodes (it knows where it wrote each node) and
// checks it against Parse in its tests. Duplicate keys, anchors and aliases are refused as
// Parse refuses them.
func FromTree(file string, kind Kind, data []byte, shape *Shape, tree *yaml.Node) (*Record, *ParseError) {
	r := &Record{Kind: kind, File: file, Raw: data}
	_, body, _, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return r, perr
	}
	if tree == nil || tree.Kind != yaml.MappingNode {
		return r, &ParseError{pos.Position{Line: 1, Column: 1}, "front matter must be a mapping of keys to values"}
	}
	if perr := checkNodes(tree, 0); perr != nil {
		return r, perr
	}
	return r, r.setTree(tree, body, bodyLine, shape, true)
}

// setTree makes node the record's tree and fills the record from it. The fields come from
// the compact form, which resolves each scalar once and is kept when the tree is dropped; a
// form just written always decodes (FuzzCompact). keep keeps the decoded fields (Fields)
// too, for the commands that rewrite the record and read them again and again.
func (r *Record) setTree(node *yaml.Node, body []byte, bodyLine int, shape *Shape, keep bool) *ParseError {
	r.tree.Store(node)
	if err := r.fill(AppendCompact(nil, node), body, bodyLine, shape, keep); err != nil {
		r.tree.Store(nil)
		return &ParseError{pos.Position{Line: 1, Column: 1}, err.Error()}
	}
	return nil
}

// Restore rebuilds the record of a file with content data from what an earlier Parse of the
// same bytes gave: the compact form of its front matter (Compact), its references (Refs,
// whose ranges are in file) and its fingerprint ("" for other kinds than requirements). The
// record cache uses it; an error means compact is not one.
func Restore(file string, kind Kind, data []byte, shape *Shape, compact []byte, refs []Ref, fingerprint string) (*Record, error) {
	r := &Record{Kind: kind, File: file, Raw: data}
	if kind == RequirementKind {
		r.Fingerprint = fingerprint
	}
	_, body, _, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return nil, perr
	}
	if !ValidCompact(compact) {
		return nil, errCompact
	}
	if err := r.fill(compact, body, bodyLine, shape, false); err != nil {
		return nil, err
	}
	r.refs.Store(&refs)
	return r, nil
}

// fill sets what a parsed record holds from its compact form and body; keep keeps the
// decoded fields (DropFields releases them), which read-only loads do without: their typed
// view is read from the compact form, and the schema check reads it too (Fields decodes
// them when asked).
func (r *Record) fill(compact, body []byte, bodyLine int, shape *Shape, keep bool) error {
	r.compact = compact
	r.Body = string(body)
	r.BodyLine = bodyLine
	r.shape = shape
	if keep {
		fields, err := CompactFields(compact, shape)
		if err != nil {
			return err
		}
		r.data = fields
	}
	if !r.decodeNode() {
		r.compact, r.data = nil, nil
		return errCompact
	}
	r.parsed = true
	return nil
}

// Fingerprint computes a requirement's fingerprint (SPEC §3, version 1): the first 12 hex
// digits of the SHA-256 of title, NUL + each criterion, NUL NUL + body, each with white
// space runs collapsed to one space and trimmed.
func Fingerprint(title string, criteria []string, body string) string {
	w := normWriters.Get().(*normWriter)
	w.h.Reset()
	w.buf = w.buf[:0]
	w.text(title)
	for _, c := range criteria {
		w.raw(0)
		w.text(c)
	}
	w.raw(0)
	w.raw(0)
	w.text(body)
	w.flush()
	var sum [sha256.Size]byte
	w.h.Sum(sum[:0])
	normWriters.Put(w)
	return hex.EncodeToString(sum[:6]) // the first 12 hex digits
}

// normWriters are the hashes and buffers of Fingerprint, reused: a build computes one per
// requirement.
var normWriters = sync.Pool{New: func() any {
	return &normWriter{h: sha256.New(), buf: make([]byte, 0, 512)}
}}

// normWriter streams white-space-normalised text into a hash without building strings.
type normWriter struct {
	h   hash.Hash
	buf []byte
}

func (w *normWriter) raw(b byte) {
	if len(w.buf) == cap(w.buf) {
		w.flush()
	}
	w.buf = append(w.buf, b)
}

func (w *normWriter) flush() {
	w.h.Write(w.buf)
	w.buf = w.buf[:0]
}

// text writes s with every run of Unicode white space collapsed to one space, trimmed.
func (w *normWriter) text(s string) {
	started, space := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = true
				continue
			}
			if space && started {
				w.raw(' ')
			}
			started, space = true, false
			w.raw(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
			i += size
			continue
		}
		if space && started {
			w.raw(' ')
		}
		started, space = true, false
		for j := range size {
			w.raw(s[i+j])
		}
		i += size
	}
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
