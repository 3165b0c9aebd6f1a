package mdterm

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, in, want string
		width          int
	}{
		{"headings", "# Title\n\n## Section\n\n### Sub\n\ntext", "Title\n=====\n\nSection\n-------\n\n### Sub\n\ntext\n", 0},
		{"CJK heading underline by display width", "## 描述\n", "描述\n----\n", 0},
		{"emphasis and code", "Some **bold**, *it* and `code` ~~gone~~.", "Some bold, it and `code` ~~gone~~.\n", 0},
		{"links", "See [the docs](https://x.example/d) and <https://y.example>.", "See the docs (https://x.example/d) and https://y.example.\n", 0},
		{"soft breaks join lines", "one\ntwo", "one two\n", 0},
		{"soft breaks between CJK characters vanish", "客户\n服务", "客户服务\n", 0},
		{"lists", "- a\n- b\n  - c\n\n1. x\n2. y", "• a\n• b\n  • c\n\n1. x\n2. y\n", 0},
		{"task list", "- [x] done\n- [ ] todo", "• [x] done\n• [ ] todo\n", 0},
		{"code block", "```go\nfunc f() {}\n```", "    func f() {}\n", 0},
		{"quote", "> quoted\n> text", "│ quoted text\n", 0},
		{"html comments dropped", "<!-- hidden -->\n\nvisible <!-- inline --> text", "visible  text\n", 0},
		{"control characters replaced", "bad \x1b[31mred\x1b[0m", "bad �[31mred�[0m\n", 0},
		{"wrap", "aaa bbb ccc ddd", "aaa bbb\nccc ddd\n", 8},
		{"wrap CJK", "知识库是客服平台的大脑。", "知识库是\n客服平台\n的大脑。\n", 8},
		{"table", "| A | Bee |\n| --- | ---: |\n| 知识 | 1 |\n| x | 22 |", "A    │ Bee\n─────┼────\n知识 │   1\nx    │  22\n", 0},
		{"empty", "", "", 0},
		{"rule", "a\n\n---\n\nb", "a\n\n" + strings.Repeat("─", 40) + "\n\nb\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render([]byte(tt.in), Options{Width: tt.width})
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestRenderColor(t *testing.T) {
	got := Render([]byte("# T\n\n**b** `c`"), Options{Color: true})
	if !strings.Contains(got, bold+"T"+reset) || !strings.Contains(got, bold+"b"+reset) || !strings.Contains(got, cyan+"c"+reset) {
		t.Errorf("%q", got)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("# T\n\n- a\n  - b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n", 20)
	f.Add("客户\n服务 **粗体** [链接](http://x)", 5)
	f.Fuzz(func(t *testing.T, s string, width int) {
		out := Render([]byte(s), Options{Width: width % 200, Color: width%2 == 0})
		if strings.ContainsFunc(strings.ReplaceAll(out, "\x1b[", ""), func(r rune) bool { return r == 0x1b }) {
			t.Errorf("escape character in output: %q", out)
		}
	})
}
