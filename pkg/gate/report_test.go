package gate

import (
	"bytes"
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
