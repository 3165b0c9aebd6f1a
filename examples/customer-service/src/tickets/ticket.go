// Package tickets is the ticket store of the service desk.
package tickets

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Status of a ticket.
type Status string

const (
	Open    Status = "open"
	Pending Status = "pending"
	Solved  Status = "solved"
	Merged  Status = "merged"
)

// Message on a ticket: from the customer, from an agent, or an internal note.
type Message struct {
	From        string
	Body        string
	At          time.Time
	Internal    bool
	Attachments []string
}

// Ticket is the unit of work of the service desk.
type Ticket struct {
	Number     int
	TenantID   string
	Subject    string
	Requester  string
	Owner      string
	Status     Status
	Priority   Priority
	Created    time.Time
	Messages   []Message
	MergedInto int   // set when this ticket was merged into another one
	Aliases    []int // numbers of tickets merged into this one
	Version    int   // optimistic locking
}

// ErrConflict is returned when a ticket was changed by someone else since it
// was loaded.
var ErrConflict = errors.New("this ticket was changed by someone else; reload it to see the changes (your note is kept)")

// ErrNotFound is returned for an unknown ticket number.
var ErrNotFound = errors.New("ticket not found")

// Store keeps tickets in memory; production uses the same interface over
// PostgreSQL.
type Store struct {
	mu      sync.Mutex
	next    int
	tickets map[int]*Ticket
}

// NewStore returns an empty store whose first ticket number is first.
func NewStore(first int) *Store {
	return &Store{next: first, tickets: map[int]*Ticket{}}
}

// Create stores a new ticket and returns a copy with its number.
func (s *Store) Create(t Ticket) Ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Number = s.next
	s.next++
	if t.Status == "" {
		t.Status = Open
	}
	t.Version = 1
	s.tickets[t.Number] = &t
	return clone(&t)
}

// Get returns a copy of a ticket. A merged ticket number resolves to the
// ticket it was merged into.
func (s *Store) Get(number int) (Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tickets[number]
	if !ok {
		return Ticket{}, ErrNotFound
	}
	if t.MergedInto != 0 {
		t = s.tickets[t.MergedInto]
	}
	return clone(t), nil
}

// Update saves a changed ticket. The update must be based on the current
// version; a stale update is rejected instead of overwriting the other
// agent's change.
// implements REQ-0011
func (s *Store) Update(t Ticket) (Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.tickets[t.Number]
	if !ok {
		return Ticket{}, ErrNotFound
	}
	if cur.Version != t.Version {
		return Ticket{}, ErrConflict
	}
	t.Version++
	s.tickets[t.Number] = &t
	return clone(&t), nil
}

// Merge moves the messages of the duplicates into the main ticket and closes
// the duplicates. Their numbers stay searchable as aliases of the main one.
// implements REQ-0010 (合并重复工单)
func (s *Store) Merge(main int, duplicates ...int) (Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.tickets[main]
	if !ok {
		return Ticket{}, ErrNotFound
	}
	for _, n := range duplicates {
		d, ok := s.tickets[n]
		if !ok || n == main {
			return Ticket{}, fmt.Errorf("cannot merge ticket %d into %d", n, main)
		}
		m.Messages = append(m.Messages, d.Messages...)
		m.Aliases = append(m.Aliases, n)
		d.Status, d.MergedInto, d.Messages = Merged, main, nil
		d.Version++
	}
	sort.SliceStable(m.Messages, func(i, j int) bool { return m.Messages[i].At.Before(m.Messages[j].At) })
	m.Version++
	return clone(m), nil
}

func clone(t *Ticket) Ticket {
	c := *t
	c.Messages = append([]Message(nil), t.Messages...)
	c.Aliases = append([]int(nil), t.Aliases...)
	return c
}
