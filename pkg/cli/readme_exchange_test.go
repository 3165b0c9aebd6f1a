package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsExchange replays the walk of docs/exchange.md on the shared corpus sheet and checks
// that the outputs the guide shows are what the commands print.
func TestDocsExchange(t *testing.T) {
	sheets := "/work/shared/corpora/sheets"
	src, err := os.ReadFile(filepath.Join(sheets, "客户需求管理表-示例.csv"))
	if err != nil {
		t.Skip("the shared corpus is not here:", err)
	}
	doc, err := os.ReadFile("../../docs/exchange.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(doc)
	shown := func(what, out string) {
		t.Helper()
		out = strings.TrimRight(out, "\n")
		if !strings.Contains(guide, out) {
			t.Errorf("docs/exchange.md does not show what %s prints:\n%s", what, out)
		}
	}
	work := t.TempDir()
	dir := filepath.Join(work, "service")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), []byte("project: 客服平台\n"), 0o644)
	sheet := filepath.Join(work, "需求表.csv")
	os.WriteFile(sheet, src, 0o644)

	_, out, _ := runIn(dir, "import", "csv", sheet, "--dry-run")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	shown("the dry run (its first record)", strings.Join(lines[:19], "\n"))
	shown("the dry run (its end)", strings.Join(lines[len(lines)-5:], "\n"))
	_, out, _ = runIn(dir, "import", "csv", sheet)
	shown("import", out)
	_, out, _ = runIn(dir, "lint")
	shown("lint", out)
	rec, _ := os.ReadFile(filepath.Join(dir, "reqs", "REQ-0004.md"))
	shown("reqs/REQ-0004.md", string(rec))
	runIn(dir, "accept", "REQ-0008", "--by", "某零售客户–服务总监")
	_, out, _ = runIn(dir, "lint")
	shown("lint after accept", out)
	for _, f := range []string{"客户需求管理表-示例-gbk.csv", "客户需求管理表-示例-libreoffice.xlsx"} {
		_, out, stderr := runIn(dir, "import", strings.TrimPrefix(filepath.Ext(f), "."), filepath.Join(sheets, f), "--system", "需求表")
		if stderr != "" {
			t.Error(stderr)
		}
		shown("import "+f, out)
	}
	edited := strings.Replace(string(src), "按坐席和日期导出满意度评分明细。,中,", "按坐席和日期导出满意度评分明细。,高,", 1)
	os.WriteFile(sheet, []byte(edited), 0o644)
	_, out, _ = runIn(dir, "import", "csv", sheet, "--dry-run")
	shown("the dry run of the edited sheet", out)
	_, out, _ = runIn(dir, "import", "csv", sheet)
	shown("the import of the edited sheet", out)

	bad := filepath.Join(work, "坏表.csv")
	os.WriteFile(bad, []byte("标题,类型,提出日期\n好的一行,功能需求,2024-05-03\n坏的类型,奇怪,2024-05-03\n坏的日期,功能需求,5/3/2024\n"), 0o644)
	code, _, stderr := runIn(dir, "import", "csv", bad)
	if code != 1 {
		t.Errorf("the bad sheet: exit %d", code)
	}
	shown("the bad sheet", strings.TrimPrefix(stderr, ""))

	out2 := filepath.Join(work, "out.csv")
	runIn(dir, "export", "csv", "--lang", "zh-CN", "-o", out2)
	data, _ := os.ReadFile(out2)
	rows := strings.SplitN(strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n"), "\nREQ-0002,", 2)
	shown("export csv --lang zh-CN", rows[0])
}
