package acceptance

import "testing"

func TestDefaultTitle(t *testing.T) {
	for _, c := range []struct {
		verdict string
		entries []Entry
		want    string
	}{
		{"accepted", []Entry{{ID: "REQ-0001", Title: "Chat"}}, "Acceptance of REQ-0001: Chat"},
		{"", []Entry{{ID: "REQ-0001"}}, "Acceptance of REQ-0001"},
		{"conditional", []Entry{{ID: "REQ-0001"}, {ID: "REQ-0002"}}, "Conditional acceptance of REQ-0001, REQ-0002"},
		{"rejected", []Entry{{ID: "REQ-0003", Title: "x"}}, "Rejected acceptance of REQ-0003: x"},
	} {
		if got := DefaultTitle(c.verdict, c.entries); got != c.want {
			t.Errorf("DefaultTitle(%q, %v) = %q, want %q", c.verdict, c.entries, got, c.want)
		}
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{
		"2024-10-02": true, "2024-02-29": true, "2023-02-29": false, "2024-2-3": false,
		"2024/10/02": false, "": false, "2024-10-02T00:00:00Z": false,
	} {
		if got := ValidDate(s); got != want {
			t.Errorf("ValidDate(%q) = %v, want %v", s, got, want)
		}
	}
}
