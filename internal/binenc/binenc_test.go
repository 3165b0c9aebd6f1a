package binenc

import (
	"encoding/binary"
	"errors"
	"testing"
)

var errBad = errors.New("bad")

func TestRoundTrip(t *testing.T) {
	b := AppendString(nil, "héllo")
	b = AppendBytes(b, []byte{1, 2, 3})
	b = binary.AppendVarint(b, -42)
	b = binary.BigEndian.AppendUint64(b, 7)
	b = append(b, 9)
	r := &Reader{B: b, Bad: errBad}
	if s := string(r.Bytes()); s != "héllo" {
		t.Fatalf("string %q", s)
	}
	if got := r.Bytes(); len(got) != 3 || cap(got) != 3 {
		t.Fatalf("bytes %v (cap %d)", got, cap(got))
	}
	if v := r.Varint(); v != -42 {
		t.Fatalf("varint %d", v)
	}
	if v := r.Uint64(); v != 7 {
		t.Fatalf("uint64 %d", v)
	}
	if c := r.Byte(); c != 9 || r.Err != nil || len(r.B) != 0 {
		t.Fatalf("byte %d, err %v, %d left", c, r.Err, len(r.B))
	}
	if r.Byte(); r.Err != errBad {
		t.Fatalf("reading past the end: %v", r.Err)
	}
}

// TestCorrupt: a count larger than the input can hold, and every truncation, are errors;
// after the first error every read is a zero value.
func TestCorrupt(t *testing.T) {
	r := &Reader{B: binary.AppendUvarint(nil, 1<<40), Bad: errBad}
	if n := r.Count(1); n != 0 || r.Err != errBad {
		t.Fatalf("count %d, err %v", n, r.Err)
	}
	if r.Uvarint() != 0 || r.Bytes() != nil || r.Byte() != 0 {
		t.Fatal("reads after an error are not zero")
	}
	full := AppendString(binary.AppendVarint(nil, 300), "abc")
	for i := range full {
		r := &Reader{B: full[:i], Bad: errBad}
		r.Varint()
		r.Bytes()
		if r.Err == nil {
			t.Fatalf("truncated at %d: no error", i)
		}
	}
}
