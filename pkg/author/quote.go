package author

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The plain scalars that a YAML 1.1 or a YAML 1.2 core-schema resolver reads as something
// other than a string. A string matching any of them is written quoted.
var nonString = regexp.MustCompile(`^(?:` + strings.Join([]string{
	// booleans: YAML 1.2 core and YAML 1.1 (y, yes, on, off …)
	`y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`,
	// null
	`~|null|Null|NULL`,
	// integers: 1.2 decimal, octal (0o), hex; 1.1 binary, octal (leading 0), sexagesimal, _ separators
	`[-+]?[0-9][0-9_]*`, `0o[0-7_]+`, `[-+]?0x[0-9a-fA-F_]+`, `[-+]?0b[01_]+`,
	`[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`,
	// floats: 1.2 (1.5, .5, 1e3) and 1.1 (1.2.3-style runs of digits and dots, sexagesimal)
	`[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?`,
	`[-+]?(?:[0-9][0-9_]*)?\.[0-9._]*(?:[eE][-+]?[0-9]+)?`,
	`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`,
	`[-+]?\.(?:inf|Inf|INF)`, `\.(?:nan|NaN|NAN)`,
	// timestamps (YAML 1.1): dates and date-times
	`[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?`,
	// the 1.1 merge and value keys
	`<<`, `=`,
}, "|") + `)$`)

// nonStringStart holds every byte a match of nonString can start with: a string starting
// with another byte is not tried against the expression.
// The forms starting with a letter (booleans, null) are at most five bytes long.
const nonStringStart = "-+0123456789.yYnNtTfFoO~<="

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// nonStringWord reports whether s is one of the words nonString matches: a YAML 1.1 or
// 1.2 boolean, or null.
func nonStringWord(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL":
		return true
	}
	return false
}

// numberOrDate reports whether s has one of the commonest forms nonString matches, without
// the expression: digits, digits.digits (a release such as 2024.3), or a date
// dddd-d[d]-d[d].
func numberOrDate(s string) bool {
	digits := func(i int) int { // how many digits start at s[i:]
		n := 0
		for i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9' {
			n++
		}
		return n
	}
	n := digits(0)
	switch {
	case n == 0:
		return false
	case n == len(s):
		return true
	case s[n] == '.':
		return n+1 < len(s) && n+1+digits(n+1) == len(s)
	case s[n] == '-' && n == 4:
		m := digits(5)
		if m < 1 || m > 2 || 5+m >= len(s) || s[5+m] != '-' {
			return false
		}
		d := digits(6 + m)
		return d >= 1 && d <= 2 && 6+m+d == len(s)
	}
	return false
}

// NeedsQuotes reports whether the string s must be written quoted in YAML: when a YAML 1.1
// or 1.2 core resolver would read the plain scalar as anything but the string s (a number,
// including leading zeros, octal, hex and sexagesimal forms; a date or timestamp; a boolean,
// including yes/no/on/off/y/n; null or ~; .inf, .nan), when it starts with an indicator
// character or white space, or when it would otherwise not come back as the same string.
// This is reqtrail's one quoting rule for the values it writes.
func NeedsQuotes(s string) bool {
	switch {
	case s == "" || numberOrDate(s):
		return true
	case isASCIILetter(s[0]):
		// Of the non-string forms only the words start with a letter.
		if nonStringWord(s) {
			return true
		}
	case strings.IndexByte(nonStringStart, s[0]) >= 0 && nonString.MatchString(s):
		return true
	}
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\t':
		return true
	}
	if last, _ := utf8.DecodeLastRuneInString(s); unicode.IsSpace(last) {
		return true
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.Contains(s, ":\t") || strings.Contains(s, "\t#") {
		return true
	}
	for _, r := range s {
		if r == utf8.RuneError || r == '\uFEFF' || r == '\u2028' || r == '\u2029' || r == 0x85 ||
			(!unicode.IsPrint(r) && r != ' ') {
			return true
		}
	}
	// Words, sentences and Chinese text that passed the checks above cannot read as anything
	// but themselves; only other strings are worth the parser's time (an import writes tens
	// of thousands of values).
	if plainText(s) {
		return false
	}
	// Last word to the parser reqtrail reads with: the plain scalar must come back as s.
	var v map[string]any
	if yaml.Unmarshal([]byte("k: "+s+"\n"), &v) != nil {
		return true
	}
	got, ok := v["k"].(string)
	return !ok || got != s
}

// String returns a scalar node holding the string s, quoted (double quotes) exactly when
// NeedsQuotes says so.
func String(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if NeedsQuotes(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// Quote returns s as it is written in a YAML value: plain, or double-quoted when NeedsQuotes.
func Quote(s string) string {
	if !NeedsQuotes(s) {
		return s
	}
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle})
	if err != nil {
		return `""` // unreachable: a string node always encodes
	}
	return strings.TrimSuffix(string(out), "\n")
}

// plainText reports whether s is made only of letters, digits, spaces, . - _ / ( ) + % and
// printable non-ASCII characters, starting with an ASCII letter or with no digit or with a
// space or non-ASCII character (so that no number parser takes it, 1e_+2 included): a plain scalar of those, past NeedsQuotes'
// checks of its first and last characters and of the non-string forms, is always read back
// as s.
func plainText(s string) bool {
	// No YAML number or date starts with a letter (REQ-0001, v1.2 are strings to every
	// resolver); the words that read as booleans or null were refused before.
	if !isASCIILetter(s[0]) && strings.ContainsFunc(s, unicode.IsDigit) && !strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || r > 0x7f }) {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ':
		case r == '.' || r == '-' || r == '_' || r == '/' || r == '(' || r == ')' || r == '+' || r == '%':
		case r > 0x7f && unicode.IsPrint(r):
		default:
			return false
		}
	}
	return true
}
