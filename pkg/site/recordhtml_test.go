package site

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
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
		checkGolden(t, filepath.Join("testdata", "golden", g.site+"-"+g.page+".html"), got)
	}
}

// TestReportPageGoldens keeps the traceability matrix and the roadmap (the pages that show
// every requirement and are compiled Go code) of the example in English and Chinese, of the
// hostile records, and of a project with suspect links and test results, as golden files:
// they were written by the templates the compiled pages replaced.
func TestReportPageGoldens(t *testing.T) {
	example := loadExample(t)
	zh := repo.Load(os.DirFS(exampleDir))
	zh.Config.Site.Lang = "zh-CN"
	xss := repo.Load(xssRepo())
	live := testOptions(example)
	live.LiveReload, live.BaseURL = true, "https://req.example.org/site/"
	sites := map[string]*Files{
		"en": build(t, example, testOptions(example)), "live": build(t, example, live),
		"zh": build(t, zh, testOptions(zh)), "xss": build(t, xss, testOptions(xss)),
		"results": suspectResultsSite(t),
	}
	for _, site := range []string{"en", "live", "zh", "xss", "results"} {
		for _, page := range []string{"matrix", "roadmap"} {
			got, ok := sites[site].Get(page + ".html")
			if !ok {
				t.Fatalf("%s: no page %s", site, page)
			}
			checkGolden(t, filepath.Join("testdata", "golden", site+"-"+page+".html"), got)
		}
	}
}

// checkGolden compares got with the golden file (go test -update writes it).
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it)", golden)
	}
}
