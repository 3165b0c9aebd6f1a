package results_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/results"
)

func summary(cs []results.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%g", c.Classname, c.Name, c.File, c.Status, c.Time))
	}
	return out
}

func TestParseDialects(t *testing.T) {
	cases := map[string][]string{
		"surefire.xml": {
			"com.acme.chat.ChatLatencyTest|firstResponseUnder30s||passed|1200.25",
			"com.acme.chat.ChatLatencyTest|queuePosition||failed|0.01",
			"com.acme.chat.ChatLatencyTest|test_req_0002_lowercase_does_not_cite||passed|0.01",
		},
		"jest.xml": {
			"chat widget REQ-0006 loads fast|chat widget REQ-0006 loads fast|/work/proj/tests/widget.test.js|passed|0.2",
			"chat widget shows typing|chat widget shows typing||failed|0.1",
			"chat widget later|chat widget later||skipped|0",
		},
		"edge.xml": {
			"|Test_REQ_0001_nested||passed|0.5",
			"|Test_REQ_0001_nested||failed|0.7",
			"|Test_REQ_0002_error_and_skip||failed|0", // error beats skipped
			"|Test_REQ_0003_skipped||skipped|0",
			"|no file attribute, no classname & entity 中||passed|0",
		},
	}
	for file, want := range cases {
		got, err := results.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if s := summary(got); !slices.Equal(s, want) {
			t.Errorf("%s:\ngot  %q\nwant %q", file, s, want)
		}
	}
}

func TestGoJSON(t *testing.T) {
	data := `{"Action":"start","Package":"example.com/m/p"}
{"Action":"run","Package":"example.com/m/p","Test":"TestA"}
{"Action":"output","Package":"example.com/m/p","Test":"TestA","Output":"=== RUN TestA\n"}
{"Action":"pass","Package":"example.com/m/p","Test":"TestA","Elapsed":0.25}

{"Action":"run","Package":"example.com/m/p","Test":"TestB/sub"}
{"Action":"skip","Package":"example.com/m/p","Test":"TestC","Elapsed":0}
{"Action":"fail","Package":"example.com/m/p","Elapsed":1}
`
	got, err := results.Parse("go.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"example.com/m/p|TestA||passed|0.25", "example.com/m/p|TestC||skipped|0", "example.com/m/p|TestB/sub||failed|0"}
	if s := summary(got); !slices.Equal(s, want) {
		t.Errorf("got %q want %q", s, want)
	}
}

// TestMalformed: every unreadable or malformed file is an error naming the file and line,
// never an empty result.
func TestMalformed(t *testing.T) {
	cases := []struct{ data, want string }{
		{"", "r.xml:1: empty result file"},
		{"  \n\t", "r.xml:1: empty result file"},
		{"hello", "r.xml:1: not a test result file"},
		{"\n\n<testsuite><testcase name='a'>", "r.xml:3: malformed XML"},
		{"<testsuite>\n<testcase name='a'></testsuite>", "r.xml:2: malformed XML"},
		{"<html><body/></html>", "r.xml:1: not JUnit XML: the root element is <html>"},
		{"<testsuite>\n<testcase/>\n</testsuite>", "r.xml:2: <testcase> has no name attribute"},
		{"<testsuite>\n<testcase name='a' time='soon'/>\n</testsuite>", "r.xml:2: testcase time \"soon\""},
		{"<testsuite>\n<testcase name='a'>&bogus;</testcase>\n</testsuite>", "r.xml:2: malformed XML"},
		{"<testsuite><testcase name='a'><testcase name='b'/></testcase></testsuite>", "r.xml:1: <testcase> inside <testcase>"},
		{"<?xml version='1.0'?><!-- only a comment -->", "r.xml:1: not JUnit XML: no <testsuites>"},
		{`{"Action":"run","Test":"A"}` + "\nFAIL\texample.com/m [build failed]\n", "r.xml:2: not a go test -json event"},
		{`{"Action":"pass","Test":"A"}` + "\n{\"Action\":", "r.xml:2: not a go test -json event"},
	}
	for _, c := range cases {
		got, err := results.Parse("r.xml", []byte(c.data))
		var re *results.Error
		if err == nil || !errors.As(err, &re) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, %v; want an error starting %q", c.data, got, err, c.want)
		}
	}
	if _, err := results.ReadFile(filepath.Join(t.TempDir(), "missing.xml")); err == nil || !strings.Contains(err.Error(), "missing.xml: cannot read") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := results.ReadFile(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder: %v", err)
	}
}

