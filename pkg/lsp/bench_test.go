package lsp

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/corpus"
)

func TestMain(m *testing.M) {
	code := m.Run()
	corpus.RemoveShared()
	os.Exit(code)
}

const benchRecords = 10000

// benchSession starts a server on the shared 10,000-requirement corpus with REQ-0100 open.
func benchSession(b *testing.B) (*testClient, string, string) {
	dir := corpus.ForBenchmark(b, benchRecords)
	c := startClient(b, dir, Options{Sync: true, NoWatch: true, NoCache: true})
	c.initialize("utf-32")
	matches, _ := filepath.Glob(filepath.Join(dir, "reqs", "*", "*", "REQ-0100.md"))
	if len(matches) != 1 {
		b.Fatalf("REQ-0100.md not found in the corpus: %v", matches)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		b.Fatal(err)
	}
	if !strings.Contains(string(data), "\nparent: ") {
		data = []byte(strings.Replace(string(data), "\nstatus: ", "\nparent: REQ-0001\nstatus: ", 1))
	}
	uri := fileURI(dir, strings.TrimPrefix(filepath.ToSlash(matches[0]), filepath.ToSlash(dir)+"/"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "markdown", "version": 1, "text": string(data)}})
	c.diagnostics(uri, func([]lspDiagnostic) bool { return true })
	return c, uri, string(data)
}

// BenchmarkInitialLoad: initialize on 10,000 requirements (load, validate, trace, lint).
func BenchmarkInitialLoad(b *testing.B) {
	dir := corpus.ForBenchmark(b, benchRecords)
	b.ResetTimer()
	cpu := cputime.Now()
	var heap, sys uint64
	for b.Loop() {
		c := startClient(b, dir, Options{Sync: true, NoWatch: true, NoCache: true})
		c.initialize()
		// The server's memory while it holds the loaded project (after a collection).
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap, sys = max(heap, ms.HeapInuse), max(sys, ms.Sys)
		c.shutdown()
	}
	reportCPU(b, cpu, 1)
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	b.ReportMetric(float64(sys)/(1<<20), "sys-MB")
}

// BenchmarkInitialLoadWarm: initialize with the record cache filled by an earlier
// session (what reopening the editor costs).
func BenchmarkInitialLoadWarm(b *testing.B) {
	dir := corpus.ForBenchmark(b, benchRecords)
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	prime := startClient(b, dir, Options{Sync: true, NoWatch: true})
	prime.initialize()
	prime.shutdown()
	b.ResetTimer()
	cpu := cputime.Now()
	for b.Loop() {
		c := startClient(b, dir, Options{Sync: true, NoWatch: true})
		c.initialize()
		c.shutdown()
	}
	reportCPU(b, cpu, 1)
}

// BenchmarkEdit: one keystroke in a record of a 10,000-record project until its new
// diagnostics are published (Sync mode: the time after the debounce).
func BenchmarkEdit(b *testing.B) {
	c, uri, data := benchSession(b)
	t := newText(data)
	line := 2 // the title
	l := t.line(line)
	version := 1
	b.ResetTimer()
	cpu := cputime.Now()
	for b.Loop() {
		version++
		c.mu.Lock()
		n := len(c.notes)
		c.mu.Unlock()
		c.edit(uri, version, rng(line, len([]rune(l)), line, len([]rune(l))), "x")
		c.waitFor("diagnostics after the edit", func() bool { return len(c.notes) > n })
		version++
		c.edit(uri, version, rng(line, len([]rune(l)), line, len([]rune(l))+1), "")
	}
	b.StopTimer()
	reportCPU(b, cpu, 2) // two edits (and lint runs) per iteration
	reportHeap(b)
	c.shutdown()
}

// benchRequest measures one request kind and reports its p95 latency.
func benchRequest(b *testing.B, method string, params func(c *testClient, uri string) any) {
	c, uri, _ := benchSession(b)
	p := params(c, uri)
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if rerr := c.call(method, p, nil); rerr != nil {
			b.Fatal(rerr)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, "p95-ms")
	c.shutdown()
}

// parentLine is the line of parent: in the open record (see benchSession).
func parentLine(b *testing.B, c *testClient, uri string) int {
	var syms []documentSymbol
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	for _, s := range syms[0].Children {
		if s.Name == "parent" {
			return s.Range.Start.Line
		}
	}
	b.Fatal("no parent: line")
	return 0
}

// BenchmarkCompletionID: ids after "parent: REQ-00" (200 of 10,000 offered, with titles).
func BenchmarkCompletionID(b *testing.B) {
	benchRequest(b, "textDocument/completion", func(c *testClient, uri string) any {
		return posParams(uri, parentLine(b, c, uri), len("parent: REQ-00"))
	})
}

// BenchmarkCompletionKey: front-matter keys on a new line.
func BenchmarkCompletionKey(b *testing.B) {
	benchRequest(b, "textDocument/completion", func(c *testClient, uri string) any { return posParams(uri, 2, 0) })
}

func BenchmarkHover(b *testing.B) {
	benchRequest(b, "textDocument/hover", func(_ *testClient, uri string) any { return posParams(uri, 1, 6) })
}

func BenchmarkDefinition(b *testing.B) {
	benchRequest(b, "textDocument/definition", func(_ *testClient, uri string) any { return posParams(uri, 1, 6) })
}

// reportCPU reports the process's CPU time per operation (wall time on a shared machine
// depends on the other processes' load); per is the number of operations in one iteration.
func reportCPU(b *testing.B, since time.Duration, per int) {
	if d := cputime.Now() - since; d > 0 {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N*per), "cpu-ms/op")
	}
}

func reportHeap(b *testing.B) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
}
