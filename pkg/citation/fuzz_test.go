package citation

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var refRE = regexp.MustCompile(`REQ[-_]([0-9]+)`)

// reference finds ids the slow way: a regexp for candidates, rune decoding for boundaries.
func reference(data []byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, loc := range refRE.FindAllSubmatchIndex(data, -1) {
		before, _ := utf8.DecodeLastRune(data[:loc[0]])
		after, _ := utf8.DecodeRune(data[loc[1]:])
		// Only an ASCII letter or digit stops an id (SPEC §4: 实现REQ-0001。 cites).
		word := func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
		if loc[0] > 0 && word(before) || loc[1] < len(data) && word(after) {
			continue
		}
		num := string(data[loc[2]:loc[3]])
		if len(num) < 4 || len(num) > 4 && num[0] == '0' {
			continue
		}
		line := bytes.Count(data[:loc[0]], []byte("\n")) + 1
		key := strings.Repeat("x", line) + num
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, "REQ-"+num)
	}
	return out
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"// implements REQ-0001.", "Test_REQ_0001_latency", "REQ-00012 XREQ-0001 REQ-0001a",
		"实现REQ-0001", "实现REQ-0001。", "ÄREQ-0001é", "REQ-0001１", "REQ-0001\nREQ-0001 REQ-0001", "\xffREQ_12345\xc3", "REQ-REQ-0001",
	} {
		f.Add([]byte(s))
	}
	m := NewMatcher("REQ", 4)
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []string
		m.Find(data, func(x Match) {
			if !bytes.HasPrefix(data[x.Offset:], []byte("REQ")) {
				t.Fatalf("match at %d does not start with the prefix", x.Offset)
			}
			if line := bytes.Count(data[:x.Offset], []byte("\n")) + 1; line != x.Line {
				t.Fatalf("line %d, want %d", x.Line, line)
			}
			start := bytes.LastIndexByte(data[:x.Offset], '\n') + 1
			if col := utf8.RuneCount(data[start:x.Offset]) + 1; col != x.Column {
				t.Fatalf("column %d, want %d", x.Column, col)
			}
			got = append(got, x.ID)
		})
		want := reference(data)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("Find(%q) = %v, reference %v", data, got, want)
		}
	})
}
