package site

import (
	"strings"
	"unicode"
)

// CompareIDs orders record ids naturally: by prefix, then by number (REQ-9999 before
// REQ-10000), then as text.
func CompareIDs(a, b string) int {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	ta, tb := strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
	if len(ta) != len(tb) {
		if len(ta) < len(tb) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(ta, tb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// splitID splits an id into the text before its trailing digits and those digits.
func splitID(id string) (prefix, num string) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	return id[:i], id[i:]
}

// pageName returns the file name of a record's page, or "" when the id cannot be one: letters
// and digits of any script, "-", "_" and "." (not first) only, so that an id never reaches a
// path or an address unescaped.
func pageName(id string) string {
	if id == "" || len(id) > 100 || id[0] == '.' {
		return ""
	}
	for _, r := range id {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return ""
		}
	}
	return id + ".html"
}
