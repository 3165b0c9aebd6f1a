package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 30 seconds", "The agent must respond quickly."))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Fax", "Old."))
	s.commit("v1")
	s.git("tag", "-a", "-m", "release 1", "v1.0")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "development", "Chat replies within 20 seconds", "The agent shall respond quickly.", "owner: chat-team\n"))
	s.remove("reqs/REQ-0002.md")
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark <mode>", "Night."))
	s.commit("v2")
	s.git("tag", "v1.1")

	code, out, errOut := s.run("diff", "v1.0", "v1.1")
	for _, want := range []string{
		"diff v1.0 → v1.1: 1 added, 1 deleted, 1 changed",
		"~ REQ-0001  Chat replies within 20 seconds  [meaning]",
		"status: approved → development",
		"title: Chat replies within 30 seconds → Chat replies within 20 seconds",
		"owner: (none) → chat-team",
		"body: The agent [-must-]{+shall+} respond quickly.",
		"+ REQ-0003", "- REQ-0002",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff text lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	_, out, _ = s.run("diff", "v1.0", "v1.1", "--format", "json")
	var d struct {
		From, To string
		Changes  []struct {
			ID, Class string
			Fields    []struct{ Field string }
			BodyDiff  []struct{ Op, Text string } `json:"body_diff"`
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Changes) != 3 || d.Changes[0].ID != "REQ-0001" || len(d.Changes[0].BodyDiff) != 4 {
		t.Errorf("json: %v\n%s", err, out)
	}
	_, out, _ = s.run("diff", "v1.0", "v1.1", "--format", "html")
	if !strings.Contains(out, "<del>must</del><ins>shall</ins>") || strings.Contains(out, "<mode>") {
		t.Errorf("html:\n%s", out)
	}
	_, out, _ = s.run("diff", "v1.0", "v1.1", "--format", "markdown")
	if !strings.Contains(out, "| status | approved | development |") || !strings.Contains(out, "<del>must</del><ins>shall</ins>") {
		t.Errorf("markdown:\n%s", out)
	}
	// The working tree is the default second side.
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark <mode>", "Night."))
	_, out, _ = s.run("diff", "HEAD")
	if !strings.Contains(out, "0 added, 0 deleted, 1 changed") || !strings.Contains(out, "status: new → analysis") {
		t.Errorf("diff against the working tree:\n%s", out)
	}
	if code, _, errOut := s.run("diff", "v9"); code != 2 || !strings.Contains(errOut, "unknown revision") {
		t.Errorf("unknown revision: exit %d %s", code, errOut)
	}
}

func TestLog(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Chat", "Body."))
	s.commit("Add chat requirement")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "analysis", "Chat", "Body."))
	s.commit("Analyse chat")
	if err := os.MkdirAll(filepath.Join(s.dir, "reqs/chat"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.git("mv", "reqs/REQ-0001.md", "reqs/chat/REQ-0001.md")
	s.commit("Group chat requirements")
	s.write("src/x.go", "package x")
	s.commit("Unrelated code")

	code, out, errOut := s.run("log", "REQ-0001")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[0], "renamed") || !strings.Contains(lines[0], "Group chat requirements") ||
		!strings.Contains(lines[1], "new → analysis") || !strings.Contains(lines[2], "Grace Hopper") || !strings.Contains(lines[2], "2024-03-01") {
		t.Errorf("log: exit %d\n%s%s", code, out, errOut)
	}
	_, out, _ = s.run("log", "REQ-0001", "--format", "json")
	var l struct {
		ID      string
		Commits []struct{ Hash, Status, File, Action, Subject string }
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil || len(l.Commits) != 3 || l.Commits[0].File != "reqs/chat/REQ-0001.md" || l.Commits[2].Status != "new" {
		t.Errorf("log json: %v\n%s", err, out)
	}
	if code, _, errOut := s.run("log", "REQ-0042"); code != 2 || !strings.Contains(errOut, "REQ-0042") {
		t.Errorf("unknown id: exit %d %s", code, errOut)
	}
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Uncommitted", "Body."))
	if code, out, _ := s.run("log", "REQ-0002"); code != 0 || !strings.Contains(out, "no commits yet") {
		t.Errorf("uncommitted record: exit %d %s", code, out)
	}
}