// env builds a mapping environment over an in-memory project.
func env(t *testing.T, fsys fstest.MapFS) results.Env {
	t.Helper()
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: "tests", Role: "test"}, {Path: "src/test", Role: "test"}}
	e := results.Env{FS: fsys, Root: "/work/proj", GitTop: "/work", Matcher: citation.NewMatcher("REQ", 4),
		Citations: citation.Scan(fsys, cfg).Citations}
	citation.Walk(fsys, cfg, func(f citation.File) { e.TestFiles = append(e.TestFiles, f.Path) })
	return e
}

func names(rs []results.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s@%s=%s", r.Name, r.File, r.Status))
	}
	return out
}

func TestMapping(t *testing.T) {
	fsys := fstest.MapFS{
		"go.mod": {Data: []byte("module example.com/svc\n\ngo 1.26\n")},
		"tests/chat/chat_test.go": {Data: []byte(`package chat

// The whole file verifies REQ-0009 (above the first case).
import "testing"

func TestQueue(t *testing.T) {
	t.Run("full", func(t *testing.T) {}) // REQ-0002
}

func TestOther(t *testing.T) {} // REQ-0003
`)},
		"tests/test_mail.py": {Data: []byte("class TestMail:\n    def test_send(self, n):\n        # REQ-0004\n        pass\n")},
		"src/test/java/com/acme/chat/ChatLatencyTest.java": {Data: []byte("class ChatLatencyTest {\n  void firstResponseUnder30s() { /* REQ-0005 */ }\n  void queuePosition() {}\n}\n")},
		"tests/widget.test.js":                             {Data: []byte("test('chat widget REQ-0006 loads fast', () => {});\n")},
	}
	e := env(t, fsys)
	var cases []results.Case
	for _, f := range []string{"surefire.xml", "jest.xml", "edge.xml"} {
		cs, err := results.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
	}
	cases = append(cases,
		results.Case{Name: "TestQueue/full", Classname: "example.com/svc/tests/chat", Status: results.Failed, Source: "go.json"},
		results.Case{Name: "TestOther", Classname: "example.com/svc/tests/chat", Status: results.Passed, Source: "go.json"},
		results.Case{Name: "test_send[2]", Classname: "tests.test_mail.TestMail", Status: results.Passed, Source: "py.xml"},
	)
	got := results.Map(cases, e)
	want := map[string][]string{
		// Name citations: Test_REQ_0001 counts, its last run in the file (failed) counts.
		"REQ-0001": {"Test_REQ_0001_nested@=failed"},
		// test_req_0002 (lower case) does not cite; the Go subtest's function does.
		"REQ-0002": {"Test_REQ_0002_error_and_skip@=failed", "TestQueue/full@tests/chat/chat_test.go=failed"},
		"REQ-0003": {"Test_REQ_0003_skipped@=skipped", "TestOther@tests/chat/chat_test.go=passed"},
		// pytest: classname tests.test_mail.TestMail → tests/test_mail.py, name before "[".
		"REQ-0004": {"test_send[2]@tests/test_mail.py=passed"},
		// Surefire: classname com.acme.chat.ChatLatencyTest as a path suffix.
		"REQ-0005": {"firstResponseUnder30s@src/test/java/com/acme/chat/ChatLatencyTest.java=passed"},
		// jest: the id in the title; the absolute file attribute made project-relative.
		"REQ-0006": {"chat widget REQ-0006 loads fast@tests/widget.test.js=passed"},
		// Above the first case: every case of the file.
		"REQ-0009": {"TestQueue/full@tests/chat/chat_test.go=failed", "TestOther@tests/chat/chat_test.go=passed"},
	}
	for id, w := range want {
		if g := names(got[id]); !slices.Equal(g, w) {
			t.Errorf("%s:\ngot  %q\nwant %q", id, g, w)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("unexpected %s: %q", id, names(got[id]))
		}
	}
}

