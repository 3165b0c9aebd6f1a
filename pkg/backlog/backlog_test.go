package backlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// req writes a requirement with the given front matter lines.
func req(id string, lines ...string) string {
	return "---\nid: " + id + "\ntitle: Title of " + id + "\n" + strings.Join(lines, "\n") + "\n---\nBody of " + id + ".\n"
}

func load(files map[string]string) *repo.Repo {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return repo.Load(fsys)
}

func ids(entries []Entry) string {
	var out []string
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return strings.Join(out, " ")
}

func TestRankOrder(t *testing.T) {
	prio := func(moscow string, i, c, e, v, cost int) string {
		s := "priority:\n"
		if moscow != "" {
			s += "  moscow: " + moscow + "\n"
		}
		if i > 0 {
			s += fmt.Sprintf("  ice: {impact: %d, confidence: %d, ease: %d}\n", i, c, e)
		}
		if v > 0 {
			s += fmt.Sprintf("  value: %d\n", v)
		}
		if cost > 0 {
			s += fmt.Sprintf("  cost: %d\n", cost)
		}
		return strings.TrimSuffix(s, "\n")
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"moscow buckets: must, should, could, unset, wont", map[string]string{
			"reqs/REQ-0001.md": req("REQ-0001", prio("wont", 10, 10, 10, 0, 0)),
			"reqs/REQ-0002.md": req("REQ-0002", "status: new"),
			"reqs/REQ-0003.md": req("REQ-0003", prio("could", 1, 1, 1, 0, 0)),
			"reqs/REQ-0004.md": req("REQ-0004", prio("must", 1, 1, 1, 0, 0)),
			"reqs/REQ-0005.md": req("REQ-0005", prio("should", 1, 1, 1, 0, 0)),
		}, "REQ-0004 REQ-0005 REQ-0003 REQ-0002 REQ-0001"},
		{"ICE score high first, unset last", map[string]string{
			"reqs/REQ-0001.md": req("REQ-0001", prio("must", 0, 0, 0, 0, 0)),
			"reqs/REQ-0002.md": req("REQ-0002", prio("must", 2, 2, 2, 0, 0)),
			"reqs/REQ-0003.md": req("REQ-0003", prio("must", 10, 5, 2, 0, 0)),
			"reqs/REQ-0004.md": req("REQ-0004", prio("must", 3, 3, 3, 0, 0)),
		}, "REQ-0003 REQ-0004 REQ-0002 REQ-0001"},
		{"value/cost breaks ICE ties, exact ratios, unset last", map[string]string{
			"reqs/REQ-0001.md": req("REQ-0001", prio("should", 4, 5, 5, 0, 0)),
			"reqs/REQ-0002.md": req("REQ-0002", prio("should", 5, 5, 4, 2, 6)),   // 0.33
			"reqs/REQ-0003.md": req("REQ-0003", prio("should", 5, 4, 5, 9, 3)),   // 3
			"reqs/REQ-0004.md": req("REQ-0004", prio("should", 10, 10, 1, 1, 3)), // 0.33, ties REQ-0002
			"reqs/REQ-0005.md": req("REQ-0005", prio("should", 2, 5, 10, 10, 0)), // no cost: unset
		}, "REQ-0003 REQ-0002 REQ-0004 REQ-0001 REQ-0005"},
		{"urgency breaks the remaining ties, then id numerically", map[string]string{
			"reqs/REQ-10000.md": req("REQ-10000", prio("could", 0, 0, 0, 0, 0)),
			"reqs/REQ-0009.md":  req("REQ-0009", prio("could", 0, 0, 0, 0, 0)),
			"reqs/REQ-0003.md":  req("REQ-0003", prio("could", 0, 0, 0, 0, 0), "urgency: routine"),
			"reqs/REQ-0004.md":  req("REQ-0004", prio("could", 0, 0, 0, 0, 0), "urgency: important"),
			"reqs/REQ-0005.md":  req("REQ-0005", prio("could", 0, 0, 0, 0, 0), "urgency: urgent"),
		}, "REQ-0005 REQ-0004 REQ-0003 REQ-0009 REQ-10000"},
		{"closed, released, rejected and deferred are off the backlog", map[string]string{
			"reqs/REQ-0001.md": req("REQ-0001", "status: released"),
			"reqs/REQ-0002.md": req("REQ-0002", "status: closed"),
			"reqs/REQ-0003.md": req("REQ-0003", "status: rejected"),
			"reqs/REQ-0004.md": req("REQ-0004", "status: deferred"),
			"reqs/REQ-0005.md": req("REQ-0005", "status: testing"),
			"reqs/REQ-0006.md": req("REQ-0006"),
			"reqs/REQ-0007.md": "---\nid: [broken\n---\n",
		}, "REQ-0005 REQ-0006"},
		{"an unknown MoSCoW value counts as unset", map[string]string{
			"reqs/REQ-0001.md": req("REQ-0001", prio("wont", 0, 0, 0, 0, 0)),
			"reqs/REQ-0002.md": req("REQ-0002", prio("musthave", 0, 0, 0, 0, 0)),
			"reqs/REQ-0003.md": req("REQ-0003", prio("could", 0, 0, 0, 0, 0)),
		}, "REQ-0003 REQ-0002 REQ-0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(load(tt.files), Options{})
			if ids(got) != tt.want {
				t.Errorf("got  %s\nwant %s", ids(got), tt.want)
			}
			for i, e := range got {
				if e.Rank != i+1 {
					t.Errorf("%s has rank %d at position %d", e.ID, e.Rank, i+1)
				}
			}
		})
	}
}

