package site

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// TestSuspectLinksAndResults: a pinned parent whose target changed meaning shows as a suspect
// badge on the record page and in the matrix and is counted by the dashboard's "Suspect
// links" card; the parent's impact panel lists the child; test results show on the record
// page and in the matrix with their status and time (SPEC §11, issue 13).
func TestSuspectLinksAndResults(t *testing.T) {
	f := suspectResultsSite(t)
	collapse := func(s string) string { return regexp.MustCompile(`\s+`).ReplaceAllString(s, " ") }

	index := collapse(file(t, f, "index.html"))
	if !strings.Contains(index, `<span class="card-label">Suspect links</span><span class="card-value">1</span>`) {
		t.Error("the dashboard's Suspect links card does not count 1")
	}
	if sec := between(index, `id="rt-suspect"`, "</section>"); !strings.Contains(sec, `href="r/REQ-0002.html"`) || strings.Contains(sec, "REQ-0003") {
		t.Errorf("the dashboard's suspect section lists other than REQ-0002: %s", sec)
	}

	page := collapse(file(t, f, "r/REQ-0002.html"))
	if parent := between(page, "<dt>Parent</dt>", "</dd>"); !strings.Contains(parent, "REQ-0001") || !strings.Contains(parent, `class="badge stale suspect">suspect</span>`) {
		t.Errorf("REQ-0002's parent has no suspect badge: %s", parent)
	}
	if res := between(page, `id="rt-results"`, "</section>"); !strings.Contains(res, "<code>Test_REQ_0002_median</code>") ||
		!strings.Contains(res, `<span class="badge k-failed">failed</span>`) || !strings.Contains(res, "1.25 s") {
		t.Errorf("REQ-0002's test results: %s", res)
	}
	if strings.Contains(collapse(file(t, f, "r/REQ-0003.html")), "badge stale suspect") {
		t.Error("REQ-0003's unpinned link is shown as suspect")
	}
	if impact := between(collapse(file(t, f, "r/REQ-0001.html")), `id="rt-impact"`, "</section>"); !strings.Contains(impact, `href="REQ-0002.html"`) || !strings.Contains(impact, `href="REQ-0003.html"`) {
		t.Errorf("REQ-0001's impact panel does not list REQ-0002 and REQ-0003: %s", impact)
	}

	matrix := collapse(file(t, f, "matrix.html"))
	row := between(matrix, `<tr><td><a class="ref" href="r/REQ-0002.html"`, "</tr>")
	if !strings.Contains(row, "suspect</span>") || !strings.Contains(row, "failed") || !strings.Contains(row, "Test_REQ_0002_median") || !strings.Contains(row, "1.25 s") {
		t.Errorf("the matrix row of REQ-0002 lacks the suspect badge or its result: %s", row)
	}
	if row := between(matrix, `<tr><td><a class="ref" href="r/REQ-0003.html"`, "</tr>"); strings.Contains(row, "suspect</span>") || !strings.Contains(row, "skipped") {
		t.Errorf("the matrix row of REQ-0003: %s", row)
	}
}

// suspectResultsSite builds the site of a project with a suspect link and test results.
func suspectResultsSite(t *testing.T) *Files {
	old := record.Fingerprint("Chat requests get a first response", nil, "Agents answer chat requests.\n")
	r := repo.Load(fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: Chat requests get a first response\n---\nAgents answer chat and app requests.\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: First response within 30 seconds\nparent: {id: REQ-0001, fingerprint: " + old + "}\n---\n")},
		"reqs/REQ-0003.md": {Data: []byte("---\nid: REQ-0003\ntitle: Unpinned dependant\nlinks:\n  - {type: depends-on, to: REQ-0001}\n---\n")},
		// For the matrix and the roadmap goldens: dates and releases, a stale and a
		// superseded acceptance, and more cited files than a matrix cell lists.
		"reqtrail.yaml":          {Data: []byte("trace:\n  - {path: src, role: impl}\n  - {path: tests, role: test}\n")},
		"reqs/REQ-0004.md":       {Data: []byte("---\nid: REQ-0004\ntitle: Queue <position> & wait\nstatus: released\nrelease: \"2.0 <beta>\"\nstart: 2024-03-01\ndue: 2024-04-15\nowner: Dana & Lee\n---\n")},
		"reqs/REQ-0005.md":       {Data: []byte("---\nid: REQ-0005\ntitle: Undated\nstatus: approved\nrelease: \"2.0 <beta>\"\n---\n")},
		"acceptance/ACC-0001.md": {Data: []byte("---\nid: ACC-0001\ntitle: Old acceptance\nverdict: accepted\ndate: 2024-01-02\naccepted-by: Northwind\nrequirements:\n  - {id: REQ-0001, fingerprint: " + old + "}\n---\n")},
		"acceptance/ACC-0002.md": {Data: []byte("---\nid: ACC-0002\ntitle: First try\nverdict: rejected\ndate: 2024-04-01\naccepted-by: Northwind\nrequirements:\n  - {id: REQ-0004}\n---\n")},
		"acceptance/ACC-0003.md": {Data: []byte("---\nid: ACC-0003\ntitle: Second try\nverdict: accepted\ndate: 2024-04-20\naccepted-by: Northwind\nrequirements:\n  - {id: REQ-0004}\n---\n")},
		"src/a.go":               {Data: []byte("package q // implements REQ-0004\n")},
		"src/b.go":               {Data: []byte("package q // implements REQ-0004\n")},
		"src/c.go":               {Data: []byte("package q // implements REQ-0004\n")},
		"src/d.go":               {Data: []byte("package q // implements REQ-0004\n")},
		"tests/q_test.go":        {Data: []byte("package q // verifies REQ-0004, REQ-0004\n")},
	})
	g := graph.Load(r)
	g.ApplyResults(map[string][]results.Result{
		"REQ-0002": {{Name: "Test_REQ_0002_median", File: "tests/chat_test.go", Status: results.Failed, Time: 1.25}},
		"REQ-0003": {{Name: "test_queue", File: "tests/test_queue.py", Status: results.Skipped}},
	})
	opts := testOptions(r)
	opts.Graph = g
	return build(t, r, opts)
}

// between returns the text of s after the first from up to the next to ("" when absent).
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
