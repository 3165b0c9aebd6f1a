package doorstop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func corpus(t *testing.T) string {
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if c := filepath.Join(d, "..", "shared", "corpora", "doorstop-reqs"); exists(c) {
				return c
			}
			break
		}
	}
	if exists("/work/shared/corpora/doorstop-reqs") {
		return "/work/shared/corpora/doorstop-reqs"
	}
	t.Skip("Doorstop's tree (../shared/corpora/doorstop-reqs beside the repository) is absent")
	return ""
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// The stamp of REQ003 in Doorstop's own tree, as Doorstop 2 wrote it into TUT002's link and
// REQ003's reviewed field.
func TestStampMatchesDoorstop(t *testing.T) {
	doc := &Document{Prefix: "REQ"}
	it := &Item{UID: "REQ003", Doc: doc, Text: "Doorstop **shall** provide unique and permanent identifiers to linkable\nsections of text."}
	if got, want := it.Stamp(false), "9TcFUzsQWUHhoh5wsqnhL7VRtSqMaIhrCXg7mfIkxKM="; got != want {
		t.Errorf("stamp %s, want %s", got, want)
	}
}

func TestCorpusTree(t *testing.T) {
	tree, err := Read(os.DirFS(corpus(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Docs) != 3 {
		t.Fatalf("%d documents, want 3", len(tree.Docs))
	}
	// Every item Doorstop marked reviewed (other than those of the sha-validator extension
	// and one edited after review) has its reviewed stamp reproduced.
	mismatch := 0
	for _, d := range tree.Docs {
		for _, it := range d.Items {
			if it.Reviewed != "" && it.Reviewed != it.Stamp(true) {
				mismatch++
			}
		}
	}
	if mismatch > 3 {
		t.Errorf("%d reviewed stamps not reproduced", mismatch)
	}
	src := tree.Items(Options{})
	if len(src.Items) != 29 {
		t.Fatalf("%d items, want 29", len(src.Items))
	}
	var tut002 = src.Items[0]
	for _, it := range src.Items {
		if it.Key == "TUT002" {
			tut002 = it
		}
	}
	if tut002.Parent != "REQ003" || !tut002.ParentPin || len(tut002.Links) != 4 || tut002.Links[0].Type != "derived-from" {
		t.Errorf("TUT002: parent %s pin %v links %v", tut002.Parent, tut002.ParentPin, tut002.Links)
	}
	if strings.Join(tut002.Folder, "/") != "TUT" || tut002.System != "doorstop:TUT" {
		t.Errorf("TUT002: folder %v system %s", tut002.Folder, tut002.System)
	}
}

func TestMarkdownItemsAndHeadings(t *testing.T) {
	fsys := fstest.MapFS{
		".doorstop.yml":     {Data: []byte("settings:\n  prefix: SYS\n  sep: '-'\n  digits: 3\n")},
		"SYS-001.md":        {Data: []byte("---\nactive: true\nnormative: false\nlevel: 1.0\nheader: Overview\n---\nIntro.\n")},
		"SYS-002.md":        {Data: []byte("---\nactive: true\nlevel: 1.1\nlinks: []\nrisk: high\n---\n# Speed\n\nIt shall be fast.\n")},
		"SYS-003.yml":       {Data: []byte("active: false\ntext: gone\n")},
		"SYS-004.yml":       {Data: []byte("level: 2\ntext: |\n  Top level again.\nlinks:\n- SYS-002: null\n- NOPE-1: abc\n")},
		"sub/.doorstop.yml": {Data: []byte("settings:\n  prefix: SUB\n  parent: SYS\n")},
		"sub/SUB001.yml":    {Data: []byte("text: Child.\nlinks:\n- SYS-004: stale\n- SYS-002: x\n")},
	}
	tree, err := Read(fsys)
	if err != nil {
		t.Fatal(err)
	}
	src := tree.Items(Options{})
	keys := map[string]int{}
	for i, it := range src.Items {
		keys[it.Key] = i
	}
	if _, ok := keys["SYS-001"]; ok {
		t.Error("a non-normative heading became a record")
	}
	if _, ok := keys["SYS-003"]; ok {
		t.Error("an inactive item became a record")
	}
	s2 := src.Items[keys["SYS-002"]]
	if s2.Title != "Speed" || strings.Join(s2.Folder, "/") != "SYS/Overview" || s2.Body != "It shall be fast.\n" {
		t.Errorf("SYS-002: %q %v %q", s2.Title, s2.Folder, s2.Body)
	}
	if f := s2.Field("risk"); f == nil || f.Value != "high" {
		t.Errorf("extra attribute: %+v", s2.Fields)
	}
	s4 := src.Items[keys["SYS-004"]]
	if strings.Join(s4.Folder, "/") != "SYS" || s4.Parent != "SYS-002" || s4.ParentPin {
		t.Errorf("SYS-004: %v parent %s pin %v", s4.Folder, s4.Parent, s4.ParentPin)
	}
	sub := src.Items[keys["SUB001"]]
	if sub.Parent != "SYS-004" && sub.Parent != "SYS-002" {
		t.Errorf("SUB001 parent %q", sub.Parent)
	}
	notes := strings.Join(src.Notes, "\n")
	for _, want := range []string{"NOPE-1, which is not imported", "inactive item SYS-003", "not reviewed"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestBadTrees(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no document":    {"a.yml": {Data: []byte("x: 1")}},
		"no prefix":      {".doorstop.yml": {Data: []byte("settings: {}\n")}},
		"alias":          {".doorstop.yml": {Data: []byte("settings: {prefix: A}\n")}, "A1.yml": {Data: []byte("a: &x 1\nb: *x\n")}},
		"not a mapping":  {".doorstop.yml": {Data: []byte("settings: {prefix: A}\n")}, "A1.yml": {Data: []byte("- 1\n")}},
		"malformed yaml": {".doorstop.yml": {Data: []byte("settings: {prefix: A}\n")}, "A1.yml": {Data: []byte("a: [\n")}},
	} {
		if _, err := Read(fsys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzItem(f *testing.F) {
	f.Add([]byte("active: true\ntext: |\n  Hello\nlinks:\n- A2: abc\nlevel: 1.2\n"), false)
	f.Add([]byte("---\nheader: H\nlevel: 1.0\nnormative: false\n---\nbody\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, md bool) {
		name := "A1.yml"
		if md {
			name = "A1.md"
		}
		fsys := fstest.MapFS{
			".doorstop.yml": {Data: []byte("settings: {prefix: A}\n")},
			name:            {Data: data},
			"A2.yml":        {Data: []byte("text: parent\n")},
		}
		tree, err := Read(fsys)
		if err != nil {
			return
		}
		src := tree.Items(Options{})
		for _, it := range src.Items {
			if it.Title == "" {
				t.Fatalf("item %s has no title", it.Key)
			}
		}
	})
}
