package cli

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/internal/benchpair"
	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/internal/gitgen"
)

// benchCheckout returns the shared benchmark repository (10,000 requirements, 5,000 commits)
// with its last commit checked out, as CI's clone has it.
func benchCheckout(b *testing.B) string {
	g, err := gitgen.Bench()
	if err != nil {
		b.Fatal(err)
	}
	if err := g.Checkout(); err != nil {
		b.Fatal(err)
	}
	return g.Dir
}

// benchCommand runs reqtrail in-process in dir, as the command line would: with the record
// cache in a folder of its own when warm (filled by one run first), without it when cold.
func benchCommand(b *testing.B, warm bool, args ...string) {
	dir := benchCheckout(b)
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	run := commandRunner(b, dir, warm, args...)
	if warm {
		run()
	}
	// The repository's generation (first use in this process) leaves garbage that would be
	// collected on the clock of whichever benchmark runs first.
	runtime.GC()
	b.ResetTimer()
	cpu0 := cputime.Now()
	for range b.N {
		run()
	}
	b.ReportMetric((cputime.Now()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// commandRunner returns a function running `reqtrail -C dir args…` in-process, with the
// record cache under XDG_CACHE_HOME (the caller's to set) when warm and REQTRAIL_NO_CACHE=1
// when cold.
func commandRunner(b *testing.B, dir string, warm bool, args ...string) func() {
	getenv := func(k string) string {
		if k == "REQTRAIL_NO_CACHE" && !warm {
			return "1"
		}
		return ""
	}
	return func() {
		var out, errb bytes.Buffer
		app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv}
		if code := app.Run(append([]string{"-C", dir}, args...)); code > 1 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// benchPaired runs `reqtrail lint` and `reqtrail check --base HEAD~5` alternately in the
// checked-out benchmark repository, one of each per iteration, and reports the ratio of
// check's wall time to lint's pair by pair (internal/benchpair); target: ratio ≤ 1.10.
func benchPaired(b *testing.B, warm bool) {
	dir := benchCheckout(b)
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	lint := commandRunner(b, dir, warm, "lint")
	check := commandRunner(b, dir, warm, "check", "--base", "HEAD~5")
	runtime.GC()
	benchpair.Run(b, lint, check).Report(b)
}

// BenchmarkCheckVsLint is check against lint, paired, with no record cache.
func BenchmarkCheckVsLint(b *testing.B) { benchPaired(b, false) }

// BenchmarkCheckVsLintWarm is check against lint, paired, with the record cache warm (both
// fill it in the untimed first pair).
func BenchmarkCheckVsLintWarm(b *testing.B) { benchPaired(b, true) }

// BenchmarkLintWorkTree is `reqtrail lint` of the checked-out benchmark repository.
func BenchmarkLintWorkTree(b *testing.B) { benchCommand(b, false, "lint") }

// BenchmarkLintWorkTreeWarm is the same with the record cache warm.
func BenchmarkLintWorkTreeWarm(b *testing.B) { benchCommand(b, true, "lint") }

// BenchmarkCheckCLI is `reqtrail check --base HEAD~5` there (five changed files); target: at
// most 10 % more than BenchmarkLintWorkTree.
func BenchmarkCheckCLI(b *testing.B) { benchCommand(b, false, "check", "--base", "HEAD~5") }

// BenchmarkCheckCLIWarm is check with the record cache warm, against BenchmarkLintWorkTreeWarm.
func BenchmarkCheckCLIWarm(b *testing.B) { benchCommand(b, true, "check", "--base", "HEAD~5") }

// BenchmarkRankCLI is `reqtrail rank` there: no requirement of that repository waits for a
// response, so rank reads no history.
func BenchmarkRankCLI(b *testing.B) { benchCommand(b, false, "rank") }

// BenchmarkRankWalkCLI is what rank does when some requirement waits for a response: the
// load of the work tree, then the walk of the history for first-commit times, as rankRun
// does them.
func BenchmarkRankWalkCLI(b *testing.B) {
	dir := benchCheckout(b)
	b.Setenv("REQTRAIL_NO_CACHE", "1")
	b.ResetTimer()
	cpu0 := cputime.Now()
	for range b.N {
		app := &App{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(k string) string {
			if k == "REQTRAIL_NO_CACHE" {
				return "1"
			}
			return ""
		}}
		r, root, _, err := app.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if created := createdFromGit(r, root); created == nil {
			b.Fatal("no history")
		} else if _, ok := created("REQ-00001"); !ok {
			b.Fatal("REQ-00001 has no first commit")
		}
	}
	b.ReportMetric((cputime.Now()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