func TestResponseTime(t *testing.T) {
	now := time.Date(2024, 6, 10, 12, 0, 0, 0, time.UTC)
	r := load(map[string]string{
		"reqs/REQ-0001.md": req("REQ-0001", "urgency: urgent", "source: {date: 2024-06-09}"),                     // 36 h: overdue
		"reqs/REQ-0002.md": req("REQ-0002", "urgency: urgent", "source: {date: 2024-06-10}"),                     // 12 h
		"reqs/REQ-0003.md": req("REQ-0003", "urgency: important", "source: {date: 2024-06-01}"),                  // 9 d: overdue
		"reqs/REQ-0004.md": req("REQ-0004", "urgency: important", "source: {date: 2024-06-05}"),                  // 5 d
		"reqs/REQ-0005.md": req("REQ-0005", "urgency: routine", "source: {date: 2020-01-01}"),                    // no target
		"reqs/REQ-0006.md": req("REQ-0006", "urgency: urgent", "status: analysis", "source: {date: 2020-01-01}"), // responded
		"reqs/REQ-0007.md": req("REQ-0007", "urgency: urgent"),                                                   // no date, no git
		"reqs/REQ-0008.md": req("REQ-0008", "urgency: urgent", "source: {date: 2020-01-01}"),                     // git says recent
	})
	created := func(id string) (time.Time, bool) {
		if id == "REQ-0008" {
			return now.Add(-2 * time.Hour), true
		}
		return time.Time{}, false
	}
	if got := strings.Join(NeedsCreated(r), " "); got != "REQ-0001 REQ-0002 REQ-0003 REQ-0004 REQ-0007 REQ-0008" {
		t.Errorf("NeedsCreated = %s", got)
	}
	byID := map[string]Entry{}
	for _, e := range Rank(r, Options{Now: now, Created: created}) {
		byID[e.ID] = e
	}
	want := map[string]string{
		"REQ-0001": "OVERDUE 36 h (target 24 h)", "REQ-0002": "waiting 12 h", "REQ-0003": "OVERDUE 9 d (target 7 d)",
		"REQ-0004": "waiting 5 d", "REQ-0005": "", "REQ-0006": "", "REQ-0007": "", "REQ-0008": "waiting 2 h",
	}
	for id, w := range want {
		e := byID[id]
		if got := ResponseText(&e); got != w {
			t.Errorf("%s: %q, want %q", id, got, w)
		}
	}
	if e := byID["REQ-0008"]; e.Response.From != "git" {
		t.Errorf("REQ-0008 from %q", e.Response.From)
	}
	if s := Summarize(Rank(r, Options{Now: now, Created: created})); s.Open != 8 || s.Overdue != 2 {
		t.Errorf("summary %+v", s)
	}
	if e := Rank(r, Options{}); e[0].Response != nil {
		t.Error("no now: no response times")
	}
}

