package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestShow(t *testing.T) {
	dir := t.TempDir()
	authoringWrite(t, dir, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: Parent\n---\n")
	authoringWrite(t, dir, "reqs/REQ-0002.md", "---\nid: REQ-0002\ntitle: \"Child \\e[31mred\"\nparent: REQ-0001\npriority: {moscow: must, ice: {impact: 2, confidence: 3, ease: 4}}\n"+
		"links: [{type: depends-on, to: REQ-0003}]\nacceptance-criteria: [Fast]\n---\n## Why\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	authoringWrite(t, dir, "reqs/REQ-0003.md", "---\nid: REQ-0003\ntitle: Other\n---\n")
	authoringWrite(t, dir, "changes/CR-0001.md", "---\nid: CR-0001\ntitle: Change\nstatus: proposed\naffects: [REQ-0002, REQ-0404]\n---\n")
	authoringWrite(t, dir, "acceptance/ACC-0001.md", "---\nid: ACC-0001\ntitle: Acc\nverdict: accepted\nrequirements:\n  - {id: REQ-0002, fingerprint: 000000000000}\n---\n")

	code, out, errOut := runIn(dir, "show", "REQ-0002")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"REQ-0002  Child �[31mred\n", "  ice                impact: 2, confidence: 3, ease: 4 (score 24)\n",
		"acceptance-criteria\n  1. Fast\n", "  parent           REQ-0001 (new) Parent\n", "  depends on       REQ-0003 (new) Other\n",
		"  change requests  CR-0001 (proposed) Change\n", "ACC-0001 (accepted, STALE) Acc",
		"Why\n---\n", "a │ b\n──┼──\n1 │ 2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Error("an escape character reached the output")
	}
	code, out, _ = runIn(dir, "show", "REQ-0003")
	if code != 0 || !strings.Contains(out, "  required by      REQ-0002") {
		t.Errorf("inverse link:\n%s", out)
	}

	code, out, _ = runIn(dir, "show", "REQ-0002", "--format", "json")
	var v struct {
		ID     string
		Fields map[string]any
		Body   string
		Trace  struct {
			Parent     *struct{ ID string }
			Children   []any
			Links      []struct{ Type, Direction, ID string }
			Changes    []struct{ ID string }
			Acceptance []struct {
				ID    string
				Stale bool
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	if v.Trace.Parent == nil || v.Trace.Parent.ID != "REQ-0001" || v.Trace.Children == nil || len(v.Trace.Links) != 1 ||
		v.Trace.Links[0].Direction != "out" || len(v.Trace.Changes) != 1 || !v.Trace.Acceptance[0].Stale || v.Fields["parent"] != "REQ-0001" {
		t.Errorf("json: %+v", v)
	}

	code, out, _ = runIn(dir, "show", "CR-0001", "--format", "yaml")
	var y map[string]any
	if err := yaml.Unmarshal([]byte(out), &y); code != 0 || err != nil {
		t.Fatalf("yaml: exit %d, %v\n%s", code, err, out)
	}
	if y["id"] != "CR-0001" || !strings.Contains(out, "affects:\n    - id: REQ-0002\n") || !strings.Contains(out, "id: REQ-0404") {
		t.Errorf("yaml:\n%s", out)
	}
	code, out, _ = runIn(dir, "show", "ACC-0001")
	if code != 0 || !strings.Contains(out, "accepts  REQ-0002 (new) Child") || !strings.Contains(out, "STALE: now ") {
		t.Errorf("acceptance:\n%s", out)
	}
	if code, _, errOut := runIn(dir, "show", "REQ-0099"); code != 2 || !strings.Contains(errOut, "no record REQ-0099") {
		t.Errorf("unknown id: exit %d %s", code, errOut)
	}
}
