package backlog

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// Duration renders a waiting time: "5 h", "3 d".
func Duration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d d", int(d.Hours()/24))
}

// ResponseText describes an entry's response time for tables: "OVERDUE 3 d" or
// "waiting 5 h"; "" without one.
func ResponseText(e *Entry) string {
	if e.Response == nil {
		return ""
	}
	if e.Response.Overdue {
		return fmt.Sprintf("OVERDUE %s (target %s)", Duration(e.Response.Waiting), Duration(e.Response.Target))
	}
	return "waiting " + Duration(e.Response.Waiting)
}

// Summary counts the backlog.
type Summary struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// Summarize counts entries and those past their response time.
func Summarize(entries []Entry) Summary {
	s := Summary{Open: len(entries)}
	for _, e := range entries {
		if e.Response != nil && e.Response.Overdue {
			s.Overdue++
		}
	}
	return s
}

func summaryLine(s Summary) string {
	line := report.Count(s.Open, "open requirement", "open requirements")
	if s.Overdue > 0 {
		line += fmt.Sprintf(", %d past %s response time", s.Overdue, map[bool]string{true: "its", false: "their"}[s.Overdue == 1])
	}
	return line + "."
}

// ListItem is one record as reqtrail list shows it.
type ListItem struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	File    string   `json:"file"`
	Title   string   `json:"title"`
	Status  string   `json:"status"`
	Type    string   `json:"type,omitempty"`
	MoSCoW  string   `json:"moscow,omitempty"`
	Kano    string   `json:"kano,omitempty"`
	Urgency string   `json:"urgency,omitempty"`
	Owner   string   `json:"owner,omitempty"`
	Release string   `json:"release,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Affects []string `json:"affects,omitempty"`
	// Accepted holds the requirements an acceptance accepts or a feedback supports.
	Accepted []string `json:"requirements,omitempty"`
	// Requester and Channel are a requirement's source.requester and source.channel, a
	// feedback's customer and channel; Date is a feedback's date.
	Requester string `json:"requester,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Date      string `json:"date,omitempty"`
	// Demand is a requirement's demand (SPEC §11); nil for other kinds.
	Demand *int `json:"demand,omitempty"`
}

// Item describes a record for reqtrail list; demand gives a requirement's demand (nil:
// none shown).
func Item(rec *record.Record, demand func(id string) int) ListItem {
	it := ListItem{ID: rec.ID, Kind: string(rec.Kind), File: rec.File, Title: rec.Title, Status: rec.Status()}
	switch {
	case rec.Req != nil:
		q := rec.Req
		it.Type, it.MoSCoW, it.Kano, it.Urgency, it.Owner, it.Release, it.Parent, it.Tags =
			q.Type, q.MoSCoW, q.Kano, q.Urgency, q.Owner, q.Release, q.Parent, q.Tags
		it.Requester, it.Channel = q.Requester, q.Channel
		if demand != nil {
			d := demand(rec.ID)
			it.Demand = &d
		}
	case rec.Change != nil:
		it.Affects = rec.Change.Affects
	case rec.Acc != nil:
		for _, a := range rec.Acc.Requirements {
			it.Accepted = append(it.Accepted, a.ID)
		}
	case rec.Eval != nil:
		it.Accepted = rec.Eval.Requirements
	case rec.Fb != nil:
		it.Accepted, it.Requester, it.Channel, it.Date = rec.Fb.Requirements, rec.Fb.Customer, rec.Fb.Channel, rec.Fb.Date
	}
	return it
}

// RankFormats are the formats of the ranked backlog.
var RankFormats = []report.Format{report.Text, report.JSON, report.Markdown, report.CSV}

