// Package voice runs the IVR menu and the call queue.
package voice

import (
	"errors"
	"time"
)

// Node is one IVR menu level. Keys map to sub-menus or to self-service
// actions; key 0 always transfers to an agent.
// implements REQ-0014 (IVR 自助语音菜单)
type Node struct {
	Prompt  string
	Action  string // self-service action, e.g. "balance" or "order-status"
	Options map[string]*Node
}

// MaxDepth is the deepest menu a tenant may configure.
const MaxDepth = 3

// TransferKey connects the caller to an agent from any level.
const TransferKey = "0"

// ErrTooDeep is returned when a tenant's menu has more than MaxDepth levels.
var ErrTooDeep = errors.New("IVR 菜单不能超过三层 (the menu is deeper than three levels)")

// Validate checks a menu configured by a tenant administrator before it is
// published. Publishing swaps the live menu atomically, so changes take effect
// on the next call.
func Validate(root *Node) error {
	return validate(root, 1)
}

func validate(n *Node, depth int) error {
	if depth > MaxDepth {
		return ErrTooDeep
	}
	for key, child := range n.Options {
		if key == TransferKey {
			return errors.New("key 0 is reserved for transfer to an agent")
		}
		if err := validate(child, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// Step follows one key press. It returns the next node, or transfer=true when
// the caller asked for an agent.
func Step(n *Node, key string) (next *Node, transfer bool) {
	if key == TransferKey {
		return nil, true
	}
	if c, ok := n.Options[key]; ok {
		return c, false
	}
	return n, false // unknown key: repeat the menu
}

// Caller waiting in the phone queue. A caller who accepted a call-back keeps
// their place: the queue calls them back when their turn comes.
// implements REQ-0015
type Caller struct {
	Number   string
	Arrived  time.Time
	Callback string // number to call back on; empty while on hold
}

// CallbackThreshold is the expected wait above which a call-back is offered.
const CallbackThreshold = 3 * time.Minute

// OfferCallback reports whether the IVR should offer a call-back.
func OfferCallback(expectedWait time.Duration) bool {
	return expectedWait > CallbackThreshold
}

// Queue of callers in arrival order.
type Queue struct{ callers []Caller }

// Join adds a caller at the end of the queue.
func (q *Queue) Join(c Caller) { q.callers = append(q.callers, c) }

// AcceptCallback turns a waiting caller into a call-back without moving them:
// the position in the queue is kept. An empty number means "the number I
// called from".
func (q *Queue) AcceptCallback(number, callbackNumber string) bool {
	for i := range q.callers {
		if q.callers[i].Number == number {
			if callbackNumber == "" {
				callbackNumber = number
			}
			q.callers[i].Callback = callbackNumber
			return true
		}
	}
	return false
}

// Next removes and returns the caller whose turn it is.
func (q *Queue) Next() (Caller, bool) {
	if len(q.callers) == 0 {
		return Caller{}, false
	}
	c := q.callers[0]
	q.callers = q.callers[1:]
	return c, true
}
