package gitgen

import (
	"os"
	"sync"
)

var (
	benchOnce sync.Once
	benchRepo *Repo
	benchErr  error
)

// Bench returns the benchmark repository — 10,000 requirements in 100 sub-folders and
// 5,000 commits, the last five of which each edit one requirement — generated once per
// process. Call RemoveBench from TestMain.
func Bench() (*Repo, error) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reqtrail-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchRepo, benchErr = Generate(dir, Options{Records: 10000, Commits: 5000, Groups: 100})
	})
	return benchRepo, benchErr
}

// RemoveBench deletes the repository Bench made, if any.
func RemoveBench() {
	if benchRepo != nil {
		os.RemoveAll(benchRepo.Dir)
	}
}
