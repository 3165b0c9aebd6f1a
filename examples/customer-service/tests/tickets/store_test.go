package tickets_test

import (
	"errors"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/tickets"
)

// verifies REQ-0011: concurrent edits no longer revert the ticket status.
func Test_REQ_0011_concurrent_edit_is_rejected(t *testing.T) {
	s := tickets.NewStore(1)
	created := s.Create(tickets.Ticket{TenantID: "contoso", Subject: "Login fails"})

	agentA, _ := s.Get(created.Number)
	agentB, _ := s.Get(created.Number) // loaded before A saves

	agentA.Status = tickets.Solved
	if _, err := s.Update(agentA); err != nil {
		t.Fatal(err)
	}

	agentB.Messages = append(agentB.Messages, tickets.Message{From: "agent-b", Body: "checked logs", Internal: true, At: time.Now()})
	if _, err := s.Update(agentB); !errors.Is(err, tickets.ErrConflict) {
		t.Fatalf("stale update: err = %v, want ErrConflict", err)
	}

	got, _ := s.Get(created.Number)
	if got.Status != tickets.Solved {
		t.Fatalf("status = %s, want solved (the later stale save must not overwrite it)", got.Status)
	}
}
