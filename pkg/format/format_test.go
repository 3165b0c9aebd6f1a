package format

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

func TestSource(t *testing.T) {
	tests := []struct {
		name string
		kind record.Kind
		in   string
		want string // "" means unchanged
	}{
		{
			name: "canonical is unchanged",
			kind: record.RequirementKind,
			in:   "---\nid: REQ-0001\ntitle: T\nstatus: new\n---\nBody\n",
		},
		{
			name: "top-level order, unknown keys last in their order",
			kind: record.RequirementKind,
			in:   "---\nzeta: 1\ntitle: T\nalpha: 2\nstatus: new\nid: REQ-0001\n---\nBody\n",
			want: "---\nid: REQ-0001\ntitle: T\nstatus: new\nzeta: 1\nalpha: 2\n---\nBody\n",
		},
		{
			name: "nested maps and flow style kept",
			kind: record.RequirementKind,
			in: "---\nid: REQ-0001\ntitle: T\npriority:\n  cost: 3\n  ice: {ease: 6, impact: 9, confidence: 8}\n  moscow: must\n" +
				"source: {date: 2024-05-03, channel: interview}\n---\n",
			want: "---\nid: REQ-0001\ntitle: T\npriority:\n  moscow: must\n  ice: {impact: 9, confidence: 8, ease: 6}\n  cost: 3\n" +
				"source: {channel: interview, date: 2024-05-03}\n---\n",
		},
		{
			name: "pinned parent in flow style on the parent line, pinned links ordered",
			kind: record.RequirementKind,
			in: "---\nid: REQ-0002\ntitle: T\nparent:\n  fingerprint: 3b1f0c9e8d21\n  id: REQ-0001\n" +
				"links:\n  - {fingerprint: 51c0a9e2d7f4, to: REQ-0003, type: derived-from}\n---\n",
			want: "---\nid: REQ-0002\ntitle: T\nparent: {id: REQ-0001, fingerprint: 3b1f0c9e8d21}\n" +
				"links:\n  - {type: derived-from, to: REQ-0003, fingerprint: 51c0a9e2d7f4}\n---\n",
		},
		{
			name: "a comment inside a block parent keeps it a block",
			kind: record.RequirementKind,
			in:   "---\nid: REQ-0002\ntitle: T\nparent:\n  fingerprint: 3b1f0c9e8d21 # reviewed in May\n  id: REQ-0001\n---\n",
			want: "---\nid: REQ-0002\ntitle: T\nparent:\n  id: REQ-0001\n  fingerprint: 3b1f0c9e8d21 # reviewed in May\n---\n",
		},
		{
			name: "list items of maps",
			kind: record.AcceptanceKind,
			in: "---\nid: ACC-0001\ntitle: T\nrequirements:\n  - fingerprint: abc\n    id: REQ-0001\n" +
				"criteria:\n  - {requirement: REQ-0001, met: true, criterion: C}\n---\n",
			want: "---\nid: ACC-0001\ntitle: T\nrequirements:\n  - id: REQ-0001\n    fingerprint: abc\n" +
				"criteria:\n  - {criterion: C, met: true, requirement: REQ-0001}\n---\n",
		},
		{
			name: "change request",
			kind: record.ChangeKind,
			in: "---\ndecision:\n  note: ok\n  date: 2024-07-08\n  by: board\nimpact: {risk: low, cost: medium}\n" +
				"affects: [REQ-0001]\nid: CR-0001\ntitle: T\nstatus: approved\n---\nx\n",
			want: "---\nid: CR-0001\ntitle: T\nstatus: approved\naffects: [REQ-0001]\nimpact: {cost: medium, risk: low}\n" +
				"decision:\n  by: board\n  date: 2024-07-08\n  note: ok\n---\nx\n",
		},
		{
			name: "four-space indentation becomes two",
			kind: record.RequirementKind,
			in:   "---\nid: REQ-0001\ntitle: T\npriority:\n    moscow: must\ntags:\n    - a\n    - b\n---\n",
			want: "---\nid: REQ-0001\ntitle: T\npriority:\n  moscow: must\ntags:\n  - a\n  - b\n---\n",
		},
		{
			name: "comments travel with their keys",
			kind: record.RequirementKind,
			in: "---\n# about the title\ntitle: T # line\nid: REQ-0001\n# about status\nstatus: new\n" +
				"priority:\n  kano: basic   # aligned\n  moscow: must  # aligned\n---\nB\n",
			want: "---\nid: REQ-0001\n# about the title\ntitle: T # line\n# about status\nstatus: new\n" +
				"priority:\n  moscow: must  # aligned\n  kano: basic   # aligned\n---\nB\n",
		},
		{
			name: "aligned comments keep their spacing when re-indented",
			kind: record.RequirementKind,
			in:   "---\nid: REQ-0001\ntitle: \"a   # not a comment\"\npriority:\n    kano: basic     # k\n    moscow: must    # m\n---\n",
			want: "---\nid: REQ-0001\ntitle: \"a   # not a comment\"\npriority:\n  moscow: must    # m\n  kano: basic     # k\n---\n",
		},
		{
			name: "modeline stays first",
			kind: record.RequirementKind,
			in:   "---\n# yaml-language-server: $schema=x.json\ntitle: T\nid: REQ-0001\n---\n",
			want: "---\n# yaml-language-server: $schema=x.json\n\nid: REQ-0001\ntitle: T\n---\n",
		},
		{
			name: "quoting styles kept",
			kind: record.RequirementKind,
			in:   "---\nrelease: \"2024.3\"\ntitle: 'T: x'\nid: REQ-0001\ndue: 2024-09-30\nstart: \"2024-06-01\"\n---\n",
			want: "---\nid: REQ-0001\ntitle: 'T: x'\nrelease: \"2024.3\"\nstart: \"2024-06-01\"\ndue: 2024-09-30\n---\n",
		},
		{
			name: "body kept byte for byte, closing fence gets a newline",
			kind: record.RequirementKind,
			in:   "---\ntitle: T\nid: REQ-0001\n---  \n\n  odd   body\t\n\n# heading\nno final newline",
			want: "---\nid: REQ-0001\ntitle: T\n---\n\n  odd   body\t\n\n# heading\nno final newline",
		},
		{
			name: "front matter at end of file",
			kind: record.RequirementKind,
			in:   "---\ntitle: T\nid: REQ-0001\n---",
			want: "---\nid: REQ-0001\ntitle: T\n---\n",
		},
		{
			name: "CRLF and BOM kept",
			kind: record.RequirementKind,
			in:   "\xef\xbb\xbf---\r\ntitle: T\r\nid: REQ-0001\r\n---\r\nBody\r\n",
			want: "\xef\xbb\xbf---\r\nid: REQ-0001\r\ntitle: T\r\n---\r\nBody\r\n",
		},
		{
			name: "literal block kept",
			kind: record.RequirementKind,
			in:   "---\nnotes: |\n  line one\n  line two\ntitle: T\nid: REQ-0001\n---\n",
			want: "---\nid: REQ-0001\ntitle: T\nnotes: |\n  line one\n  line two\n---\n",
		},
		{
			name: "empty front matter unchanged",
			kind: record.RequirementKind,
			in:   "---\n---\nBody\n",
		},
		{
			name: "trailing document comment kept",
			kind: record.RequirementKind,
			in:   "---\ntitle: T\nid: REQ-0001\n\n# end\n---\n",
			want: "---\nid: REQ-0001\ntitle: T\n\n# end\n---\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Source(tt.kind, []byte(tt.in), false, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
			again, err := Source(tt.kind, out, false, nil)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("not idempotent: %v\n%s", err, again)
			}
		})
	}
}

