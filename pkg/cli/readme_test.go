package cli

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readDoc returns a documentation file of the repository (README.md or docs/…).
func readDoc(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// replayDoc replays the "$ command" blocks of text (the documentation file name) in dir and
// reports every printed output that differs from what reqtrail prints today. It runs
// reqtrail commands in-process, "echo $?" and "head -N FILE"; before, when set, is called
// with each block first. It returns the number of blocks and of steps replayed.
func replayDoc(t *testing.T, name, text, dir string, before func(block string)) (blocks, steps int) {
	t.Helper()
	for _, block := range fencedBlocks(text) {
		if !strings.HasPrefix(block, "$ ") {
			continue
		}
		blocks++
		if before != nil {
			before(block)
		}
		last := 0
		for _, step := range splitSteps(block) {
			steps++
			args := shellWords(step.cmd)
			var got string
			switch {
			case len(args) > 0 && args[0] == "reqtrail":
				var out, errOut string
				last, out, errOut = runIn(dir, args[1:]...)
				// init and new print paths relative to the current directory; the test's is elsewhere.
				got = strings.ReplaceAll(out+errOut, dir+string(filepath.Separator), "")
			case step.cmd == "echo $?":
				got = strconv.Itoa(last) + "\n"
			case len(args) == 3 && args[0] == "head":
				n, _ := strconv.Atoi(strings.TrimPrefix(args[1], "-"))
				lines := strings.SplitAfter(authoringRead(t, dir, args[2]), "\n")
				got = strings.Join(lines[:min(n, len(lines))], "")
			default:
				t.Fatalf("%s: command not understood by this test: %s", name, step.cmd)
			}
			if got != step.want {
				t.Errorf("%s is out of date for\n$ %s\nit shows:\n%s\nreqtrail prints:\n%s", name, step.cmd, step.want, got)
			}
		}
	}
	return blocks, steps
}

// TestREADMETour replays the README's ten-minute tour in an empty folder and checks that
// every output it shows is what reqtrail prints today (stdout and stderr, as on a terminal).
func TestREADMETour(t *testing.T) {
	readme := readDoc(t, "README.md")
	begin, end := strings.Index(readme, "<!-- BEGIN tour"), strings.Index(readme, "<!-- END tour -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no <!-- BEGIN tour … --> … <!-- END tour --> block")
	}
	t.Setenv("REQTRAIL_TODAY", "2024-10-07")
	if _, steps := replayDoc(t, "the README's tour", readme[begin:end], t.TempDir(), nil); steps < 5 {
		t.Errorf("the README's tour has only %d commands", steps)
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocsLinks: every guide under docs/ is listed in the README's Guides section, and every
// relative link in the README and the guides names a file that exists.
func TestDocsLinks(t *testing.T) {
	readme := readDoc(t, "README.md")
	i := strings.Index(readme, "\n## Guides\n")
	if i < 0 {
		t.Fatal("README.md has no ## Guides section")
	}
	guides := readme[i:]
	if j := strings.Index(guides[1:], "\n## "); j >= 0 {
		guides = guides[:j+1]
	}
	entries, err := os.ReadDir("../../docs")
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{"README.md"}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			docs = append(docs, "docs/"+e.Name())
			if !strings.Contains(guides, "](docs/"+e.Name()+")") {
				t.Errorf("docs/%s is not listed in the README's Guides section", e.Name())
			}
		}
	}
	docs = append(docs, "docs/commands/README.md")
	for _, doc := range docs {
		for _, m := range mdLink.FindAllStringSubmatch(readDoc(t, doc), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			p := path.Join(path.Dir(doc), target)
			if _, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(p))); err != nil {
				t.Errorf("%s links to %s, which does not exist", doc, m[1])
			}
		}
	}
}

// TestREADMERules: the README's rule table is what lint --list-rules --format markdown prints.
func TestREADMERules(t *testing.T) {
	readme := readDoc(t, "README.md")
	begin, end := strings.Index(readme, "<!-- BEGIN rules"), strings.Index(readme, "<!-- END rules -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no <!-- BEGIN rules … --> … <!-- END rules --> block")
	}
	table := readme[begin:end]
	table = table[strings.IndexByte(table, '\n')+1:]
	code, out, errOut := runIn(t.TempDir(), "lint", "--list-rules", "--format", "markdown")
	if code != 0 {
		t.Fatalf("lint --list-rules: exit %d: %s", code, errOut)
	}
	if table != out {
		t.Errorf("README.md's rule table is out of date; replace it with:\n%s", out)
	}
}
