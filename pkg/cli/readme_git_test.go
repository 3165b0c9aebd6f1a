package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestREADMEGit replays the merge-gate guide's (docs/gate.md) check/diff/log walkthrough in a scratch repository and
// checks that every output the README shows is what reqtrail prints today.
func TestREADMEGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git tool not installed")
	}
	section := readDoc(t, "docs/gate.md")
	t.Setenv("REQTRAIL_TODAY", "2024-07-01")

	s := newGitSandbox(t)
	date := func(d string) {
		t.Setenv("GIT_AUTHOR_DATE", d)
		t.Setenv("GIT_COMMITTER_DATE", d)
	}
	commit := func(d, msg string) {
		t.Helper()
		date(d)
		cmd := exec.Command("git", "-c", "user.name=Ana Souza", "-c", "user.email=ana@example.com", "commit", "-q", "-am", msg)
		cmd.Dir = s.dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Ana Souza", "GIT_AUTHOR_EMAIL=ana@example.com", "GIT_COMMITTER_NAME=Ana Souza", "GIT_COMMITTER_EMAIL=ana@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git commit: %v\n%s", err, out)
		}
	}
	shows := func(what, out string) {
		t.Helper()
		if !strings.Contains(section, out) {
			t.Errorf("docs/gate.md does not show the current output of %s; update it to:\n%s", what, out)
		}
	}
	edit := func(file, old, new string) {
		t.Helper()
		p := s.dir + "/" + file
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), old) {
			t.Fatalf("%s: %v (or %q not found)", file, err, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if code, _, errOut := s.run("init"); code != 0 {
		t.Fatal(errOut)
	}
	s.git("add", "-A")
	commit("2024-07-01T10:00:00Z", "Password reset requirement")
	s.git("tag", "v1.0")
	s.git("switch", "-q", "-c", "shorter-reset-link")
	edit("reqs/REQ-0001.md", "The link expires after 30 minutes", "The link expires after 15 minutes")
	commit("2024-07-03T09:30:00Z", "Reset link expires after 15 minutes")
	code, out, _ := s.run("check", "--base", "main")
	if code != 1 {
		t.Errorf("check without a change request: exit %d, want 1", code)
	}
	shows("reqtrail check --base main (failing)", out)

	// The change board approves CR-0001 in a pull request of its own.
	s.git("switch", "-q", "-c", "approve-cr-0001", "main")
	edit("changes/CR-0001.md", "status: proposed", "status: approved")
	edit("changes/CR-0001.md", "  risk: low\n---", "  risk: low\ndecision:\n  by: change-board\n  date: 2024-07-04\n  note: Approved for release 1.1\n---")
	commit("2024-07-04T14:00:00Z", "Approve CR-0001")
	code, out, _ = s.run("check", "--base", "main")
	if code != 0 {
		t.Errorf("check of the approval: exit %d, want 0", code)
	}
	shows("reqtrail check --base main (the approval)", out)
	date("2024-07-04T15:00:00Z")
	s.git("switch", "-q", "main")
	s.git("merge", "-q", "--no-ff", "-m", "Merge approve-cr-0001", "approve-cr-0001")

	// The change itself, rebased onto the approval, implements the change request.
	s.git("switch", "-q", "shorter-reset-link")
	s.git("rebase", "-q", "main")
	edit("changes/CR-0001.md", "status: approved", "status: implemented")
	commit("2024-07-04T16:00:00Z", "Implement CR-0001")
	code, out, _ = s.run("check", "--base", "main")
	if code != 0 {
		t.Errorf("check of the implementing pull request: exit %d, want 0", code)
	}
	shows("reqtrail check --base main (passing)", out)

	date("2024-07-05T08:00:00Z")
	s.git("switch", "-q", "main")
	s.git("merge", "-q", "--no-ff", "-m", "Merge shorter-reset-link", "shorter-reset-link")
	s.git("tag", "v1.1")
	_, out, _ = s.run("diff", "v1.0", "v1.1")
	shows("reqtrail diff v1.0 v1.1", out)
	_, out, _ = s.run("log", "CR-0001")
	shows("reqtrail log CR-0001", out)
}
