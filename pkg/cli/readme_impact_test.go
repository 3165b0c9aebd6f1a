package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/internal/gittest"
)

// docBlock returns the output shown after the command line head in a doc, up to the end of
// its code block.
func docBlock(t *testing.T, doc, head string) string {
	t.Helper()
	text := readDoc(t, doc)
	i := strings.Index(text, head)
	if i < 0 {
		t.Fatalf("%s: no %q", doc, strings.TrimSpace(head))
	}
	block := text[i+len(head):]
	return block[:strings.Index(block, "```")]
}

func runExample(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := app.Run(append([]string{"-C", "../../examples/customer-service"}, args...)); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestDocsImpact: docs/traceability.md shows impact exactly as reqtrail prints it.
func TestDocsImpact(t *testing.T) {
	want := docBlock(t, "docs/traceability.md", "$ reqtrail -C examples/customer-service impact REQ-0032\n")
	if got := runExample(t, "impact", "REQ-0032"); got != want {
		t.Errorf("docs/traceability.md's impact output is out of date; replace it with:\n%s", got)
	}
}

// TestDocsMatrixResults: docs/traceability.md shows the matrix with the example's real go test
// -json results exactly as reqtrail prints it.
func TestDocsMatrixResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example's go test")
	}
	results := filepath.Join(t.TempDir(), "results.json")
	cmd := exec.Command("go", "test", "-json", "./...")
	cmd.Dir = "../../examples/customer-service"
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -json in the example: %v\n%s", err, out)
	}
	if err := os.WriteFile(results, out, 0o644); err != nil {
		t.Fatal(err)
	}
	want := docBlock(t, "docs/traceability.md", "$ reqtrail matrix --results results.json\n")
	if got := runExample(t, "matrix", "--results", results); got != want {
		t.Errorf("docs/traceability.md's matrix --results output is out of date; replace it with:\n%s", got)
	}

	// Several result files: the example's Python tests through the real pytest.
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-m", "pytest", "--version").Run(); err != nil {
		t.Skip("python3-pytest is not installed (.ci/run installs it)")
	}
	junit := filepath.Join(t.TempDir(), "pytest.xml")
	cmd = exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml="+junit, "tests/kb")
	cmd.Dir = "../../examples/customer-service"
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pytest in the example: %v\n%s", err, out)
	}
	want = docBlock(t, "docs/traceability.md", "$ reqtrail matrix --results results.json --results pytest.xml --coverage verified,failing\n")
	if got := runExample(t, "matrix", "--results", results, "--results", junit, "--coverage", "verified,failing"); got != want {
		t.Errorf("docs/traceability.md's matrix output with pytest results is out of date; replace it with:\n%s", got)
	}
}

// TestDocsWhenARequirementChanges replays the walkthrough of docs/traceability.md's "When a
// requirement changes" in a git repository holding the project the guide shows: lint, review
// --pin, commit on main, a branch adds a sentence to the parent's body, lint, impact, check's
// Markdown report, review, lint. Every output the guide shows must be what reqtrail prints.
func TestDocsWhenARequirementChanges(t *testing.T) {
	doc := readDoc(t, "docs/traceability.md")
	begin := strings.Index(doc, "## When a requirement changes")
	end := strings.Index(doc, "`reqtrail impact ID…` lists everything downstream")
	if begin < 0 || end < begin {
		t.Fatal("docs/traceability.md: no walkthrough under \"## When a requirement changes\"")
	}
	section := doc[begin:end]
	g := gittest.New(t)
	g.Write("reqtrail.yaml", "project: Pins\npin-links: true\n")
	for _, name := range []string{"reqs/REQ-0001.md", "reqs/REQ-0002.md", "reqs/REQ-0003.md"} {
		marker := "<!-- file " + name + " -->\n```markdown\n"
		i := strings.Index(section, marker)
		if i < 0 {
			t.Fatalf("docs/traceability.md does not show %s", name)
		}
		body := section[i+len(marker):]
		g.Write(name, body[:strings.Index(body, "```")])
	}
	const sentence = "Agents answer chat and app requests.\n"
	if !strings.Contains(section, "`"+strings.TrimSpace(sentence)+"`") {
		t.Fatalf("docs/traceability.md does not name the sentence added: %s", sentence)
	}
	edited := false
	blocks, steps := replayDoc(t, "docs/traceability.md (When a requirement changes)", section, g.Dir, func(block string) {
		// The pinned links are committed on main, and on a branch the sentence is added to
		// REQ-0001's body: before the first block that shows a suspect link.
		if !edited && strings.Contains(block, "[link-suspect]") {
			edited = true
			g.Commit("pinned links")
			g.Git("switch", "-q", "-c", "app-requests")
			data, err := os.ReadFile(filepath.Join(g.Dir, "reqs", "REQ-0001.md"))
			if err != nil {
				t.Fatal(err)
			}
			g.Write("reqs/REQ-0001.md", string(data)+sentence)
		}
	})
	if !edited || blocks < 4 || steps < 7 {
		t.Errorf("the walkthrough shows %d blocks, %d commands (a suspect link: %v)", blocks, steps, edited)
	}
}

// TestImpactReviewResultsExit2: an unknown id for impact and review, and a result file that
// cannot be read or is malformed for matrix, site and check, exit 2 (not 1, not 0), with the
// file and line named, and write nothing to stdout.
func TestImpactReviewResultsExit2(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "trace:\n  - {path: tests, role: test}\n")
	authoringWrite(t, dir, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: T\n---\n")
	authoringWrite(t, dir, "tests/a_test.go", "func Test_REQ_0001(t *testing.T) {}\n")
	authoringWrite(t, dir, "bad.xml", "<testsuite>\n<testcase name=\"a\">\n</testsuite>\n")
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	bad := filepath.Join(dir, "bad.xml")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"impact", "REQ-0099"}, "no requirement REQ-0099"},
		{[]string{"impact", "REQ-0001", "REQ-0099"}, "no requirement REQ-0099"},
		{[]string{"review", "REQ-0099"}, "no requirement REQ-0099"},
		{[]string{"review", "--pin", "REQ-0001", "REQ-0099"}, "no requirement REQ-0099"},
		{[]string{"matrix", "--results", bad}, "bad.xml:3: malformed XML"},
		{[]string{"site", "--results", bad, "-o", filepath.Join(dir, "public")}, "bad.xml:3: malformed XML"},
		{[]string{"check", "--base", "main", "--results", bad, "--format", "markdown"}, "bad.xml:3: malformed XML"},
		{[]string{"matrix", "--results", filepath.Join(dir, "missing.xml")}, "missing.xml: cannot read"},
	} {
		code, out, errOut := runIn(dir, c.args...)
		if code != ExitFailure || !strings.Contains(errOut, c.msg) || out != "" {
			t.Errorf("reqtrail %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("site wrote its output before it read the result files")
	}
}
