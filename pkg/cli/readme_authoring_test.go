package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEAuthoring replays the command examples of the authoring guide (docs/authoring.md)
// in a copy of examples/customer-service and checks that each printed output is what reqtrail
// prints today. When it fails, rerun the commands the guide shows and paste their output.
func TestREADMEAuthoring(t *testing.T) {
	section := readDoc(t, "docs/authoring.md")
	t.Setenv("REQTRAIL_TODAY", "2024-10-07")
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)

	blocks, _ := replayDoc(t, "docs/authoring.md", section, dir, func(block string) {
		if strings.HasPrefix(block, "$ reqtrail fmt --check") {
			// The file new wrote is shown in full before the hand edit.
			shown := false
			for _, b := range fencedBlocks(section) {
				if strings.HasPrefix(b, "---\nid: REQ-0042\n") {
					shown = true
					if got := authoringRead(t, dir, "reqs/chat/REQ-0042.md"); got != b {
						t.Errorf("docs/authoring.md shows a REQ-0042.md other than the one new writes:\n%s", got)
					}
				}
			}
			if !shown {
				t.Error("docs/authoring.md does not show the file new writes")
			}
			handEdit(t, dir)
		}
	})
	if blocks < 5 {
		t.Errorf("found only %d command blocks in docs/authoring.md", blocks)
	}
}

// handEdit makes the hand edit the authoring guide's fmt example starts from.
func handEdit(t *testing.T, dir string) {
	t.Helper()
	name := "reqs/chat/REQ-0042.md"
	s := authoringRead(t, dir, name)
	old := "priority:\n  moscow: should\n  kano: performance\n  ice: {impact: 6, confidence: 7, ease: 8}\n"
	if !strings.Contains(s, old) {
		t.Fatalf("%s is not as the guide's new example leaves it:\n%s", name, s)
	}
	s = strings.Replace(s, old, "priority:\n    ice: {ease: 8, impact: 6, confidence: 7}\n    moscow: should   # agreed with the service desk\n    kano: performance\n", 1)
	authoringWrite(t, dir, name, s)
}

func fencedBlocks(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "\n```")
		if i < 0 {
			return out
		}
		s = s[i+4:]
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return out
		}
		s = s[nl+1:]
		j := strings.Index(s, "\n```")
		if j < 0 {
			return out
		}
		out = append(out, s[:j+1])
		s = s[j+1:]
	}
}

type readmeStep struct{ cmd, want string }

// splitSteps cuts a block of "$ command" lines (with "\" continuations) and their output.
func splitSteps(block string) []readmeStep {
	var steps []readmeStep
	lines := strings.SplitAfter(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSuffix(lines[i], "\n")
		if !strings.HasPrefix(l, "$ ") {
			if len(steps) > 0 {
				steps[len(steps)-1].want += lines[i]
			}
			continue
		}
		cmd := strings.TrimPrefix(l, "$ ")
		for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
			i++
			cmd = strings.TrimSuffix(cmd, "\\") + strings.TrimSpace(strings.TrimSuffix(lines[i], "\n"))
			if !strings.HasSuffix(cmd, "\\") {
				break
			}
		}
		steps = append(steps, readmeStep{cmd: strings.Join(strings.Fields(cmd), " ")})
	}
	return steps
}

// shellWords splits a command line the way a POSIX shell would for simple quoting.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	in := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func copyTreeForTest(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
