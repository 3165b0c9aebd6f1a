package lint

import (
	"slices"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// untestedStatuses are the statuses in which a requirement verified by test must be cited
// by a test.
var untestedStatuses = vocab.Requirement.From("testing")

func checkRequirementUntested(p *Pass) []diag.Diagnostic {
	if len(p.Repo.Config.Trace) == 0 {
		return nil // nothing is traced: no test can cite anything
	}
	g := p.Graph()
	var ds []diag.Diagnostic
	for _, n := range g.Nodes {
		q := n.Record.Req
		if !slices.Contains(untestedStatuses, q.Status) || (q.Verification != "" && q.Verification != "test") || g.Ran(n) {
			continue
		}
		if g.HasResults {
			ds = append(ds, Report(n.Record, n.Record.RangeOf("status"),
				"requirement is %s and verified by test, but no test case that ran verifies %s (the test results give none that passed or failed)",
				q.Status, n.ID))
			continue
		}
		ds = append(ds, Report(n.Record, n.Record.RangeOf("status"),
			"requirement is %s and verified by test, but no test cites %s; name it in a test (e.g. func Test_%s_…) under a trace: path with role test",
			q.Status, n.ID, underscore(n.ID)))
	}
	return ds
}

func underscore(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

func checkCitationUnknown(p *Pass) []diag.Diagnostic {
	if len(p.Repo.Config.Trace) == 0 {
		return nil
	}
	g := p.Graph()
	ds := make([]diag.Diagnostic, 0, len(g.Unknown))
	for _, c := range g.Unknown {
		ds = append(ds, diag.Diagnostic{Range: c.Range, Message: "cites " + c.ID + ", which names no requirement"})
	}
	return ds
}
