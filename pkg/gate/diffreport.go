package gate

import (
	"fmt"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// Diff is what `reqtrail diff` reports: the records that differ between two revisions.
type Diff struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Changes []Change `json:"changes"`
}

// diffChange is a Change with its body diff, for JSON.
type diffChange struct {
	Change
	BodyDiff []Segment `json:"body_diff"`
}

// Counts returns how many records were added, deleted and changed.
func (d *Diff) Counts() (added, deleted, changed int) {
	for _, c := range d.Changes {
		switch c.Class {
		case Added:
			added++
		case Deleted:
			deleted++
		default:
			changed++
		}
	}
	return
}

func (d *Diff) headline() string {
	a, r, c := d.Counts()
	return fmt.Sprintf("%d added, %d deleted, %d changed", a, r, c)
}

// bodyDiff returns the word diff of a change's body, or nil when the body did not change.
func bodyDiff(c Change) []Segment {
	for _, f := range c.Fields {
		if f.Field == "body" {
			o, _ := f.Old.(string)
			n, _ := f.New.(string)
			return WordDiff(strings.TrimSpace(o), strings.TrimSpace(n))
		}
	}
	return nil
}

// Report is the diff for every format: JSON (changes with their fields, old and new values,
// and a word-level body diff, [] when the body did not change); for a terminal one line per
// record with its changed fields and the body git --word-diff style ([-old-]{+new+}); in
// Markdown and HTML a section per kind, a table of fields per record and the body's word
// diff. Lists and objects are written as readable text, never as JSON.
func (d *Diff) Report() *report.Report {
	out := struct {
		From    string       `json:"from"`
		To      string       `json:"to"`
		Changes []diffChange `json:"changes"`
	}{From: d.From, To: d.To, Changes: []diffChange{}}
	for _, c := range d.Changes {
		bd := bodyDiff(c)
		if bd == nil {
			bd = []Segment{}
		}
		out.Changes = append(out.Changes, diffChange{c, bd})
	}
	return &report.Report{Data: out, Doc: d.Document()}
}

// Document is the diff as a document (see Report).
func (d *Diff) Document() *report.Document {
	doc := &report.Document{Title: "reqtrail diff " + d.From + " → " + d.To}
	var text, rich []report.Block
	text = append(text, report.Para(report.Plain(fmt.Sprintf("diff %s → %s: %s", d.From, d.To, d.headline()))))
	rich = append(rich, report.Heading{Level: 2, Text: report.Inline{report.Plain("Changes from "), report.Code(d.From), report.Plain(" to "), report.Code(d.To)}},
		report.Para(report.Plain(d.headline()+".")))
	d.byKind(func(k record.Kind, cs []Change) {
		text = append(text, report.Break{}, report.Para(report.Plain(kindTitles[k])))
		var lines *report.List
		add := func(s string) {
			if lines == nil {
				lines = &report.List{}
				text = append(text, lines)
			}
			lines.Items = append(lines.Items, report.Item{Text: report.Inline{report.Plain(s)}})
		}
		rich = append(rich, report.Heading{Level: 3, Text: report.Inline{report.Plain(kindTitles[k])}})
		for _, c := range cs {
			rich = append(rich, report.Heading{Level: 4, Text: report.Inline{report.Plain(map[string]string{"+": "➕ ", "-": "➖ ", "~": "✏️ "}[sign(c)]),
				report.Code(c.ID), report.Plain(" " + oneLine(c.Title))}})
			head := fmt.Sprintf("  %s %s  %s", sign(c), c.ID, oneLine(c.Title))
			switch c.Class {
			case Added, Deleted:
				add(fmt.Sprintf("%s  (%s %s)", head, c.Class, c.File))
				rich = append(rich, report.Para(report.Plain(strings.ToUpper(c.Class[:1])+c.Class[1:]+" ("), report.Code(c.File), report.Plain(").")))
				continue
			}
			add(fmt.Sprintf("%s  [%s]", head, c.Class))
			what := report.Para(report.Plain("Change: "), report.Strong(c.Class))
			if c.OldFile != "" {
				add(fmt.Sprintf("      moved: %s → %s", c.OldFile, c.File))
				what.Text = append(what.Text, report.Plain("; moved from "), report.Code(c.OldFile), report.Plain(" to "), report.Code(c.File))
			}
			what.Text = append(what.Text, report.Plain("."))
			rich = append(rich, what)
			t := &report.Table{Columns: []report.Column{{Key: "field", Head: "Field"}, {Key: "old", Head: "Old"}, {Key: "new", Head: "New"}}}
			for _, f := range c.Fields {
				if f.Field == "body" {
					continue
				}
				t.Add(report.Str(f.Field), report.ValueCell(f.Old), report.ValueCell(f.New))
				if ls, ok := listDiff(f.Old, f.New); ok {
					add("      " + f.Field + ":")
					for _, l := range ls {
						add("        " + l)
					}
					continue
				}
				add(fmt.Sprintf("      %s: %s → %s", f.Field, oneLine(valueText(f.Old)), oneLine(valueText(f.New))))
			}
			if len(t.Rows) > 0 {
				rich = append(rich, t)
			}
			if bd := bodyDiff(c); bd != nil {
				wd := report.WordDiff{Parts: make([]report.DiffPart, len(bd))}
				for i, sg := range bd {
					wd.Parts[i] = report.DiffPart{Op: map[Op]report.DiffOp{Equal: report.Same, Insert: report.Inserted, Delete: report.Deleted}[sg.Op], Text: sg.Text}
				}
				wd.Label = "      body:"
				text = append(text, wd)
				lines = nil
				wd.Label = "Body:"
				rich = append(rich, wd)
			}
		}
	})
	doc.Add(report.OnlyIn{Formats: []report.Format{report.Text}, Blocks: text},
		report.OnlyIn{Formats: []report.Format{report.Markdown, report.HTML}, Blocks: rich})
	return doc
}

