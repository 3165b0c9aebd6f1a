package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goldenProject is a small project whose records carry what reports must survive: HTML,
// Markdown, @mentions and #references, terminal escapes, a spreadsheet formula, CJK text
// and a folder name with a space in it.
var goldenProject = map[string]string{
	"reqtrail.yaml": "project: Golden\ntrace:\n  - {path: src, role: impl}\n  - {path: tests, role: test}\nsite: {repo-url: \"https://example.com/golden\"}\n",
	"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: \"Chat <b>x</b> & @alice #123 `code` | pipe ![img](http://e/x.png)\"\nstatus: approved\n" +
		"priority: {moscow: must, ice: {impact: 5, confidence: 4, ease: 3}, value: 6, cost: 4}\ntags: [chat, \"=cmd\"]\n---\n\nBody.\n",
	"reqs/产品 需求/REQ-0002.md": "---\nid: REQ-0002\ntitle: \"=HYPERLINK(\\\"http://evil\\\")\"\nstatus: testing\nparent: REQ-0001\n---\n",
	"reqs/REQ-0003.md":       "---\nid: REQ-0003\ntitle: \"ESC \\e[31mred\\e[0m BEL\\a 工单自动分配\"\nstatus: development\nparent: REQ-0009\n---\n",
	"changes/CR-0001.md":     "---\nid: CR-0001\ntitle: \"@team please review #42\"\nstatus: proposed\naction: modify\naffects: [REQ-0001]\n---\n",
	"evaluations/EVAL-0001.md": "---\nid: EVAL-0001\ntitle: \"Effect <i>x</i> =SUM(1)\"\ndate: 2026-01-02\nby: data-team\nrequirements: [REQ-0001]\n" +
		"results:\n  - {metric: complaint rate, unit: \"%\", baseline: 4.2, target: 3.0, actual: 3.4}\nverdict: partly-met\n---\n",
	"src/chat.go":        "package chat\n\n// Implements REQ-0001 and REQ-0003; REQ-0099 does not exist.\n",
	"tests/chat_test.go": "package chat\n\n// Tests REQ-0001.\n",
	// Feedback: one customer written two ways (demand counts it once), hostile text, one
	// untriaged item.
	"feedback/FB-0001.md": "---\nid: FB-0001\ntitle: \"<script>alert(1)</script> wants chat\"\ndate: 2025-11-03\ncustomer: \"Acme <b>Corp</b>\"\nchannel: sales\nweight: 3\nrequirements: [REQ-0001]\n---\n\"We need =chat now\" <img src=x onerror=alert(1)>\n",
	"feedback/FB-0002.md": "---\nid: FB-0002\ntitle: Same customer, other words\ndate: 2025-11-04\ncustomer: \"  acme <B>corp</b> \"\nchannel: ticket\nrequirements: [REQ-0001, REQ-0003]\n---\n",
	"feedback/FB-0003.md": "---\nid: FB-0003\ntitle: \"ESC \\e[31m 未分类的反馈\"\ndate: 2025-10-01\ncustomer: 客户乙\n---\n",
}

// TestGolden writes every format of every report of the golden project and compares it
// with testdata/golden (go test ./pkg/cli -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	for name, text := range goldenProject {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("REQTRAIL_TODAY", "2026-01-05")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"matrix", []string{"matrix"}},
		{"list", []string{"list"}},
		{"list-all", []string{"list", "--kind", "all"}},
		{"rank", []string{"rank"}},
		{"lint", []string{"lint"}},
		{"rules", []string{"lint", "--list-rules"}},
		{"show", []string{"show", "REQ-0001"}},
		{"show-change", []string{"show", "CR-0001"}},
		{"impact", []string{"impact", "REQ-0001"}},
	} {
		formats := map[string][]string{
			"matrix": {"text", "json", "csv", "markdown", "html"},
			"list":   {"text", "json", "csv", "markdown"}, "list-all": {"text", "csv", "markdown"},
			"rank":  {"text", "json", "csv", "markdown"},
			"lint":  {"text", "json", "sarif", "github", "junit", "markdown"},
			"rules": {"text", "json", "csv", "markdown"},
			"show":  {"text", "json", "yaml"}, "show-change": {"text", "json", "yaml"},
			"impact": {"text", "json", "markdown"},
		}[c.name]
		for _, f := range formats {
			_, out, stderr := runIn(dir, append(c.args, "--format", f)...)
			if strings.Contains(stderr, "panic") {
				t.Fatalf("%s %s: %s", c.name, f, stderr)
			}
			golden(t, c.name+"."+ext(f), normalise(out))
		}
	}
}

// TestGoldenGit writes every format of check and diff for a change to the golden project:
// a baselined requirement changed in meaning without a change request, a list field
// edited, a requirement added as approved.
func TestGoldenGit(t *testing.T) {
	s := newGitSandbox(t)
	for name, text := range goldenProject {
		s.write(name, text)
	}
	s.commit("golden project")
	s.git("tag", "v1")
	s.write("reqs/REQ-0001.md", strings.Replace(goldenProject["reqs/REQ-0001.md"], "Body.", "Body, now with @bob and #7.", 1))
	s.write("reqs/产品 需求/REQ-0002.md", strings.Replace(goldenProject["reqs/产品 需求/REQ-0002.md"], "parent: REQ-0001\n", "parent: REQ-0001\ntags: [a, b]\n", 1))
	s.write("reqs/REQ-0004.md", "---\nid: REQ-0004\ntitle: \"New <i>approved</i> | one\"\nstatus: approved\n---\n")
	s.commit("change")
	for _, c := range []struct {
		name    string
		args    []string
		formats []string
	}{
		{"check", []string{"check", "--base", "v1"}, []string{"text", "json", "markdown", "github", "sarif", "junit"}},
		{"diff", []string{"diff", "v1", "HEAD"}, []string{"text", "json", "markdown", "html"}},
	} {
		for _, f := range c.formats {
			_, out, stderr := s.run(append(c.args, "--format", f)...)
			if strings.Contains(stderr, "panic") {
				t.Fatalf("%s %s: %s", c.name, f, stderr)
			}
			golden(t, c.name+"."+ext(f), hashes.ReplaceAllString(normalise(out), "<hash>"))
		}
	}
}

var hashes = regexp.MustCompile(`\b[0-9a-f]{7,40}\b`)

// goldenExt maps a format to its golden file's extension (the format's name otherwise).
var goldenExt = map[string]string{"text": "txt", "markdown": "md", "junit": "xml"}

func ext(format string) string {
	if e, ok := goldenExt[format]; ok {
		return e
	}
	return format
}

var junitTimes = regexp.MustCompile(`(timestamp|time)="[^"]*"`)

// normalise removes what changes from run to run: JUnit's times, the site stylesheet
// (the site's own tests cover it).
func normalise(s string) string {
	s = junitTimes.ReplaceAllString(s, `$1="…"`)
	if i, j := strings.Index(s, "<style>"), strings.Index(s, "</style>"); i >= 0 && j > i {
		s = s[:i] + "<style>…" + s[j:]
	}
	return s
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create the golden files with go test ./pkg/cli -run TestGolden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (review, then -update):\n%s", name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}
