package matrix_test

import (
	"io"
	"os"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/citation/citationtest"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/matrix"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// BenchmarkMatrix measures reqtrail matrix on 10,000 requirements with 20,000 source files
// (~50 MB) to scan: "load" is the record loader alone, "scan" the citation scan, "build" the
// graph and the rows from a loaded repo and a scan, and "all" everything, JSON included.
func BenchmarkMatrix(b *testing.B) {
	dir := b.TempDir()
	if err := citationtest.WriteRequirements(dir, 10000); err != nil {
		b.Fatal(err)
	}
	total, err := citationtest.Write(dir, citationtest.Tree{Files: 20000, Requirements: 10000, FileSize: 2500})
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	r := repo.Load(fsys)
	if len(r.Diags) > 0 {
		b.Fatalf("generated records have findings: %v", r.Diags[0])
	}
	scan := citation.Scan(fsys, r.Config)

	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			repo.Load(fsys)
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			citation.Scan(fsys, r.Config)
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			matrix.Build(graph.Build(r, scan), matrix.Filter{})
		}
	})
	b.Run("all", func(b *testing.B) {
		var s graph.Summary
		for b.Loop() {
			m := matrix.Build(graph.Load(repo.Load(fsys)), matrix.Filter{})
			if err := m.Report().Write(io.Discard, "json"); err != nil {
				b.Fatal(err)
			}
			s = m.Summary
		}
		b.ReportMetric(float64(s.Verified), "verified")
	})
}
