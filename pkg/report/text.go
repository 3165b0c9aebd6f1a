package report

import (
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
)

// IsControl reports whether r is a control character a terminal would act on (C0, DEL, C1).
func IsControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

// Clean is the one text escaper: every control character (ESC, BEL, a newline in a title,
// C1) becomes a space, so record text never drives a terminal.
func Clean(s string) string { return clean(s, false) }

// CleanLines is Clean for multi-line text: newlines and tabs stay, every other control
// character becomes a space.
func CleanLines(s string) string { return clean(s, true) }

func clean(s string, lines bool) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if lines && (r == '\n' || r == '\t') {
			return r
		}
		if IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// Width is the display width of s in terminal columns (wide CJK characters count two).
func Width(s string) int { return uniseg.StringWidth(s) }

// Truncate is the one truncation rule: s cut to at most width display columns, ending with
// "…" when cut, never inside a grapheme cluster.
func Truncate(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	if width <= 0 {
		return ""
	}
	var b strings.Builder
	used, state := 0, -1
	for s != "" {
		var cluster string
		var w int
		cluster, s, w, state = uniseg.FirstGraphemeClusterInString(s, state)
		if used+w > width-1 {
			break
		}
		b.WriteString(cluster)
		used += w
	}
	return b.String() + "…"
}

// Plural is the one plural helper: "1 record", "2 records".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count is "n noun" with the noun in singular or plural: Count(2, "file", "files").
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// Percent is n of total as a whole percentage, rounded half up: "33%".
func Percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strconv.Itoa((n*1000/total+5)/10) + "%"
}
