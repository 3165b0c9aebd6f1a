package gitrepo

import (
	"testing"
	"time"
)

// TestEntered finds the newest commit in which a status entered the set from outside it; a
// record added already released was not released in this history.
func TestEntered(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 9, d, 9, 0, 0, 0, time.UTC) }
	touch := func(d int, action, status string) Touch {
		return Touch{Commit: Commit{Committed: day(d)}, Action: action, Status: status}
	}
	released := func(s string) bool { return s == "released" || s == "closed" }
	h := &History{Records: map[string]*RecordHistory{
		// newest first: released on the 20th, closed on the 25th (still released), edited.
		"REQ-0001": {Touches: []Touch{touch(27, Modified, "closed"), touch(25, Modified, "closed"), touch(20, Modified, "released"), touch(10, Modified, "testing"), touch(1, Added, "new")}},
		// released, moved back, released again on the 22nd.
		"REQ-0002": {Touches: []Touch{touch(22, Modified, "released"), touch(15, Modified, "development"), touch(5, Modified, "released"), touch(1, Added, "testing")}},
		// added already released: adopted, not released here.
		"REQ-0003": {Touches: []Touch{touch(12, Modified, "released"), touch(1, Added, "released")}},
		// never released.
		"REQ-0004": {Touches: []Touch{touch(3, Added, "testing")}},
	}}
	for id, want := range map[string]int{"REQ-0001": 20, "REQ-0002": 22, "REQ-0003": 0, "REQ-0004": 0, "REQ-0009": 0} {
		at, ok := h.ReleasedAt(released)(id)
		switch {
		case want == 0 && ok:
			t.Errorf("%s: released at %v, want none", id, at)
		case want != 0 && (!ok || !at.Equal(day(want))):
			t.Errorf("%s: released at %v (%v), want %v", id, at, ok, day(want))
		}
	}
}
