package vocab

import (
	"slices"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// The sets SPEC §3, §5 and §6 name, spelled out once here to check the derivation.
func TestVocabularyMatchesSPEC(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"requirement statuses", Requirement.Statuses, []string{"new", "analysis", "review", "approved", "development", "testing", "released", "closed", "rejected", "deferred"}},
		{"requirement stages", Requirement.Stages, []string{"new", "analysis", "review", "approved", "development", "testing", "released", "closed"}},
		{"requirement order", Requirement.Order(), []string{"new", "analysis", "review", "approved", "development", "testing", "released", "closed", "rejected", "deferred"}},
		{"drafts", Drafts, []string{"new", "analysis", "review", "rejected", "deferred"}},
		{"change stages", Change.Stages, []string{"proposed", "assessing", "approved", "implemented", "closed"}},
		{"change order", Change.Order(), []string{"proposed", "assessing", "approved", "implemented", "closed", "rejected", "withdrawn"}},
		{"decided", Decided, []string{"approved", "implemented", "closed", "rejected"}},
		{"open changes", OpenChanges, []string{"proposed", "assessing", "approved"}},
		{"verdicts", Verdicts, []string{"accepted", "conditional", "rejected"}},
		{"moscow", Enum(record.RequirementKind, "priority", "moscow"), []string{"must", "should", "could", "wont"}},
		{"link types", Enum(record.RequirementKind, "links", "type"), []string{"depends-on", "conflicts-with", "derived-from", "relates-to"}},
		{"released", Released, []string{"released", "closed"}},
		{"done", Done, []string{"released", "closed", "rejected", "deferred"}},
		{"from testing", Requirement.From("testing"), []string{"testing", "released", "closed"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// SPEC §6: baselined = approved and after; an unknown status counts as baselined.
	for _, s := range []string{"approved", "development", "testing", "released", "closed", "typo"} {
		if !Baselined(s) || Draft(s) {
			t.Errorf("%s should be baselined", s)
		}
	}
	for _, s := range Drafts {
		if Baselined(s) {
			t.Errorf("%s should be a draft", s)
		}
	}
	if !IsDecided("rejected") || IsDecided("proposed") || IsDecided("withdrawn") {
		t.Error("IsDecided")
	}
	if Requirement.From("nope") != nil || Requirement.Before("nope") != nil || Enum(record.RequirementKind, "no", "such") != nil {
		t.Error("unknown status or field must give nil")
	}
	if !Requirement.Known("deferred") || Requirement.Known("proposed") || !Change.IsSide("withdrawn") {
		t.Error("Known/IsSide")
	}
}

func TestSideStatusMustBeInSchema(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a side status missing from the schema was accepted")
		}
	}()
	newWorkflow(record.RequirementKind, "status", "no-such-status")
}
