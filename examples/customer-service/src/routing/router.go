// Package routing decides which agent gets which conversation.
package routing

import (
	"sort"
	"sync"
	"time"
)

// Presence of an agent.
// implements REQ-0024
type Presence string

const (
	Available Presence = "available"
	Busy      Presence = "busy"
	OnBreak   Presence = "on-break"
	Offline   Presence = "offline"
)

// IdleTimeout sets an inactive agent offline.
const IdleTimeout = 10 * time.Minute

// Agent as seen by the router.
type Agent struct {
	ID           string
	Presence     Presence
	Languages    []string
	VIPDesk      bool
	OpenTickets  int
	LastAssigned time.Time
	LastActive   time.Time
}

// Conversation waiting to be assigned: a chat, a ticket or a call.
type Conversation struct {
	ID       string
	Language string
	VIP      bool
	Queued   time.Time
}

// Router holds the agents of one tenant and the waiting queue.
type Router struct {
	mu     sync.Mutex
	agents map[string]*Agent
	queue  []Conversation
	// Fallback is how long a conversation waits for a matching agent
	// before any free agent may take it.
	Fallback time.Duration
}

// New returns a router with the standard two-minute fallback.
func New() *Router {
	return &Router{agents: map[string]*Agent{}, Fallback: 2 * time.Minute}
}

// SetPresence records an agent's status and activity.
func (r *Router) SetPresence(id string, p Presence, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.agent(id)
	a.Presence, a.LastActive = p, now
}

// AddAgent registers an agent.
func (r *Router) AddAgent(a Agent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cp := a
	r.agents[a.ID] = &cp
}

// Agent returns a copy of an agent's state.
func (r *Router) Agent(id string) Agent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return *r.agent(id)
}

func (r *Router) agent(id string) *Agent {
	a, ok := r.agents[id]
	if !ok {
		a = &Agent{ID: id, Presence: Offline}
		r.agents[id] = a
	}
	return a
}

// Sweep sets agents who were inactive for IdleTimeout offline (REQ-0024).
func (r *Router) Sweep(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.agents {
		if a.Presence != Offline && now.Sub(a.LastActive) >= IdleTimeout {
			a.Presence = Offline
		}
	}
}

// Enqueue adds a conversation; VIP conversations go ahead of standard ones
// (REQ-0023) but keep arrival order among themselves.
func (r *Router) Enqueue(c Conversation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queue = append(r.queue, c)
	sort.SliceStable(r.queue, func(i, j int) bool { return r.queue[i].VIP && !r.queue[j].VIP })
}

// Assignment of a conversation to an agent.
type Assignment struct {
	Conversation string
	Agent        string
}

// Dispatch assigns as many queued conversations as there are suitable free
// agents. Only available agents are considered; among them the one with the
// fewest open tickets wins, then the one who waited longest since their last
// assignment.
// implements REQ-0008 (工单自动分配给空闲坐席), REQ-0023
func (r *Router) Dispatch(now time.Time) []Assignment {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Assignment
	var waiting []Conversation
	for _, c := range r.queue {
		a := r.pick(c, now)
		if a == nil {
			waiting = append(waiting, c)
			continue
		}
		a.OpenTickets++
		a.LastAssigned = now
		out = append(out, Assignment{Conversation: c.ID, Agent: a.ID})
	}
	r.queue = waiting
	return out
}

func (r *Router) pick(c Conversation, now time.Time) *Agent {
	strict := now.Sub(c.Queued) < r.Fallback
	var best *Agent
	for _, a := range r.agents {
		if a.Presence != Available {
			continue
		}
		if strict && (!speaks(a, c.Language) || (c.VIP && !a.VIPDesk)) {
			continue
		}
		if best == nil || a.OpenTickets < best.OpenTickets ||
			(a.OpenTickets == best.OpenTickets && a.LastAssigned.Before(best.LastAssigned)) ||
			(a.OpenTickets == best.OpenTickets && a.LastAssigned.Equal(best.LastAssigned) && a.ID < best.ID) {
			best = a
		}
	}
	return best
}

func speaks(a *Agent, lang string) bool {
	if lang == "" {
		return true
	}
	for _, l := range a.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Queued returns the number of conversations still waiting.
func (r *Router) Queued() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue)
}