// TestConfiguredTargets: reqtrail.yaml's urgency: sets the response targets rank measures
// against, routine included; 0 means none.
func TestConfiguredTargets(t *testing.T) {
	now := time.Date(2024, 6, 10, 12, 0, 0, 0, time.UTC)
	r := load(map[string]string{
		"reqtrail.yaml":    "urgency: {urgent: 4, important: 0, routine: 720}\n",
		"reqs/REQ-0001.md": req("REQ-0001", "urgency: urgent", "source: {date: 2024-06-10}"),    // 12 h: overdue at 4 h
		"reqs/REQ-0002.md": req("REQ-0002", "urgency: important", "source: {date: 2024-01-01}"), // no target now
		"reqs/REQ-0003.md": req("REQ-0003", "urgency: routine", "source: {date: 2024-01-01}"),   // 161 d: overdue at 30 d
		"reqs/REQ-0004.md": req("REQ-0004", "urgency: routine", "source: {date: 2024-06-01}"),   // 9 d
	})
	if len(r.Diags) != 0 {
		t.Fatal(r.Diags)
	}
	if got := strings.Join(NeedsCreated(r), " "); got != "REQ-0001 REQ-0003 REQ-0004" {
		t.Errorf("NeedsCreated = %s", got)
	}
	want := map[string]string{"REQ-0001": "OVERDUE 12 h (target 4 h)", "REQ-0002": "", "REQ-0003": "OVERDUE 161 d (target 30 d)", "REQ-0004": "waiting 9 d"}
	for _, e := range Rank(r, Options{Now: now}) {
		if got := ResponseText(&e); got != want[e.ID] {
			t.Errorf("%s: %q, want %q", e.ID, got, want[e.ID])
		}
	}
}

func TestSelect(t *testing.T) {
	r := load(map[string]string{
		"reqs/REQ-0001.md": req("REQ-0001", "status: new", "type: functional", "owner: chat-team", "release: \"2024.3\"", "tags: [chat, Mobile]",
			"priority: {moscow: must}"),
		"reqs/REQ-0002.md":   req("REQ-0002", "status: approved", "type: defect", "owner: ticket-team", "release: 2024.10"),
		"reqs/REQ-0010.md":   "---\nid: REQ-0010\ntitle: 合并重复工单\n---\n同一客户的重复工单自动合并。\n",
		"reqs/REQ-0003.md":   "---\nid: REQ-0003\ntitle: Real-time  RESPONSE\nacceptance-criteria: [Median under 30 s]\n---\nQueue\nposition shown.\n",
		"changes/CR-0001.md": "---\nid: CR-0001\ntitle: Merge tickets\nstatus: approved\naffects: [REQ-0010]\n---\n",
	})
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{Kind: "requirement"}, "REQ-0001 REQ-0002 REQ-0003 REQ-0010"},
		{Filter{}, "REQ-0001 REQ-0002 REQ-0003 REQ-0010 CR-0001"},
		{Filter{Status: "new"}, "REQ-0001 REQ-0003 REQ-0010"},
		{Filter{Status: "approved"}, "REQ-0002 CR-0001"},
		{Filter{Kind: "requirement", Status: "APPROVED, new"}, "REQ-0001 REQ-0002 REQ-0003 REQ-0010"},
		{Filter{Type: "defect"}, "REQ-0002"},
		{Filter{Type: "unset", Kind: "requirement"}, "REQ-0003 REQ-0010"},
		{Filter{MoSCoW: "must"}, "REQ-0001"},
		{Filter{Owner: "chat-team"}, "REQ-0001"},
		{Filter{Release: "2024.10"}, "REQ-0002"},
		{Filter{Release: "2024.3"}, "REQ-0001"},
		{Filter{Tag: "mobile"}, "REQ-0001"},
		{Filter{Query: "工单"}, "REQ-0010"},
		{Filter{Query: "重复工单", Kind: "requirement"}, "REQ-0010"},
		{Filter{Query: "自动合并"}, "REQ-0010"},
		{Filter{Query: "real-time response"}, "REQ-0003"},
		{Filter{Query: "queue position"}, "REQ-0003"},
		{Filter{Query: "MEDIAN"}, "REQ-0003"},
		{Filter{Query: "ｑｕｅｕｅ"}, "REQ-0003"},
		{Filter{Query: "merge tickets"}, "CR-0001"},
		{Filter{Query: "REQ-0002"}, "REQ-0002"},
		{Filter{Query: "absent"}, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, rec := range Select(r, tt.f) {
			got = append(got, rec.ID)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.f, got, tt.want)
		}
	}
}

