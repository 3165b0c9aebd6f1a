package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/internal/gittest"
)

// gitSandbox is a git repository built with the git tool in a temporary folder.
type gitSandbox struct {
	*gittest.Repo
	t   *testing.T
	dir string
}

func newGitSandbox(t *testing.T) *gitSandbox {
	t.Helper()
	g := gittest.New(t)
	return &gitSandbox{Repo: g, t: t, dir: g.Dir}
}

func (s *gitSandbox) git(args ...string) string { s.t.Helper(); return s.Git(args...) }

func (s *gitSandbox) write(name, content string) { s.t.Helper(); s.Write(name, content) }

func (s *gitSandbox) remove(name string) { s.t.Helper(); s.Remove(name) }

func (s *gitSandbox) commit(msg string) string { s.t.Helper(); return s.Commit(msg) }

// run runs reqtrail in the sandbox and returns its exit code, stdout and stderr.
func (s *gitSandbox) run(args ...string) (int, string, string) {
	s.t.Helper()
	return runIn(s.dir, args...)
}

func runIn(dir string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: testGetenv}
	code := app.Run(append([]string{"-C", dir}, args...))
	return code, out.String(), errb.String()
}

// testGetenv is the environment of in-process command tests: no record cache, and the
// REQTRAIL_TODAY a test sets with t.Setenv; nothing else leaks in from the machine.
func testGetenv(k string) string {
	switch k {
	case "REQTRAIL_NO_CACHE":
		return "1"
	case "REQTRAIL_TODAY":
		return os.Getenv(k)
	}
	return ""
}

type gsCheckJSON struct {
	Diagnostics []struct {
		Rule, Severity, File, Message, ID string
		Line, Column                      int
	} `json:"diagnostics"`
	Summary struct{ Errors, Warnings, Files int } `json:"summary"`
	Changes []struct {
		ID, File, Kind, Class string
		AuthorisedBy          []string `json:"authorised_by"`
	} `json:"changes"`
	PreExisting []struct{ Rule, ID string } `json:"preexisting"`
}

func (s *gitSandbox) check(args ...string) (int, gsCheckJSON) {
	s.t.Helper()
	code, out, errOut := s.run(append([]string{"check", "--format", "json"}, args...)...)
	var res gsCheckJSON
	if code != 2 {
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			s.t.Fatalf("check output is not JSON (%v):\n%s\n%s", err, out, errOut)
		}
	}
	return code, res
}

func gsReq(id, status, title, body string, extra ...string) string {
	return fmt.Sprintf("---\nid: %s\ntitle: %s\nstatus: %s\n%s---\n%s\n", id, title, status, strings.Join(extra, ""), body)
}

func gsCR(id, status, action string, affects ...string) string {
	s := fmt.Sprintf("---\nid: %s\ntitle: Change %s\nstatus: %s\naction: %s\naffects: [%s]\n", id, id, status, action, strings.Join(affects, ", "))
	switch status {
	case "approved", "rejected", "implemented", "closed":
		s += "decision:\n  by: change-board\n  date: 2024-07-08\n"
	}
	return s + "---\nWhy.\n"
}

func gsAcc(id, verdict, by, reqID, fp string) string {
	return fmt.Sprintf("---\nid: %s\ntitle: Accepted\nverdict: %s\ndate: 2024-10-02\naccepted-by: %s\nrequirements:\n  - id: %s\n    fingerprint: %s\n---\nVerified.\n", id, verdict, by, reqID, fp)
}

