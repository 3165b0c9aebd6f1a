package gate

import (
	"fmt"
	"slices"
)

// Stages is the requirement workflow in order (SPEC §3); rejected and deferred stand aside.
var Stages = []string{"new", "analysis", "review", "approved", "development", "testing", "released", "closed"}

func side(s string) bool { return s == "rejected" || s == "deferred" }

// Known reports whether s is a requirement status of the workflow.
func Known(s string) bool { return side(s) || slices.Contains(Stages, s) }

// Legal reports whether a requirement's status may move from one value to another between
// two revisions: one step forward, any number of steps back, from any state into rejected
// or deferred, and from rejected or deferred back to analysis. An unchanged status is legal.
func Legal(from, to string) bool {
	if from == to || side(to) {
		return true
	}
	if side(from) {
		return to == "analysis"
	}
	i, j := slices.Index(Stages, from), slices.Index(Stages, to)
	if i < 0 || j < 0 {
		return false
	}
	return j == i+1 || j < i
}

// TransitionHint says what a legal move from a status would be.
func TransitionHint(from, to string) string {
	if side(from) {
		return fmt.Sprintf("from %s a requirement goes back to analysis first", from)
	}
	i := slices.Index(Stages, from)
	if i >= 0 && i+1 < len(Stages) {
		return fmt.Sprintf("from %s the next step is %s; move one step per pull request, or to rejected or deferred", from, Stages[i+1])
	}
	return fmt.Sprintf("%s is the last stage; a requirement may only go back, or to rejected or deferred", from)
}
