package pin_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

const target = "---\nid: REQ-0001\ntitle: Target\n---\nNow it means something else.\n"

var current = record.Fingerprint("Target", nil, "Now it means something else.\n")

func load(t *testing.T, child string) (*repo.Repo, *record.Record) {
	t.Helper()
	r := repo.Load(fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte(target)},
		"reqs/REQ-0003.md": {Data: []byte("---\nid: REQ-0003\ntitle: Other\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte(child)},
	})
	return r, r.Requirement("REQ-0002")
}

func TestEdit(t *testing.T) {
	other := record.Fingerprint("Other", nil, "")
	cases := []struct {
		name   string
		in     string
		pinAll bool
		want   string // "" means unchanged
	}{
		{name: "current pins stay", in: "---\nid: REQ-0002\ntitle: C\nparent: {id: REQ-0001, fingerprint: " + current + "}\n---\n"},
		{name: "unpinned stays without --pin", in: "---\nid: REQ-0002\ntitle: C\nparent: REQ-0001\nlinks:\n  - {type: depends-on, to: REQ-0003}\n---\n"},
		{
			name: "suspect parent and link re-pinned, quotes and comments kept",
			in:   "---\nid: REQ-0002 # me\ntitle: C\nparent: {id: REQ-0001, fingerprint: \"0123456789ab\"} # the parent\nlinks:\n  # derived\n  - {type: derived-from, to: REQ-0003, fingerprint: 'aaaaaaaaaaaa'}\n---\nBody\n",
			want: "---\nid: REQ-0002 # me\ntitle: C\nparent: {id: REQ-0001, fingerprint: \"" + current + "\"} # the parent\nlinks:\n  # derived\n  - {type: derived-from, to: REQ-0003, fingerprint: '" + other + "'}\n---\nBody\n",
		},
		{
			name:   "--pin pins a plain parent and flow and block links",
			pinAll: true,
			in:     "---\nid: REQ-0002\ntitle: C\nparent: REQ-0001 # up\nlinks:\n  - {type: depends-on, to: REQ-0003}\n  - type: relates-to\n    to: \"REQ-0001\" # see\n    note: x\n  - to: REQ-0099\n    type: relates-to\n---\n",
			want:   "---\nid: REQ-0002\ntitle: C\nparent: {id: REQ-0001, fingerprint: " + current + "} # up\nlinks:\n  - {type: depends-on, to: REQ-0003, fingerprint: " + other + "}\n  - type: relates-to\n    to: \"REQ-0001\" # see\n    fingerprint: " + current + "\n    note: x\n  - to: REQ-0099\n    type: relates-to\n---\n",
		},
		{
			name:   "--pin with the to key after the dash, CRLF",
			pinAll: true,
			in:     "---\r\nid: REQ-0002\r\ntitle: C\r\nlinks:\r\n  - to: REQ-0003\r\n    type: depends-on\r\n---\r\n",
			want:   "---\r\nid: REQ-0002\r\ntitle: C\r\nlinks:\r\n  - to: REQ-0003\r\n    fingerprint: " + other + "\r\n    type: depends-on\r\n---\r\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, rec := load(t, c.in)
			out, changes, err := pin.Edit(r, rec, c.pinAll, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if want == "" {
				want = c.in
				if len(changes) != 0 {
					t.Errorf("changes %v for an unchanged file", changes)
				}
			}
			if string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
			// Once reviewed, nothing is suspect and a second review changes nothing.
			r2, rec2 := load(t, string(out))
			if s := pin.Suspects(r2, rec2); len(s) != 0 {
				t.Errorf("still suspect: %v", s)
			}
			if again, ch, err := pin.Edit(r2, rec2, c.pinAll, nil); err != nil || len(ch) != 0 || !bytes.Equal(again, out) {
				t.Errorf("second review: %v %v", ch, err)
			}
		})
	}
}

func TestEditRefusesWhatItCannotPinInPlace(t *testing.T) {
	// A parent written as a folded block scalar cannot become {id, fingerprint} in place.
	r, rec := load(t, "---\nid: REQ-0002\ntitle: C\nparent: >-\n  REQ-0001\n---\n")
	out, changes, err := pin.Edit(r, rec, true, nil)
	if err == nil || !errors.Is(err, pin.ErrCannotEdit) {
		t.Errorf("no ErrCannotEdit: %q, %v, %v", out, changes, err)
	}
	if !bytes.Equal(out, rec.Raw) || len(changes) != 0 {
		t.Errorf("the content changed on error")
	}
}

// TestReviewEveryExample reviews every requirement of the example projects and the lint
// fixtures with --pin against targets whose meaning changed, and checks that only
// fingerprints changed (pin.Verify, and the body and comments byte for byte).
func TestReviewEveryExample(t *testing.T) {
	var roots []string
	for _, glob := range []string{"../../examples/*", "../lint/testdata/*"} {
		m, _ := filepath.Glob(glob)
		roots = append(roots, m...)
	}
	n := 0
	for _, root := range roots {
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			continue
		}
		fsys := os.DirFS(root)
		overlay := fstest.MapFS{}
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, _ := fs.ReadFile(fsys, p)
			overlay[p] = &fstest.MapFile{Data: data}
			return nil
		})
		r := repo.Load(overlay)
		v, err := schema.For(string(record.RequirementKind), r.Config.Fields[record.RequirementKind])
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range r.Parsed(record.RequirementKind) {
			out, changes, err := pin.Edit(r, rec, true, v.Shape)
			if err != nil {
				t.Errorf("%s/%s: %v", root, rec.File, err)
				continue
			}
			if err := pin.Verify(rec, out, v.Shape); err != nil {
				t.Errorf("%s/%s: %v", root, rec.File, err)
			}
			n += len(changes)
			pinned, _ := record.Parse(rec.File, rec.Kind, out, v.Shape)
			if pinned == nil || !pinned.Parsed() {
				continue
			}
			for _, l := range pin.Links(r, pinned) {
				if l.Target != nil && l.Fingerprint != l.Target.Fingerprint {
					t.Errorf("%s/%s: %s not pinned to the current fingerprint", root, rec.File, l.Describe())
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no link was pinned: the examples were not found")
	}
}

// FuzzEdit: whatever the record, a review either refuses or changes only fingerprints.
func FuzzEdit(f *testing.F) {
	for _, s := range []string{
		"---\nid: REQ-0002\ntitle: C\nparent: REQ-0001\nlinks:\n  - {type: depends-on, to: REQ-0003}\n---\n",
		"---\nid: REQ-0002\ntitle: C\nparent: {id: REQ-0001, fingerprint: 0123456789ab}\n---\nbody\n",
		"---\nid: REQ-0002\ntitle: C\nlinks:\n  - type: relates-to\n    to: 'REQ-0001' # c\n---\n",
		"---\r\nid: REQ-0002\r\nparent: \"REQ-0001\"\r\n---\r\n",
		"\xef\xbb\xbfparent: REQ-0001\nid: REQ-0002\n",
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, pinAll bool) {
		r, rec := load(t, string(data))
		if rec == nil {
			return
		}
		out, changes, err := pin.Edit(r, rec, pinAll, nil)
		if err != nil || len(changes) == 0 {
			if !bytes.Equal(out, rec.Raw) {
				t.Fatalf("content changed without changes: %q → %q", rec.Raw, out)
			}
			return
		}
		if err := pin.Verify(rec, out, nil); err != nil {
			t.Fatalf("%q → %q: %v", data, out, err)
		}
	})
}
