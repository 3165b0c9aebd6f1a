package tickets_test

import (
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/tickets"
)

// verifies REQ-0009: an inbound email creates a ticket, keeps its
// attachments, and a reply is threaded into the same ticket.
func Test_REQ_0009_email_creates_and_threads_ticket(t *testing.T) {
	s := tickets.NewStore(1000)
	at := time.Date(2024, 7, 1, 8, 0, 0, 0, time.UTC)

	n, err := tickets.Ingest(s, "contoso", tickets.Email{
		From: "sam@example.net", To: "support@contoso.example",
		Subject: "Parcel never arrived", Body: "Order 5521 did not arrive.",
		Attachments: []string{"receipt.pdf"}, Received: at,
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := s.Get(n)
	if tk.Subject != "Parcel never arrived" || len(tk.Messages) != 1 || len(tk.Messages[0].Attachments) != 1 {
		t.Fatalf("ticket = %+v", tk)
	}

	reply, err := tickets.Ingest(s, "contoso", tickets.Email{
		From: "sam@example.net", Subject: "Re: [#1000] Parcel never arrived",
		Body: "Any news?", Received: at.Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if reply != n {
		t.Fatalf("reply created ticket %d, want it threaded into %d", reply, n)
	}
	if tk, _ = s.Get(n); len(tk.Messages) != 2 {
		t.Fatalf("ticket has %d messages, want 2", len(tk.Messages))
	}
}

// verifies REQ-0009: threading by the In-Reply-To header when the customer
// edited the subject.
func Test_REQ_0009_thread_by_in_reply_to(t *testing.T) {
	s := tickets.NewStore(2000)
	n, _ := tickets.Ingest(s, "contoso", tickets.Email{Subject: "Refund", Received: time.Now()})
	got, _ := tickets.Ingest(s, "contoso", tickets.Email{
		Subject: "my refund!!", InReplyTo: "<ticket-2000.contoso@notify.example>", Received: time.Now(),
	})
	if got != n {
		t.Fatalf("reply went to %d, want %d", got, n)
	}
}
