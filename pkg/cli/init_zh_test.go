package cli

import (
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// TestChineseTemplates: every kind of record starts with Chinese headings in a Chinese
// project, and the Chinese scaffold has every placeholder the English one has.
func TestChineseTemplates(t *testing.T) {
	for _, k := range record.AllKinds() {
		if zhBodies[k] == "" {
			t.Errorf("no Chinese template body for %s (zhBodies)", k)
		}
	}
	for _, p := range [][2]string{{scaffoldRequirement, scaffoldRequirementZh}, {scaffoldChange, scaffoldChangeZh}, {scaffoldAcceptance, scaffoldAcceptanceZh}} {
		for _, verb := range []string{"%[1]s", "%[2]s"} {
			if strings.Contains(p[0], verb) != strings.Contains(p[1], verb) {
				t.Errorf("the Chinese scaffold differs in %s:\n%s", verb, p[1])
			}
		}
	}
}
