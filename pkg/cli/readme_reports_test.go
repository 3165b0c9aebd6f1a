package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDocsReports replays the commands of docs/reports.md in a copy of the example project
// and checks that every output it shows is what reqtrail prints today.
func TestDocsReports(t *testing.T) { replayGuide(t, "docs/reports.md", 6) }

// TestDocsFeedback does the same for docs/feedback.md.
func TestDocsFeedback(t *testing.T) { replayGuide(t, "docs/feedback.md", 6) }

// replayGuide replays the "$ " commands of a guide, in order, in one copy of the example
// project, and checks that every output it shows is what reqtrail prints today; the guide
// must show at least minSteps commands.
func replayGuide(t *testing.T, guide string, minSteps int) {
	doc := readDoc(t, guide)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples", "customer-service"))); err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, block := range fencedBlocks(doc) {
		if !strings.HasPrefix(block, "$ ") {
			continue
		}
		for _, step := range splitSteps(block) {
			steps++
			cmd, head := step.cmd, -1
			if c, n, ok := strings.Cut(cmd, " | head -n "); ok {
				cmd = c
				head, _ = strconv.Atoi(n)
			}
			args := shellWords(cmd)
			var got string
			switch {
			case len(args) > 0 && args[0] == "reqtrail":
				var out, errOut bytes.Buffer
				app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: testGetenv, WorkDir: dir}
				app.Run(args[1:])
				got = strings.ReplaceAll(out.String()+errOut.String(), "\r\n", "\n")
			case len(args) == 5 && args[0] == "grep" && args[1] == "-m":
				n, _ := strconv.Atoi(args[2])
				data, err := os.ReadFile(filepath.Join(dir, args[4]))
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range strings.SplitAfter(string(data), "\n") {
					if n > 0 && strings.Contains(l, args[3]) {
						got += l
						n--
					}
				}
			default:
				t.Fatalf("%s: command not understood by this test: %s", guide, step.cmd)
			}
			if head >= 0 {
				lines := strings.SplitAfter(got, "\n")
				got = strings.Join(lines[:min(head, len(lines))], "")
			}
			if got != step.want {
				t.Errorf("%s is out of date for\n$ %s\nit shows:\n%s\nreqtrail prints:\n%s", guide, step.cmd, step.want, got)
			}
		}
	}
	if steps < minSteps {
		t.Errorf("%s shows only %d commands", guide, steps)
	}
}
