package main

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	out := []byte("goos: linux\nBenchmarkLint-2   \t       3\t 690000000 ns/op\t      1330 cpu-ms/op\nBenchmarkLintCached-2 3 640000000 ns/op\nBenchmarkSiteFromDisk10k-2 1 2700000000 ns/op 3.96 cpu-s/op 0.61 sys-s/op 5300 B/page\nPASS\n")
	for _, c := range []struct {
		name string
		want measure
	}{{"BenchmarkLint", measure{0.69, 1.33, 0}}, {"BenchmarkLintCached", measure{0.64, 0, 0}}, {"BenchmarkSiteFromDisk10k", measure{2.7, 3.96, 0.61}}} {
		m, ok := parse(out, c.name, "")
		if !ok || m != c.want {
			t.Errorf("parse %s = %+v, %v; want %+v", c.name, m, ok, c.want)
		}
	}
	if _, ok := parse(out, "BenchmarkNone", ""); ok {
		t.Error("parse found a benchmark that is not there")
	}
	if m, ok := parse([]byte("BenchmarkServeEdit10k-2 3 900000000 ns/op 1.2 cpu-s/op 0.25 s-to-record-page\n"), "BenchmarkServeEdit10k", "s-to-record-page"); !ok || m.wall != 0.25 {
		t.Errorf("parse of a metric = %+v, %v", m, ok)
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median = %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median = %v", m)
	}
}

func TestExt4WithoutJournal(t *testing.T) {
	// Whatever this machine has, a folder that does not exist is on no such file system,
	// and /proc is not ext4.
	if ext4WithoutJournal("/no/such/folder") || ext4WithoutJournal("/proc") {
		t.Error("a missing folder or /proc taken for an ext4 without a journal")
	}
}

func TestRatioRange(t *testing.T) {
	if lo, hi, ok := ratioRange([]float64{2, 3, 8}, []float64{1, 2, 4}); !ok || lo != 1.5 || hi != 2 {
		t.Errorf("ratioRange = %v, %v, %v", lo, hi, ok)
	}
	if _, _, ok := ratioRange([]float64{1}, []float64{1, 2}); ok {
		t.Error("samples of different counts compared")
	}
}

func TestParsePaired(t *testing.T) {
	out := []byte("BenchmarkCheckVsLint-2 20 442895844 ns/op 0.3880 base-cpu-s/op 0.2249 base-s/op 1.022 cpu-ratio 1.047 ratio 0.9261 ratio-q1 1.177 ratio-q3 0.3964 x-cpu-s/op 0.2264 x-s/op\n")
	p, ok := parsePaired(out, "BenchmarkCheckVsLint")
	if !ok || p.x.wall != 0.2264 || p.x.cpu != 0.3964 || p.ratio != 1.047 || p.q1 != 0.9261 || p.q3 != 1.177 {
		t.Errorf("parsePaired = %+v, %v", p, ok)
	}
	if _, ok := parsePaired([]byte("BenchmarkCheckVsLint-2 20 442895844 ns/op\n"), "BenchmarkCheckVsLint"); ok {
		t.Error("a benchmark without pairs taken for a paired one")
	}
	if rs := pairRatios([]float64{2, 3}, []float64{1, 2}); len(rs) != 2 || rs[0] != 2 || rs[1] != 1.5 {
		t.Errorf("pairRatios = %v", rs)
	}
	if rs := pairRatios([]float64{2}, []float64{1, 2}); rs != nil {
		t.Errorf("pairRatios of unequal samples = %v", rs)
	}
}

func TestSelectBenches(t *testing.T) {
	var labels []string
	for _, b := range selectBenches("whole process, cold") {
		labels = append(labels, b.label)
	}
	want := []string{lintProc, "reqtrail check --base HEAD~5, whole process, cold"}
	if len(labels) != len(want) || labels[0] != want[0] || labels[1] != want[1] {
		t.Errorf("selected %q, want %q", labels, want)
	}
	for _, b := range selectBenches("site rebuild") {
		if b.label != floor && !strings.Contains(b.label, "site rebuild") {
			t.Errorf("selected %q for site rebuild", b.label)
		}
	}
	if len(selectBenches("")) != len(benches) {
		t.Error("no filter did not select every row")
	}
}
