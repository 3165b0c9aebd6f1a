package matrix_test

import (
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/matrix"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// BenchmarkReportWriters writes the matrix of the 10,000-requirement corpus in every format
// (the report built once; only pkg/report's writers are timed), and 10,000 findings — one
// per requirement, at its title's range — as SARIF, JUnit and Markdown. It reports CPU
// seconds per write and the heap in use after one.
func BenchmarkReportWriters(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	r := repo.Load(os.DirFS(dir))
	m := matrix.Build(graph.Load(r), matrix.Filter{})
	rep := m.Report()
	for _, f := range matrix.Formats {
		b.Run(string(f), func(b *testing.B) {
			measure(b, func() error { return rep.Write(io.Discard, f) })
		})
	}
	var ds []diag.Diagnostic
	var rules []report.RuleDoc
	for _, rl := range lint.Rules() {
		rules = append(rules, report.RuleDoc{ID: rl.ID, Severity: rl.Severity, Doc: rl.Doc, Fix: rl.Fix})
	}
	var names []string
	for _, rec := range r.Parsed(record.RequirementKind) {
		names = append(names, rec.File)
		ds = append(ds, diag.At(pos.Range{Start: pos.Position{File: rec.File, Line: 3, Column: 8}, End: pos.Position{File: rec.File, Line: 3, Column: 40}},
			"requirement-untested", diag.Warning, rec.ID+" has no test citation"))
	}
	findings := &report.Findings{Tool: "reqtrail lint", Version: "bench", Diagnostics: ds, Files: len(names), FileNames: names, Rules: rules}
	for _, f := range []report.Format{report.SARIF, report.JUnit, report.Markdown} {
		b.Run("findings-"+string(f), func(b *testing.B) {
			measure(b, func() error { return report.PrintDiagnostics(io.Discard, f, findings) })
		})
	}
}

func measure(b *testing.B, write func() error) {
	b.ReportAllocs()
	start := cputime.Now()
	var heap uint64
	for b.Loop() {
		if err := write(); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
	}
	b.ReportMetric((cputime.Now()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
}
