package tickets

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// implements REQ-0009: every email to the support address becomes a ticket,
// and replies are threaded into the ticket they answer.

// Email is an inbound message as delivered by the mail gateway.
type Email struct {
	From        string
	To          string
	Subject     string
	Body        string
	InReplyTo   string // Message-ID of our notification, if any
	Attachments []string
	Received    time.Time
}

// Notifications we send carry "[#1234]" in the subject and a Message-ID of
// the form <ticket-1234.tenant@notify.example>.
var (
	subjectRef   = regexp.MustCompile(`\[#(\d+)\]`)
	messageIDRef = regexp.MustCompile(`^<ticket-(\d+)\.`)
)

// Ingest turns an email into a new ticket or a reply on an existing one and
// returns the ticket number.
func Ingest(s *Store, tenant string, e Email) (int, error) {
	msg := Message{From: e.From, Body: e.Body, At: e.Received, Attachments: e.Attachments}
	if n, ok := reference(e); ok {
		t, err := s.Get(n)
		if err == nil && t.TenantID == tenant {
			t.Messages = append(t.Messages, msg)
			if t.Status == Solved || t.Status == Pending {
				t.Status = Open
			}
			if _, err := s.Update(t); err != nil {
				return 0, err
			}
			return t.Number, nil
		}
	}
	t := s.Create(Ticket{
		TenantID:  tenant,
		Subject:   strings.TrimSpace(e.Subject),
		Requester: e.From,
		Priority:  P3,
		Created:   e.Received,
		Messages:  []Message{msg},
	})
	return t.Number, nil
}

func reference(e Email) (int, bool) {
	if m := messageIDRef.FindStringSubmatch(e.InReplyTo); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	if m := subjectRef.FindStringSubmatch(e.Subject); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	return 0, false
}
