// Package privacy implements data subject requests.
package privacy

import (
	"context"
	"fmt"
	"time"
)

// implements REQ-0036: erase a customer's personal data on request.

// Eraser is implemented by every component that stores personal data.
type Eraser interface {
	// Name of the data category, e.g. "chats" or "call recordings".
	Name() string
	// Erase deletes the customer's personal data and returns how many items
	// were removed. Aggregates keep their counts but lose the link to the
	// customer (pseudonymisation).
	Erase(ctx context.Context, tenant, customer string) (int, error)
}

// Categories every erasure must cover.
var Categories = []string{"chats", "tickets", "call recordings", "attachments", "survey answers"}

// AuditEntry records an erasure. It never contains the erased data, only who
// asked for it, when, and how much was removed.
type AuditEntry struct {
	Tenant      string
	RequestedBy string
	At          time.Time
	Removed     map[string]int
}

// AuditLog stores audit entries.
type AuditLog interface {
	Append(ctx context.Context, e AuditEntry) error
}

// Erase runs every eraser for one customer. It refuses to start when a
// category is not covered, so that a new data store cannot be forgotten.
func Erase(ctx context.Context, erasers []Eraser, log AuditLog, tenant, customer, requestedBy string, now time.Time) (AuditEntry, error) {
	have := map[string]Eraser{}
	for _, e := range erasers {
		have[e.Name()] = e
	}
	for _, c := range Categories {
		if have[c] == nil {
			return AuditEntry{}, fmt.Errorf("no eraser for %s", c)
		}
	}
	entry := AuditEntry{Tenant: tenant, RequestedBy: requestedBy, At: now, Removed: map[string]int{}}
	for _, c := range Categories {
		n, err := have[c].Erase(ctx, tenant, customer)
		if err != nil {
			return AuditEntry{}, fmt.Errorf("erase %s: %w", c, err)
		}
		entry.Removed[c] = n
	}
	if err := log.Append(ctx, entry); err != nil {
		return AuditEntry{}, err
	}
	return entry, nil
}
