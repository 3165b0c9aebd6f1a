package lint

import (
	"strconv"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// kindWord names a kind of record in a message ("change request" for change).
func kindWord(k record.Kind) string {
	if k == record.ChangeKind {
		return "change request"
	}
	return string(k)
}

// declared returns the metric a result names on its requirement, and the requirement; nil
// for an ad-hoc result or an unknown requirement.
func declared(p *Pass, res record.Result) (*record.Metric, *record.Record) {
	if res.Requirement == "" {
		return nil, nil
	}
	req := p.Repo.Requirement(res.Requirement)
	if req == nil || req.Req == nil {
		return nil, nil
	}
	return req.Req.MetricNamed(res.Name), req
}

// checkMetricDirection reports, as schema findings, metrics and results whose better
// direction cannot be told: the schema requires better when baseline is absent; this is the
// other half, a baseline equal to the target (SPEC §3).
func checkMetricDirection(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		for i, m := range rec.Req.Metrics {
			if m.Target != nil && m.Baseline != nil && m.Direction() == "" {
				ds = append(ds, Report(rec, rec.KeyRange("metrics", strconv.Itoa(i)), "metrics[%d] (%s): baseline equals target, so say which direction is better: better: higher or better: lower", i, m.Name))
			}
		}
	}
	for _, rec := range p.Repo.Parsed(record.EvaluationKind) {
		for i, res := range rec.Eval.Results {
			d, _ := declared(p, res)
			if m := res.Against(d); res.Target != nil && m.Direction() == "" {
				ds = append(ds, Report(rec, rec.KeyRange("results", strconv.Itoa(i)), "results[%d] (%s) has a target but no direction: add better: higher or better: lower (required when baseline is absent or equal to target)", i, res.Name))
			}
		}
	}
	return ds
}

func checkMetricUnknown(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.EvaluationKind) {
		for i, res := range rec.Eval.Results {
			d, req := declared(p, res)
			if req == nil || d != nil || res.Target != nil || res.Name == "" {
				continue
			}
			names := make([]string, 0, len(req.Req.Metrics))
			for _, m := range req.Req.Metrics {
				names = append(names, strconv.Quote(m.Name))
			}
			known := "it declares no metrics"
			if len(names) > 0 {
				known = "it declares " + strings.Join(names, ", ")
			}
			ds = append(ds, Report(rec, rec.RangeOf("results", strconv.Itoa(i), "metric"), "results[%d] names metric %q, which %s does not declare (%s); name one of them, or give the result its own target", i, res.Name, req.ID, known))
		}
	}
	return ds
}

// formatNumber writes a metric value as people write it: 30, 4.2.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func checkEvaluationUnmet(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.EvaluationKind) {
		if rec.Eval.Verdict != "met" {
			continue
		}
		for i, res := range rec.Eval.Results {
			d, _ := declared(p, res)
			judged, met := res.Judge(d)
			if !judged || met {
				continue
			}
			m := res.Against(d)
			unit := ""
			if m.Unit != "" {
				unit = " " + m.Unit
			}
			ds = append(ds, Report(rec, rec.RangeOf("results", strconv.Itoa(i), "actual"),
				"verdict is met but %q misses its target: actual %s%s, target %s%s, %s is better; use verdict partly-met or not-met",
				res.Name, formatNumber(*res.Actual), unit, formatNumber(*m.Target), unit, m.Direction()))
		}
	}
	return ds
}

// checkEvaluationMissing reports released requirements with metrics and no evaluation dated
// on or after their release once evaluation.after days have passed. It asks for the git
// history (Options.Releases) only when such a requirement exists.
func checkEvaluationMissing(p *Pass) []diag.Diagnostic {
	var due []*record.Record
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		if len(rec.Req.Metrics) > 0 && vocab.IsReleased(rec.Req.Status) && rec.ID != "" {
			due = append(due, rec)
		}
	}
	if len(due) == 0 || p.releases == nil {
		return nil
	}
	released, now, ok := p.releases()
	if !ok {
		return nil
	}
	after := time.Duration(p.Repo.Config.EvaluationAfter) * 24 * time.Hour
	// The latest evaluation date of each requirement.
	latest := map[string]string{}
	for _, e := range p.Repo.Parsed(record.EvaluationKind) {
		if !isDate(e.Eval.Date) {
			continue
		}
		for _, id := range e.Eval.Requirements {
			if e.Eval.Date > latest[id] {
				latest[id] = e.Eval.Date
			}
		}
	}
	var ds []diag.Diagnostic
	for _, rec := range due {
		at, found := released(rec.ID)
		if !found || now.Sub(at) <= after {
			continue
		}
		day := at.Format(time.DateOnly)
		if latest[rec.ID] >= day {
			continue
		}
		ds = append(ds, Report(rec, rec.RangeOf("status"), "released on %s (%d days before now) and no effect evaluation lists it since; evaluations are due %d days after release: reqtrail evaluate %s --by NAME",
			day, int(now.Sub(at)/(24*time.Hour)), p.Repo.Config.EvaluationAfter, rec.ID))
	}
	return ds
}
