package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

type roadmapReq struct {
	Ref        ref
	Status     string
	Owner      string
	Start, Due string
	Coverage   string
}

type roadmapRelease struct {
	Name     string
	Anchor   string
	Reqs     []roadmapReq
	Done     int
	Progress string
	From, To string
	Chart    template.HTML
}

type roadmapView struct {
	Overview template.HTML
	Releases []roadmapRelease
	Undated  int
}

// maxRoadmapBars bounds the bars drawn for one release; its table lists every requirement.
const maxRoadmapBars = 400

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func (b *builder) roadmapPage() ([]byte, error) {
	groups := map[string][]*record.Record{}
	for _, rec := range b.reqs {
		groups[rec.Req.Release] = append(groups[rec.Req.Release], rec)
	}
	var names []string
	for n := range groups {
		if n != "" {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, compareVersions)
	if len(groups[""]) > 0 {
		names = append(names, "")
	}
	// The time axis spans every date of every requirement.
	var lo, hi time.Time
	for _, rec := range b.reqs {
		for _, s := range []string{rec.Req.Start, rec.Req.Due} {
			if t, ok := parseDate(s); ok {
				if lo.IsZero() || t.Before(lo) {
					lo = t
				}
				if hi.IsZero() || t.After(hi) {
					hi = t
				}
			}
		}
	}
	ax := newAxis(lo, hi)
	ax.zh = b.lang == "zh-CN"
	v := &roadmapView{}
	var overview []timelineBar
	for i, n := range names {
		reqs := groups[n]
		rel := roadmapRelease{Name: n, Anchor: "rt-rel-" + strconv.Itoa(i+1)}
		if n == "" {
			rel.Name = b.t("No release")
		}
		var rlo, rhi time.Time
		dated := 0
		for _, rec := range reqs {
			q := rec.Req
			if vocab.IsReleased(q.Status) {
				rel.Done++
			}
			st, okS := parseDate(q.Start)
			du, okD := parseDate(q.Due)
			if okS && (rlo.IsZero() || st.Before(rlo)) {
				rlo = st
			}
			if okD && (rhi.IsZero() || du.After(rhi)) {
				rhi = du
			}
			if !okS && !okD {
				v.Undated++
				continue
			}
			dated++
		}
		// The chart draws a release's requirements only up to maxRoadmapBars, in id order
		// for equal dates.
		var bars []timelineBar
		if dated <= maxRoadmapBars {
			bars = make([]timelineBar, 0, dated)
			for _, rec := range reqs {
				q := rec.Req
				st, okS := parseDate(q.Start)
				du, okD := parseDate(q.Due)
				if !okS && !okD {
					continue
				}
				label := rec.ID + " " + rec.Title
				bars = append(bars, timelineBar{Label: label, Title: label, Class: "fill k-" + cls(q.Status), Start: st, End: du, Href: b.links[rec.ID].fromTop})
			}
			slices.SortStableFunc(bars, func(x, y timelineBar) int { return compareTimes(x.Start, y.Start, x.End, y.End) })
		}
		// The table lists them by start, then due date, sorted as pointers: a release may
		// hold thousands.
		slices.SortStableFunc(reqs, func(x, y *record.Record) int {
			return cmpStrings(orMax(x.Req.Start), orMax(y.Req.Start), orMax(x.Req.Due), orMax(y.Req.Due))
		})
		rel.Reqs = make([]roadmapReq, 0, len(reqs))
		for _, rec := range reqs {
			q := rec.Req
			rel.Reqs = append(rel.Reqs, roadmapReq{Ref: b.ref("", rec.ID), Status: q.Status, Owner: q.Owner, Start: q.Start, Due: q.Due, Coverage: b.tr.Coverage[rec.ID]})
		}
		rel.Progress = pct(rel.Done, len(reqs))
		if !rlo.IsZero() {
			rel.From = rlo.Format(time.DateOnly)
		}
		if !rhi.IsZero() {
			rel.To = rhi.Format(time.DateOnly)
		}
		if len(bars) > 0 && len(bars) <= maxRoadmapBars {
			rel.Chart = ax.chart(rel.Name, bars, b.now())
		}
		if !rlo.IsZero() || !rhi.IsZero() {
			overview = append(overview, timelineBar{
				Label: fmt.Sprintf("%s (%d)", rel.Name, len(reqs)), Title: fmt.Sprintf("%s: %d/%d %s", rel.Name, rel.Done, len(reqs), b.t("done")),
				Class: "fill k-release", Start: rlo, End: rhi, Href: "#" + rel.Anchor,
				Progress: float64(rel.Done) / float64(max(len(reqs), 1)),
			})
		}
		v.Releases = append(v.Releases, rel)
	}
	if len(overview) > 0 {
		v.Overview = ax.chart(b.t("Roadmap"), overview, b.now())
	}
	return b.execute("roadmap", b.newPage(b.t("Roadmap"), "roadmap", "", "roadmap.html", v))
}

func orMax(s string) string {
	if s == "" {
		return "\uffff"
	}
	return s
}

// cmpStrings compares pairs (a[0] with a[1], then a[2] with a[3], …) and returns the first
// difference.
func cmpStrings(a ...string) int {
	for i := 0; i+1 < len(a); i += 2 {
		if c := strings.Compare(a[i], a[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

func compareTimes(a1, b1, a2, b2 time.Time) int {
	if c := a1.Compare(b1); c != 0 {
		return c
	}
	return a2.Compare(b2)
}

// timelineBar is one bar of a timeline: from Start to End; a missing end draws a marker at
// Start, a missing start a marker at End.
type timelineBar struct {
	Label, Title, Class, Href string
	Start, End                time.Time
	Progress                  float64 // 0..1 shown as an inner bar, for releases
}

// axis maps dates to horizontal positions, in percent of the chart's width.
type axis struct {
	lo, hi time.Time
	zh     bool // Chinese tick labels (2024年10月)
}

func (a axis) month(t time.Time) string {
	if a.zh {
		return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
	}
	return t.Format("2006-01")
}

func (a axis) year(t time.Time) string {
	if a.zh {
		return fmt.Sprintf("%d年", t.Year())
	}
	return t.Format("2006")
}

const (
	axisLeft  = 20.0 // percent of the width taken by labels
	axisRight = 98.5
)

func newAxis(lo, hi time.Time) axis {
	if lo.IsZero() {
		return axis{}
	}
	// Whole months around the dates.
	lo = time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
	hi = time.Date(hi.Year(), hi.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	return axis{lo: lo, hi: hi}
}

func (a axis) x(t time.Time) float64 {
	span := a.hi.Sub(a.lo)
	if span <= 0 {
		return axisLeft
	}
	f := float64(t.Sub(a.lo)) / float64(span)
	f = min(max(f, 0), 1)
	return axisLeft + f*(axisRight-axisLeft)
}

// chart draws bars against the axis with month ticks and a line at now.
func (a axis) chart(title string, bars []timelineBar, now time.Time) template.HTML {
	const rowH, barH, top = 22, 14, 22
	h := top + rowH*len(bars) + 6
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart timeline" width="100%%" height="%d" role="img" aria-label="%s">`, h, esc(title))
	// Month ticks: every month when the span is short, else every quarter or year.
	months := (a.hi.Year()-a.lo.Year())*12 + int(a.hi.Month()-a.lo.Month())
	step := 1
	switch {
	case months > 48:
		step = 12
	case months > 18:
		step = 3
	}
	for t := a.lo; !t.After(a.hi); t = t.AddDate(0, step, 0) {
		x := a.x(t)
		fmt.Fprintf(&sb, `<line class="tick" x1="%s" x2="%s" y1="%d" y2="%d"></line>`, fmtPct(x), fmtPct(x), top-6, h)
		if t.Before(a.hi) {
			label := a.month(t)
			if step == 12 {
				label = a.year(t)
			}
			fmt.Fprintf(&sb, `<text class="tick-lbl" x="%s" y="%d" dx="3">%s</text>`, fmtPct(x), top-9, label)
		}
	}
	for i, br := range bars {
		y := top + i*rowH + 4
		if br.Href != "" {
			fmt.Fprintf(&sb, `<a href="%s">`, esc(br.Href))
		}
		fmt.Fprintf(&sb, `<g class="row"><title>%s</title>`, esc(br.Title+" "+dateRange(br.Start, br.End)))
		fmt.Fprintf(&sb, `<rect class="hit" x="0" y="%d" width="100%%" height="%d"></rect>`, y-4, rowH)
		fmt.Fprintf(&sb, `<text class="lbl" x="0" y="%d">%s</text>`, y+barH-3, esc(truncate(br.Label, 34)))
		switch {
		case !br.Start.IsZero() && !br.End.IsZero() && !br.End.Before(br.Start):
			x1, x2 := a.x(br.Start), a.x(br.End)
			w := max(x2-x1, 0.4)
			fmt.Fprintf(&sb, `<rect class="%s" x="%s" y="%d" width="%s" height="%d" rx="3"></rect>`, esc(br.Class), fmtPct(x1), y, fmtPct(w), barH)
			if br.Progress > 0 {
				fmt.Fprintf(&sb, `<rect class="progress" x="%s" y="%d" width="%s" height="%d" rx="2"></rect>`, fmtPct(x1), y+barH-4, fmtPct(w*br.Progress), 4)
			}
		default:
			t := br.Start
			if t.IsZero() || !br.End.IsZero() && br.End.Before(br.Start) {
				t = br.End
			}
			x := a.x(t)
			fmt.Fprintf(&sb, `<circle class="%s" cx="%s" cy="%d" r="5"></circle>`, esc(br.Class), fmtPct(x), y+barH/2)
		}
		sb.WriteString(`</g>`)
		if br.Href != "" {
			sb.WriteString(`</a>`)
		}
	}
	if !now.IsZero() && !now.Before(a.lo) && !now.After(a.hi) {
		x := a.x(now)
		fmt.Fprintf(&sb, `<line class="now" x1="%s" x2="%s" y1="%d" y2="%d"></line>`, fmtPct(x), fmtPct(x), top-6, h)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func dateRange(a, b time.Time) string {
	f := func(t time.Time) string {
		if t.IsZero() {
			return "?"
		}
		return t.Format(time.DateOnly)
	}
	return f(a) + " → " + f(b)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// compareVersions orders release names naturally: "2024.3" < "2024.10", numbers by value,
// other text as text.
func compareVersions(a, b string) int {
	for a != "" && b != "" {
		da, ra := leadingDigits(a)
		db, rb := leadingDigits(b)
		if da != "" && db != "" {
			ta, tb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if len(ta) != len(tb) {
				return len(ta) - len(tb)
			}
			if c := strings.Compare(ta, tb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// formatInt formats n with no separators (stable across languages).
func formatInt(n int) string { return strconv.Itoa(n) }

// valueText renders a front-matter value on one line: scalars as written, lists and maps as
// JSON, an absent value as "—".
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case string:
		return v
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