func TestSourceYAMLOnly(t *testing.T) {
	in := "# yaml-language-server: $schema=x.json\ntitle: T\nid: REQ-0001\n# end\n"
	out, err := Source(record.RequirementKind, []byte(in), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "# yaml-language-server: $schema=x.json\n\nid: REQ-0001\ntitle: T\n# end\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestSourceErrors(t *testing.T) {
	for _, in := range []string{
		"no front matter\n",
		"---\ntitle: [unclosed\n---\n",
		"---\na: &x 1\nb: *x\n---\n",
		"---\nid: x\n",
	} {
		_, err := Source(record.RequirementKind, []byte(in), false, nil)
		var pe *record.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want a parse error", in, err)
		}
	}
}

// corpus returns every record-like file the tests can find: the example repository, the lint
// fixtures and every fuzz corpus entry of the parsers.
func corpus() map[string][]byte {
	files := map[string][]byte{}
	roots := []string{"../../examples", "../lint/testdata", "../record/testdata", "testdata"}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if strings.Contains(filepath.ToSlash(p), "/testdata/fuzz/") {
				if data, ok := fuzzInput(p); ok {
					files[p] = data
				}
				return nil
			}
			switch filepath.Ext(p) {
			case ".md", ".yaml", ".yml":
				if data, err := os.ReadFile(p); err == nil {
					files[p] = data
				}
			}
			return nil
		})
	}
	for i, seed := range parserSeeds {
		files[fmt.Sprintf("record.FuzzParse seed %d", i)] = []byte(seed)
	}
	return files
}