// RankReport is the ranked backlog for every format: JSON {"backlog", "summary"}; a table
// (text and Markdown show rank, id, MoSCoW, ICE, value/cost, urgency, demand, Kano, status,
// the response time when any entry has one, and the title; CSV every scoring field); width
// limits the text table (0: no limit).
func RankReport(entries []Entry, width int) *report.Report {
	if entries == nil {
		entries = []Entry{}
	}
	withResponse := false
	for i := range entries {
		if entries[i].Response != nil {
			withResponse = true
		}
	}
	csv := []report.Format{report.CSV}
	var response []report.Format
	if !withResponse {
		response = []report.Format{report.Text, report.Markdown, report.HTML}
	}
	t := &report.Table{Width: width, Columns: []report.Column{
		{Key: "rank", Head: "#", Right: true},
		{Key: "id", Head: "ID"},
		{Key: "title", Head: "Title", Only: csv},
		{Key: "status", Head: "Status", Only: csv},
		{Key: "moscow", Head: "MoSCoW"},
		{Key: "kano", Head: "Kano", Only: csv},
		{Key: "ice_impact", Head: "Impact", Only: csv},
		{Key: "ice_confidence", Head: "Confidence", Only: csv},
		{Key: "ice_ease", Head: "Ease", Only: csv},
		{Key: "ice_score", Head: "ICE", Right: true},
		{Key: "value", Head: "Value", Only: csv},
		{Key: "cost", Head: "Cost", Only: csv},
		{Key: "vc", Head: "V/C", Right: true, Not: csv},
		{Key: "value_cost", Head: "V/C", Only: csv},
		{Key: "urgency", Head: "Urgency"},
		{Key: "demand", Head: "Demand", Right: true},
		{Key: "feedback_weight", Head: "Feedback weight", Only: csv},
		{Key: "kano_shown", Head: "Kano", Not: csv},
		{Key: "status_shown", Head: "Status", Not: csv},
		{Key: "owner", Head: "Owner", Only: csv},
		{Key: "release", Head: "Release", Only: csv},
		{Key: "waiting_since", Head: "Waiting since", Only: csv},
		{Key: "overdue", Head: "Overdue", Only: csv},
		{Key: "response", Head: "Response", Not: append(response, report.CSV)},
		{Key: "title_shown", Head: "Title", Flex: true, Not: csv},
	}}
	for i := range entries {
		e := &entries[i]
		vc, vc4 := report.Cell{}, report.Cell{}
		if r, ok := e.ValueCost(); ok {
			vc, vc4 = report.NumCell(r, 2), report.NumCell(r, 4)
		}
		since, overdue := report.Cell{}, report.Cell{}
		if e.Response != nil {
			since, overdue = report.DateCell(e.Response.Since.UTC().Format(time.RFC3339)), report.BoolCell(e.Response.Overdue)
		}
		t.Add(report.IntCell(e.Rank), report.IDCell(e.ID), report.Str(e.Title), report.Str(e.Status),
			report.Str(e.MoSCoW), report.Str(e.Kano), report.CountCell(e.ICE.Impact), report.CountCell(e.ICE.Confidence),
			report.CountCell(e.ICE.Ease), report.CountCell(e.ICE.Score), report.CountCell(e.Value), report.CountCell(e.Cost),
			vc, vc4, report.Str(e.Urgency), report.IntCell(e.Demand), report.IntCell(e.Weight), report.Str(e.Kano), report.Str(e.Status), report.Str(e.Owner), report.Str(e.Release),
			since, overdue, report.Str(ResponseText(e)), report.Str(e.Title))
	}
	sum := Summarize(entries)
	doc := &report.Document{Title: "Backlog"}
	if len(entries) == 0 {
		doc.Add(report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: []report.Block{report.Para(report.Plain("No open requirements."))}})
		doc.Add(report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: []report.Block{t, report.Para(report.Plain(summaryLine(sum)))}})
	} else {
		doc.Add(t, report.Break{}, report.Para(report.Plain(summaryLine(sum))))
	}
	return &report.Report{Data: struct {
		Backlog []Entry `json:"backlog"`
		Summary Summary `json:"summary"`
	}{entries, sum}, Doc: doc, Table: t}
}

// ListFormats are the formats of the record list.
var ListFormats = []report.Format{report.Text, report.JSON, report.CSV, report.Markdown}

