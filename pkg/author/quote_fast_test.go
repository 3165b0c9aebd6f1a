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
