package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsGateSituations replays "Nine situations, and what check says" of docs/gate.md in a
// scratch git repository: the guide's commands, in its order, and every output line the guide
// shows is a line of what reqtrail prints today, in the same order (the guide leaves lines
// out, never changes one).
func TestDocsGateSituations(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git tool not installed")
	}
	doc := readDoc(t, "docs/gate.md")
	start, end := strings.Index(doc, "### Nine situations"), strings.Index(doc, "### CODEOWNERS")
	if start < 0 || end < start {
		t.Fatal("docs/gate.md has no nine situations section")
	}
	want := docCommands(doc[start:end])
	t.Setenv("REQTRAIL_TODAY", "2024-11-01")

	s := newGitSandbox(t)
	s.write("reqtrail.yaml", "project: Demo\ntrace:\n  - {path: ., role: impl}\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "released", "Password reset by e-mail", "A user who forgot the password gets a reset link.",
		"acceptance-criteria:\n  - The link expires after 30 minutes\n"))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Dark mode", "The app follows the system's dark mode."))
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "released", "Fax support", "Nobody asked."))
	s.write("reqs/REQ-0004.md", gsReq("REQ-0004", "testing", "Export as CSV", "Every list can be exported."))
	fp1, fp3 := s.fingerprint("REQ-0001"), s.fingerprint("REQ-0003")
	s.write("acceptance/ACC-0001.md", "---\nid: ACC-0001\ntitle: Release 1.0 accepted\nverdict: accepted\ndate: 2024-10-02\naccepted-by: Customer A\nrequirements:\n  - id: REQ-0001\n    fingerprint: "+fp1+"\n  - id: REQ-0003\n    fingerprint: "+fp3+"\n---\nVerified.\n")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "modify", "REQ-0001"))
	s.write("changes/CR-0002.md", gsCR("CR-0002", "approved", "remove", "REQ-0003"))
	s.commit("release 1.0")
	branch := func(name string) { s.git("checkout", "-q", "-b", name, "main") }
	merge := func(name string) {
		s.git("checkout", "-q", "main")
		s.git("merge", "-q", "--no-ff", "-m", "Merge "+name, name)
	}
	shorter := strings.Replace(s.read("reqs/REQ-0001.md"), "30 minutes", "15 minutes", 1)

	var got []docRun
	run := func(args ...string) {
		t.Helper()
		_, out, errOut := s.run(args...)
		shown := make([]string, len(args))
		for i, a := range args {
			shown[i] = a
			if strings.Contains(a, " ") {
				shown[i] = `"` + a + `"`
			}
		}
		// Standard error first: the notes a command prints come before its result.
		out = docTime.ReplaceAllString(strings.ReplaceAll(errOut+out, s.dir+"/", ""), "in 0.2s;")
		got = append(got, docRun{"reqtrail " + strings.Join(shown, " "), out})
	}
	// 1. The pull request switches its own check off.
	branch("switch-off")
	s.write("reqtrail.yaml", "project: Demo\ntrace:\n  - {path: ., role: impl}\nrules: {untraced-change: off, acceptance-stale: off, release-unaccepted: off}\n")
	s.write("reqs/REQ-0001.md", shorter)
	s.commit("switch the gate off")
	run("check", "--base", "main")
	// 2. CR-0001 authorises the pull request that moves it to implemented; not a later one.
	branch("shorter-link")
	s.write("reqs/REQ-0001.md", strings.Replace(shorter, "status: released", "status: development", 1))
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "modify", "REQ-0001"))
	s.commit("implement CR-0001")
	run("check", "--base", "main")
	merge("shorter-link")
	branch("later")
	s.write("reqs/REQ-0001.md", strings.Replace(s.read("reqs/REQ-0001.md"), "15 minutes", "10 minutes", 1))
	s.commit("a later edit")
	run("check", "--base", "main")
	// 3. Drafts change freely.
	branch("reword-draft")
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Dark mode", "The app follows the system's dark mode setting."))
	s.commit("reword")
	run("check", "--base", "main")
	merge("reword-draft")
	// 4. A requirement with an acceptance record is removed.
	branch("remove-fax")
	s.remove("reqs/REQ-0003.md")
	s.write("changes/CR-0002.md", gsCR("CR-0002", "implemented", "remove", "REQ-0003"))
	s.commit("remove REQ-0003")
	run("check", "--base", "main")
	merge("remove-fax")
	// 5. A stale acceptance is superseded, never re-pinned.
	run("accept", "--refresh", "ACC-0001")
	run("accept", "--again", "ACC-0001", "--by", "Customer A", "--date", "2024-11-01")
	run("matrix")
	s.git("add", "-A")
	s.commit("ACC-0002")
	// 6. new acceptance writes no verdict.
	run("new", "acceptance", "--title", "Export accepted", "--parent", "REQ-0004")
	run("lint")
	s.remove("acceptance/ACC-0003.md")
	// 7. Forward several steps, but not past approval.
	branch("statuses")
	s.write("reqs/REQ-0002.md", strings.Replace(s.read("reqs/REQ-0002.md"), "status: new", "status: development", 1))
	s.write("reqs/REQ-0004.md", strings.Replace(s.read("reqs/REQ-0004.md"), "status: testing", "status: released", 1))
	s.write("acceptance/ACC-0003.md", "---\nid: ACC-0003\ntitle: Export accepted\nverdict: accepted\ndate: 2024-11-01\naccepted-by: Customer A\nrequirements:\n  - id: REQ-0004\n    fingerprint: "+s.fingerprint("REQ-0004")+"\n---\nVerified.\n")
	s.commit("release export, start dark mode")
	run("check", "--base", "main")
	s.write("reqs/REQ-0002.md", strings.Replace(s.read("reqs/REQ-0002.md"), "status: development", "status: approved", 1))
	s.commit("approve dark mode instead")
	run("check", "--base", "main")
	merge("statuses")
	// 8. Two branches each add REQ-0005.
	branch("theirs")
	s.write("reqs/REQ-0005.md", gsReq("REQ-0005", "new", "Two-factor login", "Theirs."))
	s.commit("theirs")
	branch("mine")
	s.write("reqs/REQ-0005.md", gsReq("REQ-0005", "new", "Audit log", "Mine."))
	s.commit("mine")
	merge("theirs")
	s.git("checkout", "-q", "mine")
	run("check", "--base", "main")
	run("renumber", "REQ-0005")
	s.git("add", "-A")
	s.commit("renumber")
	// 9. The site is not code.
	s.git("checkout", "-q", "main")
	run("site")
	run("matrix")

	if len(got) != len(want) {
		var cmds []string
		for _, w := range want {
			cmds = append(cmds, w.cmd)
		}
		t.Fatalf("docs/gate.md shows %d commands, the replay runs %d:\n%s", len(want), len(got), strings.Join(cmds, "\n"))
	}
	for i, w := range want {
		if w.cmd != got[i].cmd {
			t.Errorf("command %d: the guide shows %q, the replay runs %q", i+1, w.cmd, got[i].cmd)
			continue
		}
		if line, ok := linesIn(w.out, got[i].out); !ok {
			t.Errorf("%s (command %d): the guide shows %q, which reqtrail does not print (in that order); it prints:\n%s", w.cmd, i+1, line, got[i].out)
		}
	}
}