// valueText renders a front-matter value on one line: scalars as written, lists as
// "a, b", maps as "key: value; key: value", an absent value as "(none)".
func valueText(v any) string {
	if v == nil {
		return "(none)"
	}
	return report.ValueCell(v).Text()
}

var kindTitles = map[record.Kind]string{
	record.RequirementKind: "Requirements",
	record.ChangeKind:      "Change requests",
	record.AcceptanceKind:  "Acceptance records",
	record.FeedbackKind:    "Feedback",
}

func (d *Diff) byKind(fn func(k record.Kind, cs []Change)) {
	for _, k := range record.AllKinds() {
		var cs []Change
		for _, c := range d.Changes {
			if c.Kind == k {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			fn(k, cs)
		}
	}
}

func sign(c Change) string {
	switch c.Class {
	case Added:
		return "+"
	case Deleted:
		return "-"
	}
	return "~"
}

// wordDiffText renders a word diff git --word-diff style: [-old-]{+new+}.
func wordDiffText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		switch s.Op {
		case Equal:
			b.WriteString(s.Text)
		case Insert:
			b.WriteString("{+" + s.Text + "+}")
		case Delete:
			b.WriteString("[-" + s.Text + "-]")
		}
	}
	return b.String()
}

// listDiff describes the change of a list of scalars item by item: lists of the same length
// show each changed item as a word diff ("~ "), others the removed ("- ") and added ("+ ")
// items. ok is false when either value is not such a list.
func listDiff(old, new any) (lines []string, ok bool) {
	items := func(v any) ([]string, bool) {
		if v == nil {
			return nil, true
		}
		l, isList := v.([]any)
		if !isList {
			return nil, false
		}
		var out []string
		for _, x := range l {
			switch x.(type) {
			case map[string]any, []any:
				return nil, false
			}
			out = append(out, oneLine(valueText(x)))
		}
		return out, true
	}
	o, ok1 := items(old)
	n, ok2 := items(new)
	if !ok1 || !ok2 || old == nil && new == nil {
		return nil, false
	}
	if len(o) == len(n) {
		for i := range o {
			if o[i] != n[i] {
				lines = append(lines, "~ "+wordDiffText(WordDiff(o[i], n[i])))
			}
		}
		return lines, true
	}
	left := map[string]int{}
	for _, x := range n {
		left[x]++
	}
	for _, x := range o {
		if left[x] > 0 {
			left[x]--
			continue
		}
		lines = append(lines, "- "+x)
	}
	had := map[string]int{}
	for _, x := range o {
		had[x]++
	}
	for _, x := range n {
		if had[x] > 0 {
			had[x]--
			continue
		}
		lines = append(lines, "+ "+x)
	}
	return lines, true
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
