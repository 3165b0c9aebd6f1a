package report

import (
	"encoding/csv"
	"io"
	"strings"
)

// WriteCSV writes t as CSV (RFC 4180: CRLF line ends, quoted where needed) with a header
// row of column keys and no byte-order mark. Lists are joined with "; ", objects written
// as "key: value; …". A text cell that a spreadsheet would run as a formula (=, +, -, @,
// TAB or CR first) gets a leading ' (SPEC §9); numbers are written as they are. Control
// characters other than newline and TAB become spaces.
func WriteCSV(w io.Writer, t *Table) error {
	cols, rows := t.view(CSV)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Key
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := make([]string, len(cols))
	for _, row := range rows {
		for i := range cols {
			line[i] = ""
			if i < len(row) {
				line[i] = csvCell(row[i])
			}
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c Cell) string {
	switch c.Kind {
	case IntKind, NumberKind:
		return c.Text()
	case BoolKind:
		if c.Bool {
			return "true"
		}
		return "false"
	}
	return NeutralizeFormula(CleanLines(c.text("; ")))
}

// NeutralizeFormula prefixes s with ' when a spreadsheet would run it as a formula: it
// starts with =, +, -, @, TAB or CR.
func NeutralizeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
