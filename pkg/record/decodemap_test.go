package record

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// decodeMap fills ID, Title, the typed view and the fingerprint from the decoded fields d:
// how the typed view was read before decodeNode, the reference decodeNode must agree with.
func (r *Record) decodeMap(d map[string]any) {
	r.ID = str(d, "id")
	r.Title = str(d, "title")
	switch r.Kind {
	case RequirementKind:
		q := &Requirement{
			Type:         str(d, "type"),
			Necessity:    str(d, "necessity"),
			Status:       str(d, "status"),
			Urgency:      str(d, "urgency"),
			Feasibility:  str(d, "feasibility"),
			Owner:        str(d, "owner"),
			Release:      str(d, "release"),
			Start:        str(d, "start"),
			Due:          str(d, "due"),
			Verification: str(d, "verification"),
			Tags:         strs(d, "tags"),
		}
		if q.Status == "" {
			q.Status = "new"
		}
		switch p := d["parent"].(type) {
		case string:
			q.Parent = p
		case map[string]any:
			q.Parent, q.ParentFingerprint = str(p, "id"), str(p, "fingerprint")
		}
		if p := obj(d, "priority"); p != nil {
			q.MoSCoW = str(p, "moscow")
			q.Kano = str(p, "kano")
			q.Value = num(p, "value")
			q.Cost = num(p, "cost")
			if ice := obj(p, "ice"); ice != nil {
				q.ICE = ICE{num(ice, "impact"), num(ice, "confidence"), num(ice, "ease")}
			}
		}
		if s := obj(d, "source"); s != nil {
			q.Channel = str(s, "channel")
			q.Requester = str(s, "requester")
			q.SourceDate = str(s, "date")
		}
		for _, l := range list(d, "links") {
			if m, ok := l.(map[string]any); ok {
				q.Links = append(q.Links, Link{Type: str(m, "type"), To: str(m, "to"), Fingerprint: str(m, "fingerprint")})
			} else {
				q.Links = append(q.Links, Link{})
			}
		}
		q.AcceptanceCriteria = strs(d, "acceptance-criteria")
		for _, e := range list(d, "metrics") {
			m, _ := e.(map[string]any)
			q.Metrics = append(q.Metrics, metric(m))
		}
		r.Req = q
		if r.Fingerprint == "" {
			r.Fingerprint = Fingerprint(r.Title, q.AcceptanceCriteria, r.Body)
		}
	case ChangeKind:
		c := &ChangeRequest{
			Status:      str(d, "status"),
			Action:      str(d, "action"),
			Affects:     strs(d, "affects"),
			RequestedBy: str(d, "requested-by"),
			Requested:   str(d, "requested"),
			Reason:      str(d, "reason"),
			Impact:      obj(d, "impact"),
		}
		if dec := obj(d, "decision"); dec != nil {
			c.Decision = &Decision{By: str(dec, "by"), Date: str(dec, "date"), Note: str(dec, "note")}
		}
		r.Change = c
	case AcceptanceKind:
		a := &AcceptanceRecord{
			Verdict:    str(d, "verdict"),
			Date:       str(d, "date"),
			AcceptedBy: str(d, "accepted-by"),
			Evidence:   strs(d, "evidence"),
		}
		for _, e := range list(d, "requirements") {
			m, _ := e.(map[string]any)
			a.Requirements = append(a.Requirements, Accepted{ID: str(m, "id"), Fingerprint: str(m, "fingerprint")})
		}
		for _, e := range list(d, "criteria") {
			m, _ := e.(map[string]any)
			c := Criterion{Criterion: str(m, "criterion"), Requirement: str(m, "requirement")}
			if b, ok := m["met"].(bool); ok {
				c.Met = &b
			}
			a.Criteria = append(a.Criteria, c)
		}
		r.Acc = a
	case FeedbackKind:
		r.Fb = &Feedback{
			Date:         str(d, "date"),
			Customer:     str(d, "customer"),
			Channel:      str(d, "channel"),
			Contact:      str(d, "contact"),
			Weight:       num(d, "weight"),
			Requirements: strs(d, "requirements"),
		}
	case EvaluationKind:
		e := &Evaluation{
			Date:         str(d, "date"),
			By:           str(d, "by"),
			Requirements: strs(d, "requirements"),
			Verdict:      str(d, "verdict"),
			FollowUp:     strs(d, "follow-up"),
		}
		if p := obj(d, "period"); p != nil {
			e.From, e.To = str(p, "from"), str(p, "to")
		}
		for _, x := range list(d, "results") {
			m, _ := x.(map[string]any)
			e.Results = append(e.Results, Result{Requirement: str(m, "requirement"), Metric: metric(m), Actual: number(m, "actual")})
		}
		r.Eval = e
	}
}

