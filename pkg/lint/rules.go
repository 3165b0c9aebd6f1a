package lint

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

func init() {
	for _, r := range []*Rule{
		{ID: RuleParse, Severity: diag.Error, Fix: "Make the file a `---` line, YAML front matter, a closing `---` line and the Markdown body, in UTF-8, under 1 MiB, with no anchors, aliases or duplicate keys.", Doc: "a file cannot be read as front matter + Markdown (bad YAML, missing ---, not UTF-8, symbolic link, over 1 MiB)"},
		{ID: RuleSchema, Severity: diag.Error, Check: checkMetricDirection, Fix: "Correct the value at that line to what the schema allows (the message lists the allowed values), or declare an extra key under `fields:` in reqtrail.yaml.", Doc: "the front matter breaks the JSON Schema (wrong type, unknown enum value, missing id/title, unknown key)"},
		{ID: RuleIDFormat, Severity: diag.Error, Fix: "Use the kind's prefix and zero-padded number, e.g. REQ-0042 (`reqtrail new` picks the next free id).", Doc: "the id does not match the kind's prefix and digits", Check: checkIDFormat},
		{ID: RuleIDFilename, Severity: diag.Error, Fix: "Rename the file to `<id>.md` or change the id to match the file name.", Doc: "the file name is not <id>.md (or .yaml/.yml)", Check: checkIDFilename},
		{ID: RuleIDDuplicate, Severity: diag.Error, Fix: "Give one of the records a new id (`reqtrail new` picks the next free one, across branches).", Doc: "two files declare the same id (reported on each)", Check: checkIDDuplicate},
		{ID: RuleRefUnknown, Severity: diag.Error, Fix: "Point the reference at an existing requirement id, or add that requirement.", Doc: "parent, links[].to, affects, requirements[].id, criteria[].requirement, a feedback's or evaluation's requirements, a result's requirement or an evaluation's follow-up names an id that does not exist or is of the wrong kind", Check: checkRefUnknown},
		{ID: RuleRefSelf, Severity: diag.Error, Fix: "Remove the reference to the record itself.", Doc: "a record refers to itself", Check: checkRefSelf},
		{ID: RuleParentCycle, Severity: diag.Error, Fix: "Change one `parent` in the cycle so that the hierarchy has a top.", Doc: "following parent returns to the start", Check: checkParentCycle},
		{ID: RuleChangeDecision, Severity: diag.Error, Fix: "Add `decision: {by: …, date: YYYY-MM-DD, note: …}`, or set the status back to proposed or assessing.", Doc: "a change request in status approved/rejected/implemented/closed has no decision with by and date", Check: checkChangeDecision},
		{ID: RuleReleaseUnaccepted, Severity: diag.Error, Fix: "Have the customer accept the requirement (`reqtrail accept ID --by NAME`); after a change, a new acceptance supersedes the old one (`reqtrail accept --again ACC-… --by NAME`).", Doc: "a requirement in status released or closed whose acceptance that counts (the latest by date, then id number) is missing, not accepted, or stale", Check: checkReleaseUnaccepted},
		{ID: RuleAcceptanceStale, Severity: diag.Warning, Fix: "Have the customer re-check the changed requirement, then record a new acceptance that supersedes the old one: `reqtrail accept --again ACC-… --by NAME` (the old record stays as history).", Doc: "the acceptance that counts for a requirement records a fingerprint that differs from the requirement's current one (superseded acceptances are history, never stale)", Check: checkAcceptanceStale},
		{ID: RuleAcceptanceFingerprint, Severity: diag.Error, Fix: "Add the requirement's `fingerprint:` as the customer accepted it (`reqtrail fingerprint ID` prints the current one).", Doc: "an acceptance entry has no fingerprint", Check: checkAcceptanceFingerprint},
		{ID: RuleDatesOrder, Severity: diag.Error, Fix: "Move `due` after `start`, or `start` before `due`.", Doc: "due is before start", Check: checkDatesOrder},
		{ID: RuleAcceptanceUnmet, Severity: diag.Error, Fix: "Use verdict `conditional` or `rejected`, or record the criterion as met once it is.", Doc: "an acceptance with verdict accepted lists a criterion with met: false", Check: checkAcceptanceUnmet},
		{ID: RuleRequirementUntested, Severity: diag.Warning, Fix: "Cite the requirement id in a test under a `trace:` path with role test, or set `verification` to how it is verified instead.", Doc: "a requirement in status testing, released or closed whose verification is test or unset has no test citation (only when trace: is configured)", Check: checkRequirementUntested},
		{ID: RuleCitationUnknown, Severity: diag.Warning, Fix: "Correct the id in the code or test, or add the requirement it means.", Doc: "code or a test cites a well-formed id that names no requirement (at that file and line)", Check: checkCitationUnknown},
		{ID: RuleLinkSuspect, Severity: diag.Warning, Fix: "Review the requirement against the changed parent or linked requirement, update it if needed, then `reqtrail review ID` re-pins the link.", Doc: "a pinned parent or link's fingerprint differs from the target's current fingerprint: the target changed meaning since this requirement was reviewed against it", Check: checkLinkSuspect},
		{ID: RuleLinkUnpinned, Severity: diag.Off, SeverityFor: linkUnpinnedSeverity, Fix: "Pin it: `reqtrail review --pin ID` writes the targets' current fingerprints.", Doc: "a parent or link carries no fingerprint (warning with pin-links: true in reqtrail.yaml, or when rules: sets it; off otherwise)", Check: checkLinkUnpinned},
		{ID: RuleMetricUnknown, Severity: diag.Error, Fix: "Name one of the requirement's `metrics` (`reqtrail evaluate ID --by NAME` writes them all), or give the result its own `target` (and `better`).", Doc: "an evaluation result names a metric that its requirement does not declare and copies no target of its own", Check: checkMetricUnknown},
		{ID: RuleEvaluationUnmet, Severity: diag.Error, Fix: "Use verdict `partly-met` or `not-met`; targets are not moved after the fact.", Doc: "an evaluation with verdict met has a result that misses its target (in the metric's better direction)", Check: checkEvaluationUnmet},
		{ID: RuleEvaluationMissing, Severity: diag.Warning, Fix: "Measure the requirement's metrics and record the effect evaluation: `reqtrail evaluate ID --by NAME`, then fill in each result's `actual` and the `verdict`.", Doc: "a requirement that declares metrics was released more than evaluation.after days (default 14) before now and no evaluation dated on or after the release lists it (release time from git; silent without git)", Check: checkEvaluationMissing},
	} {
		Register(r)
	}
}

