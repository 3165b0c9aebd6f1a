package site

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestFeedbackPages: the example's feedback has pages; a requirement page shows its demand
// and its customers' words; the pool lists untriaged feedback oldest first, aged from the
// site's "now" (the commit time), and is in the navigation and on the dashboard.
func TestFeedbackPages(t *testing.T) {
	r := loadExample(t)
	opts := testOptions(r)
	f := build(t, r, opts)
	for _, id := range []string{"FB-0001", "FB-0008"} {
		if !strings.Contains(file(t, f, "r/"+id+".html"), `<span class="rid">`+id+`</span>`) {
			t.Errorf("no page for %s", id)
		}
	}
	if p := file(t, f, "r/FB-0008.html"); !strings.Contains(p, "waits in the requirement pool") {
		t.Error("the untriaged FB-0008 page does not say it is in the pool")
	}
	if p := file(t, f, "r/FB-0001.html"); !strings.Contains(p, `href="REQ-0034.html"`) {
		t.Error("FB-0001 does not link the requirements it supports")
	}
	req := file(t, f, "r/REQ-0034.html")
	for _, want := range []string{`Demand: 3</a>`, `id="rt-feedback"`, "Northwind Bank, Fabrikam Insurance, 蓝海物流",
		"司机在路上遇到问题时", `href="FB-0003.html"`} {
		if !strings.Contains(req, want) {
			t.Errorf("REQ-0034 page lacks %q", want)
		}
	}
	pool := file(t, f, "pool.html")
	rows := regexp.MustCompile(`<tr><td><a class="ref" href="r/(FB-\d+)\.html"[^\n]*?<td class="num">(\d+)</td>`).FindAllStringSubmatch(pool, -1)
	var ids []string
	for _, m := range rows {
		ids = append(ids, m[1])
	}
	if want := []string{"FB-0008", "FB-0009", "FB-0010"}; !slices.Equal(ids, want) {
		t.Fatalf("pool lists %v, want %v oldest first", ids, want)
	}
	// FB-0008 is dated 2024-09-18; "now" is the commit time.
	want := int(opts.Source.Time.Sub(time.Date(2024, 9, 18, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	if rows[0][2] != itoa(want) {
		t.Errorf("FB-0008 is %s days old, want %d", rows[0][2], want)
	}
	if !strings.Contains(file(t, f, "index.html"), `href="pool.html"`) {
		t.Error("no link to the pool from the dashboard")
	}
	// Searching a customer's words finds the requirement they support.
	terms := file(t, f, "data/search.js")
	if !strings.Contains(terms, `"adjusters"`) {
		t.Error("the search index lacks the words of REQ-0034's feedback")
	}
	// Without a "now" (no git), ages are not shown.
	opts.Source.Time = time.Time{}
	if p := file(t, build(t, r, opts), "pool.html"); !strings.Contains(p, `<td class="num">—</td>`) {
		t.Error("without a commit time the pool still shows ages")
	}
}

// TestPoolEmpty: a project without feedback has an empty pool page and no pool card.
func TestPoolEmpty(t *testing.T) {
	r := repo.Load(xssRepoWithout("feedback/"))
	f := build(t, r, testOptions(r))
	if !strings.Contains(file(t, f, "pool.html"), "The pool is empty") {
		t.Error("empty pool page")
	}
	if strings.Contains(file(t, f, "index.html"), `class="card tone-warn" href="pool.html"`) {
		t.Error("a pool card without feedback")
	}
}
