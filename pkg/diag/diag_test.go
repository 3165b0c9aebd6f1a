package diag

import (
	"encoding/json"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

func TestJSONShape(t *testing.T) {
	d := Diagnostic{Rule: RuleSchema, Severity: Error, Message: "m", ID: "REQ-0001", Fix: "do x",
		Range: pos.Range{Start: pos.Position{File: "reqs/REQ-0001.md", Line: 4, Column: 7, Offset: 30},
			End: pos.Position{File: "reqs/REQ-0001.md", Line: 4, Column: 9, Offset: 32}}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"rule":"schema","severity":"error","file":"reqs/REQ-0001.md","line":4,"column":7,"message":"m","id":"REQ-0001"}`
	if string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	var back Diagnostic
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.File() != "reqs/REQ-0001.md" || back.Pos().Line != 4 || back.Pos().Column != 7 || back.Rule != RuleSchema || back.ID != "REQ-0001" {
		t.Errorf("round trip %+v", back)
	}
	if s := d.String(); s != "reqs/REQ-0001.md:4:7: error: m [schema]" {
		t.Errorf("String = %q", s)
	}
}

func TestSortAndAt(t *testing.T) {
	a := At(pos.Position{File: "b.md", Line: 1, Column: 1}, RuleParse, Error, "x")
	b := At(pos.FileStart("a.md"), RuleParse, Error, "x")
	ds := Sort([]Diagnostic{a, b, a})
	if len(ds) != 2 || ds[0].File() != "a.md" || ds[1].Range.HasEnd() {
		t.Errorf("Sort = %v", ds)
	}
	if s := Summarize(ds, 2); s.Errors != 2 || s.Files != 2 {
		t.Errorf("Summarize = %+v", s)
	}
}
