package gitrepo

import (
	"fmt"
	"strconv"
	"strings"
)

// Step is one ancestry suffix of a revision: go back Count times through parent number
// Parent (HEAD~3 is {3, 1}; main^2 is {1, 2}; X^0 is {0, 1}).
type Step struct {
	Count, Parent int
}

// maxSteps bounds the numbers in a revision suffix, so a typo cannot start a huge walk.
const maxSteps = 1 << 20

// ParseRevision splits a revision into its base (a branch, tag, hash or HEAD) and its ~n and
// ^n suffixes. Other revision syntax (@{…}, :path, ^{…}, ranges) is refused with an error
// that says what is supported.
func ParseRevision(rev string) (base string, steps []Step, err error) {
	bad := func(why string) (string, []Step, error) {
		return "", nil, fmt.Errorf("%w %q: %s", ErrUnknownRevision, rev, why)
	}
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		i = len(rev)
	}
	base = rev[:i]
	if base == "@" {
		base = "HEAD" // git's shorthand
	}
	if base == "" {
		return bad("a revision starts with a branch, tag, hash or HEAD")
	}
	if strings.ContainsAny(base, " \t\n:@{}*?[\\") || strings.Contains(base, "..") {
		return bad("only branches, tags, hashes and HEAD, with the suffixes ~n and ^n, are supported")
	}
	rest := rev[i:]
	for rest != "" {
		op := rest[0]
		rest = rest[1:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n := 1
		if j > 0 {
			v, err := strconv.Atoi(rest[:j])
			if err != nil || v > maxSteps {
				return bad("number out of range")
			}
			n = v
		}
		rest = rest[j:]
		switch op {
		case '~':
			steps = append(steps, Step{Count: n, Parent: 1})
		case '^':
			if n == 0 {
				steps = append(steps, Step{Count: 0, Parent: 1})
			} else {
				steps = append(steps, Step{Count: 1, Parent: n})
			}
		default:
			return bad("only the suffixes ~n and ^n are supported")
		}
	}
	return base, steps, nil
}
