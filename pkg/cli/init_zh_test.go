package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// TestChineseTemplates: every kind of record starts with Chinese headings in a Chinese
// project, and the Chinese scaffold translates every text of the English one.
func TestChineseTemplates(t *testing.T) {
	for _, k := range record.AllKinds() {
		if zhBodies[k] == "" {
			t.Errorf("no Chinese template body for %s (zhBodies)", k)
		}
	}
	// Every text of the English examples has its Chinese version: no English sentence is left.
	for _, en := range []string{scaffoldRequirement, scaffoldChange, scaffoldAcceptance} {
		zh := zhScaffold.Replace(en)
		for _, line := range strings.Split(zh, "\n") {
			if m := englishText.FindString(line); m != "" {
				t.Errorf("the Chinese scaffold keeps English text %q in %q", m, line)
			}
		}
	}
}

// englishText matches three English words in a row outside a comment.
var englishText = regexp.MustCompile(`^[^#]*\b[A-Za-z]+ [A-Za-z]+ [A-Za-z]+\b`)
