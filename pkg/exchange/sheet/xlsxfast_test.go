package sheet

import (
	"bytes"
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// sameTables reads the workbook data with the fast reader and with excelize's, fails when
// the fast reader takes it and the tables differ, and reports whether it took it.
func sameTables(t testing.TB, data []byte) bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUncompressed, UnzipXMLSizeLimit: MaxUncompressed})
	if err != nil {
		return false
	}
	defer f.Close()
	fast, ok := fastTables(f, "w.xlsx", false)
	if !ok {
		return false
	}
	slow, err := excelizeTables(f, "w.xlsx", false)
	if err != nil {
		t.Fatalf("the fast reader read a workbook excelize refuses: %v", err)
	}
	if len(fast) != len(slow) {
		t.Fatalf("fast reader: %d sheets, excelize: %d", len(fast), len(slow))
	}
	for i := range fast {
		if !reflect.DeepEqual(fast[i], slow[i]) {
			t.Fatalf("sheet %s: the fast reader read\n%+v\nexcelize\n%+v", slow[i].Sheet, dump(fast[i]), dump(slow[i]))
		}
	}
	return true
}

func dump(t *Table) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		var l []string
		for _, c := range r {
			s := c.Text
			if c.Number != nil {
				s += " #" + strconv.FormatFloat(*c.Number, 'g', -1, 64)
			}
			l = append(l, s)
		}
		out = append(out, l)
	}
	return out
}

// TestFastTablesSameAsExcelize: the workbooks reqtrail writes (an exported corpus, the
// seeds) are read by the fast reader exactly as by excelize's; workbooks with cells it does
// not take (dates, booleans, errors, escapes, rounding numbers) are left to excelize.
func TestFastTablesSameAsExcelize(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 200, corpus.Options{}); err != nil {
		t.Fatal(err)
	}
	r := repo.Load(os.DirFS(dir))
	var sheets []Data
	for _, lang := range []string{"en", "zh-CN"} {
		for _, k := range []record.Kind{record.RequirementKind, record.ChangeKind} {
			d, err := Export(r, k, ExportOptions{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			d.Name = lang + "-" + string(k)
			sheets = append(sheets, d)
		}
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sheets); err != nil {
		t.Fatal(err)
	}
	if !sameTables(t, buf.Bytes()) {
		t.Error("the fast reader did not take an exported corpus")
	}
	for _, seed := range [][][]any{
		{{"title", "release", "source.date"}, {"A", "2024.3", "2024/5/3"}, {nil, nil, nil}, {"B", 2024.3, 45600.0}},
		{{"标题", "=1+1"}, {"=SUM(A1:A2)", "x"}},
		{{"a", "b"}, {int64(-7), 0.25}, {"", "x&y<z>\"'"}, {"line\nbreak\r\nCR", " lead"}},
	} {
		if !sameTables(t, xlsxSeed(t, seed, false)) {
			t.Errorf("the fast reader did not take %v", seed)
		}
	}
	if b, err := os.ReadFile("/work/shared/corpora/sheets/客户需求管理表-示例-libreoffice.xlsx"); err == nil {
		sameTables(t, b)
	}

	// Workbooks excelize writes with shared strings, rich text, formulas and other cells.
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "title")
	set("B1", "n")
	set("A2", "shared")
	set("B2", 12)
	set("C4", 3.5)
	set("A5", "需求")
	if err := f.SetCellFormula("Sheet1", "D5", "B2*2"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText("Sheet1", "A6", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := f.WriteTo(&plain); err != nil {
		t.Fatal(err)
	}
	if !sameTables(t, plain.Bytes()) {
		t.Error("the fast reader did not take shared strings, a formula and rich text")
	}
	for cell, v := range map[string]any{"E1": true, "E2": 1234.56789012345, "E3": "a_x000D_b", "E4": 123456789012.5} {
		set(cell, v)
		var b bytes.Buffer
		if _, err := f.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		if sameTables(t, b.Bytes()) {
			t.Errorf("the fast reader took %s = %#v, which it leaves to excelize", cell, v)
		}
		set(cell, nil)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set("F2", 45600)
	if err := f.SetCellStyle("Sheet1", "F2", "F2", date); err != nil {
		t.Fatal(err)
	}
	var dated bytes.Buffer
	if _, err := f.WriteTo(&dated); err != nil {
		t.Fatal(err)
	}
	if sameTables(t, dated.Bytes()) {
		t.Error("the fast reader took a date-formatted cell")
	}
}
