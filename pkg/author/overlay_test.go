package author

import (
	"io/fs"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestOverlayListings: the overlay lists every folder as the base's entries with the staged
// files and the folders leading to them merged in, each once, sorted: as a file system
// holding both.
func TestOverlayListings(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	names := []string{"reqs", "a", "b", "g1", "x.md", "y.md", "README.md"}
	for round := range 200 {
		base := fstest.MapFS{}
		staged := map[string][]byte{}
		merged := fstest.MapFS{}
		random := func() string {
			parts := make([]string, 1+r.IntN(4))
			for i := range parts {
				parts[i] = names[r.IntN(len(names))]
			}
			return path.Join(parts...)
		}
		for range r.IntN(6) {
			p := random()
			base[p] = &fstest.MapFile{Data: []byte("base " + p)}
		}
		for range 1 + r.IntN(12) {
			p := random()
			staged[p] = []byte("staged " + p)
		}
		// No path is both a file and a folder, in or across the two.
		for p := range staged {
			if shadowed(p, staged) {
				delete(staged, p)
			}
		}
		for p := range base {
			if shadowed(p, base) || shadowed(p, staged) {
				delete(base, p)
			}
		}
		for p, f := range base {
			merged[p] = f
		}
		for p, d := range staged {
			merged[p] = &fstest.MapFile{Data: d}
		}
		o := &Overlay{Base: base, Files: staged}
		var dirs []string
		_ = fs.WalkDir(merged, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
		for _, dir := range dirs {
			want, _ := fs.ReadDir(merged, dir)
			got, err := o.ReadDir(dir)
			if err != nil {
				t.Fatalf("round %d: ReadDir(%s): %v", round, dir, err)
			}
			if listing(got) != listing(want) {
				t.Fatalf("round %d: ReadDir(%s) = %s, want %s (base %v, staged %v)", round, dir, listing(got), listing(want), keys(base), keys(staged))
			}
		}
	}
}

// shadowed reports whether p lies under a path of paths or leads to one.
func shadowed[V any](p string, paths map[string]V) bool {
	for s := range paths {
		if strings.HasPrefix(s, p+"/") || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return false
}

func listing(es []fs.DirEntry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Name())
		if e.IsDir() {
			b.WriteByte('/')
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func keys[M ~map[string]V, V any](m M) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
