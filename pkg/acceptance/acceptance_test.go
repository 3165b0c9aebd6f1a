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
