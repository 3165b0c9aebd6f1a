package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"github.com/xuri/excelize/v2"
)

// MaxCell is the longest text a spreadsheet cell holds (Excel's limit).
const MaxCell = 32767

// Column describes one column of a written sheet.
type Column struct {
	Header string
	// Values, when set, become the column's drop-down list (data validation).
	Values []string
}

// Data is one sheet to write: the header columns and rows of values (string, int64,
// float64, or nil for an empty cell). Numbers become numeric cells, strings text cells.
type Data struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// WriteXLSX writes the sheets as an XLSX workbook with excelize's streaming writer: a bold,
// frozen, filterable header row, fitted column widths, wrapped text cells formatted as text
// (so 2024.10 and 2024-05-03 stay as written), and a drop-down list on every column with
// Values.
func WriteXLSX(w io.Writer, sheets []Data) error {
	f := excelize.NewFile()
	defer f.Close()
	hdr, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	num, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	var lists [][]string // drop-down lists too long for an inline list, kept on a hidden sheet
	for si, sd := range sheets {
		name := sd.Name
		if si == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for c, col := range sd.Columns {
			if len(col.Values) == 0 {
				continue
			}
			cn, _ := excelize.ColumnNumberToName(c + 1)
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", cn, cn, len(sd.Rows)+1000))
			if dv.SetDropList(col.Values) != nil || len(strings.Join(col.Values, ",")) > 250 {
				lists = append(lists, col.Values)
				ln, _ := excelize.ColumnNumberToName(len(lists))
				dv.SetSqrefDropList(fmt.Sprintf("'lists'!$%s$1:$%s$%d", ln, ln, len(col.Values)))
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, col.Header, "not one of the values of this column")
			if err := f.AddDataValidation(name, dv); err != nil {
				return err
			}
		}
		last, _ := excelize.ColumnNumberToName(max(len(sd.Columns), 1))
		if err := f.AutoFilter(name, fmt.Sprintf("A1:%s%d", last, max(len(sd.Rows)+1, 2)), nil); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for c, col := range sd.Columns {
			width := displayWidth(col.Header)
			for _, row := range sd.Rows {
				if c < len(row) {
					if s, ok := row[c].(string); ok {
						for line := range strings.SplitSeq(s, "\n") {
							width = max(width, displayWidth(line))
						}
					}
				}
			}
			if err := sw.SetColWidth(c+1, c+1, float64(min(max(width, 6), 60))+2); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		cells := make([]any, len(sd.Columns))
		for c, col := range sd.Columns {
			cells[c] = excelize.Cell{StyleID: hdr, Value: col.Header}
		}
		if err := sw.SetRow("A1", cells); err != nil {
			return err
		}
		for r, row := range sd.Rows {
			cells = cells[:0]
			for _, v := range row {
				switch x := v.(type) {
				case nil:
					cells = append(cells, excelize.Cell{StyleID: text})
				case string:
					cells = append(cells, excelize.Cell{StyleID: text, Value: x})
				default:
					cells = append(cells, excelize.Cell{StyleID: num, Value: x})
				}
			}
			ref, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(ref, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(lists) > 0 {
		if _, err := f.NewSheet("lists"); err != nil {
			return err
		}
		for c, l := range lists {
			for r, v := range l {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr("lists", ref, v); err != nil {
					return err
				}
			}
		}
		if err := f.SetSheetVisible("lists", false); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// displayWidth approximates a text's width in spreadsheet columns: wide (CJK) characters
// count two.
func displayWidth(s string) int {
	if utf8.RuneCountInString(s) == len(s) {
		return len(s)
	}
	return uniseg.StringWidth(s)
}
