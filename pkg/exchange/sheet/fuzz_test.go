package sheet

import (
	"archive/zip"
	"bytes"
	"os"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// FuzzCSV: any bytes are read as a CSV sheet and mapped to items, or refused with an error;
// never a panic or a hang.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("编号,标题,类型\n1,工单,功能需求\n"))
	f.Add([]byte("\ufefftitle,=1+1\n'=cmd,\"a\nb\"\n"))
	f.Add([]byte("title,links\nA,\"[{type: depends-on, to: REQ-0001}]\"\n"))
	f.Add([]byte("title,tags,source.date\nA,[&a x, *a],45600\n"))
	f.Add([]byte{0xff, 0xfe, 't', 0, '\t', 0, 'x', 0})
	f.Add([]byte("\xb1\xea\xcc\xe2\n\xb9\xa4\xb5\xa5\n"))
	if b, err := os.ReadFile("/work/shared/corpora/sheets/客户需求管理表-示例.csv"); err == nil {
		f.Add(b)
	}
	im := &Importer{Config: config.Default()}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, _, err := ReadCSV("f.csv", data)
		if err != nil {
			return
		}
		items, _ := im.Items(tab, record.RequirementKind)
		for _, it := range items {
			if it.Pos.Line < 2 {
				t.Fatalf("item at row %d", it.Pos.Line)
			}
		}
	})
}

func xlsxSeed(tb testing.TB, rows [][]any, merge bool) []byte {
	var buf bytes.Buffer
	cols := []Column{}
	for _, h := range rows[0] {
		cols = append(cols, Column{Header: h.(string)})
	}
	if err := WriteXLSX(&buf, []Data{{Name: "requirement", Columns: cols, Rows: rows[1:]}}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzXLSX: any bytes are read as a workbook (malformed zips, huge or empty sheets, formula
// and merged cells) within the archive limits, or refused; never a panic or a hang; and the
// fast reader reads the same tables as excelize's whenever it takes a workbook.
func FuzzXLSX(f *testing.F) {
	f.Add(xlsxSeed(f, [][]any{{"title", "release", "source.date"}, {"A", "2024.3", "2024/5/3"}, {nil, nil, nil}, {"B", 2024.3, 45600.0}}, false))
	f.Add(xlsxSeed(f, [][]any{{"标题", "=1+1"}, {"=SUM(A1:A2)", "x"}}, true))
	if b, err := os.ReadFile("/work/shared/corpora/sheets/客户需求管理表-示例-libreoffice.xlsx"); err == nil {
		f.Add(b)
	}
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write(bytes.Repeat([]byte("<a>"), 1000))
	zw.Close()
	f.Add(z.Bytes())
	f.Add([]byte("PK\x03\x04 not really"))
	im := &Importer{Config: config.Default()}
	f.Fuzz(func(t *testing.T, data []byte) {
		if CheckArchive(data) == nil {
			sameTables(t, data) // the fast reader, when it takes the workbook, reads what excelize reads
		}
		tabs, err := ReadXLSX("f.xlsx", data)
		if err != nil {
			return
		}
		for _, tab := range tabs {
			im.Items(tab, record.RequirementKind)
		}
	})
}

func TestArchiveLimits(t *testing.T) {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(bytes.Repeat([]byte{' '}, 1<<20)) // compresses far more than 100 times
	zw.Close()
	if _, err := ReadXLSX("bomb.xlsx", z.Bytes()); err == nil {
		t.Error("a zip bomb was read")
	}
	if _, err := ReadXLSX("no.xlsx", []byte("not a zip")); err == nil {
		t.Error("a non-zip was read")
	}
}
