package gate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

var fuzzStatuses = []string{"new", "analysis", "review", "approved", "development", "testing", "released", "closed", "deferred", "rejected", "bogus"}
var fuzzCRStatuses = []string{"proposed", "assessing", "approved", "rejected", "implemented", "closed", "withdrawn"}

type fuzzReq struct{ status, title string }

type fuzzCR struct {
	status, action string
	affects        []string
	whileApproved  bool
}

type fuzzSide struct {
	config string
	reqs   map[string]*fuzzReq
	crs    map[string]*fuzzCR
}

func (s *fuzzSide) clone() *fuzzSide {
	c := &fuzzSide{config: s.config, reqs: map[string]*fuzzReq{}, crs: map[string]*fuzzCR{}}
	for id, r := range s.reqs {
		cp := *r
		c.reqs[id] = &cp
	}
	for id, cr := range s.crs {
		cp := *cr
		cp.affects = slices.Clone(cr.affects)
		c.crs[id] = &cp
	}
	return c
}

func (s *fuzzSide) fs() fstest.MapFS {
	m := fstest.MapFS{}
	if s.config != "" {
		m["reqtrail.yaml"] = &fstest.MapFile{Data: []byte(s.config)}
	}
	for id, r := range s.reqs {
		m["reqs/"+id+".md"] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\nid: %s\ntitle: %s\nstatus: %s\n---\nBody.\n", id, r.title, r.status)}
	}
	for id, cr := range s.crs {
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: %s\ntitle: Change\nstatus: %s\naction: %s\n", id, cr.status, cr.action)
		if cr.whileApproved {
			b.WriteString("authorise: while-approved\n")
		}
		fmt.Fprintf(&b, "affects: [%s]\n", strings.Join(cr.affects, ", "))
		switch cr.status {
		case "approved", "rejected", "implemented", "closed":
			b.WriteString("decision: {by: board, date: 2024-07-08}\n")
		}
		b.WriteString("---\nWhy.\n")
		m["changes/"+id+".md"] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return m
}

// FuzzCheck drives random sequences of edits and status moves on a base/head pair: check
// never panics, and never passes a meaning change of a requirement baselined at the merge
// base that no change request authorises by the rules of SPEC §6.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{3, 0, 1, 2, 0, 0, 9}, []byte{0, 0, 1, 2, 1, 3})
	f.Add([]byte{3, 3, 3, 2, 1, 0, 1}, []byte{0, 1, 2, 1, 2, 4, 5, 0, 6, 1, 7})
	f.Add([]byte{6, 7, 3, 2, 1, 1, 1}, []byte{4, 0, 0, 0, 2, 0, 5, 1})
	f.Fuzz(func(t *testing.T, seed, ops []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		next := func(src *[]byte) int {
			if len(*src) == 0 {
				return 0
			}
			v := int((*src)[0])
			*src = (*src)[1:]
			return v
		}
		ids := []string{"REQ-0001", "REQ-0002", "REQ-0003"}
		base := &fuzzSide{config: "project: Fuzz\n", reqs: map[string]*fuzzReq{}, crs: map[string]*fuzzCR{}}
		for _, id := range ids {
			base.reqs[id] = &fuzzReq{status: fuzzStatuses[next(&seed)%len(fuzzStatuses)], title: "Title " + id}
		}
		for _, id := range []string{"CR-0001", "CR-0002"} {
			base.crs[id] = &fuzzCR{status: fuzzCRStatuses[next(&seed)%len(fuzzCRStatuses)], action: []string{"modify", "add", "remove"}[next(&seed)%3],
				affects: []string{ids[next(&seed)%len(ids)]}, whileApproved: next(&seed)%4 == 0}
		}
		if next(&seed)%5 == 0 {
			base.config += "gate: {authorise: while-approved}\n"
		}
		head := base.clone()
		for len(ops) > 0 {
			id := ids[next(&ops)%len(ids)]
			crID := []string{"CR-0001", "CR-0002", "CR-0003"}[next(&ops)%3]
			switch next(&ops) % 8 {
			case 0:
				if r := head.reqs[id]; r != nil {
					r.title += " changed"
				}
			case 1:
				if r := head.reqs[id]; r != nil {
					r.status = fuzzStatuses[next(&ops)%len(fuzzStatuses)]
				}
			case 2:
				delete(head.reqs, id)
			case 3:
				if cr := head.crs[crID]; cr != nil {
					cr.status = fuzzCRStatuses[next(&ops)%len(fuzzCRStatuses)]
				} else {
					head.crs[crID] = &fuzzCR{status: fuzzCRStatuses[next(&ops)%len(fuzzCRStatuses)], action: "modify", affects: []string{id}}
				}
			case 4:
				if cr := head.crs[crID]; cr != nil {
					cr.affects = append(cr.affects, id)
				}
			case 5:
				head.config += "rules: {untraced-change: off}\n"
			case 6:
				head.config = strings.Replace(head.config, "gate:", "#", 1) + "gate: {authorise: while-approved}\n"
			case 7:
				if cr := head.crs[crID]; cr != nil {
					cr.whileApproved = !cr.whileApproved
				}
			}
		}
		b := repo.Load(base.fs())
		h := repo.LoadWith(head.fs(), repo.Options{Configure: Judging(b)})
		res := Check(b, h, Options{})

		baseWhile := strings.Contains(base.config, "while-approved")
		for _, id := range ids {
			o, n := base.reqs[id], head.reqs[id]
			if o == nil || n == nil || !Baselined(o.status) || o.title == n.title {
				continue
			}
			authorised := false
			for crID, cr := range base.crs {
				hc := head.crs[crID]
				if cr.status != "approved" || !slices.Contains(cr.affects, id) || hc == nil {
					continue
				}
				if hc.status == "implemented" || hc.status == "closed" || hc.status == "approved" && (baseWhile || cr.whileApproved) {
					authorised = true
				}
			}
			if authorised {
				continue
			}
			found := false
			for _, d := range res.Diagnostics {
				if d.Rule == "untraced-change" && d.ID == id && d.Severity == diag.Error {
					found = true
				}
			}
			if !found || !res.Failed() {
				t.Fatalf("unauthorised meaning change of baselined %s (%s) passed:\nbase %+v\nhead %+v\n%v", id, o.status, base, head, res.Diagnostics)
			}
		}
	})
}
