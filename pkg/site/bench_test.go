package site

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/benchdir"
	"github.com/reqtrail/reqtrail/internal/benchpair"
	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/internal/floor"
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
// The folders it builds into are kept until the end of a bench-compare run
// (internal/benchdir), which deletes nothing while it measures.
func BenchmarkSiteFromDisk10k(b *testing.B) { benchSiteFresh(b, benchdir.Out(b), false) }

// BenchmarkSiteFromDiskCached10k is BenchmarkSiteFromDisk10k with the record cache warm.
func BenchmarkSiteFromDiskCached10k(b *testing.B) { benchSiteFresh(b, benchdir.Out(b), true) }

// BenchmarkSiteFromDiskTmpfs10k is BenchmarkSiteFromDisk10k writing into a folder on tmpfs
// (/dev/shm): the same build without ext4's cost per new inode, which on this machine's ext4
// (no journal) varies tenfold with the state of the block group the folder lands in.
func BenchmarkSiteFromDiskTmpfs10k(b *testing.B) { benchSiteFresh(b, tmpfsDir(b), false) }

// BenchmarkSiteFromDiskTmpfsCached10k is the same build with the record cache warm, as the
// CLI runs it a second time into a new folder (`rm -rf public && reqtrail site`).
func BenchmarkSiteFromDiskTmpfsCached10k(b *testing.B) { benchSiteFresh(b, tmpfsDir(b), true) }

// tmpfsDir returns a new folder on /dev/shm, removed at the end, or skips the benchmark.
func tmpfsDir(b *testing.B) string {
	if fi, err := os.Stat("/dev/shm"); err != nil || !fi.IsDir() {
		b.Skip("no /dev/shm")
	}
	tmp, err := os.MkdirTemp("/dev/shm", "reqtrail-site-bench-")
	if err != nil {
		b.Skip(err)
	}
	b.Cleanup(func() { os.RemoveAll(tmp) })
	return tmp
}

// benchSiteFresh builds the site of the benchmark corpus into a new folder below tmp each
// time; cached, it loads the records through a record cache filled once beforehand.
func benchSiteFresh(b *testing.B, tmp string, cached bool) {
	build := freshBuilder(b, tmp, cached)
	var st Stats
	b.ResetTimer()
	c0, s0 := cputime.Now(), cputime.System()
	for range b.N {
		st = build()
	}
	b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N), "cpu-s/op")
	// The kernel's part: creating 12,000 files costs 30–250 µs each on this machine's ext4,
	// depending on the state of the block group the folder lands in (see docs/site.md).
	b.ReportMetric((cputime.System()-s0).Seconds()/float64(b.N), "sys-s/op")
	reportSite(b, st)
}

