// Package sheet reads and writes spreadsheets — CSV (UTF-8, GB18030, UTF-16) and XLSX — as
// tables of cells with their positions, and maps them to and from reqtrail records with the
// header and value tables of SPEC §10.
package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/reqtrail/reqtrail/pkg/exchange"
)

// Cell is one cell as read: its displayed text and, for a numeric XLSX cell, its number.
type Cell struct {
	Text string
	// Number is set for numeric XLSX cells (the raw value; a date is an Excel serial).
	Number *float64
}

// Table is one sheet: rows of cells, the first row the header.
type Table struct {
	File  string // the source's name, for positions
	Sheet string // "" for CSV
	Rows  [][]Cell
	// Date1904 is the workbook's date system.
	Date1904 bool
}

// Pos is the position of the cell at 0-based row and column.
func (t *Table) Pos(row, col int) exchange.Pos {
	return exchange.Pos{File: t.File, Sheet: t.Sheet, Line: row + 1, Column: col + 1}
}

// Encoding names a CSV file's detected text encoding.
type Encoding string

// The encodings ReadCSV detects.
const (
	UTF8    Encoding = "UTF-8"
	GB18030 Encoding = "GB18030"
	UTF16   Encoding = "UTF-16"
)

// Decode turns the bytes of a CSV file into text, detecting the encoding as SPEC §10 says:
// UTF-16 by its BOM; valid UTF-8 (with or without BOM); else GB18030 when it decodes
// without error; else an error naming the first bad byte offset.
func Decode(data []byte) (string, Encoding, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", UTF16, fmt.Errorf("not valid UTF-16: %v", err)
		}
		return string(out), UTF16, nil
	case utf8.Valid(data):
		return strings.TrimPrefix(string(data), "\ufeff"), UTF8, nil
	}
	if off := gb18030Invalid(data); off >= 0 {
		return "", "", fmt.Errorf("neither UTF-8 nor GB18030 (first bad byte at offset %d); save the sheet as CSV UTF-8", off)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("not valid GB18030: %v", err)
	}
	return string(out), GB18030, nil
}

// gb18030Invalid returns the offset of the first byte that does not start a well-formed
// GB18030 sequence, or -1.
func gb18030Invalid(b []byte) int {
	in := func(c, lo, hi byte) bool { return c >= lo && c <= hi }
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
		case in(c, 0x81, 0xfe) && i+1 < len(b) && (in(b[i+1], 0x40, 0x7e) || in(b[i+1], 0x80, 0xfe)):
			i += 2
		case in(c, 0x81, 0xfe) && i+3 < len(b) && in(b[i+1], 0x30, 0x39) && in(b[i+2], 0x81, 0xfe) && in(b[i+3], 0x30, 0x39):
			i += 4
		default:
			return i
		}
	}
	return -1
}

// neutralised are the first characters a spreadsheet runs as a formula (SPEC §9).
const neutralised = "=+-@\t\r"

