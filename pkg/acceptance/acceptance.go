// Package acceptance writes acceptance records: a new record pinning requirements' current
// fingerprints. A recorded acceptance is never edited: a newer one supersedes it.
package acceptance

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Verdicts are the values of an acceptance record's verdict.
var Verdicts = vocab.Verdicts

// Entry is one accepted requirement with the fingerprint to pin.
type Entry struct {
	ID, Title, Fingerprint string
}

// New describes a new acceptance record.
type New struct {
	ID         string
	Title      string // "" gives a title from the verdict and the requirements
	Verdict    string
	Date       string // YYYY-MM-DD
	AcceptedBy string
	Entries    []Entry
	Evidence   []string
}

// Render returns the file content of a new acceptance record.
func Render(n New) ([]byte, error) {
	if len(n.Entries) == 0 {
		return nil, fmt.Errorf("an acceptance record accepts at least one requirement")
	}
	if !ValidDate(n.Date) {
		return nil, fmt.Errorf("date %q is not a date written YYYY-MM-DD", n.Date)
	}
	title := n.Title
	if strings.TrimSpace(title) == "" {
		title = DefaultTitle(n.Verdict, n.Entries)
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", Scalar(n.ID))
	fmt.Fprintf(&b, "title: %s\n", Scalar(title))
	fmt.Fprintf(&b, "verdict: %s\n", Scalar(n.Verdict))
	fmt.Fprintf(&b, "date: %s\n", n.Date)
	fmt.Fprintf(&b, "accepted-by: %s\n", Scalar(n.AcceptedBy))
	b.WriteString("requirements:\n")
	for _, e := range n.Entries {
		fmt.Fprintf(&b, "  - id: %s\n    fingerprint: %s\n", Scalar(e.ID), Scalar(e.Fingerprint))
	}
	if len(n.Evidence) > 0 {
		b.WriteString("evidence:\n")
		for _, e := range n.Evidence {
			fmt.Fprintf(&b, "  - %s\n", Scalar(e))
		}
	}
	b.WriteString("---\n")
	b.WriteString("## How it was verified\n\n<!-- Tests, demonstrations, inspections; with dates and evidence. -->\n\n## Remarks\n")
	return b.Bytes(), nil
}

// DefaultTitle names a record after its verdict and requirements: "Acceptance of REQ-0001:
// <title>" for one requirement, "Conditional acceptance of REQ-0001, REQ-0002" for several.
func DefaultTitle(verdict string, entries []Entry) string {
	what := "Acceptance of "
	switch verdict {
	case "conditional":
		what = "Conditional acceptance of "
	case "rejected":
		what = "Rejected acceptance of "
	}
	if len(entries) == 1 {
		if entries[0].Title != "" {
			return what + entries[0].ID + ": " + entries[0].Title
		}
		return what + entries[0].ID
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return what + strings.Join(ids, ", ")
}

// ValidDate reports whether s is a calendar date written YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

// Scalar writes s as a YAML scalar: plain when YAML reads it back as the same string on
// one line, double-quoted otherwise.
func Scalar(s string) string {
	if s != "" && !strings.ContainsAny(s, "\n\r\t\"'\\") && utf8.ValidString(s) && !yaml11Special(s) {
		var v map[string]any
		if yaml.Unmarshal([]byte("k: "+s+"\n"), &v) == nil {
			if got, ok := v["k"].(string); ok && got == s {
				return s
			}
		}
	}
	return strconv.Quote(s)
}

// yaml11Special reports whether s would be read as a boolean or a number by a YAML 1.1
// reader (yes, off, 1_000, 1:20), though yaml.v3 reads it as a string.
func yaml11Special(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off":
		return true
	}
	if s[0] < '0' || s[0] > '9' {
		return false
	}
	return strings.Trim(s, "0123456789_.:") == ""
}