// gsBase builds main with a few records and switches to branch feature. REQ-0001, REQ-0002
// and REQ-0006 are baselined (approved); REQ-0003 is a draft.
func gsBase(t *testing.T) *gitSandbox {
	s := newGitSandbox(t)
	s.write("reqtrail.yaml", "project: Test\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 30 seconds", "Customers expect a quick answer."))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the app", "Open tickets from the phone."))
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", "Night shift."))
	s.write("reqs/REQ-0006.md", gsReq("REQ-0006", "approved", "Fax support", "Nobody asked."))
	s.write("changes/CR-0001.md", gsCR("CR-0001", "proposed", "modify", "REQ-0001"))
	s.write("changes/CR-0002.md", gsCR("CR-0002", "approved", "modify", "REQ-0002"))
	s.write("changes/CR-0003.md", gsCR("CR-0003", "implemented", "modify", "REQ-0001"))
	s.write("changes/CR-0004.md", gsCR("CR-0004", "approved", "remove", "REQ-0006"))
	s.write("changes/CR-0005.md", gsCR("CR-0005", "approved", "add", "REQ-0004"))
	s.commit("baseline")
	s.git("checkout", "-q", "-b", "feature")
	return s
}

func (s *gitSandbox) fingerprint(id string) string {
	s.t.Helper()
	code, out, errOut := s.run("fingerprint", id)
	if code != 0 {
		s.t.Fatalf("fingerprint %s: %s", id, errOut)
	}
	return strings.TrimSpace(out)
}

func gsErrors(res gsCheckJSON) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Severity == "error" {
			out = append(out, d.Rule+":"+d.ID)
		}
	}
	slices.Sort(out)
	return out
}

func gsChanges(res gsCheckJSON) []string {
	var out []string
	for _, c := range res.Changes {
		out = append(out, c.ID+":"+c.Class+":"+strings.Join(c.AuthorisedBy, ","))
	}
	return out
}

