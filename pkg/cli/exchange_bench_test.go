package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/corpus"
)

// cpuMeter sums the process's CPU time, and the kernel's part of it, over the timed parts of
// a benchmark, and reports both per operation (cpu-s/op, sys-s/op).
type cpuMeter struct{ cpu, sys, cpu0, sys0 time.Duration }

func (m *cpuMeter) start() { m.cpu0, m.sys0 = cputime.Now(), cputime.System() }

func (m *cpuMeter) stop() {
	m.cpu += cputime.Now() - m.cpu0
	m.sys += cputime.System() - m.sys0
}

func (m *cpuMeter) report(b *testing.B) {
	b.ReportMetric(m.cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(m.sys.Seconds()/float64(b.N), "sys-s/op")
}

// benchImports prepares b for timing imports: the authoring layer does not check the records
// it builds against a parse of their bytes, as it does in tests (see author.newRecord).
func benchImports(b *testing.B) {
	b.Setenv("REQTRAIL_UNCHECKED_RECORDS", "1")
}

// The spreadsheet commands on 10,000 requirements (SPEC §10 and issue 11: export and import
// each under 3 s; XLSX export under 200 MB peak).

func benchExport(b *testing.B, format string) {
	dir := corpus.ForBenchmark(b, 10000)
	out := filepath.Join(b.TempDir(), "export."+format)
	var cpu cpuMeter
	b.ResetTimer()
	for range b.N {
		cpu.start()
		if code, _, stderr := runIn(dir, "export", format, "-o", out); code != 0 {
			b.Fatal(stderr)
		}
		cpu.stop()
	}
	cpu.report(b)
}

func BenchmarkExportCSV10k(b *testing.B)  { benchExport(b, "csv") }
func BenchmarkExportXLSX10k(b *testing.B) { benchExport(b, "xlsx") }

func benchImport(b *testing.B, format string, same bool) {
	src := corpus.ForBenchmark(b, 10000)
	sheetFile := filepath.Join(b.TempDir(), "export."+format)
	if code, _, stderr := runIn(src, "export", format, "-o", sheetFile); code != 0 {
		b.Fatal(stderr)
	}
	cfg, err := os.ReadFile(filepath.Join(src, "reqtrail.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	benchImports(b)
	var cpu cpuMeter
	b.ResetTimer()
	for range b.N {
		dir := src
		if !same {
			b.StopTimer()
			dir = b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), cfg, 0o644); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		cpu.start()
		code, stdout, stderr := runIn(dir, "import", format, sheetFile)
		cpu.stop()
		if code != 0 {
			b.Fatalf("%d %s %s", code, stdout, stderr)
		}
		if want := "10000 created"; !same && !strings.HasPrefix(stdout, want) {
			b.Fatalf("%s", stdout)
		}
		if want := "0 created, 0 updated, 10000 unchanged"; same && !strings.HasPrefix(stdout, want) {
			b.Fatalf("%s", stdout)
		}
	}
	cpu.report(b)
}

func BenchmarkImportCSV10kNew(b *testing.B)       { benchImport(b, "csv", false) }
func BenchmarkImportCSV10kUnchanged(b *testing.B) { benchImport(b, "csv", true) }
func BenchmarkImportXLSX10kNew(b *testing.B)      { benchImport(b, "xlsx", false) }