// ReadCSV reads a CSV file (comma-separated; tab-separated for UTF-16) into a table. A
// leading ' that neutralises a formula character is removed again.
func ReadCSV(name string, data []byte) (*Table, Encoding, error) {
	text, enc, err := Decode(data)
	if err != nil {
		return nil, enc, fmt.Errorf("%s: %w", name, err)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if enc == UTF16 {
		r.Comma = '\t'
	}
	t := &Table{File: name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, enc, fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, enc, fmt.Errorf("%s: %v", name, err)
		}
		row := make([]Cell, len(rec))
		for i, v := range rec {
			if len(v) >= 2 && v[0] == '\'' && strings.IndexByte(neutralised, v[1]) >= 0 {
				v = v[1:]
			}
			row[i] = Cell{Text: v}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, enc, nil
}

// Archive limits for XLSX files (SPEC §9).
const (
	MaxEntries      = 10000
	MaxUncompressed = 1 << 30
	MaxRatio        = 100
)

// CheckArchive checks a zip archive against the limits of SPEC §9.
func CheckArchive(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("not an XLSX file (not a zip archive): %v", err)
	}
	if len(zr.File) > MaxEntries {
		return fmt.Errorf("the archive has %d entries; at most %d are read", len(zr.File), MaxEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxUncompressed {
			return fmt.Errorf("the archive unpacks to more than 1 GiB")
		}
		if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxRatio ||
			f.CompressedSize64 == 0 && f.UncompressedSize64 > 0 {
			return fmt.Errorf("entry %s is compressed more than %d times; refused as a zip bomb", f.Name, MaxRatio)
		}
	}
	// Every entry is unpacked once to check its CRC: excelize reads a damaged entry without
	// a word (the part of it that inflates), and a workbook must not be half read.
	for _, f := range zr.File {
		if err := checkEntry(f); err != nil {
			return fmt.Errorf("entry %s is damaged: %v", f.Name, err)
		}
	}
	return nil
}

// checkEntry unpacks a zip entry to its end, where archive/zip checks its size and CRC.
func checkEntry(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// ReadXLSX reads every sheet of an XLSX workbook. Cells are their displayed text (a formula
// cell its cached value); numeric cells also carry their number.
func ReadXLSX(name string, data []byte) (tables []*Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			tables, err = nil, fmt.Errorf("%s: cannot read the workbook: %v", name, p)
		}
	}()
	if err := CheckArchive(data); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUncompressed, UnzipXMLSizeLimit: MaxUncompressed})
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the workbook: %v", name, err)
	}
	defer f.Close()
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	if tables, ok := fastTables(f, name, date1904); ok {
		return tables, nil
	}
	return excelizeTables(f, name, date1904)
}

// excelizeTables reads every sheet through excelize's row iterator: the shown values, the
// raw ones, and the cell types where only they tell a number from text.
func excelizeTables(f *excelize.File, name string, date1904 bool) (tables []*Table, err error) {
	for _, sh := range f.GetSheetList() {
		shown, err := readRows(f, sh, false)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %v", name, sh, err)
		}
		raw, err := readRows(f, sh, true)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %v", name, sh, err)
		}
		t := &Table{File: name, Sheet: sh, Date1904: date1904}
		for r, row := range shown {
			cells := make([]Cell, len(row))
			for c, v := range row {
				cells[c] = Cell{Text: v}
				if r < len(raw) && c < len(raw[r]) && raw[r][c] != v {
					if n, err := strconv.ParseFloat(raw[r][c], 64); err == nil {
						cells[c].Number = &n
					}
				} else if n, err := strconv.ParseFloat(v, 64); err == nil {
					// A number shown as itself: a numeric cell, or a text cell of digits;
					// only the type tells, and only date columns care.
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if ty, _ := f.GetCellType(sh, ref); ty == excelize.CellTypeNumber || ty == excelize.CellTypeUnset {
						cells[c].Number = &n
					}
				}
			}
			t.Rows = append(t.Rows, cells)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// Sheet size limits: beyond them a sheet is refused rather than read for minutes.
const (
	MaxRows    = 200000
	MaxColumns = 2000
)

// readRows reads the cells of a sheet row by row, within MaxRows and MaxColumns; trailing
// empty rows are dropped.
func readRows(f *excelize.File, sheet string, raw bool) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	last := 0
	for rows.Next() {
		if len(out) >= MaxRows {
			return nil, fmt.Errorf("the sheet has more than %d rows", MaxRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, err
		}
		if len(cols) > MaxColumns {
			return nil, fmt.Errorf("row %d has more than %d columns", len(out)+1, MaxColumns)
		}
		out = append(out, cols)
		if len(cols) > 0 {
			last = len(out)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	return out[:last], nil
}

// SerialDate converts an Excel date serial into a date (time dropped).
func SerialDate(serial float64, date1904 bool) (string, bool) {
	if serial < 1 || serial > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// Neutralise prefixes a cell a spreadsheet would run as a formula with ' (SPEC §9).
func Neutralise(s string) string {
	if s != "" && strings.IndexByte(neutralised, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// WriteCSV writes rows as CSV the way Excel reads it: a UTF-8 BOM, CRLF line ends, formula
// cells neutralised.
func WriteCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	buf := make([]string, 0, 32)
	for _, row := range rows {
		buf = buf[:0]
		for _, v := range row {
			buf = append(buf, Neutralise(v))
		}
		if err := cw.Write(buf); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
