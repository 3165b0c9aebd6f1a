package record

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// compactSamples are front matters exercising every scalar kind, styles and nesting.
var compactSamples = []string{
	"id: REQ-0001\ntitle: Export chats\n",
	"id: REQ-0002\nrelease: 2024.10\ndue: 2024-09-30\npriority: {moscow: must, ice: {impact: 3, confidence: 0x10, ease: 2}}\n",
	"a: ~\nb: null\nc: true\nd: False\ne: yes\nf: 1.5\ng: .inf\nh: -.NaN\ni: 1e3\nj: '12'\nk: \"true\"\nl: |\n  block\n  text\nm: >-\n  folded\n",
	"list: [1, two, 3.0, null, [nested, [deeper]], {k: v}]\nempty: []\nobj: {}\n",
	"tags:\n  - a\n  - 'b'\n  - 007\n  - 0o17\n  - +12\n  - 1_000\n",
	"t: !!str 12\nu: !!int '7'\nv: !!float 3\nw: !custom x\nx: 2001-12-14t21:59:43.10-05:00\n",
	"id: 需求-1\ntitle: 客户可以导出聊天记录\nsource: {channel: 访谈, requester: 张三}\n",
	"",
}

func parseFront(t testing.TB, front string) *Record {
	t.Helper()
	data := "---\n" + front + "---\nBody text.\n"
	rec, perr := Parse("reqs/REQ-0001.md", RequirementKind, []byte(data), nil)
	if perr != nil {
		t.Fatalf("parse %q: %v", front, perr)
	}
	return rec
}

// shapes are the ways Fields is asked for: no shape, everything a string, strings at some keys.
func shapes() []*Shape {
	str := &Shape{String: true}
	all := &Shape{String: true, Additional: nil, Items: str}
	all.Additional = all
	all.Items = all
	some := &Shape{Props: map[string]*Shape{"release": str, "due": str, "tags": {Items: str}, "list": {Items: str}}}
	return []*Shape{nil, all, some}
}

// TestCompactFields: the compact form decodes to what the node tree decodes to, under every
// shape, and SearchText reads the same text from both.
func TestCompactFields(t *testing.T) {
	for _, front := range compactSamples {
		checkCompact(t, front)
	}
}

func checkCompact(t *testing.T, front string) {
	t.Helper()
	rec := parseFront(t, front)
	tree := rec.Tree()
	c := AppendCompact(nil, tree)
	if !ValidCompact(c) {
		t.Fatalf("%q: compact form not valid", front)
	}
	for _, sh := range shapes() {
		want, _ := Value(tree, sh).(map[string]any)
		got, err := CompactFields(c, sh)
		if err != nil {
			t.Fatalf("%q: %v", front, err)
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !equalValues(got, want) {
			t.Fatalf("%q:\ncompact %#v\ntree    %#v", front, got, want)
		}
	}
	checkTop(t, rec, tree)
	want := rec.SearchText()
	rec.DropTree()
	if got := rec.SearchText(); got != want {
		t.Fatalf("%q: SearchText after DropTree\n%q\nwant\n%q", front, got, want)
	}
	if rec.Tree() == nil {
		t.Fatalf("%q: Tree after DropTree is nil", front)
	}
}

// equalValues is reflect.DeepEqual with NaN equal to itself.
func equalValues(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !equalValues(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValues(x[i], y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (x != x && y != y))
	}
	return reflect.DeepEqual(a, b)
}

// TestCompactExamples: every record of the bundled example round-trips through the compact
// form and Restore to the same fields, typed view, fingerprint and references.
func TestCompactExamples(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	n := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !IsFile(d.Name()) || !strings.Contains(p, string(filepath.Separator)) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rec, perr := Parse(filepath.ToSlash(p), RequirementKind, data, nil)
		if perr != nil {
			return nil
		}
		n++
		back, err := Restore(rec.File, rec.Kind, data, nil, rec.Compact(), rec.Refs(), rec.Fingerprint)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !reflect.DeepEqual(back.Req, rec.Req) || back.ID != rec.ID || back.Title != rec.Title ||
			back.Fingerprint != rec.Fingerprint || back.Body != rec.Body || back.BodyLine != rec.BodyLine {
			t.Fatalf("%s: restored record differs", p)
		}
		if !equalValues(back.Fields(), rec.Fields()) || !reflect.DeepEqual(back.Refs(), rec.Refs()) {
			t.Fatalf("%s: restored fields or refs differ", p)
		}
		return nil
	})
	if n < 20 {
		t.Fatalf("only %d example records found", n)
	}
}

