package main

import "testing"

func TestParse(t *testing.T) {
	out := []byte("goos: linux\nBenchmarkLint-2   \t       3\t 690000000 ns/op\t      1330 cpu-ms/op\nBenchmarkLintCached-2 3 640000000 ns/op\nBenchmarkSiteFromDisk10k-2 1 2700000000 ns/op 3.96 cpu-s/op 5300 B/page\nPASS\n")
	for _, c := range []struct {
		name      string
		wall, cpu float64
	}{{"BenchmarkLint", 0.69, 1.33}, {"BenchmarkLintCached", 0.64, 0}, {"BenchmarkSiteFromDisk10k", 2.7, 3.96}} {
		wall, cpu, ok := parse(out, c.name, "")
		if !ok || wall != c.wall || cpu != c.cpu {
			t.Errorf("parse %s = %v, %v, %v; want %v, %v", c.name, wall, cpu, ok, c.wall, c.cpu)
		}
	}
	if _, _, ok := parse(out, "BenchmarkNone", ""); ok {
		t.Error("parse found a benchmark that is not there")
	}
	if wall, _, ok := parse([]byte("BenchmarkServeEdit10k-2 3 900000000 ns/op 1.2 cpu-s/op 0.25 s-to-record-page\n"), "BenchmarkServeEdit10k", "s-to-record-page"); !ok || wall != 0.25 {
		t.Errorf("parse of a metric = %v, %v", wall, ok)
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median = %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median = %v", m)
	}
}
