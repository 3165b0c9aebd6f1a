package chat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/chat"
)

// verifies REQ-0003: the transcript lists every message with its time.
func Test_REQ_0003_transcript_lists_every_message(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	t0 := time.Date(2024, 8, 20, 2, 15, 0, 0, time.UTC)
	s := &chat.Session{ID: "c-77", CustomerEmail: "li.na@example.com"}
	s.Post(chat.Customer, "我的退款什么时候到账？", t0)
	s.Post(chat.Agent, "退款已于今天处理，3 个工作日内到账。", t0.Add(40*time.Second))
	s.Post(chat.Customer, "Thanks!", t0.Add(90*time.Second))

	got := s.Transcript(shanghai)
	for _, want := range []string{
		"[2024-08-20 10:15:00] You: 我的退款什么时候到账？",
		"[2024-08-20 10:15:40] Agent: 退款已于今天处理，3 个工作日内到账。",
		"[2024-08-20 10:16:30] You: Thanks!",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
}

// verifies REQ-0038: card numbers are masked before storage, so transcripts
// only ever show the last four digits.
func Test_REQ_0038_card_numbers_masked(t *testing.T) {
	s := &chat.Session{ID: "c-78"}
	m := s.Post(chat.Customer, "my card is 4111 1111 1111 1111, order 20240918", time.Now())
	if strings.Contains(m.Text, "4111 1111") {
		t.Fatalf("card number stored unmasked: %q", m.Text)
	}
	if !strings.Contains(m.Text, "•••• •••• •••• 1111") {
		t.Errorf("last four digits missing: %q", m.Text)
	}
	if !strings.Contains(m.Text, "20240918") {
		t.Errorf("order number was masked: %q", m.Text)
	}
	if tr := s.Transcript(time.UTC); strings.Contains(tr, "4111-1111") || strings.Contains(tr, "4111 1111") {
		t.Errorf("transcript shows the card number:\n%s", tr)
	}
}

// verifies REQ-0038: numbers that fail the Luhn check are left alone.
func Test_REQ_0038_non_card_numbers_kept(t *testing.T) {
	const text = "call me on 0044 2079 4600 01"
	if got := chat.MaskCardNumbers(text); got != text {
		t.Errorf("MaskCardNumbers(%q) = %q", text, got)
	}
	if got := chat.MaskCardNumbers("5500-0000-0000-0004"); got != "•••• •••• •••• 0004" {
		t.Errorf("dashed card number: %q", got)
	}
}
