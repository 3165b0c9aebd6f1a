package author

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// encoderBytes is what the YAML encoder writes for the prepared front matter m, or its error.
func encoderBytes(m *yaml.Node) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return "error: " + err.Error()
	}
	if err := enc.Close(); err != nil {
		return "error: " + err.Error()
	}
	return buf.String()
}

// prepared is m as Encode hands it to the writers: a block mapping, strings requoted, keys
// in canonical order.
func prepared(kind record.Kind, front *yaml.Node) *yaml.Node {
	m := clone(front)
	m.Style = 0
	requote(m)
	format.Order(kind, m)
	return m
}

// sameAsEncoder fails when writeFront writes m otherwise than the encoder writes the whole
// document, or marks a node otherwise than the YAML parser finds it in the bytes written; it
// reports whether the fast writer took every entry of m.
func sameAsEncoder(t testing.TB, m *yaml.Node) bool {
	t.Helper()
	want := encoderBytes(m)
	var buf bytes.Buffer
	var got string
	marked, err := writeFront(&buf, m, 1)
	if err != nil {
		got = "error: " + err.Error()
	} else {
		got = buf.String()
	}
	if got != want && !(strings.HasPrefix(got, "error: ") && strings.HasPrefix(want, "error: ")) {
		t.Fatalf("writeFront wrote\n%s\nthe encoder\n%s", got, want)
	}
	if !marked {
		return false
	}
	parsed, perr := record.ParseFrontMatter(buf.Bytes(), 1)
	if perr != nil {
		t.Fatalf("%s: %v", got, perr)
	}
	if msg := sameTree(m, parsed, "front matter"); msg != "" {
		t.Fatalf("writeFront marked the nodes of\n%s\notherwise than the parser finds them: %s", got, msg)
	}
	return true
}

// TestEmitSimpleCorpus: every front matter of the generated corpus (every kind) is written
// by the fast writer exactly as by the encoder, and most of them are taken by it.
func TestEmitSimpleCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 300, corpus.Options{}); err != nil {
		t.Fatal(err)
	}
	total, fast := 0, 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rec, perr := record.Parse(filepath.Base(p), "", data, nil)
		if perr != nil || !rec.Parsed() {
			t.Fatalf("%s: %v", p, perr)
		}
		kind := record.Kind(strings.Split(filepath.ToSlash(strings.TrimPrefix(p, dir+"/")), "/")[0])
		total++
		front := rec.Tree()
		asStrings(front) // dates: an importer sets them as strings
		if sameAsEncoder(t, prepared(kind, front)) {
			fast++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < 300 || fast*10 < total*8 {
		t.Errorf("the fast writer took %d of %d front matters", fast, total)
	}
}

func asStrings(n *yaml.Node) {
	if n.Tag == "!!timestamp" {
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		asStrings(c)
	}
}

// randomFront builds a front matter of the shapes importers build from words.
func randomFront(r *rand.Rand, words []string) *yaml.Node {
	str := func() string {
		var b strings.Builder
		for range 1 + r.IntN(4) + 15*(r.IntN(8)/7) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	scalar := func() any {
		switch r.IntN(10) {
		case 0:
			return r.IntN(1000) - 500
		case 1:
			return r.IntN(2) == 0
		case 2:
			return float64(r.IntN(1000)) / 8
		}
		return str()
	}
	var value func(depth int) any
	value = func(depth int) any {
		if depth > 2 || r.IntN(3) == 0 {
			return scalar()
		}
		switch r.IntN(3) {
		case 0:
			var l []any
			for range r.IntN(4) {
				l = append(l, value(depth+1))
			}
			return l
		case 1:
			var l []string
			for range r.IntN(4) {
				l = append(l, str())
			}
			return l
		}
		m := map[string]any{}
		for range 1 + r.IntN(4) {
			m[words[r.IntN(len(words))]] = value(depth + 1)
		}
		return m
	}
	front := map[string]any{}
	for _, k := range []string{"id", "title", "status", "tags", "links", "priority", "source", "x-note", "owner"} {
		if r.IntN(3) > 0 {
			front[k] = value(0)
		}
	}
	n, err := Node(front)
	if err != nil {
		panic(err)
	}
	return n
}

var emitWords = []string{"需求", "customer", "a", "REQ-0001", "2024.10", "2024-05-03", "x:y", "#", "a #b", "long-word-without-breaks", "é", "1", " ",
	"yes", "on", "null", "~", ",", "[", "}", "'", `"`, "\\", "-", "must", "-x", "?", "0x1", "1e3", ".5", "Yes please", "\t", "\n", "😀",
	"\u00a0", "\u3000", "\u2028", "\ufeff", "%", "@", "(x)", "a/b", "+1", "07", "-0", "0.0"}

// TestEmitSimpleRandom: random front matters of the importers' shapes, awkward strings
// included, come out of the fast writer exactly as out of the encoder (or go to it).
func TestEmitSimpleRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	fast := 0
	tame := []string{"需求", "customer", "a", "REQ-0001", "2024.10", "2024-05-03", "must", "(x)", "a/b", "1", "é", "long-word-without-breaks", "Yes please", "on"}
	for i := range 5000 {
		words := emitWords
		if i%2 == 0 {
			words = tame
		}
		if sameAsEncoder(t, prepared(record.RequirementKind, randomFront(r, words))) {
			fast++
		}
	}
	if fast < 150 {
		t.Errorf("the fast writer took only %d front matters", fast)
	}
}

// FuzzEmitSimple: front matters built of the fuzzer's words are written by the fast writer
// as the encoder writes them.
func FuzzEmitSimple(f *testing.F) {
	f.Add("title", "need", "REQ-0001", uint64(1))
	f.Add("2024-05-03", "a b c d e f g h i j k l m n o p q r s t u v w x y z", "需求 描述", uint64(7))
	f.Add("x: y", "'q'", "-", uint64(3))
	f.Fuzz(func(t *testing.T, a, b, c string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, seed>>7))
		words := []string{a, b, c, "word", "需求"}
		sameAsEncoder(t, prepared(record.RequirementKind, randomFront(r, words)))
	})
}
