package tickets

import "time"

// implements REQ-0012: SLA deadlines, escalation at 80 %, business hours.

// Priority of a ticket; it selects the SLA targets.
type Priority int

const (
	P1 Priority = iota + 1
	P2
	P3
)

// Targets are the SLA durations, counted in business time.
type Targets struct {
	FirstResponse time.Duration
	Resolution    time.Duration
}

// DefaultTargets follow the standard enterprise contract. A business day is
// eight working hours.
var DefaultTargets = map[Priority]Targets{
	P1: {FirstResponse: 1 * time.Hour, Resolution: 8 * time.Hour},
	P2: {FirstResponse: 4 * time.Hour, Resolution: 16 * time.Hour},
	P3: {FirstResponse: 8 * time.Hour, Resolution: 40 * time.Hour},
}

// EscalateAt is the share of the SLA after which the supervisor is alerted.
const EscalateAt = 0.8

// Calendar holds a tenant's business hours. Holidays are listed as dates in
// the tenant's time zone.
type Calendar struct {
	Location  *time.Location
	OpenHour  int // e.g. 9
	CloseHour int // e.g. 17
	Weekdays  [7]bool
	Holidays  map[string]bool // "2024-11-01"
}

// Working reports whether t falls inside business hours.
func (c Calendar) Working(t time.Time) bool {
	t = t.In(c.Location)
	if !c.Weekdays[t.Weekday()] || c.Holidays[t.Format("2006-01-02")] {
		return false
	}
	return t.Hour() >= c.OpenHour && t.Hour() < c.CloseHour
}

// Elapsed is the business time between from and to: the SLA clock pauses
// outside business hours. It steps in minutes, which is precise enough for
// SLAs and keeps daylight-saving changes simple.
func (c Calendar) Elapsed(from, to time.Time) time.Duration {
	var d time.Duration
	for t := from.Truncate(time.Minute); t.Before(to); t = t.Add(time.Minute) {
		if c.Working(t) {
			d += time.Minute
		}
	}
	return d
}

// State of a ticket's SLA at a given time.
type State struct {
	Left      time.Duration // business time left before the deadline
	Escalate  bool          // at least 80 % used
	Breached  bool
	UsedShare float64
}

// Check computes the resolution SLA state of a ticket at now.
func Check(c Calendar, t Ticket, now time.Time) State {
	target := DefaultTargets[t.Priority].Resolution
	used := c.Elapsed(t.Created, now)
	share := float64(used) / float64(target)
	return State{
		Left:      target - used,
		Escalate:  share >= EscalateAt,
		Breached:  used >= target,
		UsedShare: share,
	}
}
