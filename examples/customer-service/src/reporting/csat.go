// Package reporting computes service metrics from conversations and surveys.
package reporting

import (
	"errors"
	"time"
)

// Response to a CSAT survey.
type Response struct {
	Conversation string
	Channel      string // chat, ticket, phone
	Team         string
	Agent        string
	Score        int // 1..5
	Comment      string
	At           time.Time
}

// SurveyCooldown is the minimum time between two surveys to one customer,
// across channels.
const SurveyCooldown = 7 * 24 * time.Hour

// ShouldSurvey decides whether to send the survey when a chat or ticket is
// closed, given when the customer was last surveyed (zero if never).
// implements REQ-0028
func ShouldSurvey(lastSurveyed, closed time.Time) bool {
	return lastSurveyed.IsZero() || closed.Sub(lastSurveyed) >= SurveyCooldown
}

// ErrScore is returned for a rating outside 1..5.
var ErrScore = errors.New("rating must be between 1 and 5")

// Validate checks a survey answer before it is stored (REQ-0028).
func Validate(r Response) error {
	if r.Score < 1 || r.Score > 5 {
		return ErrScore
	}
	return nil
}

// Summary of CSAT for a period and filter.
type Summary struct {
	Sent         int
	Answered     int
	Satisfied    int      // scores 4 and 5
	Negative     []string // conversations rated 1 or 2, to open from the report
	CSAT         float64  // Satisfied / Answered
	ResponseRate float64  // Answered / Sent
}

// Filter selects responses by channel, team and agent; empty fields match all.
type Filter struct{ Channel, Team, Agent string }

func (f Filter) match(r Response) bool {
	return (f.Channel == "" || f.Channel == r.Channel) &&
		(f.Team == "" || f.Team == r.Team) &&
		(f.Agent == "" || f.Agent == r.Agent)
}

// Summarise computes the CSAT report (满意度报表) over responses between
// from and to.
// implements REQ-0029
func Summarise(sent int, rs []Response, f Filter, from, to time.Time) Summary {
	s := Summary{Sent: sent}
	for _, r := range rs {
		if r.At.Before(from) || !r.At.Before(to) || !f.match(r) {
			continue
		}
		s.Answered++
		switch {
		case r.Score >= 4:
			s.Satisfied++
		case r.Score <= 2:
			s.Negative = append(s.Negative, r.Conversation)
		}
	}
	if s.Answered > 0 {
		s.CSAT = float64(s.Satisfied) / float64(s.Answered)
	}
	if s.Sent > 0 {
		s.ResponseRate = float64(s.Answered) / float64(s.Sent)
	}
	return s
}
