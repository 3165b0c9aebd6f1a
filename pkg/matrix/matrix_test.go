package matrix

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rivo/uniseg"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

func TestTextFitsWidth(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":       {Data: []byte("kinds: {requirement: {digits: 6}}\ntrace: [{path: src}]\n")},
		"reqs/REQ-000001.md":  {Data: []byte("---\nid: REQ-000001\ntitle: " + strings.Repeat("很长的标题", 20) + "\nstatus: development\n---\n")},
		"reqs/REQ-1234567.md": {Data: []byte("---\nid: REQ-1234567\ntitle: \"tab\\tand \\e[31mescape\"\nparent: REQ-000001\n---\n")},
		"src/a.go":            {Data: []byte("// REQ-000001\n")},
	}
	g := graph.Load(repo.Load(fsys))
	var b bytes.Buffer
	if err := Build(g, Filter{}).Report().Write(&b, report.Text); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if w := uniseg.StringWidth(line); w > Width {
			t.Errorf("line %d columns wide: %s", w, line)
		}
		if strings.ContainsAny(line, "\t\x1b") {
			t.Errorf("control character in %q", line)
		}
	}
	if !strings.Contains(b.String(), "2 requirements · accepted 0 (0%) · verified 0 (0%) · implemented 1 (50%) · untraced 1 (50%)") {
		t.Errorf("summary missing:\n%s", b.String())
	}
}

func TestJSONEmpty(t *testing.T) {
	fsys := fstest.MapFS{"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: t\n---\n")}}
	var b bytes.Buffer
	if err := Build(graph.Load(repo.Load(fsys)), Filter{}).Report().Write(&b, report.JSON); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows    []map[string]any `json:"rows"`
		Summary map[string]int   `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	row := got.Rows[0]
	if v, ok := row["parent"]; !ok || v != nil {
		t.Errorf("parent = %v, want null", v)
	}
	for _, k := range []string{"children", "changes", "acceptance", "impl", "tests", "links"} {
		if l, ok := row[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %#v, want []", k, row[k])
		}
	}
	if got.Summary["total"] != 1 || got.Summary["untraced"] != 1 {
		t.Errorf("summary %v", got.Summary)
	}
	b.Reset()
	if err := Build(graph.Load(repo.Load(fsys)), Filter{Status: []string{"closed"}}).Report().Write(&b, report.JSON); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"rows": []`) {
		t.Errorf("no rows not []: %s", b.String())
	}
	if err := Build(graph.Load(repo.Load(fsys)), Filter{}).Report().Write(&b, report.YAML); err == nil {
		t.Error("unknown format accepted")
	}
}
