package citation

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/config"
)

func find(m *Matcher, text string) []string {
	var out []string
	m.Find([]byte(text), func(x Match) { out = append(out, fmt.Sprintf("%s@%d:%d", x.ID, x.Line, x.Column)) })
	return out
}

func TestMatchWordBoundaries(t *testing.T) {
	m := NewMatcher("REQ", 4)
	cases := []struct {
		text string
		want []string
	}{
		{"// implements REQ-0001.", []string{"REQ-0001@1:15"}},
		{"# REQ-0001", []string{"REQ-0001@1:3"}},
		{"REQ-0001", []string{"REQ-0001@1:1"}},    // whole file
		{"x\nREQ-0001", []string{"REQ-0001@2:1"}}, // end of file
		{"REQ-0001\n", []string{"REQ-0001@1:1"}},  // start of file
		{"func Test_REQ_0001_latency(t *testing.T)", []string{"REQ-0001@1:11"}},
		{"test_REQ_0019_chinese_draft", []string{"REQ-0019@1:6"}},
		{"REQ_0002", []string{"REQ-0002@1:1"}},
		{"(REQ-0003)", []string{"REQ-0003@1:2"}},
		{"REQ-0003-b", []string{"REQ-0003@1:1"}},
		{"REQ-0001,REQ-0002;REQ-0003", []string{"REQ-0001@1:1", "REQ-0002@1:10", "REQ-0003@1:19"}},
		{"REQ-12345", []string{"REQ-12345@1:1"}},      // outgrew the digits
		{"REQ-00012", nil},                            // leading zero beyond the digits
		{"REQ-001", nil},                              // too short
		{"REQ-1", nil},                                // too short
		{"XREQ-0001", nil},                            // letter before
		{"REQ-0001a", nil},                            // letter after
		{"1REQ-0001", nil},                            // digit before
		{"REQ-0001é", []string{"REQ-0001@1:1"}},       // only ASCII stops an id (SPEC §4)
		{"éREQ-0001", []string{"REQ-0001@1:2"}},       // …before or after
		{"实现REQ-0001。", []string{"REQ-0001@1:3"}},     // CJK text puts no spaces around ids
		{"REQ-0001的", []string{"REQ-0001@1:1"}},       // …before or after
		{"要求REQ-0001を満たす", []string{"REQ-0001@1:3"}},  // Japanese
		{"요구사항REQ-0001을", []string{"REQ-0001@1:5"}},   // Korean
		{"实现 REQ-0001 的功能", []string{"REQ-0001@1:4"}}, // columns in code points
		{"（REQ-0001）", []string{"REQ-0001@1:2"}},      // full-width punctuation
		{"REQ-٣٣٣٣", nil},                             // Arabic-Indic digits are not an id
		{"REQ-0001٣", []string{"REQ-0001@1:1"}},       // …and not ASCII after one
		{"REQ-0001１", []string{"REQ-0001@1:1"}},       // a full-width digit is not ASCII
		{"REQ 0001", nil},
		{"REQ--0001", nil},
		{"REQ-", nil},
		{"REQ", nil},
		{"req-0001", nil},
		{"REQ-0001 REQ-0001 REQ-0002", []string{"REQ-0001@1:1", "REQ-0002@1:19"}}, // once per line
		{"REQ-0001\r\nREQ-0001", []string{"REQ-0001@1:1", "REQ-0001@2:1"}},
		{"\xffREQ-0001\xfe", []string{"REQ-0001@1:2"}}, // invalid UTF-8 around is not a letter
		{"REQ-REQ-0001", []string{"REQ-0001@1:5"}},
		{"PREREQ-0001", nil},
	}
	for _, c := range cases {
		if got := find(m, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}

func TestMatchHyphenatedPrefix(t *testing.T) {
	m := NewMatcher("CS-REQ", 3)
	got := find(m, "CS-REQ-001 and Test_CS_REQ_002 but not XCS-REQ-003\nCS_REQ-004")
	want := []string{"CS-REQ-001@1:1", "CS-REQ-002@1:21", "CS-REQ-004@2:1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func cfg(t *testing.T, yaml string) *config.Config {
	t.Helper()
	c, ds := config.Load(fstest.MapFS{"reqtrail.yaml": {Data: []byte(yaml)}})
	if len(ds) > 0 {
		t.Fatalf("config: %v", ds)
	}
	return c
}

func summarize(res *Result) []string {
	var out []string
	for _, c := range res.Citations {
		out = append(out, fmt.Sprintf("%s:%d %s %s", c.File(), c.Line(), c.ID, c.Role))
	}
	return out
}

func TestScanRolesAndSkipping(t *testing.T) {
	fsys := fstest.MapFS{
		"src/a.go":                       {Data: []byte("package a\n// implements REQ-0001\n")},
		"src/a_test.go":                  {Data: []byte("// verifies REQ-0001\nfunc Test_REQ_0002(t *testing.T) {}\n")},
		"src/deep/x/b_test.go":           {Data: []byte("// REQ-0003\n")},
		"src/bin.dat":                    {Data: []byte("REQ-0004\x00\x01")},
		"src/vendor/lib/lib.go":          {Data: []byte("// REQ-0005\n")},
		"src/node_modules/m/index.js":    {Data: []byte("// REQ-0005\n")},
		"src/.git/config":                {Data: []byte("REQ-0005\n")},
		"src/gen/out.go":                 {Data: []byte("// REQ-0006\n")},
		"src/gen/keep.go":                {Data: []byte("// REQ-0007\n")},
		"src/tmp.log":                    {Data: []byte("REQ-0008\n")},
		"src/.gitignore":                 {Data: []byte("# generated\ngen/*\n!gen/keep.go\r\n")},
		".gitignore":                     {Data: []byte("*.log\n")},
		"reqs/REQ-0001.md":               {Data: []byte("---\nid: REQ-0001\n---\n")},
		"tests/e2e/flow.spec.ts":         {Data: []byte("it('REQ-0009', () => {})\n")},
		"tests/reqs/REQ-0001.md":         {Data: []byte("REQ-0010\n")}, // not the record folder
		"docs/REQ-0011.txt":              {Data: []byte("REQ-0011\n")}, // not traced
		"src/unicode/名前.go":              {Data: []byte("// 实现 REQ-0012\n")},
		"src/link":                       {Data: []byte("REQ-0013"), Mode: fs.ModeSymlink | 0o777},
		"tests/fixtures/vendor/ok.txt":   {Data: []byte("REQ-0014\n")},
		"tests/fixtures/vendored/ok.txt": {Data: []byte("REQ-0015\n")},
	}
	c := cfg(t, "trace:\n  - {path: src, role: impl}\n  - {path: '**/*_test.go', role: test}\n  - {path: tests, role: test}\n")
	res := Scan(fsys, c)
	want := []string{
		"src/a.go:2 REQ-0001 impl",
		"src/a_test.go:1 REQ-0001 test",
		"src/a_test.go:2 REQ-0002 test",
		"src/deep/x/b_test.go:1 REQ-0003 test",
		"src/gen/keep.go:1 REQ-0007 impl",
		"src/unicode/名前.go:1 REQ-0012 impl",
		"tests/e2e/flow.spec.ts:1 REQ-0009 test",
		"tests/fixtures/vendored/ok.txt:1 REQ-0015 test",
		"tests/reqs/REQ-0001.md:1 REQ-0010 test",
	}
	if got := summarize(res); !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestScanLastEntryWins(t *testing.T) {
	fsys := fstest.MapFS{
		"a/x_test.go": {Data: []byte("REQ-0001")},
		"a/x.go":      {Data: []byte("REQ-0002")},
		"a/b/y.go":    {Data: []byte("REQ-0003")},
	}
	// The later folder entry wins over the earlier glob.
	c := cfg(t, "trace:\n  - {path: '**/*_test.go', role: test}\n  - {path: a, role: impl}\n  - {path: a/b, role: test}\n")
	got := summarize(Scan(fsys, c))
	want := []string{"a/b/y.go:1 REQ-0003 test", "a/x.go:1 REQ-0002 impl", "a/x_test.go:1 REQ-0001 impl"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A bare-name glob matches at any depth; a root-level "." takes everything but records.
	fsys["reqs/REQ-0001.md"] = &fstest.MapFile{Data: []byte("REQ-0004")}
	c = cfg(t, "trace:\n  - {path: ., role: impl}\n  - {path: '*_test.go', role: test}\n")
	got = summarize(Scan(fsys, c))
	want = []string{"a/b/y.go:1 REQ-0003 impl", "a/x.go:1 REQ-0002 impl", "a/x_test.go:1 REQ-0001 test"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestScanFileEntryAndMissingPath(t *testing.T) {
	fsys := fstest.MapFS{"main.go": {Data: []byte("// REQ-0001\n")}, "other.go": {Data: []byte("// REQ-0002\n")}}
	c := cfg(t, "trace:\n  - {path: main.go, role: impl}\n  - {path: nowhere, role: test}\n")
	if got, want := summarize(Scan(fsys, c)), []string{"main.go:1 REQ-0001 impl"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestScanNoTrace(t *testing.T) {
	fsys := fstest.MapFS{"src/a.go": {Data: []byte("REQ-0001")}}
	if res := Scan(fsys, config.Default()); len(res.Citations) != 0 || res.Files != 0 {
		t.Errorf("scan without trace: read %d files, %v", res.Files, res.Citations)
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pat, file string
		want      bool
	}{
		{"**/*_test.go", "a_test.go", true},
		{"**/*_test.go", "x/y/a_test.go", true},
		{"**/*_test.go", "x/y/a.go", false},
		{"src/**/*.ts", "src/a.ts", true},
		{"src/**/*.ts", "src/w/a.ts", true},
		{"src/**/*.ts", "lib/w/a.ts", false},
		{"services/*/tests", "services/chat/tests/a.go", true},
		{"services/*/tests", "services/chat/src/a.go", false},
		{"src/*.go", "src/a.go", true},
		{"src/*.go", "src/x/a.go", false}, // "x" is not *.go
		{"*.py", "deep/er/t.py", true},
		{"[", "x", false},
	}
	for _, c := range cases {
		e := newEntry(config.Trace{Path: c.pat, Role: "test"})
		if got := e.matches(c.file); got != c.want {
			t.Errorf("%s matches %s = %v, want %v", c.pat, c.file, got, c.want)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "// implements REQ-%04d. PREREQ-%04d is not an id\nfunc f%d() { key := \"REQ-%05d\"; _ = key }\n\treturn strings.Join(parts, \";\"), nil\n", i%10000, i, i, i)
	}
	data := []byte(sb.String())
	m := NewMatcher("REQ", 4)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m.Find(data, func(Match) {})
	}
}

func TestFindManyOnOneLine(t *testing.T) {
	var sb strings.Builder
	for i := range 50000 {
		fmt.Fprintf(&sb, "REQ-%05d,REQ-%05d,", 10000+i, 10000+i) // each twice on one line
	}
	n := 0
	NewMatcher("REQ", 4).Find([]byte(sb.String()), func(Match) { n++ })
	if n != 50000 {
		t.Errorf("found %d, want 50000", n)
	}
	n = 0
	NewMatcher("CS-REQ", 4).Find([]byte(strings.ReplaceAll(sb.String(), "REQ-", "CS_REQ-")), func(Match) { n++ })
	if n != 50000 {
		t.Errorf("found %d with a hyphenated prefix, want 50000", n)
	}
}
