package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestSafeScheme(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://example.com":     true,
		"http://example.com":      true,
		"mailto:a@example.com":    true,
		"REQ-0001.md":             true,
		"../src/x.go#L3":          true,
		"#section":                true,
		"?q=1":                    true,
		"javascript:alert(1)":     false,
		"JavaScript:alert(1)":     false,
		" javascript:alert(1)":    false,
		"java\tscript:alert(1)":   false,
		"java\nscript:alert(1)":   false,
		"\x01javascript:alert(1)": false,
		"vbscript:x":              false,
		"data:text/html,x":        false,
		"data:image/png;base64,":  false,
		"file:///etc/passwd":      false,
		"ftp://example.com":       false,
	} {
		if _, got := safeScheme(dest); got != want {
			t.Errorf("safeScheme(%q) = %v, want %v", dest, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":          {Data: []byte("site:\n  repo-url: https://github.com/acme/svc\n")},
		"reqs/a/REQ-0001.md":     {Data: []byte("---\nid: REQ-0001\ntitle: One\n---\nbody\n")},
		"reqs/b/REQ-0002.md":     {Data: []byte("---\nid: REQ-0002\ntitle: Two\n---\nbody\n")},
		"reqs/b/img/flow.png":    {Data: []byte("\x89PNG")},
		"changes/CR-0001.md":     {Data: []byte("---\nid: CR-0001\ntitle: C\nstatus: proposed\naction: add\naffects: [REQ-0001]\n---\n")},
		"acceptance/ACC-0001.md": {Data: []byte("---\nid: ACC-0001\ntitle: A\nverdict: accepted\nrequirements: [{id: REQ-0001, fingerprint: x}]\n---\n")},
	}
	r := repo.Load(fsys)
	out := NewFiles()
	b := &builder{r: r, out: out, pages: map[string]string{}, forge: newForge("https://github.com/acme/svc", "c0ffee", "")}
	for id := range r.ByID {
		b.pages[id] = pageName(id)
	}
	b.indexLinks()
	md := newMarkdown(b)
	cases := []struct{ in, want string }{
		{"| a | b |\n| - | - |\n| 1 | 2 |\n", "<table>"},
		{"| a | b |\n| :-: | --: |\n| 1 | 2 |\n", `<td align="center">1</td>`},
		{"~~gone~~", "<del>gone</del>"},
		{"- [x] done\n- [ ] todo\n", `<input checked="" disabled="" type="checkbox">`},
		{"## Scope and goals\n", `<h2 id="scope-and-goals">`},
		{"## 范围 说明\n", `<h2 id="范围-说明">`},
		{"See REQ-0001, CR-0001 and ACC-0001.", `<a href="REQ-0001.html" title="One">REQ-0001</a>, <a href="CR-0001.html" title="C">CR-0001</a> and <a href="ACC-0001.html" title="A">ACC-0001</a>`},
		{"REQ-00012 XREQ-0001 REQ-0001a REQ-0009", "REQ-00012 XREQ-0001 REQ-0001a REQ-0009"},
		{"`REQ-0001`", "<code>REQ-0001</code>"},
		{"[one](../a/REQ-0001.md)", `<a href="REQ-0001.html">one</a>`},
		{"[code](../../src/x.go)", `<a href="https://github.com/acme/svc/blob/c0ffee/src/x.go" rel="noopener noreferrer">code</a>`},
		{"[out](../../../etc/passwd)", "<p>out</p>"},
		{"![flow](img/flow.png)", `<img src="../files/reqs/b/img/flow.png" alt="flow">`},
		{"![gone](img/missing.png)", "<p>gone</p>"},
		{"<b>raw</b>", "<!-- raw HTML omitted -->raw<!-- raw HTML omitted -->"},
		{"[x](javascript:alert(1))", "<p>x</p>"},
		{"<javascript:alert(1)>", "<p>javascript:alert(1)</p>"},
	}
	for _, c := range cases {
		got := md.render(c.in, "reqs/b/REQ-0002.md", "REQ-0002")
		if !strings.Contains(got, c.want) {
			t.Errorf("render(%q) =\n%s\nwant it to contain %s", c.in, got, c.want)
		}
	}
	if _, ok := out.Get("files/reqs/b/img/flow.png"); !ok {
		t.Error("the image of the repository was not copied into the site")
	}
}

// TestImageSymlink: an image that is a symbolic link is not copied into the site.
func TestImageSymlink(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "reqs"), 0o755)
	secret := filepath.Join(t.TempDir(), "secret.png")
	os.WriteFile(secret, []byte("secret"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "reqs", "leak.png")); err != nil {
		t.Skip("no symbolic links here")
	}
	os.WriteFile(filepath.Join(dir, "reqs", "REQ-0001.md"), []byte("---\nid: REQ-0001\ntitle: T\n---\n![x](leak.png)\n"), 0o644)
	f := build(t, repo.Load(os.DirFS(dir)), Options{})
	if _, ok := f.Get("files/reqs/leak.png"); ok {
		t.Error("a symbolic link was followed out of the project")
	}
}

// TestMaybeID: the pre-filter of mentions never rules out text the id pattern matches.
func TestMaybeID(t *testing.T) {
	for _, s := range []string{"REQ-0001", "see REQ-12.", "x-1", "a1-2", "2024-02-12 and CR-7", "Ab9-0"} {
		if !maybeID([]byte(s)) || idPattern.FindIndex([]byte(s)) == nil {
			t.Errorf("%q: maybeID %v, pattern %v", s, maybeID([]byte(s)), idPattern.FindIndex([]byte(s)))
		}
	}
	for _, s := range []string{"", "2024-02-12", "no dash", "REQ-", "-12", "1-2", "a-b", "é-1"} {
		if idPattern.FindIndex([]byte(s)) == nil && maybeID([]byte(s)) && s != "é-1" {
			t.Errorf("%q: maybeID true without a match", s)
		}
		if idPattern.FindIndex([]byte(s)) != nil && !maybeID([]byte(s)) {
			t.Errorf("%q: the pattern matches but maybeID says no", s)
		}
	}
}

// FuzzMaybeID: maybeID is true whenever the id pattern matches.
func FuzzMaybeID(f *testing.F) {
	for _, s := range []string{"REQ-0001", "2024-02-12", "a-1-b", "x9-", "é-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if idPattern.FindIndex([]byte(s)) != nil && !maybeID([]byte(s)) {
			t.Fatalf("%q matches the id pattern, maybeID says no", s)
		}
	})
}