type docRun struct{ cmd, out string }

var (
	docComment = regexp.MustCompile(`\s+#.*$`)
	// docTime is how long a command took: the guide shows 0.2s.
	docTime = regexp.MustCompile(`in [0-9]+\.[0-9]s;`)
)

// docCommands returns the "$ reqtrail …" commands of the code blocks of text with the lines
// shown after each (trimmed of the block's indentation, trailing comments dropped).
func docCommands(text string) []docRun {
	var out []docRun
	inBlock := false
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "```") {
			inBlock = !inBlock
			continue
		}
		if !inBlock {
			continue
		}
		if strings.HasPrefix(l, "$ ") {
			out = append(out, docRun{cmd: docComment.ReplaceAllString(strings.TrimPrefix(l, "$ "), "")})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].out += strings.TrimPrefix(line, "   ") + "\n"
		}
	}
	return out
}

// linesIn reports whether every line of want is a line of got, in order; else the first that
// is not.
func linesIn(want, got string) (string, bool) {
	lines := strings.Split(got, "\n")
	j := 0
	for _, w := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
		if w == "" {
			continue
		}
		for j < len(lines) && lines[j] != w {
			j++
		}
		if j == len(lines) {
			return w, false
		}
		j++
	}
	return "", true
}

// read returns the text of a file of the sandbox.
func (s *gitSandbox) read(name string) string {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}
