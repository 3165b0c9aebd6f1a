package acceptance

import (
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

func parse(t testing.TB, file, text string) *record.Record {
	t.Helper()
	rec, perr := record.Parse(file, record.AcceptanceKind, []byte(text), nil)
	if perr != nil {
		t.Fatalf("parse: %v", perr)
	}
	return rec
}

var fps = map[string]string{"REQ-0001": "aaaaaaaaaaaa", "REQ-0002": "bbbbbbbbbbbb", "REQ-0003": "123456789012"}

func current(id string) (string, bool) {
	fp, ok := fps[id]
	return fp, ok
}

func TestRefresh(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{
			name: "block, comments kept byte for byte",
			in: "---\n# who accepted what\nid: ACC-0001   # keep me\ntitle: t\nverdict: accepted\nrequirements:\n" +
				"  - id: REQ-0001\n    fingerprint: 000000000000   # pinned 2024-10-02\n" +
				"  # the second one\n  - id: REQ-0002\n    fingerprint: bbbbbbbbbbbb\n---\nBody with  odd   spacing\n\n\n",
			want: "---\n# who accepted what\nid: ACC-0001   # keep me\ntitle: t\nverdict: accepted\nrequirements:\n" +
				"  - id: REQ-0001\n    fingerprint: aaaaaaaaaaaa   # pinned 2024-10-02\n" +
				"  # the second one\n  - id: REQ-0002\n    fingerprint: bbbbbbbbbbbb\n---\nBody with  odd   spacing\n\n\n",
		},
		{
			name: "quoted styles and CRLF",
			in:   "---\r\nid: ACC-0001\r\nrequirements:\r\n  - id: REQ-0001\r\n    fingerprint: \"0000\"\r\n  - {id: REQ-0002, fingerprint: 'it''s'}\r\n---\r\nbody\r\n",
			want: "---\r\nid: ACC-0001\r\nrequirements:\r\n  - id: REQ-0001\r\n    fingerprint: \"aaaaaaaaaaaa\"\r\n  - {id: REQ-0002, fingerprint: 'bbbbbbbbbbbb'}\r\n---\r\nbody\r\n",
		},
		{
			name: "fingerprint key missing, empty or null; unicode before on the line",
			in: "---\nid: ACC-0001\ntitle: 中文标题\nrequirements:\n  - id: REQ-0001\n    note: x\n  - {id: REQ-0002}\n" +
				"  - id: REQ-0003\n    fingerprint:\n---\n",
			want: "---\nid: ACC-0001\ntitle: 中文标题\nrequirements:\n  - id: REQ-0001\n    fingerprint: aaaaaaaaaaaa\n    note: x\n  - {id: REQ-0002, fingerprint: bbbbbbbbbbbb}\n" +
				"  - id: REQ-0003\n    fingerprint: \"123456789012\"\n---\n",
		},
		{
			name: "flow entries on one line with multi-byte text before",
			in:   "---\nid: ACC-0001\nrequirements: [{id: REQ-0001, fingerprint: \"é\"}, {fingerprint: null, id: REQ-0002}]\n---\n",
			want: "---\nid: ACC-0001\nrequirements: [{id: REQ-0001, fingerprint: \"aaaaaaaaaaaa\"}, {fingerprint: bbbbbbbbbbbb, id: REQ-0002}]\n---\n",
		},
		{
			name: "byte order mark, yaml file",
			in:   "\xef\xbb\xbfid: ACC-0001\nrequirements:\n- id: REQ-0002\n  fingerprint: x\n",
			want: "\xef\xbb\xbfid: ACC-0001\nrequirements:\n- id: REQ-0002\n  fingerprint: bbbbbbbbbbbb\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := "acceptance/ACC-0001.md"
			if strings.HasPrefix(c.in, "\xef") {
				file = "acceptance/ACC-0001.yaml"
			}
			out, repins, err := Refresh(parse(t, file, c.in), current)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want {
				t.Errorf("got\n%q\nwant\n%q", out, c.want)
			}
			if len(repins) == 0 {
				t.Error("no repins reported")
			}
			// A second refresh has nothing to do and returns the same bytes.
			again, repins, err := Refresh(parse(t, file, string(out)), current)
			if err != nil || len(repins) != 0 || string(again) != string(out) {
				t.Errorf("second refresh: %v, %v", repins, err)
			}
		})
	}
}

