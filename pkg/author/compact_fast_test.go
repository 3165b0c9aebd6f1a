package author

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCompactFastPath: compact's shortcut (shortFlow) gives what the YAML encoder gives
// (marshalCompact), for random scalars, lists and mappings of them, long ones included.
func TestCompactFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"需求", "customer", "a", "REQ-0001", "2024.10", "x:y", "#", "a #b", "long-word-without-breaks", "é", "1", " ",
		"yes", "on", "null", "~", ",", "[", "}", "'", `"`, "-", "must", "-x", "?", "0x1", "1e3", ".5", "Yes please", "2024-05-03", "2024.3", "Customer 419"}
	scalar := func() *yaml.Node {
		switch r.IntN(8) {
		case 0:
			return intNode(int64(r.IntN(100)))
		case 1:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}
		}
		var b strings.Builder
		for range 1 + r.IntN(6) + 30*r.IntN(2) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				b.WriteByte(' ')
			}
		}
		return String(b.String())
	}
	var value func(depth int) *yaml.Node
	value = func(depth int) *yaml.Node {
		if depth > 2 || r.IntN(3) == 0 {
			return scalar()
		}
		if r.IntN(2) == 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for range r.IntN(4) {
				seq.Content = append(seq.Content, value(depth+1))
			}
			return seq
		}
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range r.IntN(4) {
			m.Content = append(m.Content, String(words[(i*7+r.IntN(3))%len(words)]), value(depth+1))
		}
		return m
	}
	fast := 0
	for range 5000 {
		n := value(0)
		want := marshalCompact(n)
		if want == "?" {
			continue // a mapping with repeated keys
		}
		var b strings.Builder
		if shortFlow(&b, n, false) {
			fast++
		}
		if got := compact(n); got != want {
			t.Errorf("compact = %q, want %q", got, want)
		}
	}
	if fast < 500 {
		t.Errorf("the fast path took only %d values", fast)
	}
	long := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for range 40 {
		long.Content = append(long.Content, String(strings.Repeat("word ", 30)+"end"))
	}
	if compact(long) != marshalCompact(long) {
		t.Errorf("a long value differs: %q", compact(long))
	}
}