// parserSeeds are the seed inputs of record.FuzzParse (kept in its code, not in testdata).
var parserSeeds = []string{
	"---\nid: REQ-0001\ntitle: T\n---\nbody\n",
	"\xef\xbb\xbf---\r\nid: REQ-0001\r\n---\r\n",
	"---\na: &a [x]\nb: *a\n---\n",
	"---\n- 1\n---\n",
	"---\nid: [\n---\n",
	"---\npriority: {ice: {impact: 9}}\nlinks: [{to: REQ-1}]\nacceptance-criteria: [a, b]\n---\n",
	"---\nrequirements: [{id: REQ-0001, fingerprint: x}]\ncriteria: [{met: false}]\n---\n",
	"---\nkey: !!binary aGVsbG8=\nn: 1e400\nt: 2024-01-01T10:00:00Z\n---\n",
}

// fuzzInput reads the first []byte or string value of a Go fuzz corpus file.
func fuzzInput(p string) ([]byte, bool) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		for _, pre := range []string{"[]byte(", "string("} {
			if v, ok := strings.CutPrefix(l, pre); ok {
				v = strings.TrimSuffix(v, ")")
				if s, err := strconv.Unquote(v); err == nil {
					return []byte(s), true
				}
			}
		}
	}
	return nil, false
}

func kindOf(p string) record.Kind {
	switch {
	case strings.Contains(p, "change"):
		return record.ChangeKind
	case strings.Contains(p, "acceptance"):
		return record.AcceptanceKind
	case strings.Contains(p, "feedback"):
		return record.FeedbackKind
	case strings.Contains(p, "evaluation"):
		return record.EvaluationKind
	}
	return record.RequirementKind
}

// TestRoundTrip is the property: for every file of the corpus that parses, formatting keeps
// the decoded data, the body, every comment and every key, and is idempotent.
func TestRoundTrip(t *testing.T) {
	files := corpus()
	if len(files) < 40 {
		t.Fatalf("corpus has only %d files", len(files))
	}
	for p, data := range files {
		checkProperty(t, p, kindOf(p), data, filepath.Ext(p) == ".yaml" || filepath.Ext(p) == ".yml")
	}
}

func checkProperty(t *testing.T, name string, kind record.Kind, data []byte, yamlOnly bool) {
	t.Helper()
	file := "r.md"
	if yamlOnly {
		file = "r.yaml"
	}
	before, perr := record.Parse(file, kind, data, nil)
	out, err := Source(kind, data, yamlOnly, nil)
	if perr != nil {
		var pe *record.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: parse error %v but Source gave %v", name, perr, err)
		}
		return
	}
	if errors.Is(err, ErrUnsafe) {
		return // left unchanged: allowed, never lossy
	}
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	after, perr := record.Parse(file, kind, out, nil)
	if perr != nil {
		t.Errorf("%s: formatted output does not parse: %v\n%s", name, perr, out)
		return
	}
	if !reflect.DeepEqual(before.Fields(), after.Fields()) {
		t.Errorf("%s: data changed\nbefore %v\nafter  %v", name, before.Fields(), after.Fields())
	}
	if before.Body != after.Body {
		t.Errorf("%s: body changed", name)
	}
	if before.Fingerprint != after.Fingerprint {
		t.Errorf("%s: fingerprint changed", name)
	}
	if got, want := comments(out, yamlOnly), comments(data, yamlOnly); !sameMultiset(got, want) {
		t.Errorf("%s: comments changed\nbefore %q\nafter  %q", name, want, got)
	}
	again, err := Source(kind, out, yamlOnly, nil)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("%s: not idempotent (%v)", name, err)
	}
}

// comments lists the comment texts of a record's front matter as yaml.v3 sees them (a
// .yaml record's when yamlOnly).
func comments(data []byte, yamlOnly bool) []string {
	name := "r.md"
	if yamlOnly {
		name = "r.yaml"
	}
	rec, perr := record.Parse(name, record.RequirementKind, data, nil)
	if perr != nil || !rec.Parsed() {
		return nil
	}
	var out []string
	collectComments(rec.Tree(), func(c string) { out = append(out, c) })
	return out
}

