package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// fastMDBuilder is a builder of a few records to mention (one with a title that needs
// escaping) for the fast renderer's tests.
func fastMDBuilder(t testing.TB) *markdown {
	r := repo.Load(fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: \"One & <two> \\\"three\\\"\"\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: Two\n---\n")},
		"reqs/REQ-10.md":   {Data: []byte("---\nid: REQ-10\n---\n")},
		"reqs/ab-1.md":     {Data: []byte("---\nid: ab-1\ntitle: lower\n---\n")},
	})
	b := &builder{r: r, out: NewFiles(), pages: map[string]string{}, forge: newForge("", "", "")}
	for id := range r.ByID {
		b.pages[id] = pageName(id)
	}
	b.indexLinks()
	return newMarkdown(b)
}

// checkFastHTML fails when the fast renderer accepts body and writes other than goldmark.
func checkFastHTML(t testing.TB, m *markdown, body string) bool {
	if strings.TrimSpace(body) == "" {
		return false
	}
	got, ok := m.fastHTML([]byte("x"), body, "REQ-0002")
	if !ok {
		if string(got) != "x" {
			t.Fatalf("a refused body changed the buffer: %q", got)
		}
		return false
	}
	want := m.goldmarkHTML([]byte("x"), body, "reqs/REQ-0002.md", "REQ-0002")
	if string(got) != string(want) {
		t.Fatalf("fastHTML differs from goldmark for %q:\n got %q\nwant %q", body, got, want)
	}
	return true
}

var fastMDCases = []struct {
	body string
	fast bool
}{
	{"## Description\n\nSome text.\n", true},
	{"## Description\n\n高峰时段的排队时间直接影响客户满意度。 Supervisors need the figure. \n\n## Rationale\n\nThe change.\n\n| metric | target |\n| --- | --- |\n| first response | 30 s |\n", true},
	{"Mentions REQ-0001, REQ-0002 (self), REQ-10 and ab-1; not REQ-0003 nor xREQ-0001 nor REQ-0001x.\n", true},
	{"# One\n## One\n### One \"quoted\"\n#### 中文 标题\n", true},
	{"- one\n- two REQ-0001\n\npara \"q\" 'x'\n", true},
	{"line one\nline two \nline three\n", true},
	{"a  \nb\n", false},         // a hard line break
	{"text\n---\n", false},      // a setext heading
	{"text\n- item\n", false},   // a list interrupting a paragraph
	{"- a\n\n- b\n", false},     // a loose list
	{"- a\ncontinued\n", false}, // a lazy continuation
	{"| a |\n| --- |\n| b | c |\n", false},
	{"| a | b |\n| :-- | --: |\n| 1 | 2 |\n", false},
	{"*emphasis*\n", false},
	{"see https://example.com\n", false},
	{"see www.example.com\n", false},
	{"mail a@example.com\n", false},
	{"R&D\n", false},
	{"    code\n", false},
	{"1. first\n", false},
	{"## Heading ##\n", false},
	{"#hashtag\n", false},
	{"a\tb\n", false},
	{"a\r\nb\n", false},
	{"x <b>y</b>\n", false},
}

func TestFastHTML(t *testing.T) {
	m := fastMDBuilder(t)
	for _, c := range fastMDCases {
		if got := checkFastHTML(t, m, c.body); got != c.fast {
			t.Errorf("fastHTML accepts %q: %v, want %v", c.body, got, c.fast)
		}
	}
}

// TestFastHTMLCorpus: the bodies of the example and of the generated corpus are written
// by the fast renderer as goldmark writes them, and most of them are taken by it.
func TestFastHTMLCorpus(t *testing.T) {
	m := fastMDBuilder(t)
	dir := t.TempDir()
	if err := corpus.Generate(dir, 300, corpus.Options{Seed: 7}); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{exampleDir, dir} {
		fast, all := 0, 0
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			_, body, _, _, perr := record.Split(data, false)
			if perr != nil || strings.TrimSpace(string(body)) == "" {
				return nil
			}
			all++
			if checkFastHTML(t, m, string(body)) {
				fast++
			}
			return nil
		})
		t.Logf("%s: %d of %d bodies taken by the fast renderer", root, fast, all)
		if root == dir && fast*10 < all*9 {
			t.Errorf("the fast renderer takes %d of the corpus's %d bodies", fast, all)
		}
	}
}

func FuzzFastHTML(f *testing.F) {
	for _, c := range fastMDCases {
		f.Add(c.body)
	}
	// The example's bodies as they are written.
	_ = filepath.WalkDir(exampleDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".md" {
			if data, err := os.ReadFile(p); err == nil {
				if _, body, _, _, perr := record.Split(data, false); perr == nil {
					f.Add(string(body))
				}
			}
		}
		return nil
	})
	m := fastMDBuilder(f)
	f.Fuzz(func(t *testing.T, body string) {
		checkFastHTML(t, m, body)
	})
}
