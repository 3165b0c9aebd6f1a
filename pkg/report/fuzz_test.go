package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/pflag"
)

// FuzzMarkdown: whatever a record's text holds, the Markdown writers let no HTML tag, image,
// link, mention or control character through, and a folded document fits its limit.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "@alice #123", "![i](http://e/x.png)", "`code` | pipe", "\x1b[31m\a", "=1+2", "产品 需求", "[a](javascript:x)"} {
		f.Add(s, 300)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if !utf8.ValidString(s) {
			return
		}
		esc := EscapeMarkdown(s)
		if strings.ContainsAny(esc, "<>\n\r\x1b\a") || strings.Contains(esc, "![") || strings.Contains(strings.ReplaceAll(esc, `\]`, ""), "](") {
			t.Fatalf("EscapeMarkdown(%q) = %q lets markup through", s, esc)
		}
		for i := 0; i+1 < len(esc); i++ {
			if (esc[i] == '@' || esc[i] == '#') && esc[i+1] != ' ' && !strings.HasPrefix(esc[i+1:], "\u200b") {
				t.Fatalf("EscapeMarkdown(%q) = %q leaves a mention or reference", s, esc)
			}
		}
		if code := CodeSpan(s, true); strings.ContainsAny(code, "\n\r\x1b") {
			t.Fatalf("CodeSpan(%q) = %q", s, code)
		}
		limit = 200 + abs(limit)%5000
		d := &Document{}
		d.Add(Heading{Level: 2, Text: Inline{Plain("Title")}})
		items := make([]Item, 50)
		for i := range items {
			items[i] = Item{Text: Inline{Strong(s), Plain(" " + s)}, Detail: Inline{Emph(s)}}
		}
		tab := (&Table{Columns: []Column{{Key: "a", Head: "A"}, {Key: "b", Head: "B"}}}).Fold(1, "rows")
		for range 50 {
			tab.Add(Str(s), Strings([]string{s, s}))
		}
		d.Add(&List{Items: items, More: "items"}, tab)
		var b bytes.Buffer
		if err := WriteMarkdown(&b, d, limit); err != nil {
			t.Fatal(err)
		}
		// The headings and fold lines always stay; beyond them the limit holds.
		if n := size(b.String()); n > limit && n > 120 {
			t.Fatalf("limit %d: %d characters", limit, n)
		}
		if strings.Contains(b.String(), "<"+"b>") {
			t.Fatalf("raw HTML in %q", b.String())
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}

// FuzzOutputFlag: --output FORMAT=PATH takes exactly a known format and a non-empty path,
// and never panics.
func FuzzOutputFlag(f *testing.F) {
	for _, s := range []string{"sarif=r.sarif", "markdown=pr.md", "=x", "sarif=", "csv", "xml=a=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var outs Outputs
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		OutputFlag(fs, &outs, Text, SARIF, Markdown)
		err := fs.Set("output", s)
		name, path, ok := strings.Cut(s, "=")
		valid := ok && path != "" && (name == "text" || name == "sarif" || name == "markdown")
		if (err == nil) != valid {
			t.Fatalf("Set(%q) = %v, want valid=%v", s, err, valid)
		}
		if err == nil && (len(outs) != 1 || string(outs[0].Format) != name || outs[0].Path != path) {
			t.Fatalf("Set(%q) gave %+v", s, outs)
		}
	})
}

// FuzzText: whatever a record's text holds, the text writer — field rows wrapped to a
// width, tables, word diffs — writes no control character but the line ends it adds.
func FuzzText(f *testing.F) {
	for _, s := range []string{"approved", "\x1b[31mred\x1b[0m", "a\nb\tc", "工单自动分配 工单自动分配 工单自动分配", strings.Repeat("long ", 40)} {
		f.Add(s, s, 80)
	}
	f.Fuzz(func(t *testing.T, key, value string, width int) {
		width = abs(width) % 200
		d := &Document{Blocks: []Block{
			Fields{Width: width, Rows: []FieldRow{{Key: key, Value: value}, {Key: "", Value: value}, {Key: key}, {Key: "  • ", Value: value, Item: true}}},
			&Table{Columns: []Column{{Key: "k", Head: "K"}, {Key: "v", Head: "V", Flex: true}}, Rows: [][]Cell{{Str(key), Str(value)}}, Width: width},
			WordDiff{Label: key, Parts: []DiffPart{{Op: Deleted, Text: key}, {Op: Inserted, Text: value}}},
		}}
		var b bytes.Buffer
		if err := WriteText(&b, d); err != nil {
			t.Fatal(err)
		}
		// Word diffs keep the record's own line breaks and tabs; nothing else gets through.
		if strings.ContainsFunc(b.String(), func(r rune) bool { return IsControl(r) && r != '\n' && r != '\t' }) {
			t.Fatalf("control character in %q", b.String())
		}
	})
}
