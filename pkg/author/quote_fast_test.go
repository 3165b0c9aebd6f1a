package author

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// The fast path of NeedsQuotes agrees with the parser on every string it answers.
func TestPlainTextAgreesWithParser(t *testing.T) {
	alphabet := []string{"a", "Z", "0", "9", " ", ".", "-", "_", "/", "(", ")", "+", "中", "，", "e", "E", "x", "o", "b", "n", "y", "%", "i", "f", "l"}
	var samples []string
	for _, a := range alphabet {
		for _, b := range alphabet {
			for _, c := range alphabet {
				samples = append(samples, a+b+c, a+b, "1"+a+b+c+"2")
			}
		}
	}
	samples = append(samples, "2024.10", "1.2.3", "v1.0-beta", "1_000", "0x1F", "1e3", ".5", "+1", "-1", "1/2", "(1)", "中文 文本", "nan", "inf", ".inf", "NULL", "Yes")
	for _, s := range samples {
		if !plainText(s) || NeedsQuotes(s) {
			continue
		}
		var v map[string]any
		err := yaml.Unmarshal([]byte("k: "+s+"\n"), &v)
		if got, ok := v["k"].(string); err != nil || !ok || got != s {
			t.Errorf("%q: the fast path writes it plain, but it reads back as %#v (%v)", s, v["k"], err)
		}
	}
}

// numberOrDate answers true only for strings the non-string expression matches, and
// NeedsQuotes gives the same answers with and without it.
func TestNumberOrDateAgreesWithExpression(t *testing.T) {
	alphabet := []string{"0", "1", "9", ".", "-", "a", " ", ":"}
	samples := []string{"2024-04-06", "2024-4-6", "2024-04-6x", "2024-123-01", "20244-04-06", "2024-04-", "2024.", "2024.3", ".3", "1.2.3", "12", "0", "007", "1-2-3"}
	var grow func(prefix string, depth int)
	grow = func(prefix string, depth int) {
		samples = append(samples, prefix)
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			grow(prefix+a, depth-1)
		}
	}
	grow("", 5)
	grow("2024-", 3)
	for _, s := range samples {
		if numberOrDate(s) && !nonString.MatchString(s) {
			t.Errorf("numberOrDate(%q) but the expression does not match it", s)
		}
	}
}

// nonStringWord is the expression's answer for every string starting with a letter.
func TestNonStringWordAgreesWithExpression(t *testing.T) {
	letters := []string{"y", "Y", "e", "s", "n", "N", "o", "O", "t", "r", "u", "T", "R", "U", "E", "f", "a", "l", "F", "A", "L", "S", "x", "0", ".", " "}
	var grow func(prefix string, depth int)
	grow = func(prefix string, depth int) {
		if prefix != "" && isASCIILetter(prefix[0]) {
			if got, want := nonStringWord(prefix), nonString.MatchString(prefix); got != want {
				t.Errorf("nonStringWord(%q) = %v, the expression %v", prefix, got, want)
			}
		}
		if depth == 0 {
			return
		}
		for _, l := range letters {
			grow(prefix+l, depth-1)
		}
	}
	grow("", 4)
	for _, w := range []string{"false", "False", "FALSE", "fals", "falsey", "Null", "nULL", "yes", "YES", "yEs", "Off", "oFF"} {
		if got, want := nonStringWord(w), nonString.MatchString(w); got != want {
			t.Errorf("nonStringWord(%q) = %v, the expression %v", w, got, want)
		}
	}
}