func TestTopName(t *testing.T) {
	for in, want := range map[string]string{
		"TestQueue/full/deep": "TestQueue", "test_send[1-a/b]": "test_send", "chat widget loads/fast": "chat widget loads/fast",
		"Test_REQ_0001": "Test_REQ_0001",
	} {
		if got := results.TopName(in); got != want {
			t.Errorf("TopName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"surefire.xml", "jest.xml", "edge.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"pass","Package":"p","Test":"T","Elapsed":1}`))
	f.Add([]byte("<testsuite><testcase name='a'><skipped/></testcase></testsuite>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := results.Parse("f", data)
		if err != nil {
			var re *results.Error
			if !errors.As(err, &re) || re.File != "f" || re.Msg == "" {
				t.Fatalf("error without file and message: %v", err)
			}
			return
		}
		for _, c := range cs {
			if c.Name == "" || c.Time < 0 || c.Status != results.Passed && c.Status != results.Failed && c.Status != results.Skipped {
				t.Fatalf("bad case %+v", c)
			}
		}
		e := results.Env{FS: fstest.MapFS{}, Matcher: citation.NewMatcher("REQ", 4)}
		results.Map(cs, e) // never panics
	})
}

// TestClassnameLongestSuffix: a classname is matched as the longest path suffix of a test
// file, so two test classes with the same short name in different packages are told apart.
func TestClassnameLongestSuffix(t *testing.T) {
	fsys := fstest.MapFS{
		"src/test/java/com/acme/chat/ChatTest.java":  {Data: []byte("class ChatTest {\n  void send() {} // REQ-0001\n}\n")},
		"src/test/java/com/acme/voice/ChatTest.java": {Data: []byte("class ChatTest {\n  void send() {} // REQ-0002\n}\n")},
		"tests/chat/test_send.py":                    {Data: []byte("def test_send():\n    pass  # REQ-0003\n")},
		"tests/test_send.py":                         {Data: []byte("def test_send():\n    pass  # REQ-0004\n")},
	}
	got := results.Map([]results.Case{
		{Name: "send", Classname: "com.acme.voice.ChatTest", Status: results.Passed},
		{Name: "test_send", Classname: "tests.chat.test_send", Status: results.Failed},
		{Name: "test_send", Classname: "tests.test_send", Status: results.Passed},
	}, env(t, fsys))
	want := map[string][]string{
		"REQ-0002": {"send@src/test/java/com/acme/voice/ChatTest.java=passed"},
		"REQ-0003": {"test_send@tests/chat/test_send.py=failed"},
		"REQ-0004": {"test_send@tests/test_send.py=passed"},
	}
	if len(got) != len(want) {
		t.Errorf("mapped %d requirements, want %d: %v", len(got), len(want), got)
	}
	for id, w := range want {
		if g := names(got[id]); !slices.Equal(g, w) {
			t.Errorf("%s: got %q, want %q", id, g, w)
		}
	}
}

// TestRunsAcrossFiles: within one result file a case counts by its last run (a retry that
// passed is a pass); across files any failure fails the requirement (SPEC §11).
func TestRunsAcrossFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: Retried, then passed\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: Passed in one run, failed in another\n---\n")},
	}
	cases := []results.Case{
		{Name: "Test_REQ_0001", Status: results.Failed, Source: "run1.xml"},
		{Name: "Test_REQ_0001", Status: results.Passed, Source: "run1.xml"},
		{Name: "Test_REQ_0002", Status: results.Passed, Source: "run1.xml"},
		{Name: "Test_REQ_0002", Status: results.Failed, Source: "run2.xml"},
	}
	m := results.Map(cases, results.Env{FS: fsys, Matcher: citation.NewMatcher("REQ", 4)})
	if got := names(m["REQ-0001"]); !slices.Equal(got, []string{"Test_REQ_0001@=passed"}) {
		t.Errorf("REQ-0001: %q, want the last run only", got)
	}
	if got := names(m["REQ-0002"]); !slices.Equal(got, []string{"Test_REQ_0002@=passed", "Test_REQ_0002@=failed"}) {
		t.Errorf("REQ-0002: %q, want both files' runs", got)
	}
	g := graph.Build(repo.Load(fsys), nil)
	g.ApplyResults(m)
	if c := g.Node("REQ-0001").Coverage; c != graph.Verified {
		t.Errorf("REQ-0001 is %s, want verified", c)
	}
	if c := g.Node("REQ-0002").Coverage; c != graph.Failing {
		t.Errorf("REQ-0002 is %s, want failing", c)
	}
}
