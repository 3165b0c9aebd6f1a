package site

import (
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// The effect evaluation views (SPEC §3 Evaluation): an evaluation's page, the results on
// each requirement's page and the dashboard's Effect card.

// resultView is one evaluation result against its baseline and target.
type resultView struct {
	Eval     ref
	Req      ref
	Metric   string
	Unit     string
	Baseline string
	Target   string
	Actual   string
	// Better is "higher is better", "lower is better" or "" when it cannot be told.
	Better string
	// State is "met", "not met" or "not judged" (no actual, target or direction).
	State string
}

// metricView is one of a requirement's metrics.
type metricView struct {
	Name, Unit, Baseline, Target, Better string
}

type evalView struct {
	Ref          ref
	Verdict      string
	Date         string
	By           string
	Period       string
	Reqs         []ref
	Results      []resultView
	FollowUp     []ref
	Rec          *record.Record // the body and fields panel are written from it
	History      []historyRow
	HasGit       bool
	File         string
	FileHref     string
	AnyUnmet     bool
	VerdictIsMet bool
}

// effectView is the Effect panel of a requirement page: its metrics and the results of the
// evaluations that list it, latest evaluation first.
type effectView struct {
	Metrics []metricView
	Evals   []evalSummary
	Results []resultView
	Overdue string // the evaluation-missing message, "" when not overdue
}

type evalSummary struct {
	Ref     ref
	Verdict string
	Date    string
}

func number(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func (b *builder) betterLabel(dir string) string {
	switch dir {
	case "higher":
		return b.t("higher is better")
	case "lower":
		return b.t("lower is better")
	}
	return ""
}

// resultsOf returns the results of evaluation ev, each judged (SPEC §3), from root ("" or
// "../").
func (b *builder) resultsOf(root string, ev *record.Record, only string) []resultView {
	var out []resultView
	for _, res := range ev.Eval.Results {
		if only != "" && res.Requirement != only {
			continue
		}
		var declared *record.Metric
		if q := b.r.Requirement(res.Requirement); q != nil && q.Req != nil {
			declared = q.Req.MetricNamed(res.Name)
		}
		m := res.Against(declared)
		rv := resultView{Eval: b.ref(root, ev.ID), Metric: res.Name, Unit: m.Unit, Baseline: number(m.Baseline), Target: number(m.Target),
			Actual: number(res.Actual), Better: b.betterLabel(m.Direction()), State: "not judged"}
		if res.Requirement != "" {
			rv.Req = b.ref(root, res.Requirement)
		}
		if judged, met := res.Judge(declared); judged {
			rv.State = "not met"
			if met {
				rv.State = "met"
			}
		}
		out = append(out, rv)
	}
	return out
}

func (b *builder) evaluationPage(rec *record.Record, hist []historyRow, fileHref string) ([]byte, error) {
	e := rec.Eval
	v := &evalView{
		Ref: b.refFromRecord(rec.ID), Verdict: e.Verdict, Date: e.Date, By: e.By, Rec: rec,
		Reqs: b.refsFromRecord(uniq(e.Requirements)), FollowUp: b.refsFromRecord(uniq(e.FollowUp)),
		History: hist, HasGit: b.opts.History != nil, File: rec.File, FileHref: fileHref,
		Results: b.resultsOf(recRoot, rec, ""), VerdictIsMet: e.Verdict == "met",
	}
	if e.From != "" || e.To != "" {
		v.Period = strings.TrimSpace(e.From + " – " + e.To)
	}
	for _, r := range v.Results {
		v.AnyUnmet = v.AnyUnmet || r.State == "not met"
	}
	return b.execute("evaluation", b.newPage(rec.ID+" "+rec.Title, "effect", recRoot, "r/"+b.pages[rec.ID], v))
}

// evaluationsOf returns the evaluations that list requirement id, oldest first (by date,
// then id): the last one is the latest word on its effect.
func (b *builder) evaluationsOf(id string) []*record.Record { return b.evalsOf[id] }

// overdueEvaluations maps each requirement whose effect evaluation is overdue to the
// evaluation-missing finding's message.
func (b *builder) overdueEvaluations() map[string]string {
	out := map[string]string{}
	for _, d := range b.diags {
		if d.Rule == lint.RuleEvaluationMissing && d.ID != "" {
			out[d.ID] = d.Message
		}
	}
	return out
}

// effectOf is the Effect panel of requirement rec, nil when it declares no metrics and no
// evaluation lists it.
func (b *builder) effectOf(rec *record.Record) *effectView {
	evals := b.evaluationsOf(rec.ID)
	if len(rec.Req.Metrics) == 0 && len(evals) == 0 {
		return nil
	}
	v := &effectView{Overdue: b.overdue[rec.ID]}
	for _, m := range rec.Req.Metrics {
		v.Metrics = append(v.Metrics, metricView{Name: m.Name, Unit: m.Unit, Baseline: number(m.Baseline), Target: number(m.Target), Better: b.betterLabel(m.Direction())})
	}
	for i := len(evals) - 1; i >= 0; i-- {
		ev := evals[i]
		v.Evals = append(v.Evals, evalSummary{Ref: b.ref(recRoot, ev.ID), Verdict: ev.Eval.Verdict, Date: ev.Eval.Date})
		v.Results = append(v.Results, b.resultsOf(recRoot, ev, rec.ID)...)
	}
	return v
}

// effectRow is one requirement on the dashboard's Effect panel.
type effectRow struct {
	Req     ref
	State   string // met, partly-met, not-met or overdue
	Eval    ref
	Date    string
	Overdue string
}

// effectSummary counts the requirements by the verdict of the latest evaluation that lists
// them, and those whose evaluation is overdue (evaluation-missing).
func (b *builder) effectSummary() (rows []effectRow, counts map[string]int) {
	counts = map[string]int{"met": 0, "partly-met": 0, "not-met": 0, "overdue": 0}
	for _, rec := range b.reqs {
		if msg, ok := b.overdue[rec.ID]; ok {
			counts["overdue"]++
			rows = append(rows, effectRow{Req: b.ref("", rec.ID), State: "overdue", Overdue: msg})
			continue
		}
		evals := b.evaluationsOf(rec.ID)
		if len(evals) == 0 {
			continue
		}
		last := evals[len(evals)-1]
		if _, known := counts[last.Eval.Verdict]; !known {
			continue
		}
		counts[last.Eval.Verdict]++
		rows = append(rows, effectRow{Req: b.ref("", rec.ID), State: last.Eval.Verdict, Eval: b.ref("", last.ID), Date: last.Eval.Date})
	}
	return rows, counts
}

// zhEffect is the Chinese text of the effect evaluation views, merged into zh.
var zhEffect = map[string]string{
	"Effect":                            "效果",
	"Evaluation":                        "效果评估",
	"Evaluations":                       "效果评估",
	"Evaluation record":                 "效果评估记录",
	"Evaluated by":                      "评估人",
	"Period":                            "统计周期",
	"Follow-up":                         "后续变更请求",
	"Results":                           "结果",
	"Metric":                            "指标",
	"Metrics":                           "效果指标",
	"Target":                            "目标",
	"Direction":                         "方向",
	"Actual":                            "实际",
	"higher is better":                  "越高越好",
	"lower is better":                   "越低越好",
	"not judged":                        "未判定",
	"ad hoc":                            "临时指标",
	"No results recorded.":              "没有记录结果。",
	"The effect evaluation is overdue.": "效果评估已逾期。",
	"No evaluation yet.":                "尚无效果评估。",
	"no verdict yet":                    "尚无结论",
	"The verdict is met, but a result misses its target.": "结论为达成，但有结果未达到目标。",
	"partly-met":                      "部分达成",
	"not-met":                         "未达成",
	"overdue":                         "逾期",
	"partly met":                      "部分达成",
	"Effect of released requirements": "已发布需求的效果",
	"The latest effect evaluation of each requirement; overdue: released more than the evaluation period ago with no evaluation since.": "每个需求最新的效果评估；逾期：发布已超过评估期限且此后没有效果评估。",
	"No requirement has an effect evaluation or is overdue.":                                                                            "没有需求有效果评估或逾期。",
	"Evaluation date": "评估日期",
}

func init() {
	for k, v := range zhEffect {
		if _, ok := zh[k]; !ok {
			zh[k] = v
		}
	}
}
