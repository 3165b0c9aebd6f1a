// Package binenc reads and writes the length-prefixed binary encodings reqtrail keeps in its
// caches (the compact front matter, the record cache's entries): bytes, uvarints, varints,
// counted items and strings, read with a sticky error so that corrupt input is an error,
// never a panic or an allocation larger than the input.
package binenc

import "encoding/binary"

// Reader reads an encoding from B. The first problem sets Err to Bad (or stays the first
// error) and every later read returns a zero value.
type Reader struct {
	B   []byte
	Err error
	// Bad is the error a malformed input gives.
	Bad error
}

// Fail records that the input is malformed.
func (r *Reader) Fail() {
	if r.Err == nil {
		r.Err = r.Bad
	}
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.Err != nil || len(r.B) == 0 {
		r.Fail()
		return 0
	}
	c := r.B[0]
	r.B = r.B[1:]
	return c
}

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint() uint64 {
	if r.Err != nil {
		return 0
	}
	if len(r.B) > 0 && r.B[0] < 0x80 { // one byte: most lengths and counts
		v := uint64(r.B[0])
		r.B = r.B[1:]
		return v
	}
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Varint reads a signed varint.
func (r *Reader) Varint() int64 {
	if r.Err != nil {
		return 0
	}
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Uint64 reads 8 bytes, big-endian.
func (r *Reader) Uint64() uint64 {
	if r.Err != nil || len(r.B) < 8 {
		r.Fail()
		return 0
	}
	v := binary.BigEndian.Uint64(r.B)
	r.B = r.B[8:]
	return v
}

// Count reads a count of items that each take at least min bytes of what is left, so a
// corrupt count cannot ask for more than the input holds.
func (r *Reader) Count(min int) int {
	v := r.Uvarint()
	// v×min ≤ len, without a division: this runs for every string and collection read.
	if r.Err == nil && (v > uint64(len(r.B)) || int(v)*min > len(r.B)) {
		r.Fail()
		return 0
	}
	return int(v)
}

// Bytes reads a length-prefixed byte string, sharing the input's bytes (capacity-clipped,
// so appending to the result never writes into the input).
func (r *Reader) Bytes() []byte {
	n := r.Count(1)
	if r.Err != nil {
		return nil
	}
	s := r.B[:n:n]
	r.B = r.B[n:]
	return s
}

// AppendString appends s, length-prefixed.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendBytes appends s, length-prefixed.
func AppendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
