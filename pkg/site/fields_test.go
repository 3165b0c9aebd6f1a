package site

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// fieldsSeeds are front matters whose fields panel exercises every branch of appendNode:
// scalars of every YAML type, strings written like numbers and booleans for string-typed
// keys, nulls, chips and long lists, lists of mappings, nested mappings with known and
// unknown keys, a record id and a web address, deep nesting, and enumerated values (named in
// Chinese). (A repeated key is a parse error: such a record has no page.)
var fieldsSeeds = []string{
	"id: REQ-0100\ntitle: T\ntype: functional\nnecessity: must\nstatus: approved\nowner: 0x1F\nrelease: 1.10\ntags: [a, b, 12, true, ~, REQ-0001]\n",
	"id: REQ-0100\ntitle: T\npriority: {moscow: should, kano: delighter, value: 8, cost: 2.50, ice: {ease: 3, impact: 1e3, confidence: .5}}\nx-extra: {zeta: 1, alpha: [x, y], beta: {b: 1, a: 2, \"\": 3}}\n",
	"id: REQ-0100\ntitle: T\nsource: {channel: interview, requester: \"Dana\", date: 2026-01-02}\nlinks:\n  - {type: refines, to: REQ-0001}\n  - {to: REQ-0002, type: depends-on, fingerprint: abcdef012345}\n",
	"id: REQ-0100\ntitle: T\nx-list: [\"a very long value that is certainly more than forty bytes long\", short]\nx-empty: []\nx-map: {}\nx-null: null\nx-yes: yes\nx-True: True\nx-neg: -0\nx-inf: .inf\nx-url: https://example.com/a?b=<c>\n",
	"id: REQ-0100\ntitle: T\nx-deep: [[[[[[[[[[[1]]]]]]]]]]]\nx-deepmap: {a: {b: {c: {d: {e: {f: {g: {h: {i: {j: 1}}}}}}}}}}\n",
	"id: REQ-0100\ntitle: T\nacceptance-criteria: [one, two]\nmetrics: [{name: m, target: 1}]\nverification: test\nstart: 2026-01-01\ndue: '2026-02-01'\n",
	"id: REQ-0100\ntitle: T\nx-note: \"<script>alert(1)</script> \\x1b[31m REQ-0001 and CR-0001\"\nx-multi: |\n  line one\n  line two REQ-0002\n",
}

// fieldsBuilders are builders of the example's site, by language, made once.
var fieldsBuilders sync.Map

// fieldsPanels renders the fields panel of a requirement with front matter front (read as
// the loader reads it, in a builder of the example's site) from the compact form and from
// the decoded fields, in lang; inPlace reports whether the compact form was read, ok whether
// the front matter parsed.
func fieldsPanels(t testing.TB, lang, front string) (compact, decoded string, inPlace, ok bool) {
	t.Helper()
	var b *builder
	if v, hit := fieldsBuilders.Load(lang); hit {
		b = v.(*builder)
	} else {
		r := repo.Load(os.DirFS(exampleDir))
		r.Config.Site.Lang = lang
		var err error
		if b, err = prepare(r, NewFiles(), Options{}); err != nil {
			t.Fatal(err)
		}
		fieldsBuilders.Store(lang, b)
	}
	v, err := b.r.Config.Validator(record.RequirementKind)
	if err != nil {
		t.Fatal(err)
	}
	rec, perr := record.Read("reqs/REQ-0100.md", record.RequirementKind, []byte("---\n"+front+"---\nBody.\n"), v.Shape)
	if perr != nil {
		return "", "", false, false
	}
	rec.DropFields()
	inPlace = rec.TopNodes(func(string, record.Node) {})
	return string(b.appendFields(nil, rec)), string(b.appendFieldsDecoded(nil, rec)), inPlace, true
}

// TestFieldsPanelFromCompact proves the fields panel read in place from the compact form
// byte for byte equal to the one rendered from the decoded fields, in both languages.
func TestFieldsPanelFromCompact(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		for i, front := range fieldsSeeds {
			compact, decoded, inPlace, ok := fieldsPanels(t, lang, front)
			if !ok {
				t.Fatalf("seed %d does not parse", i)
			}
			if compact != decoded {
				t.Errorf("%s seed %d: in place\n%s\ndecoded\n%s", lang, i, compact, decoded)
			}
			if !inPlace || decoded == "" {
				t.Errorf("%s seed %d: read in place = %v, panel %q", lang, i, inPlace, decoded)
			}
		}
	}
	// The example's records, every kind.
	example := loadExample(t)
	for _, lang := range []string{"en", "zh-CN"} {
		example.Config.Site.Lang = lang
		b, err := prepare(example, NewFiles(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rec := range example.Records {
			if !rec.TopNodes(func(string, record.Node) {}) {
				continue
			}
			n++
			if c, d := b.appendFields(nil, rec), b.appendFieldsDecoded(nil, rec); string(c) != string(d) {
				t.Errorf("%s %s: in place\n%s\ndecoded\n%s", lang, rec.ID, c, d)
			}
		}
		if n < 30 {
			t.Errorf("%s: %d records read in place", lang, n)
		}
	}
}

// FuzzFieldsPanel checks the two ways of rendering the fields panel agree on any front
// matter.
func FuzzFieldsPanel(f *testing.F) {
	for _, s := range fieldsSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, front string) {
		if strings.Contains(front, "---") || !strings.HasPrefix(front, "id: REQ-0100\n") {
			return
		}
		if !strings.HasSuffix(front, "\n") {
			front += "\n"
		}
		for _, lang := range []string{"en", "zh-CN"} {
			if compact, decoded, _, _ := fieldsPanels(t, lang, front); compact != decoded {
				t.Fatalf("%s: in place\n%s\ndecoded\n%s", lang, compact, decoded)
			}
		}
	})
}
