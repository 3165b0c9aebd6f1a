package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/mdterm"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// ShowOptions are the inputs of `reqtrail show`.
type ShowOptions struct {
	App    *App
	ID     string
	Format report.Format
}

// NewCmdShow builds `reqtrail show ID`.
func NewCmdShow(app *App) *cobra.Command {
	o := &ShowOptions{App: app}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one record: its fields, its trace and its body",
		Long: `Show prints one requirement, change request or acceptance record: its fields aligned, in the
specification's order; its trace — for a requirement the parent, children, links both ways,
change requests, acceptance records (and whether they are stale), and the code and tests
that cite it; for a change request the requirements it affects; for an acceptance record the
requirements it accepts and whether each fingerprint is current — and its Markdown body
rendered for the terminal (headings, lists, tables, code).

Formats: text (default), json, yaml (the same data: id, kind, file, title, status,
fingerprint, fields, body, trace). Exit codes: 0 shown; 2 unknown id.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return showRun(o)
		},
	}
	report.FormatFlag(cmd.Flags(), &o.Format, report.Text, report.JSON, report.YAML)
	return cmd
}

func showRun(o *ShowOptions) error {
	app := o.App
	r, _, _, err := app.Load("")
	if err != nil {
		return err
	}
	id := strings.TrimSpace(o.ID)
	rec := r.ByID[id]
	if rec == nil {
		for _, x := range r.Records {
			if x.File == id || strings.EqualFold(x.ID, id) {
				rec = x
			}
		}
	}
	if rec == nil {
		return Usagef("no record %s in %s", id, fmtRecordDirs(r))
	}
	if !rec.Parsed() {
		return Usagef("%s cannot be parsed; run reqtrail lint %s", rec.File, rec.File)
	}
	v := buildShowView(r, graph.Load(r), rec)
	width := app.termWidth(app.Stdout)
	if width == 0 || width > 100 {
		width = min(max(width, 80), 100)
	}
	rep := &report.Report{Data: v, YAML: showYAML(v, rec), Doc: showDocument(v, rec, width, app.Color(app.Stdout))}
	return rep.Write(app.Stdout, o.Format)
}

// showRef names another record.
type showRef struct {
	ID     string `json:"id" yaml:"id"`
	Title  string `json:"title" yaml:"title"`
	Status string `json:"status" yaml:"status"`
}

type showLink struct {
	Type      string `json:"type" yaml:"type"`
	Label     string `json:"label" yaml:"label"`
	Direction string `json:"direction" yaml:"direction"` // out | in
	showRef   `yaml:",inline"`
}

type showAcceptance struct {
	ID          string `json:"id" yaml:"id"`
	Title       string `json:"title" yaml:"title"`
	Verdict     string `json:"verdict" yaml:"verdict"`
	Date        string `json:"date" yaml:"date"`
	Fingerprint string `json:"fingerprint" yaml:"fingerprint"`
	Stale       bool   `json:"stale" yaml:"stale"`
}

type showCitation struct {
	File string `json:"file" yaml:"file"`
	Line int    `json:"line" yaml:"line"`
}

type showAccepted struct {
	showRef     `yaml:",inline"`
	Fingerprint string `json:"fingerprint" yaml:"fingerprint"`
	Current     string `json:"current" yaml:"current"` // the requirement's fingerprint now ("" if unknown)
	Stale       bool   `json:"stale" yaml:"stale"`
}

type showTrace struct {
	// Requirements.
	Coverage string     `json:"coverage,omitempty" yaml:"coverage,omitempty"`
	Parent   *showRef   `json:"parent" yaml:"parent"`
	Children []showRef  `json:"children" yaml:"children"`
	Links    []showLink `json:"links" yaml:"links"`
	// Suspect holds the ids its pinned parent and links point to whose meaning changed since
	// they were pinned (SPEC §11).
	Suspect    []string         `json:"suspect" yaml:"suspect"`
	Changes    []showRef        `json:"changes" yaml:"changes"`
	Acceptance []showAcceptance `json:"acceptance" yaml:"acceptance"`
	// Evaluations are the effect evaluations that list the requirement, oldest first.
	Evaluations []showRef      `json:"evaluations,omitempty" yaml:"evaluations,omitempty"`
	Impl        []showCitation `json:"impl" yaml:"impl"`
	Tests       []showCitation `json:"tests" yaml:"tests"`
	// Feedback holds the feedback records that name the requirement; Demand counts its
	// distinct customers (SPEC §11). Both nil for other kinds.
	Feedback []showRef `json:"feedback,omitempty" yaml:"feedback,omitempty"`
	Demand   *int      `json:"demand,omitempty" yaml:"demand,omitempty"`
	// Feedback records: the requirements it supports.
	Supports []showRef `json:"supports,omitempty" yaml:"supports,omitempty"`
	// Change requests.
	Affects []showRef `json:"affects,omitempty" yaml:"affects,omitempty"`
	// Acceptance records.
	Requirements []showAccepted `json:"requirements,omitempty" yaml:"requirements,omitempty"`
}

type showView struct {
	ID          string         `json:"id" yaml:"id"`
	Kind        string         `json:"kind" yaml:"kind"`
	File        string         `json:"file" yaml:"file"`
	Title       string         `json:"title" yaml:"title"`
	Status      string         `json:"status" yaml:"status"`
	Fingerprint string         `json:"fingerprint,omitempty" yaml:"fingerprint,omitempty"`
	Fields      map[string]any `json:"fields" yaml:"-"`
	Body        string         `json:"body" yaml:"-"`
	Trace       showTrace      `json:"trace" yaml:"-"`
}

func refOf(r *repo.Repo, id string) showRef {
	ref := showRef{ID: id}
	if rec := r.ByID[id]; rec != nil {
		ref.Title, ref.Status = rec.Title, rec.Status()
	}
	return ref
}

func buildShowView(r *repo.Repo, g *graph.Graph, rec *record.Record) *showView {
	v := &showView{ID: rec.ID, Kind: string(rec.Kind), File: rec.File, Title: rec.Title, Status: rec.Status(),
		Fingerprint: rec.Fingerprint, Fields: rec.Fields(), Body: rec.Body}
	t := &v.Trace
	switch rec.Kind {
	case record.RequirementKind:
		t.Children, t.Links, t.Changes, t.Acceptance, t.Impl, t.Tests =
			[]showRef{}, []showLink{}, []showRef{}, []showAcceptance{}, []showCitation{}, []showCitation{}
		t.Suspect = []string{}
		n := g.Node(rec.ID)
		if n == nil || n.Record != rec {
			break
		}
		t.Coverage = string(n.Coverage)
		t.Suspect = append(t.Suspect, n.Suspect...)
		d := n.Demand()
		t.Demand, t.Feedback = &d, []showRef{}
		for _, fb := range n.Feedback {
			t.Feedback = append(t.Feedback, refOf(r, fb.ID))
		}
		if n.ParentID != "" {
			p := refOf(r, n.ParentID)
			t.Parent = &p
		}
		for _, c := range n.Children {
			t.Children = append(t.Children, refOf(r, c.ID))
		}
		for _, l := range n.Links {
			dir := "in"
			if l.Outgoing {
				dir = "out"
			}
			t.Links = append(t.Links, showLink{Type: l.Type, Label: l.Label, Direction: dir, showRef: refOf(r, l.ID)})
		}
		for _, c := range n.Changes {
			t.Changes = append(t.Changes, refOf(r, c.ID))
		}
		for _, a := range n.Acceptance {
			t.Acceptance = append(t.Acceptance, showAcceptance{ID: a.ID, Title: a.Record.Title, Verdict: a.Verdict,
				Date: a.Date, Fingerprint: a.Fingerprint, Stale: a.Stale})
		}
		for _, e := range n.Evaluations {
			t.Evaluations = append(t.Evaluations, showRef{ID: e.ID, Title: e.Title, Status: strings.TrimSpace(e.Eval.Verdict + " " + e.Eval.Date)})
		}
		for _, c := range n.Impl {
			t.Impl = append(t.Impl, showCitation{c.File(), c.Line()})
		}
		for _, c := range n.Tests {
			t.Tests = append(t.Tests, showCitation{c.File(), c.Line()})
		}
	case record.ChangeKind:
		t.Affects = []showRef{}
		for _, id := range rec.Change.Affects {
			t.Affects = append(t.Affects, refOf(r, id))
		}
	case record.FeedbackKind:
		t.Supports = []showRef{}
		for _, id := range rec.Fb.Requirements {
			t.Supports = append(t.Supports, refOf(r, id))
		}
	case record.AcceptanceKind:
		t.Requirements = []showAccepted{}
		for _, a := range rec.Acc.Requirements {
			sa := showAccepted{showRef: refOf(r, a.ID), Fingerprint: a.Fingerprint}
			if q := r.Requirement(a.ID); q != nil {
				sa.Current = q.Fingerprint
				sa.Stale = a.Fingerprint != q.Fingerprint
			}
			t.Requirements = append(t.Requirements, sa)
		}
	}
	return v
}

// showYAML is the view for the yaml format: the fields in the order they are written
// (comments dropped).
func showYAML(v *showView, rec *record.Record) any {
	return struct {
		*showView `yaml:",inline"`
		Fields    *yaml.Node `yaml:"fields"`
		Body      string     `yaml:"body"`
		Trace     showTrace  `yaml:"trace"`
	}{v, cloneNode(rec.Tree()), v.Body, v.Trace}
}

func cloneNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Line, c.Column = 0, 0
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k)
	}
	return &c
}

// fieldRows renders the front matter (id and title excepted) in canonical key order.
func fieldRows(rec *record.Record) []report.FieldRow {
	m := rec.Tree()
	pairs := map[string]*yaml.Node{}
	var keys []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		if _, dup := pairs[k]; !dup {
			keys = append(keys, k)
		}
		pairs[k] = m.Content[i+1]
	}
	var ordered []string
	for _, k := range format.KeyOrder(rec.Kind) {
		if _, ok := pairs[k]; ok {
			ordered = append(ordered, k)
		}
	}
	for _, k := range keys {
		if !contains(ordered, k) {
			ordered = append(ordered, k)
		}
	}
	var rows []report.FieldRow
	for _, k := range ordered {
		if k == "id" || k == "title" {
			continue
		}
		rows = appendNode(rows, "", k, pairs[k], rec.Kind == record.RequirementKind)
	}
	return rows
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func appendNode(rows []report.FieldRow, indent, key string, n *yaml.Node, req bool) []report.FieldRow {
	switch n.Kind {
	case yaml.MappingNode:
		if indent != "" || n.Style&yaml.FlowStyle != 0 && len(n.Content) <= 8 && key != "priority" && key != "source" {
			v := inlineNode(n)
			if key == "ice" && req {
				v += iceScore(n)
			}
			return append(rows, report.FieldRow{Key: indent + key, Value: v})
		}
		rows = append(rows, report.FieldRow{Key: indent + key, Value: ""})
		for i := 0; i+1 < len(n.Content); i += 2 {
			rows = appendNode(rows, indent+"  ", n.Content[i].Value, n.Content[i+1], req)
		}
		return rows
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return append(rows, report.FieldRow{Key: indent + key, Value: "—"})
		}
		scalars := true
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				scalars = false
			}
		}
		joined := inlineItems(n)
		if scalars && key != "acceptance-criteria" && len(joined) <= 60 {
			return append(rows, report.FieldRow{Key: indent + key, Value: joined})
		}
		rows = append(rows, report.FieldRow{Key: indent + key, Value: ""})
		for i, c := range n.Content {
			marker := "• "
			if key == "acceptance-criteria" {
				marker = strconv.Itoa(i+1) + ". "
			}
			rows = append(rows, report.FieldRow{Key: indent + "  " + marker, Value: inlineNode(c), Item: true})
		}
		return rows
	}
	return append(rows, report.FieldRow{Key: indent + key, Value: inlineNode(n)})
}

func iceScore(n *yaml.Node) string {
	vals := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v, err := strconv.Atoi(n.Content[i+1].Value); err == nil {
			vals[n.Content[i].Value] = v
		}
	}
	if s := vals["impact"] * vals["confidence"] * vals["ease"]; s > 0 {
		return fmt.Sprintf("  (score %d)", s)
	}
	return ""
}

// inlineNode renders a value on one line: scalars as written, maps as "k: v, k: v", lists
// as "a, b".
func inlineNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "—"
		}
		return strings.Join(strings.Fields(mdterm.Sanitize(n.Value)), " ")
	case yaml.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, n.Content[i].Value+": "+inlineNode(n.Content[i+1]))
		}
		return strings.Join(parts, ", ")
	case yaml.SequenceNode:
		return "[" + inlineItems(n) + "]"
	}
	return ""
}

func inlineItems(n *yaml.Node) string {
	var parts []string
	for _, c := range n.Content {
		parts = append(parts, inlineNode(c))
	}
	return strings.Join(parts, ", ")
}

// showDocument is show's text: the title, the fields, the trace and the body rendered for
// the terminal.
func showDocument(v *showView, rec *record.Record, width int, color bool) *report.Document {
	var b strings.Builder
	d := &report.Document{}
	bold := func(s string) string {
		if color {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	b.WriteString(bold(mdterm.Sanitize(v.ID+"  "+v.Title)) + "\n")
	meta := v.File + " · " + v.Kind
	if v.Fingerprint != "" {
		meta += " · fingerprint " + v.Fingerprint
	}
	b.WriteString(meta + "\n\n")
	d.Add(report.Terminal{Text: b.String()}, report.Fields{Rows: fieldRows(rec), Width: width})

	var trace []report.FieldRow
	add := func(key string, vals ...string) {
		for i, val := range vals {
			if i > 0 {
				key = ""
			}
			trace = append(trace, report.FieldRow{Key: key, Value: val})
		}
	}
	refLine := func(r showRef) string {
		s := r.ID
		switch {
		case r.Status != "":
			s += " (" + r.Status + ")"
		case r.Title == "":
			s += " (unknown)"
		}
		if r.Title != "" {
			s += " " + r.Title
		}
		return mdterm.Sanitize(s)
	}
	// refLines is one line per ref, or none alone.
	refLines := func(refs []showRef, none string) []string {
		if len(refs) == 0 {
			return []string{none}
		}
		out := make([]string, 0, len(refs))
		for _, r := range refs {
			out = append(out, refLine(r))
		}
		return out
	}
	t := v.Trace
	switch rec.Kind {
	case record.RequirementKind:
		if t.Coverage != "" {
			add("coverage", t.Coverage)
		}
		// A suspect pin says so on its line: the target changed meaning since it was pinned.
		suspect := func(line, id string) string {
			if slices.Contains(t.Suspect, id) {
				line += " — SUSPECT: changed meaning since pinned; review, then reqtrail review " + v.ID
			}
			return line
		}
		if t.Parent != nil {
			add("parent", suspect(refLine(*t.Parent), t.Parent.ID))
		} else {
			add("parent", "—")
		}
		add("children", refLines(t.Children, "—")...)
		for _, l := range t.Links {
			line := refLine(l.showRef)
			if l.Direction == "out" {
				line = suspect(line, l.ID)
			}
			add(l.Label, line)
		}
		add("change requests", refLines(t.Changes, "—")...)
		accs := []string{"—"}
		if len(t.Acceptance) > 0 {
			accs = accs[:0]
			for _, a := range t.Acceptance {
				state := "current"
				if a.Stale {
					state = "STALE"
				}
				verdict := strings.TrimSpace(a.Verdict + " " + a.Date)
				accs = append(accs, mdterm.Sanitize(fmt.Sprintf("%s (%s, %s) %s", a.ID, verdict, state, a.Title)))
			}
		}
		add("acceptance", accs...)
		if len(t.Evaluations) > 0 {
			var evals []string
			for _, e := range t.Evaluations {
				evals = append(evals, refLine(e))
			}
			add("evaluations", evals...)
		}
		if t.Demand != nil {
			add("demand", strconv.Itoa(*t.Demand))
		}
		add("feedback", refLines(t.Feedback, "—")...)
		cites := func(key string, cs []showCitation) {
			if len(cs) == 0 {
				add(key, "—")
				return
			}
			// One line per file: src/chat/session.go:59, 74
			var vals []string
			for i, c := range cs {
				if i > 0 && cs[i-1].File == c.File {
					vals[len(vals)-1] += ", " + strconv.Itoa(c.Line)
					continue
				}
				vals = append(vals, fmt.Sprintf("%s:%d", c.File, c.Line))
			}
			add(key, vals...)
		}
		cites("implemented in", t.Impl)
		cites("tested by", t.Tests)
	case record.ChangeKind:
		add("affects", refLines(t.Affects, "—")...)
	case record.FeedbackKind:
		add("supports", refLines(t.Supports, "— (untriaged: in the requirement pool)")...)
	case record.AcceptanceKind:
		var vals []string
		for _, a := range t.Requirements {
			state := "current"
			switch {
			case a.Current == "":
				state = "unknown requirement"
			case a.Fingerprint == "":
				state = "no fingerprint"
			case a.Stale:
				state = "STALE: now " + a.Current
			}
			vals = append(vals, refLine(a.showRef)+" — "+state)
		}
		if len(vals) == 0 {
			vals = []string{"—"}
		}
		add("accepts", vals...)
	}
	if len(trace) > 0 {
		for i := range trace {
			if trace[i].Key != "" {
				trace[i].Key = "  " + trace[i].Key
			}
		}
		d.Add(report.Terminal{Text: "\n" + bold("Trace") + "\n"}, report.Fields{Rows: trace, Width: width})
	}
	if body := mdterm.Render([]byte(v.Body), mdterm.Options{Width: width, Color: color}); body != "" {
		d.Add(report.Terminal{Text: "\n" + strings.Repeat("─", min(width, 40)) + "\n\n" + body})
	}
	return d
}