func TestCheckRules(t *testing.T) {
	r1 := func(status, title string, extra ...string) string {
		return gsReq("REQ-0001", status, title, "Customers expect a quick answer.", extra...)
	}
	cases := []struct {
		name    string
		edit    func(s *gitSandbox)
		code    int
		errors  []string // rule:id of error findings
		changes []string // id:class:authorisers
	}{
		{"nothing changed", func(s *gitSandbox) {}, 0, nil, nil},
		{"meaning without CR", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", r1("approved", "Chat replies within 20 seconds"))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:meaning:"}},
		{"body change without CR", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 30 seconds", "Customers expect a fast answer."))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:meaning:"}},
		{"white space only is not a change of meaning", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 30 seconds", "Customers expect\na quick answer.  "))
		}, 0, nil, []string{"REQ-0001:attributes:"}},
		{"a draft changes freely", func(s *gitSandbox) {
			s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode everywhere", "Night shift."))
		}, 0, nil, []string{"REQ-0003:meaning:"}},
		{"a CR still approved at head does not authorise", func(s *gitSandbox) {
			s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the mobile app", "Open tickets from the phone."))
		}, 1, []string{"untraced-change:REQ-0002"}, []string{"REQ-0002:meaning:"}},
		{"the PR that implements the CR may change it", func(s *gitSandbox) {
			s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the mobile app", "Open tickets from the phone."))
			s.write("changes/CR-0002.md", gsCR("CR-0002", "implemented", "modify", "REQ-0002"))
		}, 0, nil, []string{"REQ-0002:meaning:CR-0002", "CR-0002:status:"}},
		{"closing the CR also authorises", func(s *gitSandbox) {
			s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the mobile app", "Open tickets from the phone."))
			s.write("changes/CR-0002.md", gsCR("CR-0002", "closed", "modify", "REQ-0002"))
		}, 0, nil, []string{"REQ-0002:meaning:CR-0002", "CR-0002:status:"}},
		{"CR approved in the same branch authorises nothing", func(s *gitSandbox) {
			s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "modify", "REQ-0001"))
			s.write("reqs/REQ-0001.md", r1("approved", "Chat replies within 20 seconds"))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:meaning:", "CR-0001:status:"}},
		{"new CR approved and implemented in the branch authorises nothing", func(s *gitSandbox) {
			s.write("changes/CR-0009.md", gsCR("CR-0009", "implemented", "modify", "REQ-0001"))
			s.write("reqs/REQ-0001.md", r1("approved", "Chat replies within 20 seconds"))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:meaning:", "CR-0009:added:"}},
		{"CR implemented at base authorises no later edit", func(s *gitSandbox) {
			s.write("changes/CR-0003.md", gsCR("CR-0003", "closed", "modify", "REQ-0001"))
			s.write("reqs/REQ-0001.md", r1("approved", "Chat replies within 20 seconds"))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:meaning:", "CR-0003:status:"}},
		{"baselined deleted without CR", func(s *gitSandbox) { s.remove("reqs/REQ-0001.md") }, 1,
			[]string{"ref-unknown:CR-0001", "ref-unknown:CR-0003", "untraced-change:REQ-0001"}, []string{"REQ-0001:deleted:"}},
		{"a draft is deleted freely", func(s *gitSandbox) { s.remove("reqs/REQ-0003.md") }, 0, nil,
			[]string{"REQ-0003:deleted:"}},
		{"deleted under a modify CR", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", gsCR("CR-0002", "implemented", "modify", "REQ-0002"))
			s.remove("reqs/REQ-0002.md")
		}, 1, []string{"ref-unknown:CR-0002", "untraced-change:REQ-0002"}, []string{"REQ-0002:deleted:", "CR-0002:status:"}},
		{"deleted with a remove CR", func(s *gitSandbox) {
			s.write("changes/CR-0004.md", gsCR("CR-0004", "implemented", "remove", "REQ-0006"))
			s.remove("reqs/REQ-0006.md")
		}, 0, nil, []string{"REQ-0006:deleted:CR-0004", "CR-0004:status:"}},
		{"added as new", func(s *gitSandbox) {
			s.write("reqs/REQ-0004.md", gsReq("REQ-0004", "new", "Export to CSV", "Reports."))
		}, 0, nil, []string{"REQ-0004:added:"}},
		{"added as approved without CR", func(s *gitSandbox) {
			s.write("reqs/REQ-0007.md", gsReq("REQ-0007", "approved", "Export to CSV", "Reports."))
		}, 1, []string{"untraced-change:REQ-0007"}, []string{"REQ-0007:added:"}},
		{"added as approved with an add CR", func(s *gitSandbox) {
			s.write("changes/CR-0005.md", gsCR("CR-0005", "implemented", "add", "REQ-0004"))
			s.write("reqs/REQ-0004.md", gsReq("REQ-0004", "approved", "Export to CSV", "Reports."))
		}, 0, nil, []string{"REQ-0004:added:CR-0005", "CR-0005:status:"}},
		{"decided CR: affects changed", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", gsCR("CR-0002", "approved", "modify", "REQ-0002", "REQ-0003"))
		}, 1, []string{"untraced-change:CR-0002"}, []string{"CR-0002:attributes:"}},
		{"decided CR: action changed", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", gsCR("CR-0002", "approved", "remove", "REQ-0002"))
		}, 1, []string{"untraced-change:CR-0002"}, []string{"CR-0002:attributes:"}},
		{"decided CR: decision changed", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", strings.Replace(gsCR("CR-0002", "approved", "modify", "REQ-0002"), "change-board", "someone", 1))
		}, 1, []string{"untraced-change:CR-0002"}, []string{"CR-0002:attributes:"}},
		{"decided CR: authorise added", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", strings.Replace(gsCR("CR-0002", "approved", "modify", "REQ-0002"), "action:", "authorise: while-approved\naction:", 1))
		}, 1, []string{"untraced-change:CR-0002"}, []string{"CR-0002:attributes:"}},
		{"decided CR: status moves on", func(s *gitSandbox) {
			s.write("changes/CR-0002.md", gsCR("CR-0002", "implemented", "modify", "REQ-0002"))
		}, 0, nil, []string{"CR-0002:status:"}},
		{"decided CR: status moves back", func(s *gitSandbox) {
			s.write("changes/CR-0003.md", gsCR("CR-0003", "approved", "modify", "REQ-0001"))
		}, 1, []string{"untraced-change:CR-0003"}, []string{"CR-0003:status:"}},
		{"decided CR: deleted", func(s *gitSandbox) { s.remove("changes/CR-0002.md") }, 1,
			[]string{"untraced-change:CR-0002"}, []string{"CR-0002:deleted:"}},
		{"undecided CR may change", func(s *gitSandbox) {
			s.write("changes/CR-0001.md", gsCR("CR-0001", "proposed", "modify", "REQ-0001", "REQ-0002"))
		}, 0, nil, []string{"CR-0001:attributes:"}},
		{"undecided CR may be deleted", func(s *gitSandbox) { s.remove("changes/CR-0001.md") }, 0, nil,
			[]string{"CR-0001:deleted:"}},
		{"status forward several steps", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", r1("testing", "Chat replies within 30 seconds"))
		}, 0, nil, []string{"REQ-0001:status:"}},
		{"a draft up to approved", func(s *gitSandbox) {
			s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "approved", "Dark mode", "Night shift."))
		}, 0, nil, []string{"REQ-0003:status:"}},
		{"status past approval", func(s *gitSandbox) {
			s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "development", "Dark mode", "Night shift."))
		}, 1, []string{"status-transition:REQ-0003"}, []string{"REQ-0003:status:"}},
		{"leaving the baseline without CR", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", r1("analysis", "Chat replies within 30 seconds"))
		}, 1, []string{"untraced-change:REQ-0001"}, []string{"REQ-0001:status:"}},
		{"deferred under an implemented CR", func(s *gitSandbox) {
			s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "deferred", "Tickets from the app", "Open tickets from the phone."))
			s.write("changes/CR-0002.md", gsCR("CR-0002", "implemented", "modify", "REQ-0002"))
		}, 0, nil, []string{"REQ-0002:status:CR-0002", "CR-0002:status:"}},
		{"attributes only", func(s *gitSandbox) {
			s.write("reqs/REQ-0001.md", r1("approved", "Chat replies within 30 seconds", "owner: chat-team\n"))
		}, 0, nil, []string{"REQ-0001:attributes:"}},
		{"renamed into a sub-folder", func(s *gitSandbox) {
			s.git("mv", "reqs/REQ-0003.md", "reqs/REQ-0003.tmp")
			if err := os.MkdirAll(filepath.Join(s.dir, "reqs/ui"), 0o755); err != nil {
				t.Fatal(err)
			}
			s.git("mv", "reqs/REQ-0003.tmp", "reqs/ui/REQ-0003.md")
		}, 0, nil, []string{"REQ-0003:renamed:"}},
		{"id changed is a deletion plus an addition", func(s *gitSandbox) {
			s.remove("reqs/REQ-0006.md")
			s.write("reqs/REQ-0008.md", gsReq("REQ-0008", "new", "Fax support", "Nobody asked."))
		}, 1, []string{"untraced-change:REQ-0006"}, []string{"REQ-0006:deleted:", "REQ-0008:added:"}},
		{"new lint finding", func(s *gitSandbox) {
			s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", "Night shift.", "parent: REQ-0999\n"))
		}, 1, []string{"ref-unknown:REQ-0003"}, []string{"REQ-0003:attributes:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := gsBase(t)
			c.edit(s)
			s.commit(c.name)
			code, res := s.check("--base", "main")
			if code != c.code || fmt.Sprint(gsErrors(res)) != fmt.Sprint(c.errors) || fmt.Sprint(gsChanges(res)) != fmt.Sprint(c.changes) {
				_, text, _ := s.run("check", "--base", "main")
				t.Errorf("exit %d, errors %v, changes %v; want exit %d, %v, %v\n%s", code, gsErrors(res), gsChanges(res), c.code, c.errors, c.changes, text)
			}
		})
	}
}

