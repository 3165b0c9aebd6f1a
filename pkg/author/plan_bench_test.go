package author

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// BenchmarkPlan10k is the plan path import takes on a 10,000-requirement project: 1,000
// creations and 1,000 updates staged over the overlay, then the full lint of the result
// (Check). It reports CPU seconds and the heap in use at the end of an operation.
func BenchmarkPlan10k(b *testing.B) {
	root := corpus.ForBenchmark(b, 10000)
	base := repo.Load(os.DirFS(root))
	var files []string
	for _, rec := range base.Parsed(record.RequirementKind) {
		if len(files) == 1000 {
			break
		}
		files = append(files, rec.File)
	}
	b.Setenv("REQTRAIL_UNCHECKED_RECORDS", "1") // see newRecord
	b.ReportAllocs()
	b.ResetTimer()
	start := cputime.Now()
	var heap uint64
	for range b.N {
		p, err := NewPlan(root, base, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1000 {
			front, _ := Node(map[string]any{"title": fmt.Sprintf("Imported requirement %d", i), "status": "new"})
			if _, err := p.Create(Draft{Kind: record.RequirementKind, Dir: "imported", Front: front, Body: "Imported.\n"}); err != nil {
				b.Fatal(err)
			}
		}
		for _, f := range files {
			if err := p.Update(f, Set("tags", []string{"imported"})); err != nil {
				b.Fatal(err)
			}
		}
		res := p.Check()
		if errs := res.Errors(); len(errs) > 0 {
			b.Fatalf("the plan has errors: %v", errs[0])
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		runtime.KeepAlive(res)
	}
	b.ReportMetric((cputime.Now()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
}
