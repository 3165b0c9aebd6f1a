package record

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"unsafe"

	"github.com/reqtrail/reqtrail/internal/binenc"

	"gopkg.in/yaml.v3"
)

// The compact form of a front matter is its node tree without positions, comments or styles:
// mappings and sequences in file order, and scalars with their source text and the value
// yaml.v3 resolves them to. It is what Fields and SearchText read once the loader has dropped
// the node tree (a tenth of its size), and what the record cache stores.
//
//	node    = 'm' uvarint(n) n×(string node) | 's' uvarint(n) n×node | scalar
//	scalar  = kind byte, plain byte (1 when the scalar was written plain), string, payload
//	kind    = 't' text | 'n' null | 'b' bool (payload: 0 or 1) | 'i' int (payload: varint)
//	        | 'f' float (payload: 8 bytes, IEEE 754 bits)
//	string  = uvarint(len) bytes
const (
	cMap   = 'm'
	cSeq   = 's'
	cText  = 't'
	cNull  = 'n'
	cBool  = 'b'
	cInt   = 'i'
	cFloat = 'f'
)

// errCompact is returned for bytes that are not a compact front matter (a corrupt cache).
var errCompact = errors.New("not a compact front matter")

// maxCompactDepth bounds the nesting a compact form may have (the YAML parser's own limit is
// far below it), so a corrupt cache entry cannot exhaust the stack.
const maxCompactDepth = 10000

// AppendCompact appends the compact form of the node tree n to dst.
func AppendCompact(dst []byte, n *yaml.Node) []byte {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return append(dst, cNull, 1, 0)
		}
		return AppendCompact(dst, n.Content[0])
	case yaml.MappingNode:
		dst = append(dst, cMap)
		dst = binary.AppendUvarint(dst, uint64(len(n.Content)/2))
		for i := 0; i+1 < len(n.Content); i += 2 {
			dst = binenc.AppendString(dst, n.Content[i].Value)
			dst = AppendCompact(dst, n.Content[i+1])
		}
		return dst
	case yaml.SequenceNode:
		dst = append(dst, cSeq)
		dst = binary.AppendUvarint(dst, uint64(len(n.Content)))
		for _, c := range n.Content {
			dst = AppendCompact(dst, c)
		}
		return dst
	case yaml.ScalarNode:
		plain := byte(0)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			plain = 1
		}
		switch v := scalar(n, false).(type) {
		case nil:
			return binenc.AppendString(append(dst, cNull, plain), n.Value)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			return append(binenc.AppendString(append(dst, cBool, plain), n.Value), b)
		case int64:
			return binary.AppendVarint(binenc.AppendString(append(dst, cInt, plain), n.Value), v)
		case float64:
			return binary.BigEndian.AppendUint64(binenc.AppendString(append(dst, cFloat, plain), n.Value), math.Float64bits(v))
		default:
			return binenc.AppendString(append(dst, cText, plain), n.Value)
		}
	}
	// Aliases never reach here (the parser rejects them); anything else is null.
	return append(dst, cNull, 1, 0)
}

// compactReader reads a compact form; the first error sticks.
type compactReader struct{ binenc.Reader }

func newCompactReader(c []byte) *compactReader {
	return &compactReader{binenc.Reader{B: c, Bad: errCompact}}
}

