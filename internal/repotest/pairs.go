// Package repotest builds pairs of project trees for tests that compare two loads.
package repotest

import (
	"fmt"
	"testing/fstest"
)

// Pair turns fuzzer bytes into a base and a head tree: each byte pair (x, y) is one file, in
// one of three folders (two of requirements, one of change requests) by x, named by x, with
// an id from y; content(id, x) is its base side and content(id, y) its head side, nil for
// absent. The same name, id or content on both sides, renames and duplicate ids all arise.
func Pair(b []byte, content func(id int, v byte) []byte) (base, head fstest.MapFS) {
	base, head = fstest.MapFS{}, fstest.MapFS{}
	for i := 0; i+1 < len(b); i += 2 {
		x, y := b[i], b[i+1]
		name := fmt.Sprintf("%s/REQ-%04d.md", []string{"reqs", "reqs/a", "changes"}[x%3], int(x/3)%7)
		id := int(y/5) % 5
		if c := content(id, x); c != nil {
			base[name] = &fstest.MapFile{Data: c}
		}
		if c := content(id, y); c != nil {
			head[name] = &fstest.MapFile{Data: c}
		}
	}
	return base, head
}
