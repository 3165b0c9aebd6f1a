package record

import (
	"strconv"

	"github.com/reqtrail/reqtrail/internal/binenc"
)

// A Node is one value of a record's compact front matter, read in place: what a page that
// shows every field walks instead of the decoded values (Fields), which would
// allocate a map or a slice and an interface per value of every record only to be read once.
// Its scalars read as the decoded values do (Shape's string keys keep the text as written).
type Node struct {
	b []byte // from the node's first byte; may run past its end
	// shape is the node's shape, or with keyed its mapping's, the node's being the shape of
	// key in it: looked up only when a scalar's type depends on it (Shape.String), not for
	// every entry walked.
	shape *Shape
	key   string
	keyed bool
}

// nodeShape is the node's shape.
func (n Node) nodeShape() *Shape {
	if n.keyed {
		return n.shape.prop(n.key)
	}
	return n.shape
}

// IsMap reports whether n is a mapping.
func (n Node) IsMap() bool { return len(n.b) > 0 && n.b[0] == cMap }

// IsSeq reports whether n is a sequence.
func (n Node) IsSeq() bool { return len(n.b) > 0 && n.b[0] == cSeq }

// Len is the number of entries of a mapping or items of a sequence as the form counts them
// (a mapping's repeated keys included); 0 for a scalar.
func (n Node) Len() int {
	if !n.IsMap() && !n.IsSeq() {
		return 0
	}
	r := compactReader{binenc.Reader{B: n.b, Bad: errCompact}}
	r.Byte()
	c := r.Count(2)
	if r.Err != nil {
		return 0
	}
	return c
}

// Scalar returns the text of a scalar's decoded value as the site shows it ("" for null,
// true/false, a number in its shortest decimal form), false for a mapping, a sequence or a
// damaged form.
func (n Node) Scalar() (string, bool) {
	switch k, s, i, f, b := n.Decoded(); k {
	case StringValue:
		return s, true
	case NullValue:
		return "", true
	case BoolValue:
		return strconv.FormatBool(b), true
	case IntValue:
		return strconv.FormatInt(i, 10), true
	case FloatValue:
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

// Each calls fn for every entry of a mapping (with its key) or item of a sequence (key ""),
// in the order the file writes them; false when n is a scalar or the form is damaged.
func (n Node) Each(fn func(key string, v Node)) bool {
	return n.each(func(key string, v Node) bool {
		fn(key, v)
		return true
	})
}

// each is Each stopping, with false, when fn returns false.
func (n Node) each(fn func(key string, v Node) bool) bool {
	r := compactReader{binenc.Reader{B: n.b, Bad: errCompact}}
	k := r.Byte()
	if k != cMap && k != cSeq {
		return false
	}
	c := r.Count(2)
	shape := n.nodeShape()
	var items *Shape
	if k == cSeq && shape != nil {
		items = shape.Items
	}
	for range c {
		child := Node{shape: items}
		if k == cMap {
			child = Node{shape: shape, key: r.string(), keyed: true}
		}
		child.b = r.B
		if r.Err != nil || !fn(child.key, child) {
			return false
		}
		r.skip(1)
	}
	return r.Err == nil
}

// Root returns the front matter's root mapping read in place, false when the record holds
// no compact form or already decoded fields (which the caller should read instead: they may
// have been changed).
func (r *Record) Root() (Node, bool) {
	if r.data != nil || !r.parsed || r.compact == nil {
		return Node{}, false
	}
	return Node{b: r.compact, shape: r.shape}, true
}

// TopNodes calls fn for each top-level key of the front matter in the order the file writes
// them, with its value. It returns false, having called fn for none or some of them, when
// the record holds no compact form (or an already decoded map, which may have been changed),
// or the form is damaged or repeats a key (the decoded map keeps the last value at the first
// key's place): the caller then reads Fields and TopKeys.
func (r *Record) TopNodes(fn func(key string, v Node)) bool {
	if r.data != nil || !r.parsed || r.compact == nil || len(r.compact) == 0 || r.compact[0] != cMap {
		return false
	}
	var seen [24]string
	keys := seen[:0]
	var many map[string]bool // past 24 keys, instead of a scan per key
	return Node{b: r.compact, shape: r.shape}.each(func(key string, v Node) bool {
		if many == nil && len(keys) == len(seen) {
			many = make(map[string]bool, 2*len(seen))
			for _, k := range keys {
				many[k] = true
			}
		}
		if many != nil {
			if many[key] {
				return false // repeated: the map keeps the last value, at the first key's place
			}
			many[key] = true
		} else {
			for _, k := range keys {
				if k == key {
					return false
				}
			}
			keys = append(keys, key)
		}
		fn(key, v)
		return true
	})
}
