package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
)

// BenchmarkExportReqif10k exports the 10,000-requirement benchmark corpus as ReqIF (the
// whole command: load, git commit times, XHTML rendering, writing). Target: under 2 s.
func BenchmarkExportReqif10k(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	out := filepath.Join(b.TempDir(), "out.reqif")
	b.Setenv("REQTRAIL_NO_CACHE", "1")
	var cpu cpuMeter
	for b.Loop() {
		cpu.start()
		if code, _, errOut := runIn(dir, "export", "reqif", "-o", out); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut)
		}
		cpu.stop()
	}
	cpu.report(b)
}

// BenchmarkImportReqif10k imports a 10,000-object ReqIF file (the export of the benchmark
// corpus) into an empty project: read, map, plan, lint over the overlay, write. Target:
// under 3 s and 500 MB peak.
func BenchmarkImportReqif10k(b *testing.B) {
	src := corpus.ForBenchmark(b, 10000)
	file := filepath.Join(b.TempDir(), "big.reqif")
	b.Setenv("REQTRAIL_NO_CACHE", "1")
	if code, _, errOut := runIn(src, "export", "reqif", "-o", file); code != 0 {
		b.Fatalf("export exit %d: %s", code, errOut)
	}
	conf, _ := os.ReadFile(filepath.Join(src, "reqtrail.yaml"))
	benchImports(b)
	var cpu cpuMeter
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), conf, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu.start()
		code, out, errOut := runIn(dir, "import", "reqif", file)
		cpu.stop()
		if code != 0 || !strings.Contains(out, "10000 created") {
			b.Fatalf("exit %d: %s%s", code, out, errOut)
		}
	}
	cpu.report(b)
}
