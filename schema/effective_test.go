package schema

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// generic reads front matter the way other tools' YAML parsers do: plain scalars typed by
// the YAML core schema (release: 2024.10 is a number), not as reqtrail reads them.
func generic(t *testing.T, front []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(front, &v); err != nil {
		t.Fatal(err)
	}
	return jsonCompatible(v)
}

func jsonCompatible(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = jsonCompatible(x)
		}
	case []any:
		for i, x := range t {
			t[i] = jsonCompatible(x)
		}
	case time.Time:
		return t.Format(time.DateOnly)
	}
	return v
}

func compileDraft07(t *testing.T, s map[string]any) *jsonschema.Schema {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	if err := c.AddResource("mem:///s.json", bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("mem:///s.json")
	if err != nil {
		t.Fatalf("the editor schema does not compile as draft-07: %v", err)
	}
	return sch
}

// TestForEditorsAgreesWithLint: every record of the bundled example, read by a generic YAML
// parser, is valid under the draft-07 editor schema (as it is under lint), a record with
// plain release: 2024.10 and enabled: yes-style scalars too — which the built-in schema
// would reject when read that way — and records lint rejects stay rejected.
func TestForEditorsAgreesWithLint(t *testing.T) {
	fields := map[record.Kind]map[string]any{record.RequirementKind: {"customer-tier": map[string]any{"enum": []any{"gold", "silver", "bronze"}}}}
	root := filepath.Join("..", "examples", "customer-service")
	dirs := map[record.Kind]string{record.RequirementKind: "reqs", record.ChangeKind: "changes", record.AcceptanceKind: "acceptance"}
	for kind, dir := range dirs {
		eff, err := Effective(string(kind), fields[kind])
		if err != nil {
			t.Fatal(err)
		}
		sch := compileDraft07(t, ForEditors(eff))
		n := 0
		err = filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || strings.EqualFold(d.Name(), "README.md") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			front, _, _, _, perr := record.Split(data, false)
			if perr != nil {
				t.Fatalf("%s: %v", p, perr)
			}
			if err := sch.Validate(generic(t, front)); err != nil {
				t.Errorf("%s: the editor schema rejects a record lint accepts: %v", p, err)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("no %s records found under %s", kind, root)
		}
	}

	eff, _ := Effective("requirement", nil)
	editor := compileDraft07(t, ForEditors(eff))
	plain := generic(t, []byte("id: REQ-0001\ntitle: 2024\nrelease: 2024.10\nowner: true\ndue: 2024-09-30\n"))
	if err := editor.Validate(plain); err != nil {
		t.Errorf("release: 2024.10 read as a number is rejected: %v", err)
	}
	for _, bad := range []string{"id: REQ-0001\n", "id: REQ-0001\ntitle: t\nstatus: done\n", "id: REQ-0001\ntitle: t\nunknown: 1\n", "id: REQ-0001\ntitle: t\ndue: 2024-13-40\n"} {
		if err := editor.Validate(generic(t, []byte(bad))); err == nil {
			t.Errorf("%q: the editor schema accepts what lint rejects", bad)
		}
	}
}

func TestForEditorsShape(t *testing.T) {
	eff, _ := Effective("requirement", map[string]any{"sprint": map[string]any{"$ref": "#/$defs/date", "description": "d"}, "tier": map[string]any{"enum": []any{"1.5", "true", "gold"}}})
	out := ForEditors(eff)
	if out["$schema"] != Draft07 || out["definitions"] == nil || out["$defs"] != nil {
		t.Fatalf("draft-07 shape: %v %v", out["$schema"], out["$defs"])
	}
	props := out["properties"].(map[string]any)
	sprint := props["sprint"].(map[string]any)
	if sprint["$ref"] != nil || sprint["allOf"].([]any)[0].(map[string]any)["$ref"] != "#/definitions/date" {
		t.Errorf("a $ref with siblings is not wrapped in allOf: %v", sprint)
	}
	tier := props["tier"].(map[string]any)["enum"].([]any)
	if len(tier) != 5 || tier[3] != 1.5 || tier[4] != true {
		t.Errorf("enum widened = %v", tier)
	}
}

// TestFeedbackChannelIsSourceChannel: a feedback's channel takes exactly the values of a
// requirement's source.channel (SPEC §3), one enumeration for both.
func TestFeedbackChannelIsSourceChannel(t *testing.T) {
	fb, err := For("feedback", nil)
	if err != nil {
		t.Fatal(err)
	}
	req, err := For("requirement", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := fb.Enum("channel"), req.Enum("source", "channel")
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("feedback channel = %v, requirement source.channel = %v", got, want)
	}
}
