package site

import (
	"fmt"
	"html/template"
	"strings"
)

// Charts are inline SVG with presentation attributes only (no style attributes, which the
// Content-Security-Policy forbids); colours come from the stylesheet through classes. Every
// text is escaped here.

// bar is one bar of a chart.
type bar struct {
	Key   string // the value, for the colour class
	Label string
	Value int
	Href  string
}

var esc = template.HTMLEscapeString

// cls keeps a value usable as a class name.
func cls(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// fmtPct formats a percentage for an SVG length.
func fmtPct(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".") + "%"
}

// barChart draws horizontal bars, labels left, values right of each bar.
func barChart(title string, bars []bar) template.HTML {
	const rowH, barH = 26, 16
	maxV := 0
	for _, x := range bars {
		maxV = max(maxV, x.Value)
	}
	h := rowH*len(bars) + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart bars" width="100%%" height="%d" role="img" aria-label="%s">`, h, esc(title))
	for i, x := range bars {
		y := i*rowH + 2
		w := 0.0
		if maxV > 0 {
			w = float64(x.Value) / float64(maxV) * 52
		}
		if x.Value > 0 && w < 0.6 {
			w = 0.6
		}
		if x.Href != "" {
			fmt.Fprintf(&sb, `<a href="%s">`, esc(x.Href))
		}
		fmt.Fprintf(&sb, `<g class="row"><title>%s: %d</title>`, esc(x.Label), x.Value)
		fmt.Fprintf(&sb, `<rect class="hit" x="0" y="%d" width="100%%" height="%d"></rect>`, y-2, rowH)
		fmt.Fprintf(&sb, `<text class="lbl" x="0" y="%d">%s</text>`, y+barH-3, esc(x.Label))
		fmt.Fprintf(&sb, `<rect class="track" x="36%%" y="%d" width="52%%" height="%d" rx="3"></rect>`, y, barH)
		if x.Value > 0 {
			fmt.Fprintf(&sb, `<rect class="fill k-%s" x="36%%" y="%d" width="%s" height="%d" rx="3"></rect>`, cls(x.Key), y, fmtPct(w), barH)
		}
		fmt.Fprintf(&sb, `<text class="val" x="100%%" y="%d" text-anchor="end">%d</text>`, y+barH-3, x.Value)
		sb.WriteString(`</g>`)
		if x.Href != "" {
			sb.WriteString(`</a>`)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// funnelStage is one stage of the workflow funnel.
type funnelStage struct {
	Key, Label string
	Reached    int // requirements at this stage or beyond
	Here       int // requirements at this stage
	Href       string
}

// funnelChart draws the workflow funnel: centred bars as wide as the number of requirements
// that reached each stage.
func funnelChart(title string, stages []funnelStage, reachedLabel, hereLabel string) template.HTML {
	const rowH, barH = 30, 22
	maxV := 0
	for _, s := range stages {
		maxV = max(maxV, s.Reached)
	}
	h := rowH*len(stages) + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart funnel" width="100%%" height="%d" role="img" aria-label="%s">`, h, esc(title))
	for i, s := range stages {
		y := i*rowH + 2
		w := 0.0
		if maxV > 0 {
			w = float64(s.Reached) / float64(maxV) * 50
		}
		if s.Reached > 0 && w < 1 {
			w = 1
		}
		if s.Href != "" {
			fmt.Fprintf(&sb, `<a href="%s">`, esc(s.Href))
		}
		fmt.Fprintf(&sb, `<g class="row"><title>%s: %d %s, %d %s</title>`, esc(s.Label), s.Reached, esc(reachedLabel), s.Here, esc(hereLabel))
		fmt.Fprintf(&sb, `<rect class="hit" x="0" y="%d" width="100%%" height="%d"></rect>`, y-2, rowH)
		fmt.Fprintf(&sb, `<text class="lbl" x="0" y="%d">%d · %s</text>`, y+barH-6, i+1, esc(s.Label))
		fmt.Fprintf(&sb, `<rect class="track" x="25%%" y="%d" width="50%%" height="%d" rx="4"></rect>`, y, barH)
		if w > 0 {
			fmt.Fprintf(&sb, `<rect class="fill k-%s" x="%s" y="%d" width="%s" height="%d" rx="4"></rect>`, cls(s.Key), fmtPct(50-w/2), y, fmtPct(w), barH)
		}
		fmt.Fprintf(&sb, `<text class="val" x="100%%" y="%d" text-anchor="end">%d <tspan class="muted">(%d %s)</tspan></text>`, y+barH-6, s.Reached, s.Here, esc(hereLabel))
		sb.WriteString(`</g>`)
		if s.Href != "" {
			sb.WriteString(`</a>`)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// donut draws a ring of the bars' shares with the total in the middle.
func donut(title string, bars []bar, center string) template.HTML {
	total := 0
	for _, x := range bars {
		total += x.Value
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart donut" viewBox="0 0 42 42" width="150" height="150" role="img" aria-label="%s">`, esc(title))
	sb.WriteString(`<circle class="track" cx="21" cy="21" r="15.9155" fill="none" stroke-width="6"></circle>`)
	if total > 0 {
		offset := 25.0 // start at 12 o'clock
		for _, x := range bars {
			if x.Value == 0 {
				continue
			}
			share := float64(x.Value) / float64(total) * 100
			if x.Href != "" {
				fmt.Fprintf(&sb, `<a href="%s">`, esc(x.Href))
			}
			fmt.Fprintf(&sb, `<circle class="stroke k-%s" cx="21" cy="21" r="15.9155" fill="none" stroke-width="6" stroke-dasharray="%.3f %.3f" stroke-dashoffset="%.3f"><title>%s: %d (%s)</title></circle>`,
				cls(x.Key), share, 100-share, offset, esc(x.Label), x.Value, pct(x.Value, total))
			if x.Href != "" {
				sb.WriteString(`</a>`)
			}
			offset -= share
		}
	}
	fmt.Fprintf(&sb, `<text class="donut-num" x="21" y="21" text-anchor="middle" dominant-baseline="central">%s</text>`, esc(center))
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// stackRow is one bar of a stacked chart: segments that add up to the row's total.
type stackRow struct {
	Label string
	Href  string
	Segs  []bar
}

// stackedChart draws one 100% bar per row, each segment as wide as its share.
func stackedChart(title string, rows []stackRow) template.HTML {
	const rowH, barH = 26, 16
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart stacked" width="100%%" height="%d" role="img" aria-label="%s">`, rowH*len(rows)+4, esc(title))
	for i, r := range rows {
		y := i*rowH + 2
		total := 0
		for _, s := range r.Segs {
			total += s.Value
		}
		if r.Href != "" {
			fmt.Fprintf(&sb, `<a href="%s">`, esc(r.Href))
		}
		fmt.Fprintf(&sb, `<g class="row"><rect class="hit" x="0" y="%d" width="100%%" height="%d"></rect>`, y-2, rowH)
		fmt.Fprintf(&sb, `<text class="lbl" x="0" y="%d">%s</text>`, y+barH-3, esc(truncate(r.Label, 22)))
		fmt.Fprintf(&sb, `<rect class="track" x="30%%" y="%d" width="62%%" height="%d" rx="3"></rect>`, y, barH)
		x := 30.0
		for _, s := range r.Segs {
			if s.Value == 0 || total == 0 {
				continue
			}
			w := float64(s.Value) / float64(total) * 62
			fmt.Fprintf(&sb, `<rect class="fill k-%s" x="%s" y="%d" width="%s" height="%d"><title>%s · %s: %d (%s)</title></rect>`,
				cls(s.Key), fmtPct(x), y, fmtPct(w), barH, esc(r.Label), esc(s.Label), s.Value, pct(s.Value, total))
			x += w
		}
		fmt.Fprintf(&sb, `<text class="val" x="100%%" y="%d" text-anchor="end">%d</text>`, y+barH-3, total)
		sb.WriteString(`</g>`)
		if r.Href != "" {
			sb.WriteString(`</a>`)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