func TestCheckAcceptance(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 30 seconds", "Body."))
	fp := s.fingerprint("REQ-0001")
	s.write("acceptance/ACC-0001.md", gsAcc("ACC-0001", "accepted", "Customer A", "REQ-0001", fp))
	s.commit("accepted")
	s.git("checkout", "-q", "-b", "feature")

	s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "modify", "REQ-0001"))
	s.commit("approve CR-0001")
	s.git("checkout", "-q", "main")
	s.git("merge", "-q", "feature")
	s.git("checkout", "-q", "-b", "implement")

	// The authorised change with the customer's new acceptance, superseding the old one.
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "modify", "REQ-0001"))
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 20 seconds", "Body."))
	newFP := s.fingerprint("REQ-0001")
	s.write("acceptance/ACC-0002.md", strings.Replace(gsAcc("ACC-0002", "accepted", "Customer A", "REQ-0001", newFP), "2024-10-02", "2024-11-02", 1))
	s.commit("implement")
	if code, res := s.check("--base", "main"); code != 0 {
		t.Errorf("new acceptance: exit %d, %v", code, res.Diagnostics)
	}
	// Re-pinning the old acceptance instead moves the customer's signature onto new text.
	s.remove("acceptance/ACC-0002.md")
	s.write("acceptance/ACC-0001.md", gsAcc("ACC-0001", "accepted", "Customer A", "REQ-0001", newFP))
	s.commit("repin")
	if code, res := s.check("--base", "main"); code != 1 || fmt.Sprint(gsErrors(res)) != "[untraced-change:ACC-0001]" {
		t.Errorf("re-pinning: exit %d, %v", code, res.Diagnostics)
	}
	for name, edit := range map[string]func(){
		"verdict": func() {
			s.write("acceptance/ACC-0001.md", gsAcc("ACC-0001", "conditional", "Customer A", "REQ-0001", fp))
		},
		"accepted-by": func() {
			s.write("acceptance/ACC-0001.md", gsAcc("ACC-0001", "accepted", "Customer B", "REQ-0001", fp))
		},
		"deleted": func() { s.remove("acceptance/ACC-0001.md") },
	} {
		s.git("checkout", "-q", "main")
		s.git("checkout", "-q", "-B", "edit-"+name)
		edit()
		s.commit(name)
		code, res := s.check("--base", "main")
		if code != 1 || fmt.Sprint(gsErrors(res)) != "[untraced-change:ACC-0001]" {
			t.Errorf("acceptance %s: exit %d, %v", name, code, gsErrors(res))
		}
	}
}

