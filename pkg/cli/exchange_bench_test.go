package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
)

// The spreadsheet commands on 10,000 requirements (SPEC §10 and issue 11: export and import
// each under 3 s; XLSX export under 200 MB peak).

func benchExport(b *testing.B, format string) {
	dir := corpus.ForBenchmark(b, 10000)
	out := filepath.Join(b.TempDir(), "export."+format)
	b.ResetTimer()
	for range b.N {
		if code, _, stderr := runIn(dir, "export", format, "-o", out); code != 0 {
			b.Fatal(stderr)
		}
	}
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
		code, stdout, stderr := runIn(dir, "import", format, sheetFile)
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
}

func BenchmarkImportCSV10kNew(b *testing.B)       { benchImport(b, "csv", false) }
func BenchmarkImportCSV10kUnchanged(b *testing.B) { benchImport(b, "csv", true) }
func BenchmarkImportXLSX10kNew(b *testing.B)      { benchImport(b, "xlsx", false) }
