package site

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestRecordPageGoldens keeps one page of each kind of record (and a Chinese one, and the
// hostile record of the XSS test) as golden files: the compiled pages were proven byte for
// byte equal to the templates they replaced when these were written.
func TestRecordPageGoldens(t *testing.T) {
	example := loadExample(t)
	zh := repo.Load(os.DirFS(exampleDir))
	zh.Config.Site.Lang = "zh-CN"
	xss := repo.Load(xssRepo())
	live := testOptions(example)
	live.LiveReload, live.BaseURL = true, "https://req.example.org/site/"
	sites := map[string]*Files{
		"en": build(t, example, testOptions(example)), "live": build(t, example, live),
		"zh": build(t, zh, testOptions(zh)), "xss": build(t, xss, testOptions(xss)),
	}
	for _, g := range []struct{ site, page string }{
		{"en", "REQ-0001"}, {"en", "CR-0001"}, {"en", "ACC-0001"}, {"en", "FB-0001"}, {"en", "EVAL-0001"},
		{"live", "REQ-0002"}, {"zh", "REQ-0001"}, {"zh", "EVAL-0001"}, {"xss", "REQ-0001"},
	} {
		got, ok := sites[g.site].Get("r/" + g.page + ".html")
		if !ok {
			t.Fatalf("%s: no page %s", g.site, g.page)
		}
		golden := filepath.Join("testdata", "golden", g.site+"-"+g.page+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update rewrites it)", g.page, golden)
		}
	}
}

// renderBoth builds a site twice, the record pages once by compiled code and once by the
// templates they replace.
func renderBoth(t *testing.T, r *repo.Repo, opts Options) (compiled, templated *Files) {
	t.Helper()
	compiled, templated = NewFiles(), NewFiles()
	for _, out := range []*Files{compiled, templated} {
		b, err := prepare(r, out, opts)
		if err != nil {
			t.Fatal(err)
		}
		b.templatesOnly = out == templated
		if _, err := b.run(nil); err != nil {
			t.Fatal(err)
		}
	}
	return compiled, templated
}

// TestCompiledPagesMatchTemplates: the compiled record pages are byte for byte what the
// templates wrote, in English and Chinese, with and without history, live reload and a
// base address, and for the hostile records of the XSS test.
func TestCompiledPagesMatchTemplates(t *testing.T) {
	example := loadExample(t)
	zh := repo.Load(os.DirFS(exampleDir))
	zh.Config.Site.Lang = "zh-CN"
	live := testOptions(example)
	live.LiveReload, live.BaseURL = true, "https://req.example.org/site/"
	cases := []struct {
		name string
		r    *repo.Repo
		opts Options
	}{
		{"example", example, testOptions(example)},
		{"example without git", example, Options{}},
		{"example live", example, live},
		{"zh-CN", zh, testOptions(zh)},
		{"xss", repo.Load(xssRepo()), testOptions(repo.Load(xssRepo()))},
	}
	for _, c := range cases {
		compiled, templated := renderBoth(t, c.r, c.opts)
		pages := 0
		for _, n := range templated.Names() {
			want, _ := templated.Get(n)
			got, _ := compiled.Get(n)
			if strings.HasPrefix(n, "r/") {
				pages++
			}
			if !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Errorf("%s: %s differs at byte %d:\ncompiled:  %q\ntemplate:  %q", c.name, n, i,
					got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
			}
		}
		if pages == 0 {
			t.Errorf("%s: no record page", c.name)
		}
	}
}
