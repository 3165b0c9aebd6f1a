package gate

import (
	"fmt"
	"slices"

	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Stages is the requirement workflow in order (SPEC §3, vocab.Requirement); rejected and
// deferred stand aside.
var Stages = vocab.Requirement.Stages

// Drafts are the statuses under which a requirement's meaning may change freely (SPEC §6):
// change control starts at approval.
var Drafts = vocab.Drafts

func side(s string) bool { return vocab.Requirement.IsSide(s) }

// Known reports whether s is a requirement status of the workflow.
func Known(s string) bool { return vocab.Requirement.Known(s) }

// Draft reports whether a requirement with status s is a draft.
func Draft(s string) bool { return vocab.Draft(s) }

// Baselined reports whether a requirement with status s at the merge base is under change
// control: approved or later, and also any status that is not a known draft status (an
// unknown status counts as baselined: a typo must not open the gate).
func Baselined(s string) bool { return vocab.Baselined(s) }

// Legal reports whether a requirement's status may move from one value to another between
// two revisions (SPEC §6 rule 7): forward any number of steps, except from before approved
// (new, analysis, review) to after it; back any number of steps; from anywhere into rejected
// or deferred; from those back to analysis. An unchanged status is legal.
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
	approved := slices.Index(Stages, vocab.Approved)
	if j > i && i < approved && j > approved {
		return false // approval is its own merged change
	}
	return true
}

// TransitionHint says why a move is illegal and what would be legal.
func TransitionHint(from, to string) string {
	if side(from) {
		return fmt.Sprintf("from %s a requirement goes back to analysis first", from)
	}
	return fmt.Sprintf("a requirement cannot pass approval and move on in one change: move it to approved (a reviewed, merged decision), then on to %s", to)
}