func TestCheckPreExisting(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Broken parent", "Body.", "parent: REQ-0999\n"))
	s.commit("broken on main")
	s.git("checkout", "-q", "-b", "feature")
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Another", "Body."))
	s.commit("add REQ-0002")
	code, res := s.check("--base", "main")
	if code != 0 || len(res.PreExisting) != 1 || res.PreExisting[0].Rule != "ref-unknown" || len(res.Diagnostics) != 0 {
		t.Errorf("pre-existing finding: exit %d, diagnostics %v, pre-existing %v", code, res.Diagnostics, res.PreExisting)
	}
	if code, _ := gsLintCode(s.dir); code != 1 {
		t.Errorf("lint of the same tree exits %d, want 1", code)
	}
}

func gsLintCode(dir string) (int, string) {
	code, out, _ := runIn(dir, "lint")
	return code, out
}

func TestCheckWorktree(t *testing.T) {
	s := gsBase(t)
	// Uncommitted edit and an untracked file.
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 10 seconds", "Customers expect a quick answer."))
	s.write("reqs/REQ-0004.md", gsReq("REQ-0004", "approved", "Untracked", "Body."))
	if code, res := s.check("--base", "main"); code != 0 || len(res.Changes) != 0 {
		t.Errorf("HEAD ignores the working tree: exit %d, %v", code, gsChanges(res))
	}
	code, res := s.check("--base", "main", "--head", "WORKTREE")
	want := "[untraced-change:REQ-0001 untraced-change:REQ-0004]"
	if code != 1 || fmt.Sprint(gsErrors(res)) != want {
		t.Errorf("WORKTREE: exit %d, %v; want 1, %s", code, gsErrors(res), want)
	}
}

