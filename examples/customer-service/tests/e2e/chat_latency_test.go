package e2e

import (
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/chat"
	"github.com/reqtrail/reqtrail/examples/customer-service/src/routing"
)

// verifies REQ-0002: first response times under a simulated peak half hour:
// 200 chats arriving at random, 40 agents on the presence-aware router.
func Test_REQ_0002_first_response_under_load(t *testing.T) {
	rng := rand.New(rand.NewSource(20240916))
	start := time.Date(2024, 9, 16, 9, 0, 0, 0, time.UTC)

	r := routing.New()
	for i := 0; i < 40; i++ {
		id := string(rune('A'+i%26)) + string(rune('a'+i/26))
		r.AddAgent(routing.Agent{ID: id, Presence: routing.Available, LastActive: start})
	}

	arrivals := make([]time.Time, 200)
	for i := range arrivals {
		arrivals[i] = start.Add(time.Duration(rng.Intn(1800)) * time.Second)
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })

	var firsts []time.Duration
	busyUntil := map[string]time.Time{}
	for _, opened := range arrivals {
		s := &chat.Session{ID: "sim"}
		s.Post(chat.Customer, "Hello, I need help with my card", opened)
		s.Post(chat.System, "Thanks, an agent will be with you shortly.", opened)

		r.Enqueue(routing.Conversation{ID: s.ID, Queued: opened})
		var agent string
		at := opened
		for agent == "" {
			for id, until := range busyUntil {
				if !until.After(at) {
					r.SetPresence(id, routing.Available, at)
					delete(busyUntil, id)
				}
			}
			if as := r.Dispatch(at); len(as) > 0 {
				agent = as[0].Agent
				break
			}
			at = at.Add(5 * time.Second)
		}
		r.SetPresence(agent, routing.Busy, at)
		busyUntil[agent] = at.Add(time.Duration(60+rng.Intn(240)) * time.Second)

		// Agents read the question before answering.
		s.Post(chat.Agent, "Hi, I am happy to help.", at.Add(time.Duration(5+rng.Intn(10))*time.Second))
		d, ok := s.FirstResponse()
		if !ok {
			t.Fatal("no first response recorded")
		}
		firsts = append(firsts, d)
	}

	if med := chat.Percentile(firsts, 50); med >= 30*time.Second {
		t.Errorf("median first response %v, want under 30s", med)
	}
	if p95 := chat.Percentile(firsts, 95); p95 >= 90*time.Second {
		t.Errorf("p95 first response %v, want under 90s", p95)
	}
}

// verifies REQ-0002: automated greetings do not count as a response.
func Test_REQ_0002_greeting_is_not_a_response(t *testing.T) {
	t0 := time.Date(2024, 9, 16, 9, 0, 0, 0, time.UTC)
	s := &chat.Session{}
	s.Post(chat.Customer, "hi", t0)
	s.Post(chat.System, "Welcome!", t0.Add(time.Second))
	if _, ok := s.FirstResponse(); ok {
		t.Fatal("system greeting counted as first response")
	}
}

// verifies REQ-0002: the queue position is shown after one minute.
func Test_REQ_0002_queue_position(t *testing.T) {
	if got := chat.QueueNotice(59*time.Second, 4); got != "" {
		t.Errorf("notice before one minute: %q", got)
	}
	if got := chat.QueueNotice(61*time.Second, 4); got == "" {
		t.Error("no queue position after one minute")
	}
}