// metric decodes a metric's (or a result's) name, unit, baseline, target and better.
func metric(m map[string]any) Metric {
	name := str(m, "name")
	if name == "" {
		name = str(m, "metric")
	}
	return Metric{Name: name, Unit: str(m, "unit"), Baseline: number(m, "baseline"), Target: number(m, "target"), Better: str(m, "better")}
}

// number returns the numeric value of key k, or nil when it is absent or not a number.
func number(m map[string]any, k string) *float64 {
	var f float64
	switch v := m[k].(type) {
	case int64:
		f = float64(v)
	case float64:
		f = v
	default:
		return nil
	}
	return &f
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func list(m map[string]any, k string) []any {
	l, _ := m[k].([]any)
	return l
}

func num(m map[string]any, k string) int {
	switch v := m[k].(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func strs(m map[string]any, k string) []string {
	l := list(m, k)
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// decodeSamples are front matters of every kind with every key the typed view reads, of the
// types it expects and of others (a list where a mapping is expected, a mapping where a list
// is, numbers and booleans where strings are, nested lists), for decodeNode against
// decodeMap.
var decodeSamples = []string{
	"id: REQ-0001\ntitle: T\ntype: functional\nnecessity: must\nstatus: approved\nurgency: high\nfeasibility: ok\nowner: o\nrelease: 2024.10\nstart: 2024-01-01\ndue: '2024-02-01'\nverification: test\ntags: [a, 1, true, ~, [x]]\nacceptance-criteria: [one, 2]\n",
	"id: REQ-0001\ntitle: T\nparent: REQ-0002\npriority: {moscow: must, kano: basic, value: 3.7, cost: -2, ice: {impact: 1, confidence: 0x10, ease: 2.5}}\nsource: {channel: c, requester: r, date: 2024-01-02}\n",
	"id: REQ-0001\ntitle: T\nparent: {id: REQ-0002, fingerprint: abcdef012345}\nlinks: [{type: refines, to: REQ-0003, fingerprint: f}, plain, [nested], {to: 5}]\nmetrics: [{name: m, unit: s, baseline: 10, target: 2.5, better: lower}, {metric: n, target: x}, 7]\n",
	"id: REQ-0001\ntitle: T\nparent: [REQ-0002]\npriority: [must]\nsource: text\nlinks: {type: refines}\nmetrics: {name: m}\ntags: {a: b}\nacceptance-criteria: text\nstatus: 5\n",
	"id: 12\ntitle: true\nstatus: ~\npriority: {ice: [1, 2, 3], value: '3', cost: null}\nsource: [a]\n",
	"id: CR-0001\ntitle: T\nstatus: approved\naction: modify\naffects: [REQ-0001, 2]\nrequested-by: a\nrequested: 2024-01-01\nreason: r\nimpact: {effort: 3, scope: [a, b], nested: {x: 1.5}}\ndecision: {by: b, date: 2024-01-02, note: n}\n",
	"id: CR-0001\ntitle: T\nimpact: [not, a, map]\ndecision: yes\naffects: REQ-0001\n",
	"id: ACC-0001\ntitle: T\nverdict: accepted\ndate: 2024-01-01\naccepted-by: c\nevidence: [e1, e2]\nrequirements: [{id: REQ-0001, fingerprint: abc}, REQ-0002, {id: 3}]\ncriteria: [{criterion: c, requirement: REQ-0001, met: true}, {criterion: d, met: 'yes'}, {met: false}, x]\n",
	"id: FB-0001\ntitle: T\ndate: 2024-01-01\ncustomer: c\nchannel: survey\ncontact: x\nweight: 2.9\nrequirements: [REQ-0001]\n",
	"id: EVAL-0001\ntitle: T\ndate: 2024-01-01\nby: b\nrequirements: [REQ-0001]\nverdict: met\nfollow-up: [REQ-0002]\nperiod: {from: 2024-01-01, to: 2024-02-01}\nresults: [{requirement: REQ-0001, metric: m, unit: s, baseline: 1, target: 2, better: higher, actual: .nan}, {name: n, actual: x}, 3]\n",
	"id: EVAL-0001\ntitle: T\nperiod: [a]\nresults: {requirement: REQ-0001}\n",
}

// decodeKinds are the kinds a sample is decoded as (every sample as every kind).
var decodeKinds = []Kind{RequirementKind, ChangeKind, AcceptanceKind, FeedbackKind, EvaluationKind, ""}

// checkDecodeNode decodes front as a record of every kind under every shape, from the
// compact form (as Read does) and from the decoded fields (decodeMap), and fails when the
// typed views differ.
func checkDecodeNode(t *testing.T, front string) {
	t.Helper()
	data := []byte("---\n" + front + "---\nBody text.\n")
	for _, kind := range decodeKinds {
		for _, sh := range shapes() {
			rec, perr := Read("reqs/X.md", kind, data, sh)
			if perr != nil {
				return
			}
			want := &Record{Kind: kind, Body: rec.Body}
			want.decodeMap(rec.Fields())
			got := &Record{Body: rec.Body, ID: rec.ID, Title: rec.Title, Fingerprint: rec.Fingerprint, Req: rec.Req, Change: rec.Change, Acc: rec.Acc, Fb: rec.Fb, Eval: rec.Eval}
			want.Kind = ""
			if !sameTyped(reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()) {
				t.Fatalf("kind %q shape %v of %q:\nfrom the compact form %s\nfrom the fields        %s", kind, sh, front, show(got), show(want))
			}
		}
	}
}

func show(r *Record) string {
	return fmt.Sprintf("%q %q %q req=%+v change=%+v acc=%+v fb=%+v eval=%+v", r.ID, r.Title, r.Fingerprint, r.Req, r.Change, r.Acc, r.Fb, r.Eval)
}

// sameTyped is reflect.DeepEqual for typed views, with NaN equal to NaN and decoded values
// compared by equalValues.
func sameTyped(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameTyped(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !sameTyped(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameTyped(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return false
		}
		return a.IsNil() || equalValues(a.Interface(), b.Interface())
	case reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// TestDecodeNodeSameAsMap: the typed view read from the compact form is the one read from
// the decoded fields, for every kind, every shape, and the samples of the compact form too.
func TestDecodeNodeSameAsMap(t *testing.T) {
	for _, s := range append(slices.Clip(decodeSamples), compactSamples...) {
		checkDecodeNode(t, s)
	}
}

// FuzzDecodeNode is TestDecodeNodeSameAsMap on any front matter.
func FuzzDecodeNode(f *testing.F) {
	for _, s := range append(slices.Clip(decodeSamples), compactSamples...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, front string) {
		if strings.Contains(front, "---") {
			return
		}
		if !strings.HasSuffix(front, "\n") {
			front += "\n"
		}
		checkDecodeNode(t, front)
	})
}
