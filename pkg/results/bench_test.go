package results_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/matrix"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// junit50k is a JUnit file of 50,000 cases over 10,000 requirements in 500 suites: ids in
// names, one in ten failing, one in twenty skipped.
func junit50k() []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<testsuites>\n")
	for s := range 500 {
		fmt.Fprintf(&b, "<testsuite name=\"example.com/svc/pkg%d\">\n", s)
		for c := range 100 {
			i := s*100 + c
			fmt.Fprintf(&b, "<testcase classname=\"example.com/svc/pkg%d\" name=\"Test_REQ_%04d_case%d\" time=\"0.0%d\">", s, i%10000+1, i, c%10)
			switch {
			case i%10 == 3:
				b.WriteString("<failure message=\"boom\">trace</failure>")
			case i%20 == 7:
				b.WriteString("<skipped/>")
			}
			b.WriteString("</testcase>\n")
		}
		b.WriteString("</testsuite>\n")
	}
	b.WriteString("</testsuites>\n")
	return b.Bytes()
}

// BenchmarkMatrixResults50k is what --results adds to matrix: reading 50,000 cases, mapping
// them to 10,000 requirements and building the matrix with them (target: under 0.5 s).
func BenchmarkMatrixResults50k(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	r := repo.Load(os.DirFS(dir))
	data := junit50k()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	defer reportCPU(b, cputime.Now())
	for b.Loop() {
		g := graph.Build(r, nil)
		cases := parse50k(b, data)
		g.ApplyResults(results.Map(cases, results.Env{FS: r.FS, Matcher: citation.NewMatcher("REQ", 4), Known: func(id string) bool { return g.Node(id) != nil }}))
		m := matrix.Build(g, matrix.Filter{})
		if m.Summary.Failing == 0 {
			b.Fatal("no failing requirement")
		}
	}
}

// BenchmarkMatrixNoResults is the same matrix without results, for comparison.
func BenchmarkMatrixNoResults(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	r := repo.Load(os.DirFS(dir))
	b.ResetTimer()
	defer reportCPU(b, cputime.Now())
	for b.Loop() {
		matrix.Build(graph.Build(r, nil), matrix.Filter{})
	}
}

// BenchmarkMatrixResults50kByFile is BenchmarkMatrixResults50k when no case names an id: the
// 50,000 pytest cases are found by classname in 500 test files, and each verifies the
// requirement a citation inside its function names (the other half of SPEC §11's mapping).
func BenchmarkMatrixResults50kByFile(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	r := repo.Load(os.DirFS(dir))
	tests := fstest.MapFS{}
	var junit bytes.Buffer
	junit.WriteString("<?xml version=\"1.0\"?>\n<testsuites>\n<testsuite name=\"pytest\">\n")
	for s := range 500 {
		var src bytes.Buffer
		for c := range 100 {
			i := s*100 + c
			fmt.Fprintf(&src, "def test_case%d():\n    # verifies REQ-%04d\n    assert True\n\n", i, i%10000+1)
			fmt.Fprintf(&junit, "<testcase classname=\"tests.area%d.test_mod%d\" name=\"test_case%d\" time=\"0.01\"", s%20, s, i)
			if i%10 == 3 {
				junit.WriteString("><failure message=\"boom\"/></testcase>\n")
			} else {
				junit.WriteString("/>\n")
			}
		}
		tests[fmt.Sprintf("tests/area%d/test_mod%d.py", s%20, s)] = &fstest.MapFile{Data: src.Bytes()}
	}
	junit.WriteString("</testsuite>\n</testsuites>\n")
	data := junit.Bytes()
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: "tests", Role: "test"}}
	// The citation scan of the test files is part of matrix with or without results.
	scan := citation.Scan(tests, cfg)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	defer reportCPU(b, cputime.Now())
	for b.Loop() {
		g := graph.Build(r, nil)
		cases := parse50k(b, data)
		// The walk for the test file list is what --results adds.
		env := results.Env{FS: tests, Matcher: citation.NewMatcher("REQ", 4), Citations: scan.Citations,
			Known: func(id string) bool { return g.Node(id) != nil }}
		citation.Walk(tests, cfg, func(f citation.File) { env.TestFiles = append(env.TestFiles, f.Path) })
		mapped := results.Map(cases, env)
		if len(mapped) != 10000 {
			b.Fatalf("%d requirements have results, want 10000", len(mapped))
		}
		g.ApplyResults(mapped)
		if m := matrix.Build(g, matrix.Filter{}); m.Summary.Failing == 0 {
			b.Fatal("no failing requirement")
		}
	}
}

// parse50k reads the benchmarks' JUnit file of 50,000 cases.
func parse50k(b *testing.B, data []byte) []results.Case {
	cases, err := results.Parse("junit.xml", data)
	if err != nil || len(cases) != 50000 {
		b.Fatal(len(cases), err)
	}
	return cases
}

// reportCPU reports the CPU milliseconds per operation used since start (all threads: the
// garbage collector's work included).
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cputime.Now()-start)/1e6/float64(b.N), "cpu-ms/op")
	}
}
