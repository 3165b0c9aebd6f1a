package record

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"unsafe"

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
			dst = appendString(dst, n.Content[i].Value)
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
			return appendString(append(dst, cNull, plain), n.Value)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			return append(appendString(append(dst, cBool, plain), n.Value), b)
		case int64:
			return binary.AppendVarint(appendString(append(dst, cInt, plain), n.Value), v)
		case float64:
			return binary.BigEndian.AppendUint64(appendString(append(dst, cFloat, plain), n.Value), math.Float64bits(v))
		default:
			return appendString(append(dst, cText, plain), n.Value)
		}
	}
	// Aliases never reach here (the parser rejects them); anything else is null.
	return append(dst, cNull, 1, 0)
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// compactReader reads a compact form; the first error sticks and every later read returns
// a zero value.
type compactReader struct {
	b   []byte
	err error
}

func (r *compactReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errCompact
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *compactReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCompact
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length that must fit in what is left, each item taking at least min bytes.
func (r *compactReader) count(min int) int {
	v := r.uvarint()
	if r.err == nil && v > uint64(len(r.b)/min) {
		r.err = errCompact
		return 0
	}
	return int(v)
}

// string reads a string sharing the compact form's bytes, which are never modified (a
// record's own, or the record cache's file as read): the decoded fields of 10,000 records
// allocate no copies of their text.
func (r *compactReader) string() string {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return ""
	}
	s := unsafe.String(&r.b[0], n)
	r.b = r.b[n:]
	return s
}

// rawString reads a string without copying it (aliasing the input).
func (r *compactReader) rawString() []byte {
	n := r.count(1)
	if r.err != nil {
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// value decodes one node guided by shape, like Value does for the node tree.
func (r *compactReader) value(shape *Shape, depth int) any {
	if depth > maxCompactDepth {
		r.err = errCompact
		return nil
	}
	switch k := r.byte(); k {
	case cMap:
		n := r.count(2)
		m := make(map[string]any, n)
		for range n {
			key := r.string()
			m[key] = r.value(shape.prop(key), depth+1)
		}
		return m
	case cSeq:
		n := r.count(2)
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
		plain := r.byte() == 1
		text := r.string()
		var v any
		switch k {
		case cText:
			v = text
		case cBool:
			v = r.byte() == 1
		case cInt:
			if r.err == nil {
				i, n := binary.Varint(r.b)
				if n <= 0 {
					r.err = errCompact
				} else {
					r.b = r.b[n:]
					v = i
				}
			}
		case cFloat:
			if r.err == nil && len(r.b) >= 8 {
				v = math.Float64frombits(binary.BigEndian.Uint64(r.b))
				r.b = r.b[8:]
			} else {
				r.err = errCompact
			}
		}
		if shape != nil && shape.String && plain && k != cNull {
			return text
		}
		return v
	}
	r.err = errCompact
	return nil
}

// CompactFields decodes a compact form into JSON-compatible values guided by shape (see
// Value); an error for bytes that are not one.
func CompactFields(c []byte, shape *Shape) (map[string]any, error) {
	r := &compactReader{b: c}
	v := r.value(shape, 0)
	if r.err == nil && len(r.b) != 0 {
		r.err = errCompact
	}
	if r.err != nil {
		return nil, r.err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// compactText writes the scalar texts of a compact form as SearchText does for the tree.
func compactText(c []byte, b *strings.Builder) {
	r := &compactReader{b: c}
	var walk func(depth int, top bool)
	walk = func(depth int, top bool) {
		if r.err != nil || depth > maxCompactDepth {
			r.err = errCompact
			return
		}
		switch k := r.byte(); k {
		case cMap:
			n := r.count(2)
			for range n {
				key := r.rawString()
				if depth+1 > 8 || (top && (string(key) == "id" || string(key) == "title")) {
					r.skip(depth + 1)
					continue
				}
				walk(depth+1, false)
			}
		case cSeq:
			n := r.count(2)
			for range n {
				if depth+1 > 8 {
					r.skip(depth + 1)
					continue
				}
				walk(depth+1, false)
			}
		case cText, cNull, cBool, cInt, cFloat:
			r.byte()
			text := r.rawString()
			r.skipPayload(k)
			if r.err == nil {
				b.WriteByte(' ')
				b.Write(text)
			}
		default:
			r.err = errCompact
		}
	}
	walk(0, true)
}

// skip skips one node.
func (r *compactReader) skip(depth int) {
	if r.err != nil || depth > maxCompactDepth {
		r.err = errCompact
		return
	}
	switch k := r.byte(); k {
	case cMap:
		n := r.count(2)
		for range n {
			r.rawString()
			r.skip(depth + 1)
		}
	case cSeq:
		n := r.count(2)
		for range n {
			r.skip(depth + 1)
		}
	case cText, cNull, cBool, cInt, cFloat:
		r.byte()
		r.rawString()
		r.skipPayload(k)
	default:
		r.err = errCompact
	}
}

func (r *compactReader) skipPayload(k byte) {
	switch k {
	case cBool:
		r.byte()
	case cInt:
		if r.err == nil {
			if _, n := binary.Varint(r.b); n > 0 {
				r.b = r.b[n:]
			} else {
				r.err = errCompact
			}
		}
	case cFloat:
		if r.err == nil && len(r.b) >= 8 {
			r.b = r.b[8:]
		} else {
			r.err = errCompact
		}
	}
}

// ValidCompact reports whether c is one well-formed compact front matter (a mapping).
func ValidCompact(c []byte) bool {
	if len(c) == 0 || c[0] != cMap {
		return false
	}
	r := &compactReader{b: c}
	r.skip(0)
	return r.err == nil && len(r.b) == 0
}
