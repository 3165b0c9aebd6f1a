package lint_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestTraceRulesNeedTrace(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: t\nstatus: testing\n---\n")},
		"src/a.go":         {Data: []byte("// REQ-0002\n")},
	}
	r := repo.Load(fsys)
	for _, opts := range []lint.Options{{}, {Graph: graph.Load(r)}} {
		if ds := lint.Run(r, opts); len(ds) != 0 {
			t.Errorf("without trace: %v", ds)
		}
	}
	fsys["reqtrail.yaml"] = &fstest.MapFile{Data: []byte("trace: [{path: src}]\nrules: {citation-unknown: error}\n")}
	r = repo.Load(fsys)
	var got []string
	for _, d := range lint.Run(r, lint.Options{}) { // the graph is built when a rule needs it
		got = append(got, d.String())
	}
	var supplied []string
	for _, d := range lint.Run(r, lint.Options{Graph: graph.Load(r)}) {
		supplied = append(supplied, d.String())
	}
	if !slices.Equal(got, supplied) {
		t.Errorf("a supplied graph gives %q, the lazily built one %q", supplied, got)
	}
	want := []string{
		"reqs/REQ-0001.md:4:9: warning: requirement is testing and verified by test, but no test cites REQ-0001; name it in a test (e.g. func Test_REQ_0001_…) under a trace: path with role test [requirement-untested]",
		"src/a.go:1:4: error: cites REQ-0002, which names no requirement [citation-unknown]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestTraceRulesOrder(t *testing.T) {
	var ids []string
	for _, r := range lint.Rules() {
		ids = append(ids, r.ID)
	}
	i := slices.Index(ids, "acceptance-unmet")
	want := []string{"acceptance-unmet", "requirement-untested", "citation-unknown", "link-suspect", "link-unpinned", "metric-unknown", "evaluation-unmet", "evaluation-missing", "untraced-change"}
	if i < 0 || i+len(want) > len(ids) || !slices.Equal(ids[i:i+len(want)], want) {
		t.Errorf("rule order %v", ids)
	}
}
