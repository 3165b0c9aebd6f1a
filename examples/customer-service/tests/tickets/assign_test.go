package tickets_test

import (
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/routing"
)

var monday = time.Date(2024, 9, 2, 9, 0, 0, 0, time.UTC)

// verifies REQ-0008: a new ticket goes to the idle agent with the fewest open
// tickets, within 10 seconds (one dispatch cycle is 2 seconds).
func Test_REQ_0008_assign_to_least_loaded_idle_agent(t *testing.T) {
	r := routing.New()
	r.AddAgent(routing.Agent{ID: "wang.fang", Presence: routing.Available, OpenTickets: 5, LastActive: monday})
	r.AddAgent(routing.Agent{ID: "zhao.lei", Presence: routing.Available, OpenTickets: 2, LastActive: monday})
	r.AddAgent(routing.Agent{ID: "chen.jie", Presence: routing.Busy, OpenTickets: 0, LastActive: monday})

	r.Enqueue(routing.Conversation{ID: "ticket-1042", Queued: monday})
	as := r.Dispatch(monday.Add(2 * time.Second))
	if len(as) != 1 || as[0].Agent != "zhao.lei" {
		t.Fatalf("assignments = %+v, want ticket-1042 to zhao.lei", as)
	}
}

// verifies REQ-0008: with nobody idle the ticket waits, and is assigned as
// soon as an agent becomes available.
func Test_REQ_0008_queue_until_agent_idle(t *testing.T) {
	r := routing.New()
	r.AddAgent(routing.Agent{ID: "wang.fang", Presence: routing.Busy, LastActive: monday})
	r.Enqueue(routing.Conversation{ID: "ticket-1043", Queued: monday})
	if as := r.Dispatch(monday); len(as) != 0 {
		t.Fatalf("assigned to a busy agent: %+v", as)
	}
	r.SetPresence("wang.fang", routing.Available, monday.Add(time.Minute))
	as := r.Dispatch(monday.Add(time.Minute))
	if len(as) != 1 || as[0].Agent != "wang.fang" || r.Queued() != 0 {
		t.Fatalf("assignments = %+v, queued = %d", as, r.Queued())
	}
}

// verifies REQ-0024: agents on a break or offline are never offered work.
func Test_REQ_0024_only_available_agents_get_work(t *testing.T) {
	for _, p := range []routing.Presence{routing.Busy, routing.OnBreak, routing.Offline} {
		r := routing.New()
		r.AddAgent(routing.Agent{ID: "a", Presence: p, LastActive: monday})
		r.Enqueue(routing.Conversation{ID: "c", Queued: monday})
		if as := r.Dispatch(monday); len(as) != 0 {
			t.Errorf("presence %s: got assignments %+v", p, as)
		}
	}
}

// verifies REQ-0024: ten minutes of inactivity sets the agent offline.
func Test_REQ_0024_idle_agent_goes_offline(t *testing.T) {
	r := routing.New()
	r.SetPresence("a", routing.Available, monday)
	r.Sweep(monday.Add(9 * time.Minute))
	if got := r.Agent("a").Presence; got != routing.Available {
		t.Fatalf("after 9 minutes presence = %s", got)
	}
	r.Sweep(monday.Add(10 * time.Minute))
	if got := r.Agent("a").Presence; got != routing.Offline {
		t.Fatalf("after 10 minutes presence = %s", got)
	}
}
