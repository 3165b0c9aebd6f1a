package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestFieldsText(t *testing.T) {
	d := &Document{Blocks: []Block{
		Terminal{Text: "\x1b[1mTITLE\x1b[0m\n"},
		Fields{Width: 40, Rows: []FieldRow{
			{Key: "status", Value: "approved"},
			{Key: "priority"},
			{Key: "  moscow", Value: "must"},
			{Key: "tags", Value: "alpha beta gamma delta epsilon zeta eta theta iota kappa"},
			{Key: "", Value: "second\x1bline"},
			{Key: "  • ", Value: "an item", Item: true},
		}},
	}}
	var b bytes.Buffer
	if err := WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "\x1b[1mTITLE\x1b[0m\n" +
		"status    approved\n" +
		"priority\n" +
		"  moscow  must\n" +
		"tags      alpha beta gamma delta epsilon\n" +
		"          zeta eta theta iota kappa\n" +
		"          second line\n" +
		"  • an item\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	// Markdown and HTML: a two-column table, the terminal text left out.
	b.Reset()
	if err := WriteMarkdown(&b, d, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "TITLE") || !strings.Contains(b.String(), "| moscow | must |") {
		t.Errorf("markdown:\n%s", b.String())
	}
	b.Reset()
	if err := WriteHTML(&b, d, Page{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "TITLE") || !strings.Contains(b.String(), "<td>must</td>") {
		t.Errorf("html:\n%s", b.String())
	}
}

func TestReportYAML(t *testing.T) {
	var b bytes.Buffer
	r := &Report{YAML: map[string]any{"id": "REQ-0001", "list": []int{1, 2}}}
	if err := r.Write(&b, YAML); err != nil {
		t.Fatal(err)
	}
	if want := "id: REQ-0001\nlist:\n  - 1\n  - 2\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	// A report without a YAML value has no yaml form, whatever its Data.
	if err := (&Report{Data: 1}).Write(&b, YAML); err == nil {
		t.Error("yaml written from Data")
	}
}