// string reads a string sharing the compact form's bytes, which are never modified (a
// record's own, or the record cache's file as read): the decoded fields of 10,000 records
// allocate no copies of their text.
func (r *compactReader) string() string {
	b := r.Bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// value decodes one node guided by shape, like Value does for the node tree.
func (r *compactReader) value(shape *Shape, depth int) any {
	if depth > maxCompactDepth {
		r.Fail()
		return nil
	}
	switch k := r.Byte(); k {
	case cMap:
		n := r.Count(2)
		m := make(map[string]any, n)
		for range n {
			key := r.string()
			m[key] = r.value(shape.prop(key), depth+1)
		}
		return m
	case cSeq:
		n := r.Count(2)
		var items *Shape
		if shape != nil {
			items = shape.Items
		}
		l := make([]any, n)
		for i := range l {
			l[i] = r.value(items, depth+1)
		}
		return l
	case cText, cNull, cBool, cInt, cFloat:
		plain := r.Byte() == 1
		text := r.string()
		var v any
		switch k {
		case cText:
			v = text
		case cBool:
			v = r.Byte() == 1
		case cInt:
			v = r.Varint()
		case cFloat:
			v = math.Float64frombits(r.Uint64())
		}
		if shape != nil && shape.String && plain && k != cNull {
			return text
		}
		return v
	}
	r.Fail()
	return nil
}

// CompactFields decodes a compact form into JSON-compatible values guided by shape (see
// Value); an error for bytes that are not one.
func CompactFields(c []byte, shape *Shape) (map[string]any, error) {
	r := newCompactReader(c)
	v := r.value(shape, 0)
	if r.Err == nil && len(r.B) != 0 {
		r.Fail()
	}
	if r.Err != nil {
		return nil, r.Err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// compactText writes the scalar texts of a compact form as SearchText does for the tree.
func compactText(c []byte, b *strings.Builder) {
	newCompactReader(c).scan(0, true, func(text []byte) {
		b.WriteByte(' ')
		b.Write(text)
	})
}

// scan reads one node at depth; emit, when set, receives the text of every scalar in it down
// to depth 8, leaving out the top-level id and title (SearchText's walk).
func (r *compactReader) scan(depth int, top bool, emit func([]byte)) {
	if r.Err != nil || depth > maxCompactDepth {
		r.Fail()
		return
	}
	switch k := r.Byte(); k {
	case cMap:
		n := r.Count(2)
		for range n {
			key := r.Bytes()
			e := emit
			if depth+1 > 8 || (top && (string(key) == "id" || string(key) == "title")) {
				e = nil
			}
			r.scan(depth+1, false, e)
		}
	case cSeq:
		n := r.Count(2)
		for range n {
			e := emit
			if depth+1 > 8 {
				e = nil
			}
			r.scan(depth+1, false, e)
		}
	case cText, cNull, cBool, cInt, cFloat:
		r.Byte()
		text := r.Bytes()
		r.skipPayload(k)
		if r.Err == nil && emit != nil {
			emit(text)
		}
	default:
		r.Fail()
	}
}

// skip reads past one node at depth: scan without emitting, as tight as it can be (Node.Each
// skips every entry's value after its callback has read it).
func (r *compactReader) skip(depth int) {
	if depth > maxCompactDepth {
		r.Fail()
		return
	}
	switch k := r.Byte(); k {
	case cMap:
		n := r.Count(2)
		for range n {
			r.Bytes()
			r.skip(depth + 1)
			if r.Err != nil {
				return
			}
		}
	case cSeq:
		n := r.Count(2)
		for range n {
			r.skip(depth + 1)
			if r.Err != nil {
				return
			}
		}
	case cText, cNull, cBool, cInt, cFloat:
		r.Byte()
		r.Bytes()
		r.skipPayload(k)
	default:
		r.Fail()
	}
}

func (r *compactReader) skipPayload(k byte) {
	switch k {
	case cBool:
		r.Byte()
	case cInt:
		r.Varint()
	case cFloat:
		r.Uint64()
	}
}

// ValidCompact reports whether c is one well-formed compact front matter (a mapping).
func ValidCompact(c []byte) bool {
	if len(c) == 0 || c[0] != cMap {
		return false
	}
	r := newCompactReader(c)
	r.skip(0)
	return r.Err == nil && len(r.B) == 0
}

// top calls fn for each top-level key of a compact form, in the order the file writes them,
// with the reader positioned at the key's value; fn reads the value or returns false to have
// it skipped. It stops early when fn returns stop.
func (r *compactReader) top(fn func(key []byte) (read, stop bool)) {
	if r.Byte() != cMap {
		r.Fail()
		return
	}
	n := r.Count(2)
	for range n {
		key := r.Bytes()
		if r.Err != nil {
			return
		}
		read, stop := fn(key)
		if stop {
			return
		}
		if !read {
			r.skip(1)
		}
	}
}

// TopKeys returns the front matter's top-level keys in the order the file writes them; nil
// for a file that did not parse.
func (r *Record) TopKeys() []string {
	c := r.Compact()
	if c == nil {
		return nil
	}
	var keys []string
	newCompactReader(c).top(func(key []byte) (bool, bool) {
		keys = append(keys, string(key))
		return false, false
	})
	return keys
}

// Scalar returns the text of the top-level key's value when it is a scalar (without its
// quotes, as yaml.v3's Node.Value holds it), and "" when the key is missing, its value is a
// mapping or a list, or the file did not parse: what reading the key from a git blob gives
// (gitrepo.FrontMatterField).
func (r *Record) Scalar(key string) string {
	c := r.Compact()
	if c == nil {
		return ""
	}
	out := ""
	cr := newCompactReader(c)
	cr.top(func(k []byte) (bool, bool) {
		if string(k) != key {
			return false, false
		}
		if len(cr.B) > 0 {
			switch cr.B[0] {
			case cText, cNull, cBool, cInt, cFloat:
				cr.Byte()
				cr.Byte()
				out = string(cr.Bytes())
			}
		}
		return true, true
	})
	if cr.Err != nil {
		return ""
	}
	return out
}
