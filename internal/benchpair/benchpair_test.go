package benchpair

import "testing"

func TestQuantile(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{nil, 0.5, 0},
		{[]float64{3, 1, 2}, 0.5, 2},
		{[]float64{4, 1, 2, 3}, 0.5, 2.5},
		{[]float64{4, 1, 2, 3}, 0, 1},
		{[]float64{4, 1, 2, 3}, 1, 4},
		{[]float64{1, 2, 3, 4, 5}, 0.25, 2},
		{[]float64{1, 2}, 0.25, 1.25},
	} {
		if got := Quantile(c.xs, c.q); got != c.want {
			t.Errorf("Quantile(%v, %v) = %v, want %v", c.xs, c.q, got, c.want)
		}
	}
}

func TestRatios(t *testing.T) {
	r := Result{BaseWall: []float64{1, 2, 4}, XWall: []float64{1.5, 2, 2}}
	got := r.Ratios()
	if len(got) != 3 || got[0] != 1.5 || got[1] != 1 || got[2] != 0.5 {
		t.Errorf("Ratios = %v", got)
	}
}

// TestRunAlternates checks that Run runs both sides b.N times after one untimed pair, in
// alternating order, and records a time for every run.
func TestRunAlternates(t *testing.T) {
	var order []string
	res := testing.Benchmark(func(b *testing.B) {
		order = order[:0]
		r := Run(b, func() { order = append(order, "base") }, func() { order = append(order, "x") })
		if len(r.BaseWall) != b.N || len(r.XWall) != b.N || len(r.BaseCPU) != b.N || len(r.XCPU) != b.N {
			t.Errorf("b.N = %d, got %d/%d/%d/%d samples", b.N, len(r.BaseWall), len(r.XWall), len(r.BaseCPU), len(r.XCPU))
		}
	})
	if res.N < 1 {
		t.Fatal("benchmark did not run")
	}
	if len(order) != 2+2*res.N || order[0] != "base" || order[1] != "x" {
		t.Fatalf("order %v for N = %d", order[:min(len(order), 6)], res.N)
	}
	for i := range res.N {
		a, b := order[2+2*i], order[3+2*i]
		want := [2]string{"base", "x"}
		if i%2 == 1 {
			want = [2]string{"x", "base"}
		}
		if a != want[0] || b != want[1] {
			t.Fatalf("pair %d ran %s then %s, want %v", i, a, b, want)
		}
	}
}