// TestCompactCorrupt: truncated or altered compact forms are errors, never a panic.
func TestCompactCorrupt(t *testing.T) {
	c := AppendCompact(nil, parseFront(t, compactSamples[3]).Tree())
	for i := range c {
		if _, err := CompactFields(c[:i], nil); err == nil && i > 0 {
			t.Fatalf("truncated at %d: no error", i)
		}
		d := append([]byte(nil), c...)
		d[i] ^= 0xff
		_, _ = CompactFields(d, nil) // must not panic
		ValidCompact(d)
	}
}

// FuzzCompact: for any front matter that parses, the compact form decodes to what the tree
// decodes to; for any bytes, CompactFields and ValidCompact never panic.
func FuzzCompact(f *testing.F) {
	for _, s := range compactSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, front string) {
		_, _ = CompactFields([]byte(front), nil)
		ValidCompact([]byte(front))
		data := "---\n" + front + "\n---\n"
		rec, perr := Parse("reqs/REQ-0001.md", RequirementKind, []byte(data), nil)
		if perr != nil {
			return
		}
		tree := rec.Tree()
		c := AppendCompact(nil, tree)
		for _, sh := range shapes() {
			want, _ := Value(tree, sh).(map[string]any)
			got, err := CompactFields(c, sh)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if len(want)+len(got) > 0 && !equalValues(got, want) {
				t.Fatalf("compact %#v\ntree    %#v", got, want)
			}
		}
		checkTop(t, rec, tree)
		want := rec.SearchText()
		rec.DropTree()
		if got := rec.SearchText(); got != want {
			t.Fatalf("SearchText after DropTree %q, want %q", got, want)
		}
	})
}

// checkTop: TopKeys lists the tree's top-level keys in order, and Scalar gives each scalar
// value's Node.Value ("" for collections and missing keys).
func checkTop(t *testing.T, rec *Record, tree *yaml.Node) {
	t.Helper()
	var keys []string
	for i := 0; i+1 < len(tree.Content); i += 2 {
		k, v := tree.Content[i].Value, tree.Content[i+1]
		keys = append(keys, k)
		want := ""
		if v.Kind == yaml.ScalarNode {
			want = v.Value
		}
		if got := rec.Scalar(k); got != want {
			t.Fatalf("Scalar(%q) = %q, want %q", k, got, want)
		}
	}
	if got := rec.TopKeys(); !reflect.DeepEqual(got, keys) && len(got)+len(keys) > 0 {
		t.Fatalf("TopKeys = %q, want %q", got, keys)
	}
	if got := rec.Scalar("no-such-key"); got != "" && !slices.Contains(keys, "no-such-key") {
		t.Fatalf("Scalar of a missing key = %q", got)
	}
	checkTopNodes(t, rec, keys)
}

// checkTopNodes: TopNodes gives the keys in file order with nodes that read as the values
// Fields decodes, whenever the record holds its compact form only.
func checkTopNodes(t *testing.T, rec *Record, keys []string) {
	t.Helper()
	if rec.data != nil && rec.TopNodes(func(string, Node) {}) {
		t.Fatal("TopNodes with a decoded map")
	}
	rec.DropFields()
	m := rec.Fields()
	var ks []string
	ok := rec.TopNodes(func(k string, v Node) {
		ks = append(ks, k)
		switch w := m[k].(type) {
		case map[string]any:
			if !v.IsMap() || v.Len() != len(w) {
				t.Fatalf("TopNodes %s: not the mapping %#v", k, w)
			}
		case []any:
			if !v.IsSeq() || v.Len() != len(w) {
				t.Fatalf("TopNodes %s: not the sequence %#v", k, w)
			}
		default:
			var want string
			switch w := w.(type) {
			case string:
				want = w
			case bool:
				want = strconv.FormatBool(w)
			case int64:
				want = strconv.FormatInt(w, 10)
			case float64:
				want = strconv.FormatFloat(w, 'f', -1, 64)
			}
			if got, ok := v.Scalar(); !ok || got != want {
				t.Fatalf("TopNodes %s = %q (%v), Fields %#v", k, got, ok, w)
			}
		}
	})
	repeated := len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys)
	switch {
	case rec.Compact() == nil || repeated:
		if ok {
			t.Fatalf("TopNodes of %q: ok without a compact form or with repeated keys", keys)
		}
	case !ok:
		t.Fatalf("TopNodes of %q: not ok", keys)
	case !slices.Equal(ks, keys):
		t.Fatalf("TopNodes keys %q, want %q", ks, keys)
	}
}
