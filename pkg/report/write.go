package report

import (
	"fmt"
	"io"
	"slices"
)

// TableWriters write a report's table in the formats that hold one table (CSV; the
// spreadsheet issue adds XLSX here as one more entry).
var TableWriters = map[Format]func(io.Writer, *Table) error{
	CSV: WriteCSV,
}

// Report is one report ready for every format a command offers: Data for JSON, YAML for
// YAML, Doc for text, Markdown and HTML, Table for the table formats (CSV).
type Report struct {
	Data any
	// YAML is the value of the yaml format, for the reports that offer it (show).
	YAML  any
	Doc   *Document
	Table *Table
	Page  Page
	// Findings, when set, are written by the diagnostics printers in their formats
	// (github, sarif, junit).
	Findings *Findings
	// Limit caps the Markdown output in characters (0: none; CommentLimit, SummaryLimit).
	Limit int
}

// Write writes r in format f: the one place that chooses a writer by format.
func (r *Report) Write(w io.Writer, f Format) error {
	if p, ok := Printers[f]; ok && r.Findings != nil && (f == GitHub || f == SARIF || f == JUnit) {
		return p.Print(w, r.Findings)
	}
	switch {
	case f == JSON && r.Data != nil:
		return WriteJSON(w, r.Data)
	case f == YAML && r.YAML != nil:
		return WriteYAML(w, r.YAML)
	case f == Text && r.Doc != nil:
		return WriteText(w, r.Doc.For(Text))
	case f == Markdown && r.Doc != nil:
		return WriteMarkdown(w, r.Doc.For(Markdown), r.Limit)
	case f == HTML && r.Doc != nil:
		return WriteHTML(w, r.Doc.For(HTML), r.Page)
	}
	if tw, ok := TableWriters[f]; ok && r.Table != nil {
		return tw(w, r.Table)
	}
	return fmt.Errorf("this report has no %s form", f)
}

// OnlyIn is a part of a document shown only in some formats (a summary line in text, a
// summary table in Markdown and HTML).
type OnlyIn struct {
	Formats []Format
	Blocks  []Block
}

func (OnlyIn) block() {}

// For returns d with the OnlyIn parts of other formats left out.
func (d *Document) For(f Format) *Document {
	return &Document{Title: d.Title, Blocks: blocksFor(d.Blocks, f)}
}

func blocksFor(bs []Block, f Format) []Block {
	out := make([]Block, 0, len(bs))
	for _, b := range bs {
		switch b := b.(type) {
		case OnlyIn:
			if slices.Contains(b.Formats, f) {
				out = append(out, blocksFor(b.Blocks, f)...)
			}
		case Details:
			b.Blocks = blocksFor(b.Blocks, f)
			out = append(out, b)
		default:
			out = append(out, b)
		}
	}
	return out
}
