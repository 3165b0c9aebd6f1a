package lint_test

import (
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestEvaluationMissing judges release times against "now" as evaluation-missing does, and
// never asks for the history when no released requirement declares metrics.
func TestEvaluationMissing(t *testing.T) {
	now := time.Date(2024, 10, 28, 9, 0, 0, 0, time.UTC)
	released := map[string]time.Time{
		"REQ-0001": now.Add(-20 * 24 * time.Hour), // due, no evaluation
		"REQ-0002": now.Add(-10 * 24 * time.Hour), // not due yet
		"REQ-0003": now.Add(-30 * 24 * time.Hour), // evaluated before its release: still due
		"REQ-0004": now.Add(-30 * 24 * time.Hour), // evaluated after its release
	}
	metrics := "metrics: [{name: m, baseline: 5, target: 3}]\n"
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md":         {Data: []byte("---\nid: REQ-0001\ntitle: a\nstatus: released\n" + metrics + "---\n")},
		"reqs/REQ-0002.md":         {Data: []byte("---\nid: REQ-0002\ntitle: b\nstatus: released\n" + metrics + "---\n")},
		"reqs/REQ-0003.md":         {Data: []byte("---\nid: REQ-0003\ntitle: c\nstatus: closed\n" + metrics + "---\n")},
		"reqs/REQ-0004.md":         {Data: []byte("---\nid: REQ-0004\ntitle: d\nstatus: released\n" + metrics + "---\n")},
		"reqs/REQ-0005.md":         {Data: []byte("---\nid: REQ-0005\ntitle: e\nstatus: development\n" + metrics + "---\n")},
		"evaluations/EVAL-0001.md": {Data: []byte("---\nid: EVAL-0001\ntitle: early\ndate: 2024-09-01\nby: x\nrequirements: [REQ-0003]\nverdict: met\n---\n")},
		"evaluations/EVAL-0002.md": {Data: []byte("---\nid: EVAL-0002\ntitle: on time\ndate: 2024-10-20\nby: x\nrequirements: [REQ-0004]\nverdict: met\n---\n")},
		"reqtrail.yaml":            {Data: []byte("rules: {release-unaccepted: off}\n")},
	}
	r := repo.Load(fsys)
	calls := 0
	opts := lint.Options{Releases: func() (func(string) (time.Time, bool), time.Time, bool) {
		calls++
		return func(id string) (time.Time, bool) { at, ok := released[id]; return at, ok }, now, true
	}}
	var got []string
	for _, d := range lint.Run(r, opts) {
		if d.Rule == lint.RuleEvaluationMissing {
			got = append(got, d.ID)
		}
	}
	if len(got) != 2 || got[0] != "REQ-0001" || got[1] != "REQ-0003" {
		t.Errorf("evaluation-missing on %v, want [REQ-0001 REQ-0003]", got)
	}
	if calls != 1 {
		t.Errorf("the history was asked for %d times, want once", calls)
	}

	// No released requirement declares metrics: the history is never read.
	delete(fsys, "reqs/REQ-0001.md")
	for _, id := range []string{"REQ-0002", "REQ-0003", "REQ-0004"} {
		fsys["reqs/"+id+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: x\nstatus: released\n---\n")}
	}
	r = repo.Load(fsys)
	lint.Run(r, lint.Options{Releases: func() (func(string) (time.Time, bool), time.Time, bool) {
		t.Error("the history was read although no released requirement declares metrics")
		return nil, time.Time{}, false
	}})
}

// BenchmarkEvaluationRules lints 10,000 requirements that all declare two metrics, half of
// them released (evaluation-missing asks for their release times), with 5,000 evaluations
// of two results each: the cost of metric-unknown, evaluation-unmet and evaluation-missing
// on top of the rest (compare BenchmarkLint, whose corpus declares no metrics and so never
// reads the history).
func BenchmarkEvaluationRules(b *testing.B) {
	const n = 10000
	now := time.Date(2024, 10, 28, 9, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{"reqtrail.yaml": {Data: []byte("rules: {release-unaccepted: off}\n")}}
	released := map[string]time.Time{}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("REQ-%05d", i)
		status := "development"
		if i%2 == 0 {
			status = "released"
			released[id] = now.Add(-time.Duration(i%40) * 24 * time.Hour)
		}
		fsys["reqs/"+id+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: t\nstatus: " + status +
			"\nmetrics:\n  - {name: latency, unit: s, baseline: 95, target: 30}\n  - {name: csat, unit: \"%\", target: 90, better: higher}\n---\n")}
		if i%2 == 0 {
			e := fmt.Sprintf("EVAL-%05d", i/2)
			fsys["evaluations/"+e+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + e + "\ntitle: e\ndate: 2024-10-20\nby: x\nrequirements: [" + id +
				"]\nresults:\n  - {requirement: " + id + ", metric: latency, actual: 24}\n  - {requirement: " + id + ", metric: csat, actual: 91}\nverdict: met\n---\n")}
		}
	}
	r := repo.Load(fsys)
	opts := lint.Options{Releases: func() (func(string) (time.Time, bool), time.Time, bool) {
		return func(id string) (time.Time, bool) { at, ok := released[id]; return at, ok }, now, true
	}}
	b.ResetTimer()
	start := cputime.Now()
	defer reportCPU(b, start)
	for range b.N {
		lint.Run(r, opts)
	}
}