// The rules only `check` evaluates are listed here so they can be documented and configured.
func init() {
	Register(&Rule{ID: RuleUntracedChange, Severity: diag.Error, Gate: true, Doc: "(check only) a requirement, change request or acceptance changed without an authorising change request",
		Fix: "Reference a change request that lists the record in `affects`, approved in an earlier pull request, and move it to `implemented` in this one; or revert the change. Decided change requests and acceptance records are never edited: raise a new one (`reqtrail accept --again`)."})
	Register(&Rule{ID: RuleStatusTransition, Severity: diag.Error, Gate: true, Doc: "(check only) a requirement's status moved along an illegal transition",
		Fix: "Move the status forward without skipping approval (`review` → `approved` is its own pull request), back to an earlier stage, or to `rejected`/`deferred`."})
}

func parsed(r *repo.Repo) []*record.Record {
	out := make([]*record.Record, 0, len(r.Records))
	for _, rec := range r.Records {
		if rec.Parsed() {
			out = append(out, rec)
		}
	}
	return out
}

func checkIDFormat(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range parsed(p.Repo) {
		if rec.ID == "" || p.Repo.Config.ValidID(rec.Kind, rec.ID) {
			continue
		}
		k := p.Repo.Config.Kinds[rec.Kind]
		example := p.Repo.Config.FormatID(rec.Kind, 1)
		ds = append(ds, Report(rec, rec.RangeOf("id"), "id %q is not a well-formed %s id: expected %s- and %d digits, like %s", rec.ID, rec.Kind, k.Prefix, k.Digits, example))
	}
	return ds
}

