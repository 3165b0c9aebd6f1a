package cli

import (
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// FuzzSet: any --set KEY=VALUE is either refused with a usage error or gives front matter
// that encodes, parses back, and holds a string field's value exactly as given.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"priority.moscow=must", "release=2024.10", "tags=a,b", "tags=[a, b]", "priority.ice.impact=6",
		"links=[{type: depends-on, to: REQ-0007}]", "owner=yes", "owner=", "source.date=2024-10-07", "x.y.z=1", "=x",
		"a..b=1", "title=x", "id=REQ-1", "owner=a: b", "tags=&a [x]", "owner= lead", "priority=must", "priority.moscow.x=1",
		"owner=\"quoted\"", "owner=#hash", "custom={a: 1}"} {
		f.Add(s)
	}
	v, err := schema.For(string(record.RequirementKind), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, set string) {
		doc := newTemplate(record.RequirementKind, "A title", nil, "2024-10-07")
		if err := newApplySet(doc, set, v.Shape); err != nil {
			if _, ok := err.(*ExitError); !ok {
				t.Fatalf("--set %q: error %v is not a usage error", set, err)
			}
			return
		}
		data, err := author.Encode(record.RequirementKind, doc, "")
		if err != nil {
			return // a value YAML cannot write (reported by new as "would not parse")
		}
		rec, perr := record.Parse("reqs/REQ-0001.md", record.RequirementKind, data, v.Shape)
		if perr != nil {
			return // new refuses it: "would not parse"
		}
		key, val, _ := strings.Cut(set, "=")
		if key == "owner" && rec.Req.Owner != val {
			t.Fatalf("--set %q: owner came back as %q\n%s", set, rec.Req.Owner, data)
		}
	})
}
