package lint_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusErr  error
)

// benchCorpus generates the 10,000-requirement corpus once per test binary
// (REQTRAIL_CORPUS=DIR reuses one made by cmd/reqtrail-corpus).
func benchCorpus(b *testing.B) string {
	corpusOnce.Do(func() {
		if d := os.Getenv("REQTRAIL_CORPUS"); d != "" {
			corpusDir = d
			return
		}
		corpusDir, corpusErr = os.MkdirTemp("", "reqtrail-corpus")
		if corpusErr == nil {
			corpusErr = corpus.Generate(corpusDir, 10000, corpus.Options{Seed: 1})
		}
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusDir
}

// BenchmarkFloor reads every record file and decodes its front matter with yaml.v3 on all
// cores: the least any linter must do.
func BenchmarkFloor(b *testing.B) {
	dir := benchCorpus(b)
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	b.ResetTimer()
	start := cpuTime()
	for range b.N {
		var wg sync.WaitGroup
		ch := make(chan string, len(files))
		for _, f := range files {
			ch <- f
		}
		close(ch)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for f := range ch {
					data, err := os.ReadFile(f)
					if err != nil {
						b.Error(err)
						return
					}
					parts := bytes.SplitN(data, []byte("\n---\n"), 2)
					var n yaml.Node
					if err := yaml.Unmarshal(bytes.TrimPrefix(parts[0], []byte("---\n")), &n); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(len(files)), "files")
	reportCPU(b, start)
}

// cpuTime returns the process's user+system CPU time in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// reportCPU reports CPU seconds per operation: on a shared, noisy machine the ratio of CPU
// time is steadier than wall-clock time.
func reportCPU(b *testing.B, start float64) {
	b.ReportMetric((cpuTime()-start)/float64(b.N), "cpu-s/op")
}

// BenchmarkLint is the full lint of the same corpus: load, validate, every rule.
func BenchmarkLint(b *testing.B) {
	dir := benchCorpus(b)
	fsys := os.DirFS(dir)
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start)
	for range b.N {
		r := repo.Load(fsys)
		if ds := lint.Run(r, lint.Options{}); len(ds) != 0 {
			b.Fatalf("corpus has findings: %v", ds[0])
		}
	}
}

// BenchmarkLintCached is the full lint with a warm validation cache, as a developer's
// second and later runs see it.
func BenchmarkLintCached(b *testing.B) {
	dir := benchCorpus(b)
	fsys := os.DirFS(dir)
	cache := repo.NewValidCache()
	repo.LoadWith(fsys, repo.Options{Cache: cache})
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start)
	for range b.N {
		r := repo.LoadWith(fsys, repo.Options{Cache: cache})
		if ds := lint.Run(r, lint.Options{}); len(ds) != 0 {
			b.Fatalf("corpus has findings: %v", ds[0])
		}
	}
}