func TestRefreshErrors(t *testing.T) {
	for name, in := range map[string]string{
		"unknown requirement": "---\nid: ACC-0001\nrequirements:\n  - {id: REQ-0009, fingerprint: x}\n---\n",
		"block scalar":        "---\nid: ACC-0001\nrequirements:\n  - id: REQ-0001\n    fingerprint: |\n      x\n---\n",
		"multi-line plain":    "---\nid: ACC-0001\nrequirements:\n  - id: REQ-0001\n    fingerprint: x\n      y\n---\n",
		"not a mapping":       "---\nid: ACC-0001\nrequirements:\n  - REQ-0001\n---\n",
		"no list":             "---\nid: ACC-0001\n---\n",
		"fingerprint a list":  "---\nid: ACC-0001\nrequirements:\n  - {id: REQ-0001, fingerprint: [a]}\n---\n",
	} {
		if _, _, err := Refresh(parse(t, "acceptance/ACC-0001.md", in), current); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRender(t *testing.T) {
	data, err := Render(New{ID: "ACC-0003", Verdict: "conditional", Date: "2024-10-02", AcceptedBy: "Customer A: ops # lead",
		Entries:  []Entry{{ID: "REQ-0001", Title: "t", Fingerprint: "123456789012"}, {ID: "REQ-0002", Fingerprint: "9f2c61ab03d4"}},
		Evidence: []string{"tests/e2e/chat_test.go", "yes"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `---
id: ACC-0003
title: Conditional acceptance of REQ-0001, REQ-0002
verdict: conditional
date: 2024-10-02
accepted-by: "Customer A: ops # lead"
requirements:
  - id: REQ-0001
    fingerprint: "123456789012"
  - id: REQ-0002
    fingerprint: 9f2c61ab03d4
evidence:
  - tests/e2e/chat_test.go
  - "yes"
---
`
	if !strings.HasPrefix(string(data), want) {
		t.Errorf("got\n%s\nwant prefix\n%s", data, want)
	}
	rec := parse(t, "acceptance/ACC-0003.md", string(data))
	if rec.Acc.AcceptedBy != "Customer A: ops # lead" || rec.Acc.Requirements[0].Fingerprint != "123456789012" || rec.Acc.Evidence[1] != "yes" {
		t.Errorf("read back %+v", rec.Acc)
	}
	if _, err := Render(New{ID: "ACC-0001", Date: "2024-02-30", Entries: []Entry{{ID: "REQ-0001"}}}); err == nil {
		t.Error("bad date accepted")
	}
	if got := DefaultTitle("accepted", []Entry{{ID: "REQ-0001", Title: "Chat"}}); got != "Acceptance of REQ-0001: Chat" {
		t.Errorf("title %q", got)
	}
}

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":   "plain text",
		"":             `""`,
		"2024.10":      `"2024.10"`,
		"null":         `"null"`,
		"a: b":         `"a: b"`,
		"- x":          `"- x"`,
		"x #y":         `"x #y"`,
		" lead":        `" lead"`,
		"it's":         `"it's"`,
		"line\nbreak":  `"line\nbreak"`,
		"中文, 客户 A":     "中文, 客户 A",
		"[x]":          `"[x]"`,
		"@at":          `"@at"`,
		"9f2c61ab03d4": "9f2c61ab03d4",
		"1e5":          `"1e5"`,
		"Off":          `"Off"`,
		"1_000":        `"1_000"`,
		"12:30":        `"12:30"`,
	} {
		if got := Scalar(in); got != want {
			t.Errorf("Scalar(%q) = %s, want %s", in, got, want)
		}
	}
}

func FuzzRefresh(f *testing.F) {
	f.Add("---\nid: ACC-0001\nrequirements:\n  - id: REQ-0001\n    fingerprint: 0   # c\n  - {id: REQ-0002}\n---\nb\n")
	f.Add("---\r\nrequirements: [{id: REQ-0001, fingerprint: 'x'}]\r\n---\r\n")
	f.Add("---\nrequirements:\n- id: \"REQ-0001\"\n- id: REQ-0002\n  fingerprint:\n---\n")
	f.Fuzz(func(t *testing.T, text string) {
		rec, perr := record.Parse("acceptance/ACC-0001.md", record.AcceptanceKind, []byte(text), nil)
		if perr != nil {
			return
		}
		out, _, err := Refresh(rec, current)
		if err != nil {
			return
		}
		// Refresh verified the result itself; a second run must find nothing to do.
		again, perr := record.Parse("acceptance/ACC-0001.md", record.AcceptanceKind, out, nil)
		if perr != nil {
			t.Fatalf("refreshed file does not parse: %v", perr)
		}
		if _, repins, err := Refresh(again, current); err != nil || len(repins) != 0 {
			t.Fatalf("second refresh: %v %v\n%q", repins, err, out)
		}
	})
}
