package lint_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/internal/floor"
	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// BenchmarkFloor reads every record file and decodes its front matter with yaml.v3 on all
// cores: the least any linter must do. Files are read as the commands read them
// (dirfs: the raw descriptor).
func BenchmarkFloor(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	files, err := floor.Files(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cputime.Now()
	for range b.N {
		if err := floor.Run(dir, files); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(files)), "files")
	reportCPU(b, start)
}

// reportCPU reports CPU seconds per operation: on a shared, noisy machine the ratio of CPU
// time is steadier than wall-clock time.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cputime.Now()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkLint is the full lint of the same corpus: load, validate, every rule.
func BenchmarkLint(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	fsys := dirfs.New(dir)
	b.ResetTimer()
	start := cputime.Now()
	defer reportCPU(b, start)
	for range b.N {
		r := repo.Load(fsys)
		if ds := lint.Run(r, lint.Options{}); len(ds) != 0 {
			b.Fatalf("corpus has findings: %v", ds[0])
		}
	}
}

// BenchmarkLintCached is the full lint with a warm record cache, as a developer's second and
// later runs see it: the cache file read, every record found in it, the file not rewritten.
func BenchmarkLintCached(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	fsys := dirfs.New(dir)
	path := filepath.Join(b.TempDir(), "cache")
	warm := repo.NewCache()
	repo.LoadWith(fsys, repo.Options{Cache: warm})
	if err := warm.Save(path); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cputime.Now()
	defer reportCPU(b, start)
	for range b.N {
		cache := repo.OpenCache(path)
		r := repo.LoadWith(fsys, repo.Options{Cache: cache})
		if ds := lint.Run(r, lint.Options{}); len(ds) != 0 {
			b.Fatalf("corpus has findings: %v", ds[0])
		}
		if _, misses := cache.Stats(); misses != 0 {
			b.Fatalf("%d cache misses", misses)
		}
		if err := cache.Save(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefs lists every reference of every record with its range, as the language server
// and impact reports do: the cost of Record.Refs over a loaded corpus.
func BenchmarkRefs(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	r := repo.Load(os.DirFS(dir))
	b.ResetTimer()
	start := cputime.Now()
	defer reportCPU(b, start)
	n := 0
	for range b.N {
		n = 0
		for _, rec := range r.Records {
			for _, ref := range rec.Refs() {
				if ref.Range.HasEnd() {
					n++
				}
			}
		}
	}
	b.ReportMetric(float64(n), "refs")
}

func TestMain(m *testing.M) {
	code := m.Run()
	corpus.RemoveShared()
	os.Exit(code)
}

// BenchmarkLintMemory reports the live heap per record after a full lint of the corpus, as
// `reqtrail lint` holds it at its peak: every record loaded, the graph built, every rule run
// (target: at most 12 KB per record).
func BenchmarkLintMemory(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	fsys := os.DirFS(dir)
	var perRecord float64
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		r := repo.Load(fsys)
		ds := lint.Run(r, lint.Options{})
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		perRecord = float64(after.HeapAlloc-before.HeapAlloc) / float64(len(r.Records))
		runtime.KeepAlive(r)
		runtime.KeepAlive(ds)
	}
	b.ReportMetric(perRecord/1024, "KB/record")
}