func checkIDFilename(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range parsed(p.Repo) {
		if rec.ID == "" {
			continue
		}
		base := path.Base(rec.File)
		stem := strings.TrimSuffix(base, path.Ext(base))
		switch {
		case stem == rec.ID:
		case strings.ContainsAny(rec.ID, `/\`) || strings.Contains(rec.ID, ".."):
			ds = append(ds, Report(rec, rec.RangeOf("id"), "file name %q does not match id %q (an id cannot hold / or ..)", base, rec.ID))
		default:
			ds = append(ds, Report(rec, rec.RangeOf("id"), "file name %q does not match id %q; rename the file to %s%s", base, rec.ID, rec.ID, path.Ext(base)))
		}
	}
	return ds
}

func checkIDDuplicate(p *Pass) []diag.Diagnostic {
	files := map[string][]*record.Record{}
	for _, rec := range parsed(p.Repo) {
		if rec.ID != "" {
			files[rec.ID] = append(files[rec.ID], rec)
		}
	}
	var ds []diag.Diagnostic
	for id, recs := range files {
		if len(recs) < 2 {
			continue
		}
		for _, rec := range recs {
			var others []string
			for _, o := range recs {
				if o != rec {
					others = append(others, o.File)
				}
			}
			ds = append(ds, Report(rec, rec.RangeOf("id"), "id %s is also declared in %s", id, strings.Join(others, ", ")))
		}
	}
	return ds
}

// openAffects reports whether ref is the affects of a change request whose action is add
// or remove: it may name the requirement it proposes or deleted (SPEC §5).
func openAffects(rec *record.Record, ref record.Ref) bool {
	return rec.Change != nil && ref.Path[0] == "affects" && (rec.Change.Action == "add" || rec.Change.Action == "remove")
}

func checkRefUnknown(p *Pass) []diag.Diagnostic {
	removed := removedIDs(p.Repo)
	var ds []diag.Diagnostic
	for _, rec := range parsed(p.Repo) {
		for _, ref := range rec.Refs() {
			if openAffects(rec, ref) {
				continue
			}
			target := p.Repo.ByID[ref.ID]
			switch {
			case target == nil && removed[ref.ID] && ref.Target == record.RequirementKind && rec.Kind != record.RequirementKind && rec.Kind != record.ChangeKind:
				// History: the acceptance, feedback or evaluation of a requirement a remove
				// change request deleted.
			case target == nil:
				ds = append(ds, Report(rec, ref.Range, "%s names %s, which does not exist", ref.Field(), ref.ID))
			case target.Kind != ref.Target:
				ds = append(ds, Report(rec, ref.Range, "%s names %s, which is %s, not %s", ref.Field(), ref.ID, article(string(target.Kind)), article(kindWord(ref.Target))))
			case rec.Eval != nil && ref.Path[0] == "results" && !slices.Contains(rec.Eval.Requirements, ref.ID):
				ds = append(ds, Report(rec, ref.Range, "%s names %s, which is not among the evaluation's requirements", ref.Field(), ref.ID))
			}
		}
	}
	return ds
}

// removedIDs lists the requirements that a change request with action remove affects (and
// that may therefore be gone): records that name them are history, not broken references.
func removedIDs(r *repo.Repo) map[string]bool {
	out := map[string]bool{}
	for _, cr := range r.Parsed(record.ChangeKind) {
		if cr.Change == nil || cr.Change.Action != "remove" {
			continue
		}
		switch cr.Change.Status {
		case "approved", "implemented", "closed":
			for _, id := range cr.Change.Affects {
				out[id] = true
			}
		}
	}
	return out
}

func checkRefSelf(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range parsed(p.Repo) {
		if rec.ID == "" {
			continue
		}
		for _, ref := range rec.Refs() {
			if ref.ID == rec.ID {
				ds = append(ds, Report(rec, ref.Range, "%s refers to the record itself", ref.Field()))
			}
		}
	}
	return ds
}

func checkParentCycle(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	for _, start := range p.Repo.Parsed(record.RequirementKind) {
		if state[start.ID] != unvisited || start.ID == "" {
			continue
		}
		// Walk up the parent chain, marking the path; a node seen on this path closes a cycle.
		var chain []*record.Record
		cur := start
		for cur != nil && state[cur.ID] == unvisited {
			state[cur.ID] = visiting
			chain = append(chain, cur)
			parent := cur.Req.Parent
			if parent == "" || parent == cur.ID {
				break // no parent, or ref-self's finding
			}
			cur = p.Repo.Requirement(parent)
		}
		if cur != nil && state[cur.ID] == visiting {
			i := slices.Index(chain, cur)
			if i >= 0 && len(chain)-i > 1 {
				cycle := chain[i:]
				ids := make([]string, 0, len(cycle)+1)
				for _, c := range cycle {
					ids = append(ids, c.ID)
				}
				ids = append(ids, cycle[0].ID)
				for _, c := range cycle {
					ds = append(ds, Report(c, c.RangeOf("parent"), "parent cycle: %s", strings.Join(rotate(ids, c.ID), " → ")))
				}
			}
		}
		for _, c := range chain {
			state[c.ID] = done
		}
	}
	return ds
}

// rotate returns the closed cycle ids (first == last) starting at id.
func rotate(ids []string, id string) []string {
	open := ids[:len(ids)-1]
	i := slices.Index(open, id)
	out := append(slices.Clone(open[i:]), open[:i]...)
	return append(out, id)
}

func checkChangeDecision(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.ChangeKind) {
		c := rec.Change
		if !vocab.IsDecided(c.Status) {
			continue
		}
		switch {
		case c.Decision == nil:
			ds = append(ds, Report(rec, rec.RangeOf("status"), "change request is %s but has no decision; add decision: {by: …, date: YYYY-MM-DD}", c.Status))
		case c.Decision.By == "" || c.Decision.Date == "":
			var missing []string
			if c.Decision.By == "" {
				missing = append(missing, "by")
			}
			if c.Decision.Date == "" {
				missing = append(missing, "date")
			}
			ds = append(ds, Report(rec, rec.KeyRange("decision"), "change request is %s but its decision has no %s", c.Status, strings.Join(missing, " or ")))
		}
	}
	return ds
}

func checkReleaseUnaccepted(p *Pass) []diag.Diagnostic {
	g := p.Graph()
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		st := rec.Req.Status
		if !vocab.IsReleased(st) {
			continue
		}
		n := g.Node(rec.ID)
		if n == nil || n.Record != rec {
			continue
		}
		a := n.Counting()
		switch {
		case a == nil:
			ds = append(ds, Report(rec, rec.RangeOf("status"), "requirement is %s but has no acceptance; record the customer's with reqtrail accept %s --by NAME", st, rec.ID))
		case a.Verdict != "accepted":
			ds = append(ds, Report(rec, rec.RangeOf("status"), "requirement is %s but the acceptance that counts, %s, has verdict %s; record the customer's acceptance with reqtrail accept %s --by NAME", st, a.ID, a.Verdict, rec.ID))
		case a.Stale:
			ds = append(ds, Report(rec, rec.RangeOf("status"), "requirement is %s but the acceptance that counts, %s, is stale (the requirement changed after it was accepted); once the customer has re-checked it, record a new acceptance with reqtrail accept --again %s --by NAME", st, a.ID, a.ID))
		}
	}
	return ds
}

// checkAcceptanceStale reports the acceptance that counts for a requirement when it records
// another fingerprint; superseded acceptances are history, never stale.
func checkAcceptanceStale(p *Pass) []diag.Diagnostic {
	g := p.Graph()
	var ds []diag.Diagnostic
	for _, req := range p.Repo.Parsed(record.RequirementKind) {
		n := g.Node(req.ID)
		if n == nil || n.Record != req {
			continue
		}
		a := n.Counting()
		if a == nil || a.Fingerprint == "" || !a.Stale {
			continue
		}
		acc := a.Record
		for i, e := range acc.Acc.Requirements {
			if e.ID != req.ID {
				continue
			}
			ds = append(ds, Report(acc, acc.RangeOf("requirements", strconv.Itoa(i), "fingerprint"),
				"acceptance of %s is stale: the requirement changed after it was accepted (recorded %s, now %s); once the customer has re-checked it, record a new acceptance that supersedes this one: reqtrail accept --again %s --by NAME",
				req.ID, e.Fingerprint, req.Fingerprint, acc.ID))
			break
		}
	}
	return ds
}

func checkAcceptanceFingerprint(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, acc := range p.Repo.Parsed(record.AcceptanceKind) {
		for i, a := range acc.Acc.Requirements {
			if a.Fingerprint != "" {
				continue
			}
			hint := "reqtrail fingerprint ID prints it"
			if req := p.Repo.Requirement(a.ID); req != nil {
				hint = "the current one is " + req.Fingerprint
			}
			ds = append(ds, Report(acc, acc.RangeOf("requirements", strconv.Itoa(i)), "requirements[%d] (%s) has no fingerprint; %s", i, a.ID, hint))
		}
	}
	return ds
}

func checkDatesOrder(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, rec := range p.Repo.Parsed(record.RequirementKind) {
		q := rec.Req
		if isDate(q.Start) && isDate(q.Due) && q.Due < q.Start {
			ds = append(ds, Report(rec, rec.RangeOf("due"), "due %s is before start %s", q.Due, q.Start))
		}
	}
	return ds
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func checkAcceptanceUnmet(p *Pass) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, acc := range p.Repo.Parsed(record.AcceptanceKind) {
		if acc.Acc.Verdict != "accepted" {
			continue
		}
		for i, c := range acc.Acc.Criteria {
			if c.Met != nil && !*c.Met {
				ds = append(ds, Report(acc, acc.RangeOf("criteria", strconv.Itoa(i), "met"), "verdict is accepted but criterion %q is not met; use verdict conditional or rejected", c.Criterion))
			}
		}
	}
	return ds
}

func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