func TestWriteFormats(t *testing.T) {
	r := load(map[string]string{
		"reqs/REQ-0001.md": req("REQ-0001", "priority: {moscow: must, kano: basic, ice: {impact: 5, confidence: 4, ease: 3}, value: 6, cost: 4}",
			"urgency: urgent", "source: {date: 2024-01-01}"),
		"reqs/REQ-0002.md": "---\nid: REQ-0002\ntitle: \"知识库 | pipes, commas\"\n---\n",
	})
	entries := Rank(r, Options{Now: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)})
	var b bytes.Buffer
	if err := RankReport(entries, 0).Write(&b, "text"); err != nil {
		t.Fatal(err)
	}
	want := `#  ID        MOSCOW  ICE   V/C  URGENCY  DEMAND  KANO   STATUS  RESPONSE                   TITLE
1  REQ-0001  must     60  1.50  urgent        0  basic  new     OVERDUE 4 d (target 24 h)  Title of REQ-0001
2  REQ-0002  -         -     -  -             0  -      new     -                          知识库 | pipes, commas

2 open requirements, 1 past its response time.
`
	if b.String() != want {
		t.Errorf("text:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := RankReport(entries, 0).Write(&b, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Backlog []map[string]any
		Summary Summary
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil || len(doc.Backlog) != 2 || doc.Summary.Overdue != 1 {
		t.Errorf("json: %v %s", err, b.String())
	}
	if resp, _ := doc.Backlog[0]["response"].(map[string]any); resp["overdue"] != true || resp["from"] != "source.date" {
		t.Errorf("json response: %v", doc.Backlog[0]["response"])
	}
	b.Reset()
	if err := RankReport(nil, 0).Write(&b, "json"); err != nil || !strings.Contains(b.String(), `"backlog": []`) {
		t.Errorf("empty json: %v %s", err, b.String())
	}
	b.Reset()
	if err := RankReport(entries, 0).Write(&b, "markdown"); err != nil || !strings.Contains(b.String(), `知识库 \| pipes, commas`) {
		t.Errorf("markdown: %v %s", err, b.String())
	}
	b.Reset()
	if err := RankReport(entries, 0).Write(&b, "csv"); err != nil || !strings.Contains(b.String(), `"知识库 | pipes, commas"`) {
		t.Errorf("csv: %v %s", err, b.String())
	}
	b.Reset()
	if err := ListReport(Select(r, Filter{}), nil, 40).Write(&b, "text"); err != nil || !strings.Contains(b.String(), "…") {
		t.Errorf("list text cut to 40 columns: %v\n%s", err, b.String())
	}
}

// TestRankByDemand: demand first, then the feedback's total weight, then the default order;
// the default order ignores demand.
func TestRankByDemand(t *testing.T) {
	fb := func(id, customer, extra string) string {
		return "---\nid: " + id + "\ntitle: f\ndate: 2024-06-01\ncustomer: " + customer + "\n" + extra + "---\n"
	}
	r := load(map[string]string{
		"reqs/REQ-0001.md":    req("REQ-0001", "priority: {moscow: must}"),
		"reqs/REQ-0002.md":    req("REQ-0002", "priority: {moscow: could}", "source: {requester: 'Customer C, CTO'}"),
		"reqs/REQ-0003.md":    req("REQ-0003", "priority: {moscow: should}"),
		"reqs/REQ-0004.md":    req("REQ-0004", "priority: {moscow: wont}"),
		"feedback/FB-0001.md": fb("FB-0001", "Customer A", "weight: 1\nrequirements: [REQ-0002, REQ-0003]\n"),
		"feedback/FB-0002.md": fb("FB-0002", "customer  a", "weight: 1\nrequirements: [REQ-0002, REQ-0003]\n"),
		"feedback/FB-0003.md": fb("FB-0003", "Customer B", "requirements: [REQ-0002, REQ-0004]\n"),
		"feedback/FB-0004.md": fb("FB-0004", "Customer C", "weight: 5\nrequirements: [REQ-0003, REQ-0004]\n"),
	})
	order := func(es []Entry) (ids []string, demand []int) {
		for _, e := range es {
			ids, demand = append(ids, e.ID), append(demand, e.Demand)
		}
		return ids, demand
	}
	// REQ-0002: A, B and its requester C = 3; REQ-0003: A, C = 2 (weight 7); REQ-0004: B, C = 2
	// (weight 5); REQ-0001: 0.
	ids, demand := order(Rank(r, Options{By: ByDemand}))
	if want := []string{"REQ-0002", "REQ-0003", "REQ-0004", "REQ-0001"}; !slices.Equal(ids, want) {
		t.Errorf("by demand: %v (demand %v), want %v", ids, demand, want)
	}
	if want := []int{3, 2, 2, 0}; !slices.Equal(demand, want) {
		t.Errorf("demand %v, want %v", demand, want)
	}
	ids, _ = order(Rank(r, Options{}))
	if want := []string{"REQ-0001", "REQ-0003", "REQ-0002", "REQ-0004"}; !slices.Equal(ids, want) {
		t.Errorf("by priority: %v, want %v", ids, want)
	}
}

// TestSelectRequesterChannelQuery: --requester compares customers as demand does, --channel
// matches requirements and feedback, --query searches every front-matter value as the site.
func TestSelectRequesterChannelQuery(t *testing.T) {
	r := load(map[string]string{
		"reqs/REQ-0001.md":    req("REQ-0001", "source: {channel: sales, requester: 'Customer A, service director'}", "owner: team-chat"),
		"reqs/REQ-0002.md":    req("REQ-0002", "source: {channel: ticket, requester: 客户乙}", "tags: [mobile]"),
		"feedback/FB-0001.md": "---\nid: FB-0001\ntitle: f\ndate: 2024-06-01\ncustomer: '  customer   a '\nchannel: ticket\ncontact: 王经理\n---\nWants it.\n",
	})
	sel := func(f Filter) string {
		var out []string
		for _, rec := range Select(r, f) {
			out = append(out, rec.ID)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		f    Filter
		want string
	}{
		{Filter{Requester: "CUSTOMER A"}, "REQ-0001 FB-0001"},
		{Filter{Requester: "Customer A, service director"}, "REQ-0001 FB-0001"}, // read as a requester
		{Filter{Requester: "客户乙; customer b"}, "REQ-0002"},
		{Filter{Requester: "unset"}, ""},
		{Filter{Channel: "ticket"}, "REQ-0002 FB-0001"},
		{Filter{Channel: "sales,ticket", Kind: "requirement"}, "REQ-0001 REQ-0002"},
		{Filter{Query: "service director"}, "REQ-0001"},
		{Filter{Query: "team-chat"}, "REQ-0001"},
		{Filter{Query: "mobile"}, "REQ-0002"},
		{Filter{Query: "ticket"}, "REQ-0002 FB-0001"},
		{Filter{Query: "王经理"}, "FB-0001"},
	} {
		if got := sel(c.f); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}
