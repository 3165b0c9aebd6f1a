package gitgen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"github.com/reqtrail/reqtrail/internal/benchdir"
)

var (
	benchOnce sync.Once
	benchRepo *Repo
	benchErr  error
	benchKept bool
)

// benchOptions shape the benchmark repository.
var benchOptions = Options{Records: 10000, Commits: 5000, Groups: 100}

// Bench returns the benchmark repository — 10,000 requirements in 100 sub-folders and
// 5,000 commits, the last five of which each edit one requirement — generated once per
// process, or, with REQTRAIL_BENCH_DIR set (internal/benchdir), once there for every later
// process too. Call RemoveBench from TestMain.
func Bench() (*Repo, error) {
	benchOnce.Do(func() {
		// Kept in REQTRAIL_BENCH_DIR, the repository carries its commit list for the next
		// process.
		dir, ok, err := benchdir.Shared("gitrepo", func(dir string) error {
			r, err := Generate(dir, benchOptions)
			if err != nil {
				return err
			}
			data, err := json.Marshal(r)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, ".git", "gitgen.json"), data, 0o644)
		})
		if ok {
			benchKept = true
			if benchErr = err; err != nil {
				return
			}
			data, err := os.ReadFile(filepath.Join(dir, ".git", "gitgen.json"))
			if benchErr = err; err != nil {
				return
			}
			r := &Repo{}
			if benchErr = json.Unmarshal(data, r); benchErr == nil {
				r.Dir = dir
				benchRepo = r
			}
			return
		}
		dir, err = os.MkdirTemp("", "reqtrail-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchRepo, benchErr = Generate(dir, benchOptions)
	})
	return benchRepo, benchErr
}

// RemoveBench deletes the repository Bench made, if any, unless it is kept in
// REQTRAIL_BENCH_DIR.
func RemoveBench() {
	if benchRepo != nil && !benchKept {
		os.RemoveAll(benchRepo.Dir)
	}
}
