package gate

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/record"
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

// WriteJSON writes the diff as JSON: changes with their fields (old and new values) and a
// word-level body diff ([] when the body did not change).
func (d *Diff) WriteJSON(w io.Writer) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// valueText renders a front-matter value on one line: scalars as written, lists and maps as
// JSON, an absent value as "(none)".
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "(none)"
	case string:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

var kindTitles = map[record.Kind]string{
	record.RequirementKind: "Requirements",
	record.ChangeKind:      "Change requests",
	record.AcceptanceKind:  "Acceptance records",
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

// WriteText writes the diff for a terminal, git --word-diff style for bodies.
func (d *Diff) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "diff %s → %s: %s\n", d.From, d.To, d.headline())
	d.byKind(func(k record.Kind, cs []Change) {
		fmt.Fprintf(&b, "\n%s\n", kindTitles[k])
		for _, c := range cs {
			fmt.Fprintf(&b, "  %s %s  %s", sign(c), c.ID, oneLine(c.Title))
			switch c.Class {
			case Added, Deleted:
				fmt.Fprintf(&b, "  (%s %s)\n", c.Class, c.File)
				continue
			}
			fmt.Fprintf(&b, "  [%s]\n", c.Class)
			if c.OldFile != "" {
				fmt.Fprintf(&b, "      moved: %s → %s\n", c.OldFile, c.File)
			}
			for _, f := range c.Fields {
				if f.Field == "body" {
					continue
				}
				if lines, ok := listDiff(f.Old, f.New); ok {
					fmt.Fprintf(&b, "      %s:\n", f.Field)
					for _, l := range lines {
						fmt.Fprintf(&b, "        %s\n", l)
					}
					continue
				}
				fmt.Fprintf(&b, "      %s: %s → %s\n", f.Field, oneLine(valueText(f.Old)), oneLine(valueText(f.New)))
			}
			if bd := bodyDiff(c); bd != nil {
				b.WriteString("      body: " + wordDiffText(bd) + "\n")
			}
		}
	})
	_, err := io.WriteString(w, b.String())
	return err
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

// WriteMarkdown writes the diff as Markdown (GitHub flavour: bodies use <del> and <ins>).
func (d *Diff) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Changes from `%s` to `%s`\n\n%s.\n", mdEscape(d.From), mdEscape(d.To), d.headline())
	d.byKind(func(k record.Kind, cs []Change) {
		fmt.Fprintf(&b, "\n### %s\n", kindTitles[k])
		for _, c := range cs {
			fmt.Fprintf(&b, "\n#### %s `%s` %s\n\n", map[string]string{"+": "➕", "-": "➖", "~": "✏️"}[sign(c)], c.ID, mdEscape(c.Title))
			switch c.Class {
			case Added, Deleted:
				fmt.Fprintf(&b, "%s (`%s`).\n", strings.ToUpper(c.Class[:1])+c.Class[1:], mdEscape(c.File))
				continue
			}
			fmt.Fprintf(&b, "Change: **%s**", c.Class)
			if c.OldFile != "" {
				fmt.Fprintf(&b, "; moved from `%s` to `%s`", mdEscape(c.OldFile), mdEscape(c.File))
			}
			b.WriteString(".\n\n")
			var rows int
			for _, f := range c.Fields {
				if f.Field == "body" {
					continue
				}
				if rows == 0 {
					b.WriteString("| Field | Old | New |\n| --- | --- | --- |\n")
				}
				rows++
				fmt.Fprintf(&b, "| %s | %s | %s |\n", mdEscape(f.Field), mdEscape(valueText(f.Old)), mdEscape(valueText(f.New)))
			}
			if rows > 0 {
				b.WriteByte('\n')
			}
			if bd := bodyDiff(c); bd != nil {
				b.WriteString("Body:\n\n> ")
				for _, s := range bd {
					t := strings.ReplaceAll(html.EscapeString(s.Text), "\n", "<br>")
					switch s.Op {
					case Equal:
						b.WriteString(t)
					case Insert:
						b.WriteString("<ins>" + t + "</ins>")
					case Delete:
						b.WriteString("<del>" + t + "</del>")
					}
				}
				b.WriteString("\n")
			}
		}
	})
	_, err := io.WriteString(w, b.String())
	return err
}

const diffCSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
ins{background:#dafbe1;text-decoration:none}del{background:#ffebe9}.body{white-space:pre-wrap;border-left:3px solid #d0d7de;padding-left:.75rem}
.added{color:#1a7f37}.deleted{color:#cf222e}code{font-family:ui-monospace,monospace}`

// WriteHTML writes the diff as a standalone HTML page (no scripts, no external resources).
func (d *Diff) WriteHTML(w io.Writer) error {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>reqtrail diff %s → %s</title>\n<style>%s</style></head><body>\n", e(d.From), e(d.To), diffCSS)
	fmt.Fprintf(&b, "<h1>Changes from <code>%s</code> to <code>%s</code></h1>\n<p>%s.</p>\n", e(d.From), e(d.To), d.headline())
	d.byKind(func(k record.Kind, cs []Change) {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", kindTitles[k])
		for _, c := range cs {
			fmt.Fprintf(&b, "<h3 class=\"%s\">%s <code>%s</code> %s</h3>\n", e(c.Class), e(sign(c)), e(c.ID), e(c.Title))
			switch c.Class {
			case Added, Deleted:
				fmt.Fprintf(&b, "<p>%s: <code>%s</code></p>\n", e(c.Class), e(c.File))
				continue
			}
			fmt.Fprintf(&b, "<p>Change: <strong>%s</strong>", e(c.Class))
			if c.OldFile != "" {
				fmt.Fprintf(&b, "; moved from <code>%s</code> to <code>%s</code>", e(c.OldFile), e(c.File))
			}
			b.WriteString("</p>\n")
			var rows int
			for _, f := range c.Fields {
				if f.Field == "body" {
					continue
				}
				if rows == 0 {
					b.WriteString("<table><tr><th>Field</th><th>Old</th><th>New</th></tr>\n")
				}
				rows++
				fmt.Fprintf(&b, "<tr><td>%s</td><td><del>%s</del></td><td><ins>%s</ins></td></tr>\n", e(f.Field), e(valueText(f.Old)), e(valueText(f.New)))
			}
			if rows > 0 {
				b.WriteString("</table>\n")
			}
			if bd := bodyDiff(c); bd != nil {
				b.WriteString("<div class=\"body\">")
				for _, s := range bd {
					switch s.Op {
					case Equal:
						b.WriteString(e(s.Text))
					case Insert:
						b.WriteString("<ins>" + e(s.Text) + "</ins>")
					case Delete:
						b.WriteString("<del>" + e(s.Text) + "</del>")
					}
				}
				b.WriteString("</div>\n")
			}
		}
	})
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
