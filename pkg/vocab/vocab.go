// Package vocab is reqtrail's vocabulary in one place: the statuses of every kind and their
// workflow order, the "draft", "baselined" and "decided" sets, the acceptance verdicts and the
// values of every enumerated field, derived from the embedded JSON Schemas (the workflow
// roles of the statuses are declared here once and checked against the schemas).
package vocab

import (
	"fmt"
	"slices"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// Workflow is the status vocabulary of one kind of record.
type Workflow struct {
	// Statuses are every value of the status field, in the schema's order.
	Statuses []string
	// Stages are the main line of the workflow in order; Side are the statuses that stand
	// beside it (a record can go there from any stage).
	Stages, Side []string
}

// Order is Stages followed by Side: the order in which reports list the statuses.
func (w Workflow) Order() []string { return append(slices.Clone(w.Stages), w.Side...) }

// Known reports whether s is one of the workflow's statuses.
func (w Workflow) Known(s string) bool { return slices.Contains(w.Statuses, s) }

// IsSide reports whether s stands beside the main line.
func (w Workflow) IsSide(s string) bool { return slices.Contains(w.Side, s) }

// From returns the stages from s on (s included), or nil when s is not a stage.
func (w Workflow) From(s string) []string {
	i := slices.Index(w.Stages, s)
	if i < 0 {
		return nil
	}
	return slices.Clone(w.Stages[i:])
}

// Before returns the stages before s, or nil when s is not a stage.
func (w Workflow) Before(s string) []string {
	i := slices.Index(w.Stages, s)
	if i < 0 {
		return nil
	}
	return slices.Clone(w.Stages[:i])
}

// newWorkflow splits the schema's status enum of kind into the main line and side.
func newWorkflow(kind record.Kind, field string, side ...string) Workflow {
	all := Enum(kind, field)
	w := Workflow{Statuses: all, Side: side}
	for _, s := range all {
		if !slices.Contains(side, s) {
			w.Stages = append(w.Stages, s)
		}
	}
	for _, s := range side {
		if !slices.Contains(all, s) {
			panic(fmt.Sprintf("vocab: %s status %q is not in the %s schema", kind, s, kind))
		}
	}
	return w
}

// The workflows (SPEC §3). A requirement goes new → analysis → review → approved →
// development → testing → released → closed, or aside to rejected or deferred; a change
// request goes proposed → assessing → approved → implemented → closed, or aside to rejected
// or withdrawn.
var (
	Requirement = newWorkflow(record.RequirementKind, "status", "rejected", "deferred")
	Change      = newWorkflow(record.ChangeKind, "status", "rejected", "withdrawn")
)

// Statuses that anchor the sets below.
const (
	// Approved is the status from which a requirement is baselined and a change request
	// decided.
	Approved = "approved"
	// Implemented is the status after which a change request is no longer open.
	Implemented = "implemented"
)

// Drafts are the requirement statuses under which its meaning may change freely (SPEC §6):
// the stages before approved, and the side statuses.
var Drafts = append(Requirement.Before(Approved), Requirement.Side...)

// Draft reports whether a requirement with status s is a draft.
func Draft(s string) bool { return slices.Contains(Drafts, s) }

// Baselined reports whether a requirement with status s is under change control: approved
// or later, and also any status that is not a known draft status (a typo must not open the
// gate).
func Baselined(s string) bool { return !Draft(s) }

// Released are the statuses of a released requirement: released and every stage after it.
var Released = Requirement.From("released")

// IsReleased reports whether a requirement with status s is released.
func IsReleased(s string) bool { return slices.Contains(Released, s) }

// Done are the statuses that take a requirement off the backlog: released and after, and
// the side statuses.
var Done = append(slices.Clone(Released), Requirement.Side...)

// Decided are the change-request statuses that record a decision (SPEC §5 change-decision):
// approved and every stage after it, and rejected.
var Decided = append(Change.From(Approved), "rejected")

// IsDecided reports whether a change request with status s is decided.
func IsDecided(s string) bool { return slices.Contains(Decided, s) }

// OpenChanges are the change-request statuses of a request still in progress: the stages
// before implemented.
var OpenChanges = Change.Before(Implemented)

// Verdicts are the values of an acceptance record's verdict.
var Verdicts = Enum(record.AcceptanceKind, "verdict")

// Enum returns the built-in values of the enumerated field at path of kind's schema (e.g.
// "priority", "moscow"; "links", "type"), in the schema's order; nil when there is none.
// reqtrail.yaml's values: may extend them per project.
func Enum(kind record.Kind, path ...string) []string {
	v, err := schema.For(string(kind), nil)
	if err != nil {
		panic(err) // the embedded schema is broken: a bug in reqtrail
	}
	return v.Enum(path...)
}