// TestCheckCleanCheckout: when head is the checked-out commit and the work tree holds its
// record files unchanged, check reads the records from the work tree (issue 16), with the
// same result; any difference in a record file or the configuration reads head from git.
func TestCheckCleanCheckout(t *testing.T) {
	s := gsBase(t)
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shift."))
	s.commit("feature work")
	n, ni := fromWorkTree.Load(), fromIndex.Load()
	code, res := s.check("--base", "main")
	if code != 0 || fmt.Sprint(gsChanges(res)) != "[REQ-0003:status:]" || fromWorkTree.Load() != n+1 || fromIndex.Load() != ni+1 {
		t.Fatalf("clean: exit %d, changes %v, from the work tree %d, matched by the index %d", code, gsChanges(res), fromWorkTree.Load()-n, fromIndex.Load()-ni)
	}
	// An index that is not head's (a change staged, then undone in the work tree only) is
	// not used; head's trees show the work tree is head's.
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "approved", "Dark mode", "Changed."))
	s.git("add", "reqs/REQ-0003.md")
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shift."))
	n, ni = fromWorkTree.Load(), fromIndex.Load()
	code, res = s.check("--base", "main")
	if code != 0 || fmt.Sprint(gsChanges(res)) != "[REQ-0003:status:]" || fromWorkTree.Load() != n+1 || fromIndex.Load() != ni {
		t.Fatalf("staged: exit %d, changes %v, from the work tree %d, matched by the index %d", code, gsChanges(res), fromWorkTree.Load()-n, fromIndex.Load()-ni)
	}
	s.git("reset", "-q")
	for name, dirty := range map[string]func(){
		"edited":  func() { s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "approved", "Dark mode", "Changed.")) },
		"deleted": func() { s.remove("reqs/REQ-0003.md") },
		"added":   func() { s.write("reqs/REQ-0009.md", gsReq("REQ-0009", "approved", "New", "x")) },
		"config":  func() { s.write("reqtrail.yaml", "project: changed\n") },
		"symlink": func() { _ = os.Symlink("REQ-0003.md", filepath.Join(s.dir, "reqs", "REQ-0010.md")) },
		// The same size, its modification time put back: git's index holds the file's old
		// stat data, which the loader trusts as git status does — but the change time differs.
		"same size and time": func() {
			// An index that is head's (its cache tree primed), with the files' stat data,
			// written after the files (not in their clock tick, when git would take them as
			// racily clean and compare their content).
			time.Sleep(20 * time.Millisecond)
			s.git("read-tree", "HEAD")
			s.git("update-index", "-q", "--really-refresh")
			p := filepath.Join(s.dir, "reqs", "REQ-0003.md")
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shifT."))
			if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
				t.Fatal(err)
			}
		},
	} {
		dirty()
		n := fromWorkTree.Load()
		code, res := s.check("--base", "main")
		if code != 0 || fmt.Sprint(gsChanges(res)) != "[REQ-0003:status:]" || fromWorkTree.Load() != n {
			t.Errorf("%s: exit %d, changes %v, from the work tree %d", name, code, gsChanges(res), fromWorkTree.Load()-n)
		}
		s.git("checkout", "-q", "--", ".")
		s.git("clean", "-qfd")
	}
}

