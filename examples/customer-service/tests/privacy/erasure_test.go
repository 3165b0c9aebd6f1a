package privacy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/privacy"
)

type fakeStore struct {
	name  string
	items map[string]int // customer -> items
}

func (f *fakeStore) Name() string { return f.name }
func (f *fakeStore) Erase(_ context.Context, _, customer string) (int, error) {
	n := f.items[customer]
	delete(f.items, customer)
	return n, nil
}

type memLog struct{ entries []privacy.AuditEntry }

func (l *memLog) Append(_ context.Context, e privacy.AuditEntry) error {
	l.entries = append(l.entries, e)
	return nil
}

func stores() []*fakeStore {
	var out []*fakeStore
	for _, c := range privacy.Categories {
		out = append(out, &fakeStore{name: c, items: map[string]int{"cust-1": 3, "cust-2": 1}})
	}
	return out
}

// verifies REQ-0036: one action erases every category and is audited.
func Test_REQ_0036_erase_all_categories(t *testing.T) {
	ss := stores()
	var erasers []privacy.Eraser
	for _, s := range ss {
		erasers = append(erasers, s)
	}
	log := &memLog{}
	now := time.Date(2024, 7, 25, 11, 0, 0, 0, time.UTC)

	entry, err := privacy.Erase(context.Background(), erasers, log, "northwind", "cust-1", "dpo@northwind.example", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if _, left := s.items["cust-1"]; left {
			t.Errorf("%s still holds data of the erased customer", s.name)
		}
		if s.items["cust-2"] != 1 {
			t.Errorf("%s lost data of another customer", s.name)
		}
	}
	if len(log.entries) != 1 || entry.RequestedBy != "dpo@northwind.example" || !entry.At.Equal(now) {
		t.Fatalf("audit log = %+v", log.entries)
	}
	for _, e := range log.entries {
		for k := range e.Removed {
			if strings.Contains(k, "cust-1") {
				t.Error("audit entry contains the erased customer id")
			}
		}
	}
}

// verifies REQ-0036: a missing data category stops the erasure.
func Test_REQ_0036_refuses_incomplete_erasure(t *testing.T) {
	ss := stores()[:2]
	var erasers []privacy.Eraser
	for _, s := range ss {
		erasers = append(erasers, s)
	}
	if _, err := privacy.Erase(context.Background(), erasers, &memLog{}, "t", "cust-1", "dpo", time.Now()); err == nil {
		t.Fatal("erasure ran without covering every category")
	}
}
