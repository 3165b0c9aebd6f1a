package record

import (
	"fmt"
	"slices"
	"testing"
)

func TestRanges(t *testing.T) {
	src := "\xef\xbb\xbf---\n" +
		"id: REQ-0001\n" +
		"title: \"Say \\\"hi\\\" 你好\"\n" +
		"owner: 'it''s me'\n" +
		"tags: [a, \"b]\", c]\n" +
		"links:\n" +
		"  - {type: refines, to: REQ-0002}\n" +
		"  - type: depends-on\n" +
		"    to: REQ-0003 # a comment\n" +
		"release: 产品 一\n" +
		"body: |\n" +
		"  text\n" +
		"  more text\n" +
		"\n" +
		"summary: >-   # a comment\n" +
		"    folded one\n" +
		"\n" +
		"    folded two\n" +
		"empty: |\n" +
		"note: a plain value\n" +
		"  over two lines # and a comment\n" +
		"steps:\n" +
		"  - |2\n" +
		"      indented\n" +
		"  - key: >\n" +
		"      item text\n" +
		"    other: x\n" +
		"---\n" +
		"Body.\n"
	r, perr := Parse("reqs/REQ-0001.md", RequirementKind, []byte(src), nil)
	if perr != nil {
		t.Fatal(perr)
	}
	text := func(path ...string) string {
		rg := r.RangeOf(path...)
		if !rg.HasEnd() {
			return "<no end>"
		}
		return string(r.Raw[rg.Start.Offset:rg.End.Offset])
	}
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"id"}, "REQ-0001"},
		{[]string{"title"}, `"Say \"hi\" 你好"`},
		{[]string{"owner"}, `'it''s me'`},
		{[]string{"tags"}, `[a, "b]", c]`},
		{[]string{"tags", "1"}, `"b]"`},
		{[]string{"links", "0"}, `{type: refines, to: REQ-0002}`},
		{[]string{"links", "1", "to"}, `REQ-0003`},
		{[]string{"links"}, "- {type: refines, to: REQ-0002}\n  - type: depends-on\n    to: REQ-0003"},
		{[]string{"release"}, `产品 一`},
		{[]string{"body"}, "|\n  text\n  more text"},
		{[]string{"summary"}, ">-   # a comment\n    folded one\n\n    folded two"},
		{[]string{"empty"}, "|"},
		{[]string{"note"}, "a plain value\n  over two lines"},
		{[]string{"steps", "0"}, "|2\n      indented"},
		{[]string{"steps", "1", "key"}, ">\n      item text"},
	} {
		if got := text(c.path...); got != c.want {
			t.Errorf("%s: text %q, want %q", FieldPath(c.path), got, c.want)
		}
	}
	// A block scalar's range ends on its last non-blank line.
	if rg := r.RangeOf("body"); rg.Start.Line != 11 || rg.End.Line != 13 || rg.End.Column != 12 {
		t.Errorf("body range %v", rg)
	}
	// Columns count code points; the end of the title is just after its closing quote.
	if rg := r.RangeOf("title"); rg.Start.Line != 3 || rg.Start.Column != 8 || rg.End.Line != 3 || rg.End.Column != 23 {
		t.Errorf("title range %v", rg)
	}
	if rg := r.KeyRange("links", "1", "to"); rg.Start.Line != 9 || rg.Start.Column != 5 || rg.End.Column != 7 {
		t.Errorf("key range %v", rg)
	}
	// The byte-order mark counts in offsets, not in columns.
	if p := r.PosOf("id"); p.Offset != 3+4+4 || p.Column != 5 {
		t.Errorf("id position %+v", p)
	}
	// A missing key: the whole file, as the empty range at 1:1.
	if rg := r.RangeOf("missing"); rg.Start.Line != 1 || rg.Start.Column != 1 || rg.End != rg.Start || rg.Start.File != r.File {
		t.Errorf("missing key range %v", rg)
	}
}

