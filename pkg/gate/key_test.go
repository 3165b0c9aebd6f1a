package gate

import (
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestFindingKeyIsTheSubject: rule 9 keys a finding on its structured subject (field path and
// ids, as the rule made it), never on the message's wording or the line it is on.
func TestFindingKeyIsTheSubject(t *testing.T) {
	r := repo.Load(fstest.MapFS{"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: T\nparent: REQ-0999\nlinks:\n  - {type: refines, to: REQ-0998}\n---\n")}})
	rec := r.ByID["REQ-0001"]
	k := newKeyer(r)
	d := lint.Report(rec, rec.RangeOf("parent"), "%s names %s, which does not exist", "parent", "REQ-0999")
	d.Rule = lint.RuleRefUnknown
	if want := (diag.Subject{Field: "parent", IDs: "REQ-0999", Known: true}); d.Subject != want {
		t.Fatalf("subject %+v, want %+v", d.Subject, want)
	}
	// Reworded, on another line, naming a fingerprint and a date: the same finding.
	moved := d
	moved.Message = "the parent REQ-0999 (pinned 3b1f0c9e8d21 on 2024-07-01) is missing; and REQ-0997 is only mentioned"
	moved.Range = pos.Range{Start: pos.Position{File: rec.File, Line: 9, Column: 9}}
	if k.key(moved) != k.key(d) {
		t.Errorf("reworded or moved finding has another key")
	}
	// Another referenced id is another finding, whatever the message says.
	other := d
	other.Subject.IDs = "REQ-0998"
	if k.key(other) == k.key(d) {
		t.Errorf("a finding naming another id has the same key")
	}
	// A link's finding: the field path leaves the sequence index out.
	l := lint.Report(rec, rec.RangeOf("links", "0", "to"), "%s names %s", "links[0].to", "REQ-0998")
	if want := (diag.Subject{Field: "links.[].to", IDs: "REQ-0998", Known: true}); l.Subject != want {
		t.Errorf("link subject %+v, want %+v", l.Subject, want)
	}
	// A loader finding (no subject set): the field its position names, no ids from the text.
	loader := diag.Diagnostic{Rule: lint.RuleSchema, ID: "REQ-0001", Range: rec.RangeOf("parent"), Message: "REQ-0999 something"}
	if got, want := k.key(loader), lint.RuleSchema+"\x00REQ-0001\x00parent\x00"; got != want {
		t.Errorf("loader finding key %q, want %q", got, want)
	}
}
