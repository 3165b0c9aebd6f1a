package chat

import (
	"regexp"
	"strings"
)

// Payment card numbers: 13 to 19 digits, optionally grouped with spaces or
// dashes. Only sequences that pass the Luhn check are masked, so order
// numbers and phone numbers stay readable.
var cardCandidate = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

// MaskCardNumbers replaces every card number in text with a mask that keeps
// only the last four digits.
// implements REQ-0038
func MaskCardNumbers(text string) string {
	return cardCandidate.ReplaceAllStringFunc(text, func(s string) string {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if !luhn(digits) {
			return s
		}
		return "•••• •••• •••• " + digits[len(digits)-4:]
	})
}

func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
