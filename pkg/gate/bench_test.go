package gate

import (
	"os"
	"runtime"
	"testing"

	"github.com/reqtrail/reqtrail/internal/benchpair"
	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/internal/gitgen"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// big returns the shared benchmark repository (gitgen.Bench).
func big(b *testing.B) *gitgen.Repo {
	g, err := gitgen.Bench()
	if err != nil {
		b.Fatal(err)
	}
	// Its generation (first use in this process) leaves garbage that would be collected on
	// the clock of whichever benchmark runs first.
	runtime.GC()
	return g
}

func TestMain(m *testing.M) {
	code := m.Run()
	gitgen.RemoveBench()
	os.Exit(code)
}

// BenchmarkLintHead is what `reqtrail lint` costs on the head revision.
func BenchmarkLintHead(b *testing.B) {
	g := big(b)
	cpu0 := cputime.Now()
	defer func() { b.ReportMetric(float64(cputime.Now()-cpu0)/1e6/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		lintHead(b, g)
	}
}

// BenchmarkCheck is `reqtrail check --base HEAD~5`: five changed files (target: at most
// 10 % more than BenchmarkLintHead).
func BenchmarkCheck(b *testing.B) {
	g := big(b)
	cpu0 := cputime.Now()
	defer func() { b.ReportMetric(float64(cputime.Now()-cpu0)/1e6/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		checkHead(b, g)
	}
}

// BenchmarkCheckVsLintHead runs BenchmarkLintHead's and BenchmarkCheck's work alternately,
// one of each per iteration, and reports check's wall time over lint's pair by pair
// (internal/benchpair); target: ratio ≤ 1.10.
func BenchmarkCheckVsLintHead(b *testing.B) {
	g := big(b)
	benchpair.Run(b, func() { lintHead(b, g) }, func() { checkHead(b, g) }).Report(b)
}

// lintHead loads the head revision of g from git and lints it.
func lintHead(b *testing.B, g *gitgen.Repo) {
	r, err := gitrepo.Open(g.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	h, err := r.Resolve("HEAD")
	if err != nil {
		b.Fatal(err)
	}
	fsys, err := r.FS(h, "")
	if err != nil {
		b.Fatal(err)
	}
	head := repo.Load(fsys)
	if ds := lint.Run(head, lint.Options{}); len(head.Records) < 10000 {
		b.Fatalf("%d records, %d findings", len(head.Records), len(ds))
	}
}

// checkHead loads head and the merge base with HEAD~5 from git and checks them.
func checkHead(b *testing.B, g *gitgen.Repo) {
	r, err := gitrepo.Open(g.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	base, err := r.Resolve("HEAD~5")
	if err != nil {
		b.Fatal(err)
	}
	head, err := r.Resolve("HEAD")
	if err != nil {
		b.Fatal(err)
	}
	mb, err := r.MergeBase(base, head)
	if err != nil {
		b.Fatal(err)
	}
	bfs, err := r.FS(mb, "")
	if err != nil {
		b.Fatal(err)
	}
	hfs, err := r.FS(head, "")
	if err != nil {
		b.Fatal(err)
	}
	headRepo := repo.Load(hfs)
	res := Check(repo.LoadWith(bfs, repo.Options{Reuse: headRepo}), headRepo, Options{})
	if len(res.Changes) == 0 || len(res.Changes) > 5 {
		b.Fatalf("%d changes", len(res.Changes))
	}
}
