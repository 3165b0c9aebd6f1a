package tickets_test

import (
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/tickets"
)

func calendar() tickets.Calendar {
	c := tickets.Calendar{Location: time.UTC, OpenHour: 9, CloseHour: 17}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Weekdays[d] = true
	}
	return c
}

// verifies REQ-0012: the time left is shown and escalation starts at 80 %.
func Test_REQ_0012_escalate_at_80_percent(t *testing.T) {
	c := calendar()
	created := time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC) // Monday
	tk := tickets.Ticket{Priority: tickets.P1, Created: created}

	st := tickets.Check(c, tk, created.Add(6*time.Hour))
	if st.Escalate || st.Left != 2*time.Hour {
		t.Fatalf("after 6h: %+v", st)
	}
	st = tickets.Check(c, tk, created.Add(6*time.Hour+24*time.Minute))
	if !st.Escalate || st.Breached {
		t.Fatalf("after 6h24m (80 %%): %+v", st)
	}
}

// verifies REQ-0012: the SLA clock pauses outside business hours.
func Test_REQ_0012_clock_pauses_outside_business_hours(t *testing.T) {
	c := calendar()
	friday := time.Date(2024, 11, 8, 16, 0, 0, 0, time.UTC)
	monday := time.Date(2024, 11, 11, 10, 0, 0, 0, time.UTC)
	if got := c.Elapsed(friday, monday); got != 2*time.Hour {
		t.Fatalf("Friday 16:00 to Monday 10:00 = %v business time, want 2h", got)
	}
}

// verifies REQ-0012: public holidays of the tenant calendar pause the clock
// (the condition of the customer's conditional acceptance).
func Test_REQ_0012_holidays_pause_the_clock(t *testing.T) {
	c := calendar()
	c.Holidays = map[string]bool{"2024-11-01": true}
	from := time.Date(2024, 11, 1, 9, 0, 0, 0, time.UTC)
	if got := c.Elapsed(from, from.Add(8*time.Hour)); got != 0 {
		t.Fatalf("holiday counted %v of business time", got)
	}
}
