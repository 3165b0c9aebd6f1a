package record

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// yamlV3Root is yaml.v3's tree of front, lines relative to front; nil when yaml.v3 rejects
// it or it is not one mapping.
func yamlV3Root(front []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil
	}
	if r := doc.Content[0]; r.Kind == yaml.MappingNode {
		return r
	}
	return nil
}

// sameTree reports the first difference between two trees, comments aside ("" if none).
func sameTree(got, want *yaml.Node, path string) string {
	if got.Kind != want.Kind || got.Style != want.Style || got.Tag != want.Tag || got.Value != want.Value ||
		got.Anchor != want.Anchor || got.Line != want.Line || got.Column != want.Column || len(got.Content) != len(want.Content) {
		return fmt.Sprintf("%s: got kind %d style %d tag %s value %q at %d:%d with %d children; yaml.v3 kind %d style %d tag %s value %q at %d:%d with %d children",
			path, got.Kind, got.Style, got.Tag, got.Value, got.Line, got.Column, len(got.Content),
			want.Kind, want.Style, want.Tag, want.Value, want.Line, want.Column, len(want.Content))
	}
	for i := range got.Content {
		if d := sameTree(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFast fails when fastFront accepts front but yaml.v3 rejects it or builds another tree.
// reused is a parser that Read's pool would hand out: it parsed the inputs before this
// one, and checkFast parses each input on it again (after reset), as Read does.
var (
	reusedMu sync.Mutex
	reused   = &fastParser{}
)

func checkFast(t testing.TB, front []byte) (accepted bool) {
	got, ok := fastFront(front)
	reusedMu.Lock()
	reused.reset()
	again, ok2 := reused.parse(front)
	if ok2 != ok {
		reusedMu.Unlock()
		t.Fatalf("a reused parser says %v, a new one %v:\n%s", ok2, ok, front)
	}
	if ok {
		if d := sameTree(again, got, ""); d != "" {
			reusedMu.Unlock()
			t.Fatalf("a reused parser built another tree: %s\nin:\n%s", d, front)
		}
	}
	reusedMu.Unlock()
	if !ok {
		return false
	}
	want := yamlV3Root(front)
	if want == nil {
		t.Fatalf("fastFront accepted what yaml.v3 rejects:\n%s", front)
	}
	if d := sameTree(got, want, ""); d != "" {
		t.Fatalf("%s\nin:\n%s", d, front)
	}
	return true
}

var fastCases = []struct {
	front string
	fast  bool // whether fastFront takes it (the others go to yaml.v3)
}{
	{"id: REQ-0001\ntitle: Dark mode\n", true},
	{"id: REQ-0001\ntitle: \"Dark: mode\"\nrelease: '2024.10'\n", true},
	{"title: 'it''s here'\n", true},
	{"a: 1\nb: 2024-05-03\nc: 2024-5-3\nd: 1.5\ne: true\nf: ~\ng: null\nh: NULL\ni: yes\nj: 2024-13-45\n", true},
	{"priority:\n  moscow: must\n  ice: {impact: 1, confidence: 6, ease: 9}\n", true},
	{"tags: [a, b c, \"d\", 'e']\nempty: []\nnone: {}\n", true},
	{"links:\n  - {type: relates-to, to: REQ-0002}\n  - type: refines\n    to: REQ-0003\n", true},
	{"links:\n- a\n- b\nnext: x\n", true},
	{"# comment\nid: x # trailing\n\n  # indented comment\ntitle: y\n", true},
	{"title: 客户可以在手机上查询工单进度\nnote: 中文 [x] {y}\n", true},
	{"标题: 值\n键: [甲, 乙]\n", true},
	{"title: Fix [urgent] bug, now\n", true},
	{"a: 95th percentile\nb: [3 times, 10x faster]\nc: 1st\n", true},
	{"a: 2024-05-03T10:00:00Z\n", false},
	{"a: 1_000\n", false},
	{"a: 0x1f\n", false},
	{"a: 8f2781091de5\nb: 9e3\n", false},
	{"a: 8f2781091dx5\n", true},
	{"a: 0a2781091de5\n", false},
	{"url: https://example.com/a#b\n", true},
	{"k: v\n  continued\n", false},
	{"k: |\n  block\n", false},
	{"k: >-\n  folded\n", false},
	{"k: \"esc\\\"aped\"\n", false},
	{"k:\n", false},
	{"k: &a x\nl: *a\n", false},
	{"k: !!str 1\n", false},
	{"k: 0x1F\nl: 012\n", false},
	{"k: -1\n", false},
	{"k: 1e3\n", false},
	{"k:\tv\n", false},
	{"k: v\r\n", false},
	{"- a\n- b\n", false},
	{"k: a: b\n", false},
	{"k: [a, b,]\n", false},
	{"k: [a\n  , b]\n", false},
	{"\"quoted key\": v\n", false},
	{"---\nk: v\n", false},
	{"k: v\n k2: v\n", false},
	{"<<: {a: 1}\n", false},
	{"k: \"unterminated\n", false},
	{"k: [a: b]\n", false},
	{"k: {a: b c, d: [e, f]}\n", true},
	{"  indented: root\n  second: key\n", true},
	{"  indented: root\nback: out\n", false},
}

func TestFastFront(t *testing.T) {
	for _, c := range fastCases {
		if got := checkFast(t, []byte(c.front)); got != c.fast {
			t.Errorf("fastFront took %v, want %v:\n%s", got, c.fast, c.front)
		}
	}
}

// TestFastFrontRecords runs every record file of the examples, the test data and the
// shared corpora through both parsers: the fast one must take the usual ones and agree.
func TestFastFrontRecords(t *testing.T) {
	var files, fast int
	for _, root := range []string{"../../examples", "../../pkg", "../../../shared/corpora"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil || len(data) > 1<<20 {
				return nil
			}
			front := data
			if strings.HasSuffix(p, ".md") {
				var perr *ParseError
				if front, _, _, _, perr = Split(data, false); perr != nil {
					return nil
				}
			}
			files++
			if checkFast(t, front) {
				fast++
			}
			return nil
		})
	}
	t.Logf("%d of %d files read by the fast parser", fast, files)
	if files < 100 || fast*2 < files {
		t.Errorf("the fast parser took %d of %d files", fast, files)
	}
}

// TestReadSameAsParse: Read gives the record Parse gives (fields, references with ranges,
// fingerprint), for the fast parser's files and the others.
func TestReadSameAsParse(t *testing.T) {
	for _, c := range fastCases {
		data := []byte("---\n" + c.front + "---\nBody.\n")
		want, werr := Parse("reqs/REQ-0001.md", RequirementKind, data, nil)
		got, gerr := Read("reqs/REQ-0001.md", RequirementKind, data, nil)
		if (werr == nil) != (gerr == nil) || werr != nil && *werr != *gerr {
			t.Fatalf("errors differ: Read %v, Parse %v\n%s", gerr, werr, data)
		}
		if werr != nil {
			continue
		}
		if !bytes.Equal(got.Compact(), want.Compact()) || got.Fingerprint != want.Fingerprint || got.ID != want.ID ||
			fmt.Sprint(got.Refs()) != fmt.Sprint(want.Refs()) || fmt.Sprint(got.Fields()) != fmt.Sprint(want.Fields()) {
			t.Errorf("Read and Parse differ on\n%s", data)
		}
		if got.tree.Load() != nil {
			t.Errorf("Read kept a tree")
		}
	}
}

func FuzzFastFront(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c.front))
	}
	// The example project's records as they are written.
	filepath.WalkDir("../../examples", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			if data, err := os.ReadFile(p); err == nil {
				if front, _, _, _, perr := Split(data, false); perr == nil {
					f.Add(front)
				}
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, front []byte) {
		checkFast(t, front)
	})
}