func sameMultiset(a, b []string) bool {
	n := map[string]int{}
	for _, s := range a {
		n[s]++
	}
	for _, s := range b {
		n[s]--
	}
	for _, v := range n {
		if v != 0 {
			return false
		}
	}
	return true
}

func FuzzSource(f *testing.F) {
	for _, data := range corpus() {
		f.Add(data, false)
	}
	f.Add([]byte("---\ntitle: T\nid: REQ-0001\n# c\nx: [a, # b\n  c]\n---\nbody"), false)
	f.Add([]byte("title: T\nid: REQ-0001\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, yamlOnly bool) {
		for _, kind := range record.AllKinds() {
			checkProperty(t, "fuzz", kind, data, yamlOnly)
		}
	})
}

// TestUnsafeLeavesUnchanged: input yaml.v3 cannot re-emit faithfully is refused, never
// rewritten lossily.
func TestTrickyInputs(t *testing.T) {
	for _, in := range []string{
		"---\ntitle: T\nid: REQ-0001\ntags: [a, # first\n  b]\n---\n",
		"---\ntitle: T\nid: REQ-0001\nx: {k: v, # d\n  z: w}\n---\n",
		"---\ntitle: \"a # not a comment\"\nid: REQ-0001\n---\n",
		"---\ntitle: T\n\n# section\n\nid: REQ-0001\n\n# another\nstatus: new\n---\n",
		"---\ntitle: T\nid: REQ-0001\nlinks:\n  # before item\n  - to: REQ-0002 # to\n    type: depends-on\n    # foot item\n---\n",
		"---\ntitle: >\n  folded\n  text\nid: REQ-0001\n---\n",
		"---\ntitle: T\nid: REQ-0001\n? complex\n: value\n---\n",
		"---\ntitle: T\nid: REQ-0001\n1: int key\n---\n",
		"---\ntitle: T\nid: REQ-0001\nlong: " + strings.Repeat("word ", 40) + "\n---\n",
		"---\ntitle: T\nid: REQ-0001\ntags: [" + strings.Repeat("tag, ", 40) + "end]\n---\n",
		"---\n%YAML 1.2\n---\n",
		"---\ntitle: T\nid: REQ-0001\nbin: !!binary aGVsbG8=\n---\n",
		"---\ntitle: T\nid: REQ-0001\nn: 0x1F\nb: yes\nf: .inf\n---\n",
	} {
		checkProperty(t, in, record.RequirementKind, []byte(in), false)
	}
}

// scramble returns data with the front matter's keys in reverse order at every level and
// four-space indentation: what careless hand edits produce.
func scramble(t *testing.T, data []byte) ([]byte, bool) {
	f, ok := split(data, false)
	if !ok {
		return nil, false
	}
	var doc yaml.Node
	if yaml.Unmarshal(f.front, &doc) != nil || len(doc.Content) != 1 {
		return nil, false
	}
	var rev func(n *yaml.Node)
	rev = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i, j := 0, len(n.Content)-2; i < j; i, j = i+2, j-2 {
				n.Content[i], n.Content[j] = n.Content[j], n.Content[i]
				n.Content[i+1], n.Content[j+1] = n.Content[j+1], n.Content[i+1]
			}
		}
		for _, c := range n.Content {
			rev(c)
		}
	}
	rev(doc.Content[0])
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(4)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	return append([]byte("---\n"+b.String()+"---\n"), f.body...), true
}

// TestScrambledExamples: every example record, its keys reversed and re-indented, formats
// back to the canonical file it came from.
func TestScrambledExamples(t *testing.T) {
	n := 0
	for p, data := range corpus() {
		if !strings.Contains(filepath.ToSlash(p), "examples/") || filepath.Ext(p) != ".md" {
			continue
		}
		kind := kindOf(p)
		canonical, err := Source(kind, data, false, nil)
		if err != nil || !bytes.Equal(canonical, data) {
			continue // not a canonical record file
		}
		s, ok := scramble(t, data)
		if !ok || bytes.Equal(s, data) || bytes.Contains(data, []byte("  #")) {
			continue // the encoder used to scramble does not keep comment alignment
		}
		n++
		checkProperty(t, p+" (scrambled)", kind, s, false)
		got, err := Source(kind, s, false, nil)
		if err != nil {
			t.Errorf("%s scrambled: %v", p, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: scrambled then formatted differs from the original:\n%s", p, got)
		}
	}
	if n < 20 {
		t.Errorf("only %d example records scrambled", n)
	}
}
