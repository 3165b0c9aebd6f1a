package site

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

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
