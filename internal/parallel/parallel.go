// Package parallel runs the iterations of a loop on every core.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(w, i) for every i in [0, n) on workers goroutines (at least one), each
// taking the next i not taken yet, and returns when every call has returned; w is the
// goroutine's number in [0, workers), for state of its own. The calls for different i must
// not depend on each other's order.
func For(n, workers int, f func(w, i int)) {
	if workers <= 1 || n <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(w, i)
			}
		})
	}
	wg.Wait()
}

// Workers is how many goroutines to run n iterations on so that each gets at least per of
// them: one per core at most.
func Workers(n, per int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(per, 1)))
}
