// Package benchpair measures one operation against another side by side: the two run in
// alternation, one pair per benchmark iteration (the order swapped every pair), and the
// ratio is taken pair by pair. On a shared machine, whose speed drifts by tens of percent
// within minutes, two runs a fraction of a second apart meet the same machine; separate
// benchmarks, or rounds minutes apart, do not.
package benchpair

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
)

// Result holds each pair's figures, in seconds: the wall and CPU time of base and of x.
type Result struct {
	BaseWall, XWall, BaseCPU, XCPU []float64
}

// Run runs base and x b.N times each, alternately (x first in every other pair), after one
// untimed pair, and returns what each run took; the heap is collected before every run.
// Report reports the figures.
func Run(b *testing.B, base, x func()) Result {
	b.Helper()
	base()
	x()
	b.ResetTimer()
	var r Result
	one := func(f func(), wall, cpu *[]float64) {
		// Each run starts from a collected heap, as a new process does, not with the
		// pacing the other side's heap left (a small one makes the next run collect more
		// often, a large one less).
		runtime.GC()
		c0, t0 := cputime.Now(), time.Now()
		f()
		*wall = append(*wall, time.Since(t0).Seconds())
		*cpu = append(*cpu, (cputime.Now() - c0).Seconds())
	}
	for i := range b.N {
		if i%2 == 0 {
			one(base, &r.BaseWall, &r.BaseCPU)
			one(x, &r.XWall, &r.XCPU)
		} else {
			one(x, &r.XWall, &r.XCPU)
			one(base, &r.BaseWall, &r.BaseCPU)
		}
	}
	return r
}

// Ratios returns x's wall time over base's, pair by pair.
func (r Result) Ratios() []float64 {
	out := make([]float64, len(r.XWall))
	for i := range out {
		out[i] = r.XWall[i] / r.BaseWall[i]
	}
	return out
}

// Report reports the medians of both sides' wall and CPU times (as base-s/op, x-s/op,
// base-cpu-s/op, x-cpu-s/op) and the pairs' ratios: their median (ratio), first and third
// quartiles (ratio-q1, ratio-q3), and the ratio of the CPU medians (cpu-ratio).
func (r Result) Report(b *testing.B) {
	b.Helper()
	if len(r.XWall) == 0 {
		return
	}
	b.ReportMetric(Median(r.BaseWall), "base-s/op")
	b.ReportMetric(Median(r.XWall), "x-s/op")
	b.ReportMetric(Median(r.BaseCPU), "base-cpu-s/op")
	b.ReportMetric(Median(r.XCPU), "x-cpu-s/op")
	ratios := r.Ratios()
	b.ReportMetric(Median(ratios), "ratio")
	b.ReportMetric(Quantile(ratios, 0.25), "ratio-q1")
	b.ReportMetric(Quantile(ratios, 0.75), "ratio-q3")
	if c := Median(r.BaseCPU); c > 0 {
		b.ReportMetric(Median(r.XCPU)/c, "cpu-ratio")
	}
}

// Median returns the median of xs (0 for none).
func Median(xs []float64) float64 { return Quantile(xs, 0.5) }

// Quantile returns the q-quantile of xs (0 ≤ q ≤ 1), interpolated linearly between the
// nearest samples (0 for none).
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	lo := int(pos)
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	frac := pos - float64(lo)
	return s[lo] + frac*(s[lo+1]-s[lo])
}