// TestCheckCleanCheckoutSubfolder: a project in a sub-folder of the repository is matched
// with its folder of the index and of head.
func TestCheckCleanCheckoutSubfolder(t *testing.T) {
	s := newGitSandbox(t)
	s.write("README.md", "top\n")
	s.write("app/reqtrail.yaml", "project: Sub\n")
	s.write("app/reqs/REQ-0001.md", gsReq("REQ-0001", "new", "One", "x"))
	s.write("app/reqs/g/REQ-0002.md", gsReq("REQ-0002", "new", "Two", "x"))
	s.write("reqs/REQ-0009.md", gsReq("REQ-0009", "new", "Outside the project", "x"))
	s.commit("base")
	s.git("checkout", "-q", "-b", "feature")
	s.write("app/reqs/g/REQ-0002.md", gsReq("REQ-0002", "analysis", "Two", "x"))
	s.write("other.txt", "beside the project\n")
	s.commit("feature")
	n, ni := fromWorkTree.Load(), fromIndex.Load()
	code, out, errOut := runIn(filepath.Join(s.dir, "app"), "check", "--base", "main", "--format", "json")
	var res gsCheckJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s %s", err, out, errOut)
	}
	if code != 0 || fmt.Sprint(gsChanges(res)) != "[REQ-0002:status:]" || fromWorkTree.Load() != n+1 || fromIndex.Load() != ni+1 {
		t.Fatalf("exit %d, changes %v, from the work tree %d, matched by the index %d", code, gsChanges(res), fromWorkTree.Load()-n, fromIndex.Load()-ni)
	}
}

func TestCheckMergeBase(t *testing.T) {
	// main moves on after the branch was cut; its changes must not count against the branch.
	s := gsBase(t)
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shift."))
	s.commit("feature work")
	s.git("checkout", "-q", "main")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Changed on main", "x"))
	s.commit("main work")
	s.git("checkout", "-q", "feature")
	code, res := s.check("--base", "main")
	if code != 0 || fmt.Sprint(gsChanges(res)) != "[REQ-0003:status:]" {
		t.Errorf("exit %d, changes %v", code, gsChanges(res))
	}
}

func TestCheckFailures(t *testing.T) {
	s := gsBase(t)
	code, _, errOut := s.run("check", "--base", "no-such-branch")
	if code != 2 || !strings.Contains(errOut, "unknown revision") {
		t.Errorf("unknown revision: exit %d, %s", code, errOut)
	}
	if code, _, errOut := s.run("check"); code != 2 || !strings.Contains(errOut, "--base") {
		t.Errorf("missing --base: exit %d, %s", code, errOut)
	}
	if code, _, _ := s.run("check", "--base", "main", "--format", "yaml"); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}

	empty := newGitSandbox(t)
	empty.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "x", "y"))
	code, _, errOut = empty.run("check", "--base", "main", "--head", "WORKTREE")
	if code != 2 || !strings.Contains(errOut, "no commits") {
		t.Errorf("no commits: exit %d, %s", code, errOut)
	}
	code, _, errOut = runIn(t.TempDir(), "check", "--base", "main")
	if code != 2 || !strings.Contains(errOut, "not a git repository") {
		t.Errorf("outside git: exit %d, %s", code, errOut)
	}
}

func TestCheckShallow(t *testing.T) {
	s := gsBase(t)
	s.git("checkout", "-q", "main")
	for i := range 3 {
		s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", fmt.Sprintf("Night shift %d.", i)))
		s.commit(fmt.Sprintf("main %d", i))
	}
	s.git("checkout", "-q", "feature")
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shift 2."))
	s.commit("feature")
	clone := filepath.Join(t.TempDir(), "clone")
	s.git("clone", "-q", "--depth", "1", "--no-single-branch", "file://"+s.dir, clone)
	code, _, errOut := runIn(clone, "check", "--base", "origin/main")
	if code != 2 || !strings.Contains(errOut, "fetch-depth: 0") || !strings.Contains(errOut, "git fetch --unshallow") {
		t.Errorf("shallow clone: exit %d, %s", code, errOut)
	}
	// With the whole history, the same check runs.
	full := filepath.Join(t.TempDir(), "full")
	s.git("clone", "-q", "--no-single-branch", "file://"+s.dir, full)
	if code, out, errOut := runIn(full, "check", "--base", "origin/main", "--head", "origin/feature"); code != 0 {
		t.Errorf("full clone: exit %d\n%s%s", code, out, errOut)
	}
}

