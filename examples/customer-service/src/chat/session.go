// Package chat holds live chat sessions between customers and agents.
package chat

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Author says who wrote a message.
type Author int

const (
	Customer Author = iota
	Agent
	System // automated greetings and notices; never counts as a response
)

func (a Author) String() string {
	switch a {
	case Customer:
		return "You"
	case Agent:
		return "Agent"
	default:
		return "System"
	}
}

// Message is one line of a conversation.
type Message struct {
	From        Author
	Text        string
	At          time.Time
	Attachments []Attachment
}

// Session is one chat conversation.
type Session struct {
	ID            string
	TenantID      string
	CustomerEmail string
	Messages      []Message
}

// Post appends a message. Card numbers are masked before the message is
// stored, so they never reach agents, transcripts or exports.
// implements REQ-0038
func (s *Session) Post(from Author, text string, at time.Time) Message {
	m := Message{From: from, Text: MaskCardNumbers(text), At: at}
	s.Messages = append(s.Messages, m)
	return m
}

// FirstResponse is the time from the customer's first message to the first
// message written by a human agent. The second result is false while no agent
// has answered yet.
// implements REQ-0002
func (s *Session) FirstResponse() (time.Duration, bool) {
	var asked time.Time
	for _, m := range s.Messages {
		switch {
		case m.From == Customer && asked.IsZero():
			asked = m.At
		case m.From == Agent && !asked.IsZero():
			return m.At.Sub(asked), true
		}
	}
	return 0, false
}

// QueueNotice is shown to a customer who has waited more than a minute
// without an agent (REQ-0002). It is empty before that.
func QueueNotice(waited time.Duration, position int) string {
	if waited <= time.Minute || position < 1 {
		return ""
	}
	return fmt.Sprintf("You are number %d in the queue. An agent will be with you shortly.", position)
}

// Percentile returns the p-th percentile (0 < p <= 100) of the durations,
// nearest-rank method. It is used for the first-response targets.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	rank := int(p/100*float64(len(sorted)) + 0.999999)
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// Transcript renders the conversation as plain text for the email the
// customer can request at the end of the chat: every message with its time.
// implements REQ-0003
func (s *Session) Transcript(loc *time.Location) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Conversation %s\n\n", s.ID)
	for _, m := range s.Messages {
		fmt.Fprintf(&b, "[%s] %s: %s\n", m.At.In(loc).Format("2006-01-02 15:04:05"), m.From, m.Text)
		for _, a := range m.Attachments {
			fmt.Fprintf(&b, "    attachment: %s (%d bytes)\n", a.Name, a.Size)
		}
	}
	return b.String()
}
