package site

import (
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// effectOptions is testOptions with REQ-0014 (IVR, declares metrics, no evaluation)
// released 30 days before "now": its evaluation is overdue.
func effectOptions(r *repo.Repo) Options {
	opts := testOptions(r)
	touch := func(days int, status, action string) gitrepo.Touch {
		t := commitTime.Add(-time.Duration(days) * 24 * time.Hour)
		return gitrepo.Touch{Commit: gitrepo.Commit{Hash: strings.Repeat("e", 40), Author: "Ann Analyst", Date: t, Committed: t, Subject: "IVR"},
			Action: action, Path: r.ByID["REQ-0014"].File, Status: status}
	}
	opts.History.Records["REQ-0014"] = &gitrepo.RecordHistory{ID: "REQ-0014", Touches: []gitrepo.Touch{
		touch(30, "released", gitrepo.Modified), touch(60, "testing", gitrepo.Added)}}
	return opts
}

// TestEffect: the evaluation pages show each result against baseline and target with the
// direction and met or not; requirement pages show their metrics and results; the
// dashboard's Effect card counts met, partly met, not met and overdue.
func TestEffect(t *testing.T) {
	r := loadExample(t)
	f := build(t, r, effectOptions(r))
	ev := file(t, f, "r/EVAL-0001.html")
	for _, want := range []string{"first response median", "lower is better", "higher is better", "✓ met", ">95<", ">30<", ">24<", "REQ-0002.html", "ad hoc"} {
		if !strings.Contains(ev, want) {
			t.Errorf("EVAL-0001 page lacks %q", want)
		}
	}
	ev2 := file(t, f, "r/EVAL-0002.html")
	for _, want := range []string{"坐席工单数最大差异", "✗ not met", "k-partly-met"} {
		if !strings.Contains(ev2, want) {
			t.Errorf("EVAL-0002 page lacks %q", want)
		}
	}
	req := file(t, f, "r/REQ-0002.html")
	for _, want := range []string{`id="rt-effect"`, "EVAL-0001.html", "chat CSAT", ">91<"} {
		if !strings.Contains(req, want) {
			t.Errorf("REQ-0002 page lacks %q", want)
		}
	}
	if ivr := file(t, f, "r/REQ-0014.html"); !strings.Contains(ivr, "The effect evaluation is overdue.") {
		t.Error("REQ-0014 page does not say its evaluation is overdue")
	}
	if other := file(t, f, "r/REQ-0003.html"); strings.Contains(other, `id="rt-effect"`) {
		t.Error("REQ-0003 (no metrics, no evaluation) has an Effect panel")
	}
	idx := file(t, f, "index.html")
	for _, want := range []string{`href="#rt-effect"`, "Effect", "1 partly met · 0 not met · 1 overdue", `id="rt-effect"`, "r/REQ-0014.html"} {
		if !strings.Contains(idx, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}

	r.Config.Site.Lang = "zh-CN"
	f = build(t, r, effectOptions(r))
	idx = file(t, f, "index.html")
	for _, want := range []string{"已发布需求的效果", "部分达成", "逾期"} {
		if !strings.Contains(idx, want) {
			t.Errorf("zh-CN dashboard lacks %q", want)
		}
	}
	ev = file(t, f, "r/EVAL-0001.html")
	for _, want := range []string{"越低越好", "越高越好", "达成", "基线", "目标", "实际"} {
		if !strings.Contains(ev, want) {
			t.Errorf("zh-CN EVAL-0001 page lacks %q", want)
		}
	}
}
