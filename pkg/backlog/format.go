package backlog

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/reqtrail/reqtrail/pkg/output"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Table is rows of text cells with a header, written as an aligned text table, CSV or a
// Markdown table.
type Table struct {
	Head []string
	Rows [][]string
	// Right marks right-aligned columns.
	Right []bool
	// Flex is the column cut with "…" when the text table is wider than asked (-1: none).
	Flex int
}

// WriteText writes the table with columns aligned by display width (wide CJK characters
// count two). When width > 0 the Flex column is cut so lines fit in width columns.
func (t *Table) WriteText(w io.Writer, width int) error {
	rows := append([][]string{t.Head}, t.Rows...)
	widths := make([]int, len(t.Head))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(clean(c)))
		}
	}
	if width > 0 && t.Flex >= 0 && t.Flex < len(widths) {
		total := 2 * (len(widths) - 1)
		for _, wd := range widths {
			total += wd
		}
		if over := total - width; over > 0 {
			widths[t.Flex] = max(widths[t.Flex]-over, min(widths[t.Flex], 20))
		}
	}
	bw := bufio.NewWriter(w)
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			c = truncate(clean(c), widths[i])
			pad := strings.Repeat(" ", widths[i]-uniseg.StringWidth(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < len(t.Right) && t.Right[i] {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return bw.Flush()
}

// WriteCSV writes the table as CSV (RFC 4180) with a header row.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Head); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

var mdEscaper = strings.NewReplacer("|", `\|`, "\\", `\\`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

// WriteMarkdown writes the table as a GitHub-flavoured Markdown table.
func (t *Table) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	row := func(cells []string) {
		bw.WriteString("|")
		for _, c := range cells {
			bw.WriteString(" " + mdEscaper.Replace(clean(c)) + " |")
		}
		bw.WriteString("\n")
	}
	row(t.Head)
	bw.WriteString("|")
	for i := range t.Head {
		if i < len(t.Right) && t.Right[i] {
			bw.WriteString(" ---: |")
		} else {
			bw.WriteString(" --- |")
		}
	}
	bw.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	return bw.Flush()
}

// clean turns control characters (a newline in a title) into spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// truncate cuts s to width display columns, ending with "…" when cut.
func truncate(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if w+cw > width-1 {
			break
		}
		b.WriteString(g.Str())
		w += cw
	}
	return b.String() + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func num(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

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

// RankFormats are the formats of WriteRank.
var RankFormats = []string{"text", "json", "markdown", "csv"}

// RankTable returns the backlog as a table: rank, id, MoSCoW, ICE, value/cost, urgency,
// Kano, status, response time (when any entry has one) and title.
func RankTable(entries []Entry) *Table {
	withResponse := false
	for i := range entries {
		if entries[i].Response != nil {
			withResponse = true
		}
	}
	t := &Table{Head: []string{"#", "ID", "MOSCOW", "ICE", "V/C", "URGENCY", "KANO", "STATUS"},
		Right: []bool{true, false, false, true, true}}
	if withResponse {
		t.Head = append(t.Head, "RESPONSE")
	}
	t.Head = append(t.Head, "TITLE")
	t.Flex = len(t.Head) - 1
	for i := range entries {
		e := &entries[i]
		vc := "-"
		if r, ok := e.ValueCost(); ok {
			vc = strconv.FormatFloat(r, 'f', 2, 64)
		}
		row := []string{strconv.Itoa(e.Rank), e.ID, orDash(e.MoSCoW), num(e.ICE.Score), vc,
			orDash(e.Urgency), orDash(e.Kano), e.Status}
		if withResponse {
			row = append(row, orDash(ResponseText(e)))
		}
		t.Rows = append(t.Rows, append(row, e.Title))
	}
	return t
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

// WriteRank writes the ranked backlog in format (one of RankFormats); width limits the text
// table (0: no limit).
func WriteRank(w io.Writer, format string, entries []Entry, width int) error {
	if entries == nil {
		entries = []Entry{}
	}
	sum := Summarize(entries)
	switch format {
	case "json":
		return output.WriteJSON(w, struct {
			Backlog []Entry `json:"backlog"`
			Summary Summary `json:"summary"`
		}{entries, sum})
	case "csv":
		t := &Table{Head: []string{"rank", "id", "title", "status", "moscow", "kano", "ice_impact", "ice_confidence",
			"ice_ease", "ice_score", "value", "cost", "value_cost", "urgency", "owner", "release", "waiting_since", "overdue"}}
		for _, e := range entries {
			vc := ""
			if r, ok := e.ValueCost(); ok {
				vc = strconv.FormatFloat(r, 'f', 4, 64)
			}
			since, overdue := "", ""
			if e.Response != nil {
				since, overdue = e.Response.Since.UTC().Format(time.RFC3339), strconv.FormatBool(e.Response.Overdue)
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(e.Rank), e.ID, e.Title, e.Status, e.MoSCoW, e.Kano,
				itoa(e.ICE.Impact), itoa(e.ICE.Confidence), itoa(e.ICE.Ease), itoa(e.ICE.Score), itoa(e.Value), itoa(e.Cost),
				vc, e.Urgency, e.Owner, e.Release, since, overdue})
		}
		return t.WriteCSV(w)
	case "markdown":
		if err := RankTable(entries).WriteMarkdown(w); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", summaryLine(sum))
		return err
	case "text":
		if len(entries) == 0 {
			_, err := fmt.Fprintln(w, "No open requirements.")
			return err
		}
		if err := RankTable(entries).WriteText(w, width); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", summaryLine(sum))
		return err
	}
	return fmt.Errorf("unknown rank format %q", format)
}

func summaryLine(s Summary) string {
	line := fmt.Sprintf("%d open requirement%s", s.Open, plural(s.Open))
	if s.Overdue > 0 {
		line += fmt.Sprintf(", %d past %s response time", s.Overdue, map[bool]string{true: "its", false: "their"}[s.Overdue == 1])
	}
	return line + "."
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// ListFormats are the formats of WriteList.
var ListFormats = []string{"text", "json", "csv", "markdown"}

// ListItem is one record as reqtrail list shows it.
type ListItem struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	File     string   `json:"file"`
	Title    string   `json:"title"`
	Status   string   `json:"status"`
	Type     string   `json:"type,omitempty"`
	MoSCoW   string   `json:"moscow,omitempty"`
	Kano     string   `json:"kano,omitempty"`
	Urgency  string   `json:"urgency,omitempty"`
	Owner    string   `json:"owner,omitempty"`
	Release  string   `json:"release,omitempty"`
	Parent   string   `json:"parent,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Affects  []string `json:"affects,omitempty"`
	Accepted []string `json:"requirements,omitempty"`
}

// Item describes a record for reqtrail list.
func Item(rec *record.Record) ListItem {
	it := ListItem{ID: rec.ID, Kind: string(rec.Kind), File: rec.File, Title: rec.Title, Status: rec.Status()}
	switch {
	case rec.Req != nil:
		q := rec.Req
		it.Type, it.MoSCoW, it.Kano, it.Urgency, it.Owner, it.Release, it.Parent, it.Tags =
			q.Type, q.MoSCoW, q.Kano, q.Urgency, q.Owner, q.Release, q.Parent, q.Tags
	case rec.Change != nil:
		it.Affects = rec.Change.Affects
	case rec.Acc != nil:
		for _, a := range rec.Acc.Requirements {
			it.Accepted = append(it.Accepted, a.ID)
		}
	}
	return it
}

// WriteList writes records in format (one of ListFormats); width limits the text table.
func WriteList(w io.Writer, format string, recs []*record.Record, width int) error {
	items := make([]ListItem, 0, len(recs))
	onlyReqs := true
	for _, rec := range recs {
		items = append(items, Item(rec))
		if rec.Kind != record.RequirementKind {
			onlyReqs = false
		}
	}
	if format == "json" {
		return output.WriteJSON(w, struct {
			Records []ListItem `json:"records"`
			Count   int        `json:"count"`
		}{items, len(items)})
	}
	t := &Table{}
	if onlyReqs {
		t.Head = []string{"ID", "STATUS", "TYPE", "MOSCOW", "URGENCY", "OWNER", "RELEASE", "TITLE"}
		for _, it := range items {
			t.Rows = append(t.Rows, []string{it.ID, it.Status, orDash(it.Type), orDash(it.MoSCoW), orDash(it.Urgency),
				orDash(it.Owner), orDash(it.Release), it.Title})
		}
	} else {
		t.Head = []string{"ID", "KIND", "STATUS", "REFERS TO", "TITLE"}
		for _, it := range items {
			refs := it.Parent
			if len(it.Affects) > 0 {
				refs = strings.Join(it.Affects, ",")
			} else if len(it.Accepted) > 0 {
				refs = strings.Join(it.Accepted, ",")
			}
			t.Rows = append(t.Rows, []string{it.ID, it.Kind, orDash(it.Status), orDash(refs), it.Title})
		}
	}
	t.Flex = len(t.Head) - 1
	if format == "csv" {
		t.Head = []string{"id", "kind", "file", "title", "status", "type", "moscow", "kano", "urgency", "owner", "release", "parent", "tags", "refers_to"}
		t.Rows = nil
		for _, it := range items {
			refs := append(append([]string{}, it.Affects...), it.Accepted...)
			t.Rows = append(t.Rows, []string{it.ID, it.Kind, it.File, it.Title, it.Status, it.Type, it.MoSCoW, it.Kano,
				it.Urgency, it.Owner, it.Release, it.Parent, strings.Join(it.Tags, ","), strings.Join(refs, ",")})
		}
		return t.WriteCSV(w)
	}
	switch format {
	case "markdown":
		return t.WriteMarkdown(w)
	case "text":
		if len(items) == 0 {
			_, err := fmt.Fprintln(w, "No records match.")
			return err
		}
		if err := t.WriteText(w, width); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%d record%s\n", len(items), plural(len(items)))
		return err
	}
	return fmt.Errorf("unknown list format %q", format)
}
