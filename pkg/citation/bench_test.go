package citation_test

import (
	"io/fs"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/citation/citationtest"
	"github.com/reqtrail/reqtrail/pkg/config"
)

// BenchmarkScan compares the citation scan of 20,000 source files (~50 MB) citing 10,000
// requirements with just reading the same files on all cores. The scan includes the walk,
// .gitignore handling and the id matching; "read" is a parallel fs.ReadFile of a file list
// made beforehand. The target is scan ≤ 1.5 × read.
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	total, err := citationtest.Write(dir, citationtest.Tree{Files: 20000, Requirements: 10000, FileSize: 2500})
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: "src", Role: "impl"}, {Path: "tests", Role: "test"}}
	var files []string
	citation.Walk(fsys, cfg, func(f citation.File) { files = append(files, f.Path) })

	// cpu-ms/op is the CPU time of the process per operation: on a shared machine it is a
	// steadier comparison than the wall time.
	b.Run("read", func(b *testing.B) {
		b.SetBytes(total)
		start := cpuTime()
		for b.Loop() {
			readAll(b, fsys, files)
		}
		b.ReportMetric(float64(cpuTime()-start)/1e6/float64(b.N), "cpu-ms/op")
	})
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(total)
		var n int
		start := cpuTime()
		for b.Loop() {
			res := citation.Scan(fsys, cfg)
			n = len(res.Citations)
			if len(res.Errors) > 0 || res.Files != len(files) {
				b.Fatalf("scan read %d of %d files: %v", res.Files, len(files), res.Errors)
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/1e6/float64(b.N), "cpu-ms/op")
		b.ReportMetric(float64(n), "citations")
	})
	b.Run("match", func(b *testing.B) { // the matcher alone, on one file in memory
		data, err := fs.ReadFile(fsys, files[0])
		if err != nil {
			b.Fatal(err)
		}
		m := citation.NewMatcher("REQ", 4)
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			m.Find(data, func(citation.Match) {})
		}
	})
}

func readAll(b *testing.B, fsys fs.FS, files []string) {
	next := make(chan string, 256)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range next {
				if _, err := fs.ReadFile(fsys, f); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
}
