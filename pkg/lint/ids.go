package lint

import "github.com/reqtrail/reqtrail/pkg/diag"

// Rule ids, as diagnostics, reqtrail.yaml's rules: and SPEC §5 spell them.
const (
	RuleParse                 = diag.RuleParse
	RuleSchema                = diag.RuleSchema
	RuleIDFormat              = "id-format"
	RuleIDFilename            = "id-filename"
	RuleIDDuplicate           = "id-duplicate"
	RuleRefUnknown            = "ref-unknown"
	RuleRefSelf               = "ref-self"
	RuleParentCycle           = "parent-cycle"
	RuleChangeDecision        = "change-decision"
	RuleReleaseUnaccepted     = "release-unaccepted"
	RuleAcceptanceStale       = "acceptance-stale"
	RuleAcceptanceFingerprint = "acceptance-fingerprint"
	RuleDatesOrder            = "dates-order"
	RuleAcceptanceUnmet       = "acceptance-unmet"
	RuleRequirementUntested   = "requirement-untested"
	RuleCitationUnknown       = "citation-unknown"
	RuleLinkSuspect           = "link-suspect"
	RuleLinkUnpinned          = "link-unpinned"
	RuleMetricUnknown         = "metric-unknown"
	RuleEvaluationUnmet       = "evaluation-unmet"
	RuleEvaluationMissing     = "evaluation-missing"
	RuleUntracedChange        = "untraced-change"
	RuleStatusTransition      = "status-transition"
)
