package site

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestMain(m *testing.M) {
	code := m.Run()
	corpus.RemoveShared()
	os.Exit(code)
}

// reportSite adds the size figures of the issue: HTML per record page, the search index.
func reportSite(b *testing.B, st Stats) {
	if st.RecordPages > 0 {
		b.ReportMetric(float64(st.RecordBytes)/float64(st.RecordPages)/1024, "KB/record-page")
	}
	b.ReportMetric(float64(st.SearchBytes)/(1<<20), "MB-search-index")
	b.ReportMetric(float64(st.Bytes)/(1<<20), "MB-site")
	b.ReportMetric(float64(st.Files), "files")
}

// BenchmarkSite10k renders the whole site of 10,000 requirements (plus 1,000 change
// requests and 1,000 acceptance records) into memory, from a loaded repo and trace graph,
// on all cores.
func BenchmarkSite10k(b *testing.B) { benchSite(b, "en") }

// BenchmarkSiteChinese10k is BenchmarkSite10k with site.lang zh-CN: every label, enumerated
// value and nested field name translated.
func BenchmarkSiteChinese10k(b *testing.B) { benchSite(b, "zh-CN") }

func benchSite(b *testing.B, lang string) {
	r := repo.Load(os.DirFS(corpus.ForBenchmark(b, 10000)))
	r.Config.Site.Lang = lang
	g := graph.Load(r)
	opts := Options{Source: Source{Commit: "0123456789abcdef0123456789abcdef01234567", Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, Graph: g}
	var st Stats
	b.ResetTimer()
	c0 := cputime.Now()
	for range b.N {
		var err error
		if st, err = Build(r, NewFiles(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N), "cpu-s/op")
	reportSite(b, st)
}

// BenchmarkSiteFromDisk10k is what `reqtrail site` does on the working tree without git:
// load and validate every record, build the trace graph, lint, render, and write every file
// into a folder.
func BenchmarkSiteFromDisk10k(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	tmp := b.TempDir()
	var st Stats
	b.ResetTimer()
	c0 := cputime.Now()
	for i := range b.N {
		r := repo.Load(os.DirFS(dir))
		// A new folder each time: every file is written, as in a first build.
		d, err := NewDir(filepath.Join(tmp, strconv.Itoa(i)))
		if err != nil {
			b.Fatal(err)
		}
		if st, err = Build(r, d, Options{}); err != nil {
			b.Fatal(err)
		}
		if err := d.Finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N), "cpu-s/op")
	reportSite(b, st)
}
