package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestDecode(t *testing.T) {
	text := "编号,标题\n1,工单\n"
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	for _, c := range []struct {
		in   []byte
		enc  Encoding
		want string
	}{
		{[]byte(text), UTF8, text},
		{append([]byte("\ufeff"), text...), UTF8, text},
		{gb, GB18030, text},
		{u16, UTF16, text},
	} {
		got, enc, err := Decode(c.in)
		if err != nil || enc != c.enc || got != c.want {
			t.Errorf("Decode: %q %s %v, want %q %s", got, enc, err, c.want, c.enc)
		}
	}
	if _, _, err := Decode([]byte("ab\xff\xffcd")); err == nil || !strings.Contains(err.Error(), "offset 2") {
		t.Errorf("bad bytes: %v", err)
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{"2024-05-03": "2024-05-03", "2024/5/3": "2024-05-03", "2024年5月3日": "2024-05-03",
		"5/3/2024": "", "2024.5.3": "", "2024-02-30": "", "45600": ""} {
		got, ok := ParseDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseDate(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if d, ok := SerialDate(45600, false); !ok || d != "2024-11-04" {
		t.Errorf("serial: %s", d)
	}
	if d, ok := SerialDate(45600-1462, true); !ok || d != "2024-11-04" {
		t.Errorf("1904 serial: %s", d)
	}
}

func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]string{" 优先级（必填） ": "优先级", "Title *": "title", "MoSCoW (must/should)": "moscow", "备注": "备注"} {
		if got := NormalizeHeader(in); got != want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
	if k := CustomKey("Customer Tier!", nil); k != "customer-tier" {
		t.Error(k)
	}
}

func TestCSVNeutralise(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, [][]string{{"a", "=1+1", "-x", "@y", "line\nbreak"}}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if want := "\ufeffa,'=1+1,'-x,'@y,\"line\r\nbreak\"\r\n"; got != want {
		t.Errorf("WriteCSV = %q, want %q", got, want)
	}
	tab, _, err := ReadCSV("x.csv", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if row := tab.Rows[0]; row[1].Text != "=1+1" || row[2].Text != "-x" || row[4].Text != "line\nbreak" {
		t.Errorf("read back %+v", row)
	}
}

// everyHeader is a GB18030 sheet with every Chinese header and value of SPEC §10's
// requirement table.
func everyHeaderSheet() string {
	var b strings.Builder
	b.WriteString("需求编号,需求名称,需求描述,需求来源,提出方信息,提出时间,需求类型,需求性质,优先级,紧急程度,可行性,状态,负责人,版本,开始时间,计划上线时间,验收标准,标签\n")
	types := []string{"功能需求", "非功能需求", "性能需求", "体验需求", "问题反馈", "缺陷", "其他"}
	nec := []string{"刚性需求", "刚性", "柔性需求", "柔性", "潜在需求", "潜在"}
	mos := []string{"必须有", "高", "应该有", "中", "可以有", "低", "暂不需要", "不做"}
	urg := []string{"紧急", "重要", "一般", "普通"}
	fea := []string{"可实现", "部分实现", "暂无法实现", "不可实现"}
	st := []string{"新建", "待处理", "待分析", "评审中", "已批准", "已通过", "开发中", "测试中", "暂缓", "延期", "已拒绝"}
	src := []string{"客户A电话反馈", "访谈", "问卷调研", "工单", "销售", "社区", "竞品分析", "市场调研", "内部", "随便"}
	dates := []string{"2024-05-03", "2024/5/3", "2024年5月3日"}
	for i := range 14 {
		pick := func(l []string) string { return l[i%len(l)] }
		b.WriteString(strings.Join([]string{"F-" + string(rune('A'+i)), "需求" + string(rune('A'+i)), "描述", pick(src), "客户" + string(rune('A'+i)),
			pick(dates), pick(types), pick(nec), pick(mos), pick(urg), pick(fea), pick(st), "组", "2024.3", pick(dates), pick(dates), "标准一；标准二", "标签"}, ","))
		b.WriteString("\n")
	}
	return b.String()
}

func TestEveryChineseHeaderGB18030(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(everyHeaderSheet()))
	if err != nil {
		t.Fatal(err)
	}
	tab, enc, err := ReadCSV("需求.csv", gb)
	if err != nil || enc != GB18030 {
		t.Fatalf("%v %s", err, enc)
	}
	im := &Importer{Config: config.Default()}
	items, problems := im.Items(tab, record.RequirementKind)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if len(items) != 14 {
		t.Fatalf("%d items", len(items))
	}
	seen := map[string]map[string]bool{}
	for _, it := range items {
		if len(it.Invalid) > 0 {
			t.Errorf("row %d: %v", it.Pos.Line, it.Invalid)
		}
		for k, v := range it.Set {
			if s, ok := v.(string); ok {
				if seen[k] == nil {
					seen[k] = map[string]bool{}
				}
				seen[k][s] = true
			}
		}
		if it.Origin.ID == "" || it.Body == nil {
			t.Errorf("row %d: origin %q body %v", it.Pos.Line, it.Origin.ID, it.Body)
		}
	}
	want := map[string][]string{
		"type":            {"functional", "non-functional", "experience", "defect", "other"},
		"necessity":       {"mandatory", "flexible", "latent"},
		"priority.moscow": {"must", "should", "could", "wont"},
		"urgency":         {"urgent", "important", "routine"},
		"feasibility":     {"feasible", "partial", "infeasible"},
		"status":          {"new", "analysis", "review", "approved", "development", "testing", "deferred", "rejected"},
		"source.channel":  {"support", "interview", "survey", "ticket", "sales", "community", "competitor", "market-research", "internal", "other"},
		"source.date":     {"2024-05-03"},
		"release":         {"2024.3"},
	}
	for k, vals := range want {
		for _, v := range vals {
			if !seen[k][v] {
				t.Errorf("%s: no row gave %q (got %v)", k, v, seen[k])
			}
		}
	}
	if !seen["source-note"]["客户A电话反馈"] {
		t.Errorf("free-text source not kept in source-note: %v", seen["source-note"])
	}
	if l, _ := items[0].Set["acceptance-criteria"].([]any); len(l) != 2 {
		t.Errorf("criteria split: %v", items[0].Set["acceptance-criteria"])
	}
}

func TestUnknownValueAndDuplicateColumns(t *testing.T) {
	im := &Importer{Config: config.Default()}
	tab, _, _ := ReadCSV("n.csv", []byte("标题,类型,日期\nA,奇怪,2024-13-01\n"))
	items, _ := im.Items(tab, record.RequirementKind)
	if len(items) != 1 || len(items[0].Invalid) != 2 {
		t.Fatalf("%+v", items)
	}
	if got := items[0].Invalid[0].String(); !strings.HasPrefix(got, "n.csv:2:2: 类型: unknown value \"奇怪\"") {
		t.Error(got)
	}
	tab, _, _ = ReadCSV("n.csv", []byte("标题,需求名称\nA,B\n"))
	if _, problems := im.Items(tab, record.RequirementKind); len(problems) != 1 || !strings.Contains(problems[0].Message, "both map to title") {
		t.Errorf("%v", problems)
	}
	im.Map = map[string]string{"需求名称": "-"}
	if _, problems := im.Items(tab, record.RequirementKind); len(problems) != 0 {
		t.Errorf("%v", problems)
	}
}

func TestCorpusSheets(t *testing.T) {
	dir := "/work/shared/corpora/sheets"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("the shared corpus is not here:", err)
	}
	im := &Importer{Config: config.Default()}
	var all [][]exchange.Item
	for _, f := range []string{"客户需求管理表-示例.csv", "客户需求管理表-示例-gbk.csv", "客户需求管理表-示例-libreoffice.xlsx"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		var tab *Table
		if strings.HasSuffix(f, ".xlsx") {
			ts, err := ReadXLSX(f, data)
			if err != nil {
				t.Fatal(err)
			}
			tab = ts[0]
		} else if tab, _, err = ReadCSV(f, data); err != nil {
			t.Fatal(err)
		}
		items, problems := im.Items(tab, record.RequirementKind)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		for _, it := range items {
			if len(it.Invalid) > 0 {
				t.Errorf("%s: %v", f, it.Invalid)
			}
		}
		all = append(all, items)
	}
	for i := 1; i < len(all); i++ {
		for j := range all[0] {
			a, b := all[0][j], all[i][j]
			for k, v := range a.Set {
				if exchange.Display(v) != exchange.Display(b.Set[k]) {
					t.Errorf("sheet %d row %d %s: %v, want %v", i, j+2, k, b.Set[k], v)
				}
			}
		}
	}
}

// TestLibreOffice has a real spreadsheet program write the XLSX we read, and read the XLSX
// we write.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	dir := t.TempDir()
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	csvPath := filepath.Join(dir, "需求.csv")
	if err := os.WriteFile(csvPath, []byte(everyHeaderSheet()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(soffice, append([]string{profile, "--headless"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %v: %v\n%s", args, err, out)
		}
	}
	run("--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, csvPath)
	data, err := os.ReadFile(filepath.Join(dir, "需求.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tabs, err := ReadXLSX("需求.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	im := &Importer{Config: config.Default()}
	items, problems := im.Items(tabs[0], record.RequirementKind)
	if len(problems) > 0 || len(items) != 14 {
		t.Fatalf("%v, %d items", problems, len(items))
	}
	for _, it := range items {
		if len(it.Invalid) > 0 {
			t.Errorf("%v", it.Invalid)
		}
		if it.Set["source.date"] != "2024-05-03" || it.Set["release"] != "2024.3" {
			t.Errorf("row %d: date %v release %v", it.Pos.Line, it.Set["source.date"], it.Set["release"])
		}
	}

	// Our XLSX, read by LibreOffice.
	var buf bytes.Buffer
	err = WriteXLSX(&buf, []Data{{Name: "requirement", Columns: []Column{{Header: "id"}, {Header: "release"}, {Header: "priority.value"}, {Header: "type", Values: []string{"functional", "defect"}}},
		Rows: [][]any{{"REQ-0001", "2024.10", int64(8), "functional"}, {"REQ-0002", "2024-05-03", nil, "defect"}}}})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", filepath.Join(dir, "back"), out)
	back, err := os.ReadFile(filepath.Join(dir, "back", "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// LibreOffice quotes text cells: the release and the date stayed text, the value is a number.
	want := "\"id\",\"release\",\"priority.value\",\"type\"\n\"REQ-0001\",\"2024.10\",8,\"functional\"\n\"REQ-0002\",\"2024-05-03\",,\"defect\"\n"
	if got := strings.ReplaceAll(string(back), "\r\n", "\n"); got != want {
		t.Errorf("LibreOffice read our XLSX as\n%s\nwant\n%s", got, want)
	}
}

func TestXLSXWriterReadBack(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXLSX(&buf, []Data{{Name: "requirement", Columns: []Column{{Header: "id"}, {Header: "status", Values: []string{"new", "approved"}}, {Header: "value"}},
		Rows: [][]any{{"REQ-0001", "new", int64(3)}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	dvs, _ := f.GetDataValidations("requirement")
	if len(dvs) != 1 {
		t.Errorf("%d data validations", len(dvs))
	}
	if dn := f.GetDefinedName(); len(dn) == 0 || dn[0].Name != "_xlnm._FilterDatabase" {
		t.Errorf("no auto filter: %+v", dn)
	}
	panes, _ := f.GetPanes("requirement")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
	ty, _ := f.GetCellType("requirement", "C2")
	if ty != excelize.CellTypeNumber && ty != excelize.CellTypeUnset {
		t.Errorf("value cell type %v", ty)
	}
	tabs, err := ReadXLSX("x.xlsx", buf.Bytes())
	if err != nil || tabs[0].Rows[1][2].Text != "3" {
		t.Fatalf("%v %+v", err, tabs)
	}
}

// TestProjectValueNames: the Chinese names of reqtrail.yaml's values: map to the values on
// import and back on a Chinese export.
func TestProjectValueNames(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":    {Data: []byte("values:\n  type: [{value: epic, zh-CN: 史诗}]\n  source.channel: [{value: wechat, zh-CN: 微信}]\n")},
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: 聊天\ntype: epic\nsource: {channel: wechat}\n---\n")},
	}
	r := repo.Load(fsys)
	im := &Importer{Config: r.Config}
	tab, _, _ := ReadCSV("n.csv", []byte("标题,需求类型,需求来源\nA,史诗,微信\nB,epic,WeChat\n"))
	items, problems := im.Items(tab, record.RequirementKind)
	if len(problems) != 0 || len(items) != 2 {
		t.Fatalf("%v %+v", problems, items)
	}
	for _, it := range items {
		if len(it.Invalid) != 0 || it.Set["type"] != "epic" || it.Set["source.channel"] != "wechat" {
			t.Errorf("row %v: %+v", it.Pos, it)
		}
	}
	d, err := Export(r, record.RequirementKind, ExportOptions{Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]any{}
	for i, c := range d.Columns {
		row[c.Header] = d.Rows[0][i]
		if c.Header == "需求类型" && !slices.Contains(c.Values, "史诗") {
			t.Errorf("the type column's drop-down lacks 史诗: %v", c.Values)
		}
	}
	if row["需求类型"] != "史诗" || row["需求来源"] != "微信" {
		t.Errorf("exported row %v", row)
	}
	// Without the values: entry, 史诗 is an unknown value.
	im = &Importer{Config: config.Default()}
	if items, _ := im.Items(tab, record.RequirementKind); len(items) != 2 || len(items[0].Invalid) != 1 {
		t.Errorf("史诗 accepted without values: %+v", items)
	}
}

// TestXLSXDamagedEntry: a workbook whose sheet fails its CRC is refused, naming the entry,
// instead of being read as far as it inflates (excelize reads such a sheet as empty, the
// fast reader would read it whole: FuzzXLSX found the difference).
func TestXLSXDamagedEntry(t *testing.T) {
	good := xlsxSeed(t, [][]any{{"title"}, {"A"}}, false)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		h.CRC32 ^= 1
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadXLSX("bad.xlsx", good); err != nil {
		t.Fatalf("the undamaged workbook: %v", err)
	}
	_, err = ReadXLSX("bad.xlsx", out.Bytes())
	if err == nil || !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml is damaged") {
		t.Fatalf("a damaged sheet: %v", err)
	}
}
