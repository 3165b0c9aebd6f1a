package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, c := range []struct{ n, workers int }{{0, 4}, {1, 4}, {10, 1}, {1000, 3}, {5, 8}} {
		var calls [1000]atomic.Int32
		For(c.n, c.workers, func(w, i int) {
			if w < 0 || w >= max(c.workers, 1) {
				t.Errorf("worker %d of %d", w, c.workers)
			}
			calls[i].Add(1)
		})
		for i := range calls {
			want := int32(0)
			if i < c.n {
				want = 1
			}
			if got := calls[i].Load(); got != want {
				t.Fatalf("n %d, %d workers: f(%d) called %d times", c.n, c.workers, i, got)
			}
		}
	}
}

func TestWorkers(t *testing.T) {
	if w := Workers(0, 64); w != 1 {
		t.Errorf("Workers(0, 64) = %d, want 1", w)
	}
	if w := Workers(10, 0); w < 1 {
		t.Errorf("Workers(10, 0) = %d", w)
	}
}
