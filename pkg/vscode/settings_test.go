package vscode

import (
	"encoding/json"
	"strings"
	"testing"
)

var ours = map[string]any{"./.vscode/reqtrail/requirement.schema.json": []any{"reqs/**/*.yaml"}}

func TestMergeKeepsEverythingElse(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"new file", "", "{\n  \"yaml.schemas\": {\n    \"./.vscode/reqtrail/requirement.schema.json\": [\n      \"reqs/**/*.yaml\"\n    ]\n  }\n}\n"},
		{"empty object", "{}", "{\n  \"yaml.schemas\": {\n    \"./.vscode/reqtrail/requirement.schema.json\": [\n      \"reqs/**/*.yaml\"\n    ]\n  }\n}"},
		{"other keys and comments", "{\n  // my font\n  \"editor.fontSize\": 14, /* keep */\n  \"files.exclude\": {\"**/.git\": true}\n}\n",
			"{\n  // my font\n  \"editor.fontSize\": 14, /* keep */\n  \"files.exclude\": {\"**/.git\": true},\n  \"yaml.schemas\": {\n    \"./.vscode/reqtrail/requirement.schema.json\": [\n      \"reqs/**/*.yaml\"\n    ]\n  }\n}\n"},
		{"existing associations kept", "{\"a\": 1, \"yaml.schemas\": {\"other.json\": \"x/*.yaml\", // theirs\n}, \"b\": [1, 2]}",
			"{\"a\": 1, \"yaml.schemas\": {\n    \"./.vscode/reqtrail/requirement.schema.json\": [\n      \"reqs/**/*.yaml\"\n    ],\n    \"other.json\": \"x/*.yaml\"\n  }, \"b\": [1, 2]}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MergeObject([]byte(tc.in), "yaml.schemas", ours)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestMergeRefusesWhatItCannotRead(t *testing.T) {
	for _, in := range []string{"[1]", "{\"a\": }", "{\"a\": 1", "{\"yaml.schemas\": 3}", "{} x", "/* open", "{\"a\": \"b}"} {
		if _, err := MergeObject([]byte(in), "yaml.schemas", ours); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// FuzzMergeObject: any input either is refused or gives settings in which the key holds
// our entries and every other top-level key keeps its value.
func FuzzMergeObject(f *testing.F) {
	for _, s := range []string{"", "{}", "{\"a\": 1, // c\n \"yaml.schemas\": {\"x\": \"y\",}}", "{\"a\": [1, {\"b\": null}] /* c */}", "{\"a\": \"\\\"}\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := MergeObject(data, "yaml.schemas", ours)
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(stripComments(out), &m); err != nil {
			if json.Valid(stripComments(data)) || len(strings.TrimSpace(string(data))) == 0 {
				t.Fatalf("valid input %q gave invalid output %q: %v", data, out, err)
			}
			return
		}
		var schemas map[string]any
		if err := json.Unmarshal(m["yaml.schemas"], &schemas); err != nil || schemas["./.vscode/reqtrail/requirement.schema.json"] == nil {
			t.Fatalf("output %q lacks our association", out)
		}
		var before map[string]json.RawMessage
		if json.Unmarshal(stripComments(data), &before) == nil {
			for k, v := range before {
				if k != "yaml.schemas" && string(m[k]) != string(v) {
					t.Fatalf("key %q changed from %s to %s", k, v, m[k])
				}
			}
		}
	})
}