// ListReport is the record list for every format: JSON {"records", "count"}; a table
// (requirements only: status, type, MoSCoW, urgency, owner, release, demand; feedback only:
// date, customer, channel and the requirements it supports; mixed kinds: kind, status and
// the ids each refers to); CSV every field. demand gives a requirement's demand (nil: not
// shown); width limits the text table.
func ListReport(recs []*record.Record, demand func(id string) int, width int) *report.Report {
	items := make([]ListItem, 0, len(recs))
	onlyReqs, onlyFb := true, len(recs) > 0
	for _, rec := range recs {
		items = append(items, Item(rec, demand))
		onlyReqs = onlyReqs && rec.Kind == record.RequirementKind
		onlyFb = onlyFb && rec.Kind == record.FeedbackKind
	}
	// Each group of columns is left out (Not) of the human formats unless the list is of
	// its kinds; CSV has every column.
	csv := []report.Format{report.CSV}
	human := []report.Format{report.Text, report.Markdown, report.HTML}
	all := append(slices.Clone(csv), human...)
	reqCols, kindCols, fbCols, demandCols, refersCols := human, human, human, human, csv
	var statusCols []report.Format // feedback has no status
	requester := "Requester"
	switch {
	case onlyReqs:
		reqCols, refersCols = nil, all
		if demand != nil {
			demandCols = nil
		}
	case onlyFb:
		fbCols, statusCols, requester = nil, human, "Customer"
	default:
		kindCols = nil
	}
	t := &report.Table{Width: width, Columns: []report.Column{
		{Key: "id", Head: "ID"},
		{Key: "kind", Head: "Kind", Not: kindCols},
		{Key: "file", Head: "File", Only: csv},
		{Key: "title", Head: "Title", Only: csv},
		{Key: "status", Head: "Status", Not: statusCols},
		{Key: "type", Head: "Type", Not: reqCols},
		{Key: "moscow", Head: "MoSCoW", Not: reqCols},
		{Key: "kano", Head: "Kano", Only: csv},
		{Key: "urgency", Head: "Urgency", Not: reqCols},
		{Key: "owner", Head: "Owner", Not: reqCols},
		{Key: "release", Head: "Release", Not: reqCols},
		{Key: "demand", Head: "Demand", Right: true, Not: demandCols},
		{Key: "date", Head: "Date", Not: fbCols},
		{Key: "requester", Head: requester, Not: fbCols},
		{Key: "channel", Head: "Channel", Not: fbCols},
		{Key: "parent", Head: "Parent", Only: csv},
		{Key: "tags", Head: "Tags", Only: csv},
		{Key: "refers_to", Head: "Refers to", Not: refersCols},
		{Key: "refers_to", Head: "Refers to", Only: csv},
		{Key: "title_shown", Head: "Title", Flex: true, Not: csv},
	}}
	for _, it := range items {
		shown := it.Parent
		if len(it.Affects) > 0 {
			shown = strings.Join(it.Affects, ",")
		} else if len(it.Accepted) > 0 {
			shown = strings.Join(it.Accepted, ",")
		}
		refs := append(append([]string{}, it.Affects...), it.Accepted...)
		dem := report.Cell{}
		if it.Demand != nil {
			dem = report.IntCell(*it.Demand)
		}
		t.Add(report.IDCell(it.ID), report.Str(it.Kind), report.Str(it.File), report.Str(it.Title), report.Str(it.Status),
			report.Str(it.Type), report.Str(it.MoSCoW), report.Str(it.Kano), report.Str(it.Urgency), report.Str(it.Owner),
			report.Str(it.Release), dem, report.Str(it.Date), report.Str(it.Requester), report.Str(it.Channel), report.IDCell(it.Parent), report.Strings(it.Tags), report.Str(shown), report.IDs(refs),
			report.Str(it.Title))
	}
	doc := &report.Document{Title: "Records"}
	if len(items) == 0 {
		doc.Add(report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: []report.Block{report.Para(report.Plain("No records match."))}})
		doc.Add(report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: []report.Block{t}})
	} else {
		doc.Add(t, report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: []report.Block{
			report.Break{}, report.Para(report.Plain(report.Count(len(items), "record", "records"))),
		}})
	}
	return &report.Report{Data: struct {
		Records []ListItem `json:"records"`
		Count   int        `json:"count"`
	}{items, len(items)}, Doc: doc, Table: t}
}