func TestParseErrorRange(t *testing.T) {
	data := []byte("---\nid: x\nid: y\n---\n")
	_, perr := Parse("reqs/R.md", RequirementKind, data, nil)
	if perr == nil {
		t.Fatal("duplicate key accepted")
	}
	rg := perr.Range("reqs/R.md", data)
	if rg.Start.Line != 3 || rg.Start.Column != 1 || rg.Start.Offset != 10 || rg.Start.File != "reqs/R.md" {
		t.Errorf("range %+v", rg)
	}
	_, perr = Parse("reqs/R.md", RequirementKind, []byte("no front matter"), nil)
	if rg := perr.Range("reqs/R.md", nil); rg.End != rg.Start || rg.Start.Line != 1 {
		t.Errorf("whole-file range %+v", rg)
	}
}

func TestRefs(t *testing.T) {
	cases := []struct {
		kind Kind
		src  string
		want []string
	}{
		{RequirementKind, "---\nid: REQ-0002\nparent: REQ-0001\nlinks:\n  - {type: refines, to: \"REQ-0003\"}\n  - type: x\n  - to: [not, scalar]\n  - to: REQ-0004\n---\n",
			[]string{"parent REQ-0001 3:9-3:17", "links[0].to REQ-0003 5:25-5:35", "links[3].to REQ-0004 8:9-8:17"}},
		{ChangeKind, "---\nid: CR-0001\naffects: [REQ-0001, 7, ~, \"\"]\n---\n",
			[]string{"affects[0] REQ-0001 3:11-3:19", "affects[1] 7 3:21-3:22"}},
		{AcceptanceKind, "---\nid: ACC-0001\nrequirements:\n  - id: REQ-0001\n    fingerprint: x\ncriteria:\n  - {criterion: c, requirement: REQ-0001}\n---\n",
			[]string{"requirements[0].id REQ-0001 4:9-4:17", "criteria[0].requirement REQ-0001 7:33-7:41"}},
		{RequirementKind, "---\nparent: {a: b}\nlinks: 3\n---\n", nil},
	}
	for _, c := range cases {
		r, perr := Parse("x.md", c.kind, []byte(c.src), nil)
		if perr != nil {
			t.Fatal(perr)
		}
		var got []string
		for _, ref := range r.Refs() {
			rg := ref.Range
			got = append(got, fmt.Sprintf("%s %s %d:%d-%d:%d", ref.Field(), ref.ID, rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column))
			if rg.Start.File != "x.md" {
				t.Errorf("ref %v without its file", ref)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s refs\n got %q\nwant %q", c.kind, got, c.want)
		}
	}
	if (&Record{Kind: "unknown"}).Refs() != nil {
		t.Error("refs of an unknown kind")
	}
}

func TestFieldAtAndLooksLikeID(t *testing.T) {
	r, perr := Parse("x.md", RequirementKind, []byte("---\nid: REQ-0001\nlinks:\n  - {type: refines, to: REQ-0002}\npriority:\n  moscow: must\n---\n"), nil)
	if perr != nil {
		t.Fatal(perr)
	}
	for _, c := range []struct {
		line, col int
		want      string
		ok        bool
	}{{2, 5, "id", true}, {4, 25, "links.[].to", true}, {6, 3, "priority.moscow", true}, {6, 11, "priority.moscow", true}, {1, 1, "", false}} {
		if got, ok := r.FieldAt(c.line, c.col); got != c.want || ok != c.ok {
			t.Errorf("FieldAt(%d, %d) = %q %v, want %q %v", c.line, c.col, got, ok, c.want, c.ok)
		}
	}
	for s, want := range map[string]bool{"REQ-0001": true, "CR-7": true, "my_REQ2-01": true, "2024-07": false, "REQ-": false, "-1": false, "REQ-01a": false, "d9e5d980a6da": false, "links[0].to": false} {
		if LooksLikeID(s) != want {
			t.Errorf("LooksLikeID(%q) = %v", s, !want)
		}
	}
}
