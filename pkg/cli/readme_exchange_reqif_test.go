package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsExchangeReqifDoorstop replays the section "Coming from DOORS, Polarion or Doorstop"
// of docs/exchange.md on the corpus files it names and checks that every output it shows is
// what reqtrail prints today. When it fails, rerun the commands and paste their output.
func TestDocsExchangeReqifDoorstop(t *testing.T) {
	doc := readDoc(t, "docs/exchange.md")
	begin := strings.Index(doc, "## Coming from DOORS, Polarion or Doorstop")
	if begin < 0 {
		t.Fatal(`docs/exchange.md has no section "Coming from DOORS, Polarion or Doorstop"`)
	}
	section := doc[begin:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	reqifDir := sharedCorpus(t, "reqif")
	doorstopDir := sharedCorpus(t, "doorstop-reqs")
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "project: Brake controller\n")
	for name, from := range map[string]string{
		"polarion.reqifz": filepath.Join(reqifDir, "samples", "polarion-small", "sample_polarion_reqifz.reqifz"),
		"doors.reqif":     filepath.Join(reqifDir, "samples", "doors-06_example_from_a_user", "sample.reqif"),
	} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		authoringWrite(t, dir, name, string(data))
	}
	copyTreeForTest(t, doorstopDir, filepath.Join(dir, "doorstop"))

	steps := 0
	for _, block := range fencedBlocks(section) {
		if !strings.HasPrefix(block, "$ ") {
			continue
		}
		for _, step := range splitSteps(block) {
			steps++
			args := shellWords(step.cmd)
			var got string
			switch {
			case args[0] == "reqtrail":
				_, out, errOut := runStartedIn(dir, args[1:]...)
				got = out + errOut
			case args[0] == "head" && len(args) == 3:
				lines := strings.SplitAfter(authoringRead(t, dir, args[2]), "\n")
				n := 0
				if _, err := fmt.Sscan(strings.TrimPrefix(args[1], "-"), &n); err != nil {
					t.Fatal(err)
				}
				got = strings.Join(lines[:min(n, len(lines))], "")
			case args[0] == "xmllint":
				if _, err := exec.LookPath("xmllint"); err != nil {
					t.Log("xmllint not installed: its step is not replayed (.ci/run installs libxml2-utils)")
					continue
				}
				args[len(args)-2] = filepath.Join(reqifDir, "schema", "reqif.xsd")
				c := exec.Command(args[0], args[1:]...)
				c.Dir = dir
				out, err := c.CombinedOutput()
				if err != nil {
					t.Fatalf("xmllint: %v\n%s", err, out)
				}
				got = string(out)
			default:
				t.Fatalf("docs/exchange.md command not understood by this test: %s", step.cmd)
			}
			if got != step.want {
				t.Errorf("docs/exchange.md is out of date for\n$ %s\nthe guide shows:\n%s\nreqtrail prints:\n%s", step.cmd, step.want, got)
			}
		}
	}
	if steps < 8 {
		t.Errorf("found only %d command steps in the section", steps)
	}
}

// runStartedIn runs reqtrail as a user does from dir: file names on the command line are
// relative to it.
func runStartedIn(dir string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: testGetenv, WorkDir: dir}
	code := app.Run(args)
	return code, out.String(), errb.String()
}
