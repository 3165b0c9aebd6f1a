package corpus

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/reqtrail/reqtrail/internal/benchdir"
)

var (
	sharedMu   sync.Mutex
	sharedDirs = map[int]string{}
	made       []string
)

// Shared returns a folder holding a generated repository of n requirements (seed 1), made
// once per process and reused by every benchmark that asks for the same n. REQTRAIL_CORPUS
// names an existing corpus (made by cmd/reqtrail-corpus) to use instead. With
// REQTRAIL_BENCH_DIR set (internal/benchdir) it is made there once and kept for every later
// process.
func Shared(n int) (string, error) {
	if d := os.Getenv("REQTRAIL_CORPUS"); d != "" {
		return d, nil
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if d, ok := sharedDirs[n]; ok {
		return d, nil
	}
	if d, ok, err := benchdir.Shared(fmt.Sprintf("corpus-%d", n), func(dir string) error {
		return Generate(dir, n, Options{Seed: 1})
	}); ok {
		if err == nil {
			sharedDirs[n] = d
		}
		return d, err
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("reqtrail-corpus-%d-", n))
	if err != nil {
		return "", err
	}
	if err := Generate(dir, n, Options{Seed: 1}); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	sharedDirs[n] = dir
	made = append(made, dir)
	return dir, nil
}

// RemoveShared deletes the folders Shared made (call it from TestMain).
func RemoveShared() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for _, d := range made {
		os.RemoveAll(d)
	}
	made = nil
	sharedDirs = map[int]string{}
}

// ForBenchmark returns Shared(n), failing the benchmark when it cannot be made.
func ForBenchmark(tb testing.TB, n int) string {
	tb.Helper()
	dir, err := Shared(n)
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}