// freshBuilder returns a function that loads the benchmark corpus and builds its site into
// a new folder below tmp (0, 1, 2, … in turn), as `reqtrail site` does on the working tree
// without git; cached, the records load through a record cache filled here once.
func freshBuilder(b *testing.B, tmp string, cached bool) func() Stats {
	dir := corpus.ForBenchmark(b, 10000)
	cachePath := filepath.Join(b.TempDir(), "cache")
	load := func() *repo.Repo { return repo.Load(dirfs.New(dir)) }
	if cached {
		load = func() *repo.Repo {
			cache := repo.OpenCache(cachePath)
			r := repo.LoadWith(dirfs.New(dir), repo.Options{Cache: cache})
			if err := cache.Save(cachePath); err != nil {
				b.Fatal(err)
			}
			return r
		}
		load()
	}
	i := 0
	return func() Stats {
		r := load()
		// A new folder each time: every file is written, as in a first build.
		d, err := NewDir(filepath.Join(tmp, strconv.Itoa(i)))
		if err != nil {
			b.Fatal(err)
		}
		i++
		st, err := Build(r, d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Finish(); err != nil {
			b.Fatal(err)
		}
		return st
	}
}

// BenchmarkSiteVsFloor10k runs the floor (internal/floor, on the same corpus) and
// BenchmarkSiteFromDisk10k's build alternately, one of each per iteration, and reports the
// build's wall time over the floor's pair by pair (internal/benchpair); target: ≤ 2.5.
func BenchmarkSiteVsFloor10k(b *testing.B) { benchSiteVsFloor(b, benchdir.Out(b)) }

// BenchmarkSiteVsFloorTmpfs10k is BenchmarkSiteVsFloor10k building into /dev/shm.
func BenchmarkSiteVsFloorTmpfs10k(b *testing.B) { benchSiteVsFloor(b, tmpfsDir(b)) }

func benchSiteVsFloor(b *testing.B, tmp string) {
	dir := corpus.ForBenchmark(b, 10000)
	files, err := floor.Files(dir)
	if err != nil {
		b.Fatal(err)
	}
	build := freshBuilder(b, tmp, false)
	runtime.GC()
	benchpair.Run(b, func() {
		if err := floor.Run(dir, files); err != nil {
			b.Fatal(err)
		}
	}, func() { build() }).Report(b)
}

// BenchmarkSiteRebuild10k is `reqtrail site` run again into the folder of an earlier build
// with nothing changed, without the record cache: load and validate every record, graph,
// lint, render the pages that show every record, and keep the record pages, whose inputs
// the folder's state says are unchanged (nothing is written but the marker and state).
func BenchmarkSiteRebuild10k(b *testing.B) { benchRebuild(b, false) }

// BenchmarkSiteRebuildCached10k is BenchmarkSiteRebuild10k with the record cache, as the CLI
// runs by default: the records come from the cache file instead of being parsed.
func BenchmarkSiteRebuildCached10k(b *testing.B) { benchRebuild(b, true) }

func benchRebuild(b *testing.B, cached bool) {
	dir := corpus.ForBenchmark(b, 10000)
	out := filepath.Join(benchdir.Out(b), "public")
	cachePath := filepath.Join(b.TempDir(), "cache")
	build := func() (Stats, *Dir) {
		var r *repo.Repo
		if cached {
			cache := repo.OpenCache(cachePath)
			r = repo.LoadWith(dirfs.New(dir), repo.Options{Cache: cache})
			if err := cache.Save(cachePath); err != nil {
				b.Fatal(err)
			}
		} else {
			r = repo.Load(dirfs.New(dir))
		}
		d, err := NewDir(out)
		if err != nil {
			b.Fatal(err)
		}
		st, err := Build(r, d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Finish(); err != nil {
			b.Fatal(err)
		}
		return st, d
	}
	build()
	var st Stats
	b.ResetTimer()
	c0 := cputime.Now()
	wrote := 0
	for range b.N {
		var d *Dir
		st, d = build()
		wrote += d.Wrote()
	}
	b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(wrote)/float64(b.N), "files-written")
	b.ReportMetric(float64(st.RecordPages-st.Kept), "record-pages-rendered")
	reportSite(b, st)
}

// BenchmarkServeEdit10k is what `reqtrail serve` does after one requirement of 10,000 is
// saved, up to the moment the server has the new page: load the records again (only the
// changed file, which the watcher reports, is read and parsed: WorkTree and
// repo.Options.Reuse), build the trace graph, lint, and re-render
// the pages the change touches (Incremental). The watcher's wait for the end of a burst of
// events (WatchOptions.Delay) comes on top.
func BenchmarkServeEdit10k(b *testing.B) {
	dir := filepath.Join(benchdir.Out(b), "corpus")
	if err := corpus.Generate(dir, 10000, corpus.Options{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var file string
	_ = filepath.WalkDir(filepath.Join(dir, "reqs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && file == "" && !d.IsDir() && filepath.Ext(p) == ".md" {
			file = p
		}
		return nil
	})
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var inc Incremental
	var last *repo.Repo
	var start time.Time
	var toPage, cpuToPage time.Duration
	var cpuStart time.Duration
	inc.Early = func(*Files) {
		toPage += time.Since(start)
		cpuToPage += cputime.Now() - cpuStart
	}
	tree := NewWorkTree(dir)
	update := func() IncrementalStats {
		// The watcher reports the saved file: only it is read again (WorkTree).
		tree.Changed(Change{Paths: []string{file}})
		r := repo.LoadWith(tree, repo.Options{Reuse: last})
		tree.Loaded(r)
		g := graph.Load(r)
		_, st, err := inc.Build(r, Options{Graph: g})
		if err != nil {
			b.Fatal(err)
		}
		last = r
		return st
	}
	update()
	var st IncrementalStats
	b.ResetTimer()
	c0 := cputime.Now()
	for i := range b.N {
		edited := strings.Replace(string(orig), "title: ", "title: Edited "+strconv.Itoa(i)+" ", 1)
		if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		start, cpuStart = time.Now(), cputime.Now()
		st = update()
		if st.Full || st.Changed != 1 {
			b.Fatalf("the edit gave %+v", st)
		}
	}
	b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(toPage.Seconds()/float64(b.N), "s-to-record-page")
	// The CPU time up to the page (all cores): what a loaded machine's wall time hides.
	b.ReportMetric(cpuToPage.Seconds()/float64(b.N), "cpu-s-to-record-page")
	b.ReportMetric(float64(st.Touched), "record-pages-rendered")
}
