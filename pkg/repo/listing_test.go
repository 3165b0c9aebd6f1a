package repo

import (
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/config"
)

// hasherFS is a MapFS that knows its files' git blob ids, as a git revision's tree does.
type hasherFS struct{ fstest.MapFS }

func (h hasherFS) BlobHash(name string) (string, error) {
	f, ok := h.MapFS[name]
	if !ok || f.Mode.IsDir() {
		return "", fs.ErrNotExist
	}
	id := BlobIDOf(f.Data)
	return fmt.Sprintf("%x", id), nil
}

// listingOf lists fsys's files in path order, as git's index would.
func listingOf(m fstest.MapFS) *Listing {
	l := &Listing{}
	for p, f := range m {
		if f.Mode.IsDir() {
			continue
		}
		l.Files = append(l.Files, ListedFile{Path: p, ID: BlobIDOf(f.Data), Symlink: f.Mode&fs.ModeSymlink != 0})
	}
	slices.SortFunc(l.Files, func(a, b ListedFile) int { return strings.Compare(a.Path, b.Path) })
	return l
}

// sameListing fails unless the listing gives what the walk of the trees gives.
func sameListing(t *testing.T, m fstest.MapFS) {
	t.Helper()
	rev := hasherFS{m}
	want := listRev(rev, nil)
	got := fromListing(rev, listingOf(m), nil)
	if want == nil {
		if got != nil {
			t.Fatalf("the walk reports something (nil), the listing gives %+v", got.files)
		}
		return
	}
	if got == nil {
		t.Fatalf("the listing gives nil, the walk %+v", want.files)
	}
	if !reflect.DeepEqual(got.files, want.files) && !(len(got.files) == 0 && len(want.files) == 0) ||
		got.config != want.config || got.hasConfig != want.hasConfig {
		t.Fatalf("listing:\n%+v\nwalk:\n%+v", got.files, want.files)
	}
}

const rec = "---\nid: X\n---\n"

// TestListingSameAsWalk: the walk's rules applied to a listing's paths give the walk's
// record files: hidden and underscore names, nested kinds' folders, the project root as a
// kind's folder, files that are not records, symbolic links.
func TestListingSameAsWalk(t *testing.T) {
	for name, m := range map[string]fstest.MapFS{
		"plain": {
			"reqtrail.yaml":      {Data: []byte("project: p\n")},
			"reqs/REQ-0001.md":   {Data: []byte(rec)},
			"reqs/g/REQ-0002.md": {Data: []byte(rec)},
			"reqs/notes.txt":     {Data: []byte("x")},
			"changes/CR-0001.md": {Data: []byte(rec)},
			"src/REQ-0003.md":    {Data: []byte(rec)},
		},
		"hidden": {
			"reqs/.h/REQ-0001.md": {Data: []byte(rec)},
			"reqs/_d/REQ-0002.md": {Data: []byte(rec)},
			"reqs/_REQ-0003.md":   {Data: []byte(rec)},
			"reqs/.REQ-0004.md":   {Data: []byte(rec)},
			"reqs/a/REQ-0005.md":  {Data: []byte(rec)},
			".hidden/REQ-0006.md": {Data: []byte(rec)},
		},
		"nested kinds and the root": {
			"reqtrail.yaml":           {Data: []byte("kinds:\n  change: {dir: reqs/crs}\n  feedback: {dir: .}\n  acceptance: {dir: reqs/.acc}\n")},
			"reqs/REQ-0001.md":        {Data: []byte(rec)},
			"reqs/crs/CR-0001.md":     {Data: []byte(rec)},
			"reqs/crs/sub/CR-0002.md": {Data: []byte(rec)},
			"reqs/.acc/ACC-0001.md":   {Data: []byte(rec)},
			"FB-0001.md":              {Data: []byte(rec)},
			"other/FB-0002.md":        {Data: []byte(rec)},
			"_x/FB-0003.md":           {Data: []byte(rec)},
		},
		"shared folder": {
			"reqtrail.yaml":    {Data: []byte("kinds:\n  feedback: {dir: reqs}\n")},
			"reqs/REQ-0001.md": {Data: []byte(rec)},
			"reqs/FB-0001.md":  {Data: []byte(rec)},
		},
		"symlink reached": {
			"reqs/REQ-0001.md": {Data: []byte(rec)},
			"reqs/link.md":     {Data: []byte("REQ-0001.md"), Mode: fs.ModeSymlink},
		},
		"symlink not reached": {
			"reqs/REQ-0001.md":   {Data: []byte(rec)},
			"reqs/.h/link.md":    {Data: []byte("../REQ-0001.md"), Mode: fs.ModeSymlink},
			"docs/link.md":       {Data: []byte("x"), Mode: fs.ModeSymlink},
			"reqs/_link-to-file": {Data: []byte("x"), Mode: fs.ModeSymlink},
		},
		"symlink that is not a record": {
			"reqs/REQ-0001.md": {Data: []byte(rec)},
			"reqs/img":         {Data: []byte("x"), Mode: fs.ModeSymlink},
		},
	} {
		t.Run(name, func(t *testing.T) { sameListing(t, m) })
	}
}

// FuzzListingSameAsWalk: for any set of paths under any folders for the kinds, the listing
// gives what the walk gives.
func FuzzListingSameAsWalk(f *testing.F) {
	f.Add("reqs/REQ-0001.md\nreqs/a/_b/REQ-0002.md\nchanges/CR-0001.md\nx/.y/FB-0001.md", "reqs/x", ".", false)
	f.Add("a/REQ-0001.md\na/b/REQ-0002.md\na/b/c/CR-0001.md", "a/b", "a/b/c", true)
	f.Fuzz(func(t *testing.T, paths, dirA, dirB string, link bool) {
		m := fstest.MapFS{}
		names := strings.Split(paths, "\n")
		if len(names) > 40 {
			return
		}
		for i, p := range names {
			if !fs.ValidPath(p) || p == "." || p == config.FileName {
				return
			}
			mode := fs.FileMode(0)
			if link && i%3 == 2 {
				mode = fs.ModeSymlink
			}
			m[p] = &fstest.MapFile{Data: []byte(fmt.Sprintf("%s%d", rec, i)), Mode: mode}
		}
		for p := range m { // a file cannot also be a folder
			for q := range m {
				if strings.HasPrefix(q, p+"/") {
					return
				}
			}
		}
		for _, d := range []string{dirA, dirB} {
			if strings.ContainsAny(d, "\n\"'\\:#{}[],&*!|>%@`") || !fs.ValidPath(d) {
				return
			}
		}
		m[config.FileName] = &fstest.MapFile{Data: []byte(fmt.Sprintf("kinds:\n  change: {dir: %q}\n  feedback: {dir: %q}\n", dirA, dirB))}
		rev := hasherFS{m}
		want := listRev(rev, nil)
		got := fromListing(rev, listingOf(m), nil)
		if want == nil || got == nil {
			// The listing may leave to the walk what the walk reports (nil both ways), or
			// hand it an oddity (a file where a kind's folder would be).
			if got != nil {
				t.Fatalf("the walk reports something, the listing gives %+v", got.files)
			}
			return
		}
		if len(got.files) != len(want.files) || len(got.files) > 0 && !reflect.DeepEqual(got.files, want.files) ||
			got.config != want.config || got.hasConfig != want.hasConfig {
			t.Fatalf("listing:\n%+v\nwalk:\n%+v", got.files, want.files)
		}
	})
}