func TestCheckSubfolderProject(t *testing.T) {
	s := newGitSandbox(t)
	s.write("docs/product/reqtrail.yaml", "project: Sub\n")
	s.write("docs/product/reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Title", "Body."))
	s.write("src/main.go", "package main\n")
	s.commit("one")
	s.git("checkout", "-q", "-b", "feature")
	s.write("docs/product/reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "New title", "Body."))
	s.commit("two")
	code, out, errOut := runIn(filepath.Join(s.dir, "docs/product"), "check", "--base", "main", "--format", "github")
	if code != 1 || !strings.Contains(out, "file=docs/product/reqs/REQ-0001.md") {
		t.Errorf("sub-folder project: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runIn(filepath.Join(s.dir, "docs/product"), "check", "--base", "main", "--format", "markdown")
	if code != 1 || !strings.Contains(out, "How to fix") || !strings.Contains(out, "| `REQ-0001` |") {
		t.Errorf("markdown: exit %d\n%s", code, out)
	}
	// A base without the project folder: everything is added.
	s.git("checkout", "-q", "--orphan", "empty")
	s.git("rm", "-rqf", ".")
	s.write("README", "x")
	s.commit("empty")
	s.git("checkout", "-q", "feature")
	s.git("merge", "-q", "--allow-unrelated-histories", "-m", "join", "empty")
	code, out, errOut = runIn(filepath.Join(s.dir, "docs/product"), "check", "--base", "empty")
	if code != 0 || !strings.Contains(out, "added") {
		t.Errorf("base without the project: exit %d\n%s%s", code, out, errOut)
	}
}

func TestCheckSummaryFile(t *testing.T) {
	s := gsBase(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 20 seconds", "x"))
	s.commit("edit")
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("# earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := s.run("check", "--base", "main", "--format", "github", "--summary", summary)
	data, _ := os.ReadFile(summary)
	if code != 1 || !strings.HasPrefix(out, "::error file=reqs/REQ-0001.md") ||
		!strings.HasPrefix(string(data), "# earlier step\n## ❌ reqtrail check failed") {
		t.Errorf("exit %d\nstdout:\n%s\nsummary:\n%s", code, out, data)
	}
}

func TestCheckJSONShape(t *testing.T) {
	s := gsBase(t)
	s.commit("nothing")
	code, out, _ := s.run("check", "--base", "main", "--format", "json")
	for _, want := range []string{`"diagnostics": []`, `"changes": []`, `"preexisting": []`, `"summary": {`, `"errors": 0`} {
		if !strings.Contains(out, want) {
			t.Errorf("exit %d; JSON lacks %s:\n%s", code, want, out)
		}
	}
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "analysis", "Dark mode", "Night shift."))
	s.commit("analysis")
	_, out, _ = s.run("check", "--base", "main", "--format", "json")
	var raw struct {
		Changes []map[string]any `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil || len(raw.Changes) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"id", "file", "kind", "class", "authorised_by"} {
		if _, ok := raw.Changes[0][k]; !ok {
			t.Errorf("change lacks %q: %v", k, raw.Changes[0])
		}
	}
	if raw.Changes[0]["kind"] != "requirement" || raw.Changes[0]["class"] != "status" {
		t.Errorf("change = %v", raw.Changes[0])
	}
	if code, out, _ := s.run("check", "--base", "main", "--format", "sarif"); code != 0 || !strings.Contains(out, `"version": "2.1.0"`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
}
