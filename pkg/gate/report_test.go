package gate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/report"
)

func TestMarkdownEscapesUserText(t *testing.T) {
	res := &Result{
		Changes: []Change{{ID: "REQ-0001", File: "reqs/REQ-0001.md", Kind: record.RequirementKind, Class: Meaning,
			Title: "Evil <script>alert(1)</script> | [link](javascript:x)", AuthorisedBy: []string{}, Fields: []FieldChange{{Field: "title"}},
			OldFingerprint: "a", NewFingerprint: "b"}},
		Diagnostics: []diag.Diagnostic{{Rule: "untraced-change", Severity: diag.Error, Range: pos.Range{Start: pos.Position{File: "reqs/REQ-0001.md", Line: 3, Column: 1}},
			Message: "REQ-0001 changed in meaning <b>", ID: "REQ-0001"}},
		PreExisting: []diag.Diagnostic{},
	}
	var b bytes.Buffer
	if err := res.Report(Revisions{Base: "main", MergeBase: "0123456789", Head: "HEAD", HeadHash: "abcdef0123"}, "docs").Write(&b, report.Markdown); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "<b>", "[link](javascript"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{"❌ reqtrail check failed: 1 blocking finding", "`docs/reqs/REQ-0001.md:3`", "**none**", "How to fix", `\|`, `\[link\]`} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

// TestMarkdownFitsComment: 600 broken records (about 776,000 characters unfolded) fit in
// a pull-request comment, blocking findings first, the rest folded with counts.
func TestMarkdownFitsComment(t *testing.T) {
	res := &Result{Files: 600, PreExisting: []diag.Diagnostic{}}
	for i := range 600 {
		id := fmt.Sprintf("REQ-%04d", i+1)
		file := "reqs/产品 需求/" + id + ".md"
		res.Changes = append(res.Changes, Change{ID: id, File: file, Kind: record.RequirementKind, Class: Meaning,
			Title: strings.Repeat("很长的标题 @alice #123 <img src=x> ", 8), AuthorisedBy: []string{}, Fields: []FieldChange{{Field: "title"}},
			OldFingerprint: "a", NewFingerprint: "b"})
		for _, sev := range []diag.Severity{diag.Error, diag.Warning} {
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Rule: "untraced-change", Severity: sev,
				Range: pos.Range{Start: pos.Position{File: file, Line: 3, Column: 1}}, ID: id,
				Message: id + " changed in meaning without an approved change request " + strings.Repeat("![x](http://e/x.png) ", 10),
				Fix:     "Add (or reference) a change request with `affects: [" + id + "]` in status `approved` with a `decision`."})
		}
		res.PreExisting = append(res.PreExisting, res.Diagnostics[len(res.Diagnostics)-1])
	}
	revs := Revisions{Base: "main", MergeBase: "0123456789", Head: "HEAD", HeadHash: "abcdef0123"}
	full := &bytes.Buffer{}
	rep := res.Report(revs, "")
	rep.Limit = 0
	if err := rep.Write(full, report.Markdown); err != nil {
		t.Fatal(err)
	}
	if n := utf16Len(full.String()); n < 700000 {
		t.Fatalf("unfolded report is only %d characters; the test needs a big one", n)
	}
	for _, limit := range []int{report.CommentLimit, report.SummaryLimit} {
		var b bytes.Buffer
		rep.Limit = limit
		if err := rep.Write(&b, report.Markdown); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if testing.Verbose() {
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, "… and") || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "<details") {
					t.Logf("limit %d: %s", limit, l)
				}
			}
		}
		if n := utf16Len(out); n > limit {
			t.Errorf("limit %d: report is %d characters", limit, n)
		}
		wants := []string{"❌ reqtrail check failed: 600 blocking findings", "### Blocking findings (600)", "### Warnings (600)",
			"### Changed records (600)", "How to fix"}
		if limit == report.CommentLimit {
			wants = append(wants, "\n- … and ", " more blocking findings\n", "\n- … and 600 more warnings\n", "more pre-existing findings", "| … and 600 more records |")
		} else {
			wants = append(wants, "REQ-0600 changed in meaning", "@\u200balice", "#\u200b123")
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("limit %d: report lacks %q", limit, want)
			}
		}
		if limit == report.CommentLimit && !strings.Contains(out, "REQ-0001 changed in meaning") {
			t.Errorf("limit %d: the first blocking finding is not kept", limit)
		}
		for _, bad := range []string{"<img", "![", "@alice", "#123", "<details><summary><"} {
			if strings.Contains(out, bad) {
				t.Errorf("limit %d: report contains %q", limit, bad)
			}
		}
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xffff {
			n++
		}
	}
	return n
}
