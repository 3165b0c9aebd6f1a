package cli

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// checkText runs check --base main in text form.
func (s *gitSandbox) checkText(args ...string) (int, string) {
	s.t.Helper()
	code, out, errOut := s.run(append([]string{"check"}, args...)...)
	return code, out + errOut
}

func TestCheckBaseConfigurationJudges(t *testing.T) {
	s := gsBase(t)
	// The pull request switches its own gate off and edits a baselined requirement.
	s.write("reqtrail.yaml", "project: Test\nrules: {untraced-change: off, release-unaccepted: off}\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 20 seconds", "Customers expect a quick answer."))
	s.commit("relax")
	code, res := s.check("--base", "main")
	if code != 1 || fmt.Sprint(gsErrors(res)) != "[untraced-change:REQ-0001]" {
		t.Errorf("exit %d, %v", code, gsErrors(res))
	}
	var cfg *struct{ Kind, Class, File string }
	for _, c := range res.Changes {
		if c.Class == "config" {
			cfg = &struct{ Kind, Class, File string }{c.Kind, c.Class, c.File}
		}
	}
	if cfg == nil || cfg.Kind != "config" || cfg.File != "reqtrail.yaml" {
		t.Fatalf("no config change listed: %v", gsChanges(res))
	}
	_, out, _ := s.run("check", "--base", "main", "--format", "json")
	if !strings.Contains(out, `"keys": [
        "rules.release-unaccepted",
        "rules.untraced-change"
      ]`) {
		t.Errorf("config change keys:\n%s", out)
	}
	if _, text := s.checkText("--base", "main"); !strings.Contains(text, "reqtrail.yaml") {
		t.Errorf("text report does not mention reqtrail.yaml:\n%s", text)
	}
}

func TestCheckHeadAddsFields(t *testing.T) {
	s := gsBase(t)
	// A new custom field and a record using it: the name applies to head's records.
	s.write("reqtrail.yaml", "project: Test\nfields:\n  requirement:\n    team: {type: string}\n")
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", "Night shift.", "team: ui\n"))
	s.commit("field")
	if code, res := s.check("--base", "main"); code != 0 {
		t.Errorf("added field: exit %d, %v", code, res.Diagnostics)
	}
	// A changed kinds.*.dir is head's own: the records are found where head keeps them.
	s.git("mv", "reqs", "requirements")
	s.write("reqtrail.yaml", "project: Test\nfields:\n  requirement:\n    team: {type: string}\nkinds:\n  requirement: {dir: requirements}\n")
	s.commit("move")
	code, res := s.check("--base", "main")
	if code != 0 || !slices.Contains(gsChanges(res), "REQ-0001:renamed:") {
		t.Errorf("moved folder: exit %d, %v %v", code, gsChanges(res), res.Diagnostics)
	}
}

func TestCheckBaseConfigurationBroken(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqtrail.yaml", "- a list\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Title", "Body."))
	s.commit("broken config")
	s.git("checkout", "-q", "-b", "feature")
	s.write("reqtrail.yaml", "project: Fixed\n")
	s.commit("fix")
	code, res := s.check("--base", "main")
	if code != 0 || len(res.PreExisting) == 0 {
		t.Errorf("exit %d, diagnostics %v, pre-existing %v", code, res.Diagnostics, res.PreExisting)
	}
}

func TestCheckAdoption(t *testing.T) {
	s := newGitSandbox(t)
	s.write("README.md", "# app\n")
	s.commit("before reqtrail")
	s.git("checkout", "-q", "-b", "adopt")
	s.write("reqtrail.yaml", "project: Test\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Title", "Body."))
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "modify", "REQ-0001"))
	s.commit("adopt")
	if code, res := s.check("--base", "main"); code != 0 {
		t.Errorf("adoption: exit %d, %v", code, res.Diagnostics)
	}
	// Lint still judges the adopting pull request.
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Title", "Body.", "parent: REQ-0999\n"))
	s.commit("broken")
	if code, res := s.check("--base", "main"); code != 1 || fmt.Sprint(gsErrors(res)) != "[ref-unknown:REQ-0002]" {
		t.Errorf("adoption with a lint error: exit %d, %v", code, gsErrors(res))
	}
}

func TestCheckWhileApproved(t *testing.T) {
	edit := func(s *gitSandbox) {
		s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the mobile app", "Open tickets from the phone."))
	}
	// Per request: authorise: while-approved, written before the decision.
	s := newGitSandbox(t)
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "approved", "Tickets from the app", "Open tickets from the phone."))
	s.write("changes/CR-0002.md", strings.Replace(gsCR("CR-0002", "approved", "modify", "REQ-0002"), "action:", "authorise: while-approved\naction:", 1))
	s.commit("base")
	s.git("checkout", "-q", "-b", "feature")
	edit(s)
	s.commit("first of several")
	if code, res := s.check("--base", "main"); code != 0 || !slices.Contains(gsChanges(res), "REQ-0002:meaning:CR-0002") {
		t.Errorf("per request: exit %d, %v %v", code, gsChanges(res), res.Diagnostics)
	}
	// Project-wide: gate: {authorise: while-approved} at the merge base.
	s = gsBase(t)
	s.git("checkout", "-q", "main")
	s.write("reqtrail.yaml", "project: Test\ngate: {authorise: while-approved}\n")
	s.commit("gate setting")
	s.git("checkout", "-q", "-B", "feature")
	edit(s)
	s.commit("edit")
	if code, res := s.check("--base", "main"); code != 0 || !slices.Contains(gsChanges(res), "REQ-0002:meaning:CR-0002") {
		t.Errorf("project-wide: exit %d, %v %v", code, gsChanges(res), res.Diagnostics)
	}
	// Set only in the pull request itself, it does not count.
	s = gsBase(t)
	s.write("reqtrail.yaml", "project: Test\ngate: {authorise: while-approved}\n")
	edit(s)
	s.commit("edit")
	if code, res := s.check("--base", "main"); code != 1 {
		t.Errorf("set in the pull request: exit %d, %v", code, gsErrors(res))
	}
}

func TestCheckMergeOrRebaseHint(t *testing.T) {
	s := gsBase(t)
	s.git("checkout", "-q", "main")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "modify", "REQ-0001"))
	s.commit("approve CR-0001 on main")
	s.git("checkout", "-q", "feature")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "modify", "REQ-0001"))
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 20 seconds", "Customers expect a quick answer."))
	s.commit("implement")
	code, text := s.checkText("--base", "main")
	if code != 1 || !strings.Contains(text, "CR-0001 is approved on main but not at this branch's merge base: merge or rebase onto main") {
		t.Errorf("exit %d\n%s", code, text)
	}
	// The same change on a branch cut after the approval passes.
	s.git("checkout", "-q", "-B", "feature2", "main")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "modify", "REQ-0001"))
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "approved", "Chat replies within 20 seconds", "Customers expect a quick answer."))
	s.commit("implement after the approval")
	if code, text := s.checkText("--base", "main"); code != 0 {
		t.Errorf("after rebase: exit %d\n%s", code, text)
	}
}

func TestCheckCrossBranchDuplicate(t *testing.T) {
	s := gsBase(t)
	s.write("reqs/REQ-0008.md", gsReq("REQ-0008", "new", "Export to PDF", "Branch one."))
	s.commit("branch adds REQ-0008")
	s.git("checkout", "-q", "main")
	s.write("reqs/REQ-0008.md", gsReq("REQ-0008", "new", "Single sign-on", "Another branch, merged first."))
	s.commit("main adds REQ-0008")
	s.git("checkout", "-q", "feature")
	code, text := s.checkText("--base", "main")
	if code != 1 || !strings.Contains(text, "[id-duplicate]") || !strings.Contains(text, "reqtrail renumber REQ-0008") {
		t.Errorf("exit %d\n%s", code, text)
	}
	// The very same file added on both sides is no collision.
	s.write("reqs/REQ-0008.md", gsReq("REQ-0008", "new", "Single sign-on", "Another branch, merged first."))
	s.commit("same")
	if code, text := s.checkText("--base", "main"); code != 0 {
		t.Errorf("same file: exit %d\n%s", code, text)
	}
}

func TestCheckFindingKey(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Broken parent", "Body.", "parent: REQ-0999\n"))
	s.commit("broken on main")
	s.git("checkout", "-q", "-b", "feature")
	// Lines move and other fields change: the same finding, not a new one.
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Broken parent", "Body.", "owner: a\ndue: 2025-01-01\nparent: REQ-0999\n"))
	s.commit("move lines")
	code, res := s.check("--base", "main")
	if code != 0 || len(res.PreExisting) != 1 {
		t.Errorf("moved finding: exit %d, %v, pre-existing %v", code, res.Diagnostics, res.PreExisting)
	}
	// Another referenced id is another finding.
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Broken parent", "Body.", "parent: REQ-0998\n"))
	s.commit("other id")
	if code, res := s.check("--base", "main"); code != 1 || fmt.Sprint(gsErrors(res)) != "[ref-unknown:REQ-0001]" {
		t.Errorf("other id: exit %d, %v", code, gsErrors(res))
	}
}

func TestCheckUnknownBaseStatus(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "aproved", "Title", "Body."))
	s.write("reqs/REQ-0002.md", "---\nid: REQ-0002\ntitle: [broken\n---\nBody.\n")
	s.commit("typos on main")
	s.git("checkout", "-q", "-b", "feature")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Another title", "Body."))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Fixed", "Another body."))
	s.commit("edit")
	code, res := s.check("--base", "main")
	if code != 1 || fmt.Sprint(gsErrors(res)) != "[untraced-change:REQ-0001 untraced-change:REQ-0001 untraced-change:REQ-0002]" {
		t.Errorf("exit %d, %v", code, gsErrors(res))
	}
}

func TestCheckRemovalOfAnAcceptedRequirement(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "released", "Fax support", "Nobody asked."))
	fp := s.fingerprint("REQ-0001")
	s.write("acceptance/ACC-0001.md", gsAcc("ACC-0001", "accepted", "Customer A", "REQ-0001", fp))
	s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "remove", "REQ-0001"))
	s.commit("approved removal")
	s.git("checkout", "-q", "-b", "remove")
	s.remove("reqs/REQ-0001.md")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "remove", "REQ-0001"))
	s.commit("remove")
	// The acceptance stays as history: no ref-unknown, and deleting it would be rule 6.
	code, res := s.check("--base", "main")
	if code != 0 || !slices.Contains(gsChanges(res), "REQ-0001:deleted:CR-0001") {
		t.Errorf("exit %d, %v %v", code, gsChanges(res), res.Diagnostics)
	}
	if code, out := gsLintCode(s.dir); code != 0 {
		t.Errorf("lint: exit %d\n%s", code, out)
	}
}

// TestCheckRemovedRequirementIsHistory: once a remove change request deletes a requirement,
// the records of history kinds that name it — an acceptance, in requirements and in criteria
// — are history, not ref-unknown; a requirement whose parent it was is a broken reference
// still, until the pull request points it elsewhere.
func TestCheckRemovedRequirementIsHistory(t *testing.T) {
	s := newGitSandbox(t)
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "released", "Fax support", "Nobody asked."))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Fax cover page", "Draft.", "parent: REQ-0001\n"))
	fp := s.fingerprint("REQ-0001")
	s.write("acceptance/ACC-0001.md", strings.Replace(gsAcc("ACC-0001", "accepted", "Customer A", "REQ-0001", fp),
		"---\nVerified.", "criteria:\n  - {criterion: Faxes arrive, requirement: REQ-0001, met: true}\n---\nVerified.", 1))
	s.write("changes/CR-0001.md", gsCR("CR-0001", "approved", "remove", "REQ-0001"))
	s.commit("approved removal")
	s.git("checkout", "-q", "-b", "remove")
	s.remove("reqs/REQ-0001.md")
	s.write("changes/CR-0001.md", gsCR("CR-0001", "implemented", "remove", "REQ-0001"))
	s.commit("remove")
	code, res := s.check("--base", "main")
	if code != 1 || fmt.Sprint(gsErrors(res)) != "[ref-unknown:REQ-0002]" {
		t.Errorf("the child's parent: exit %d, %v", code, res.Diagnostics)
	}
	for _, d := range res.Diagnostics {
		if d.File == "acceptance/ACC-0001.md" {
			t.Errorf("the acceptance is history, not a finding: %v", d)
		}
	}
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Fax cover page", "Draft."))
	s.commit("REQ-0002 stands alone")
	if code, res := s.check("--base", "main"); code != 0 || !slices.Contains(gsChanges(res), "REQ-0001:deleted:CR-0001") {
		t.Errorf("exit %d, %v %v", code, gsChanges(res), res.Diagnostics)
	}
	if code, out := gsLintCode(s.dir); code != 0 {
		t.Errorf("lint: exit %d\n%s", code, out)
	}
}

// TestCheckBaseFieldsJudgeCleanCheckout: a clean checkout is loaded under its own
// configuration while check finds the merge base's; when that one validates differently (a
// field's type the pull request changes), head is loaded again under it, with the result
// --head WORKTREE gives.
func TestCheckBaseFieldsJudgeCleanCheckout(t *testing.T) {
	s := gsBase(t)
	s.git("checkout", "-q", "main")
	s.write("reqtrail.yaml", "project: Test\nfields:\n  requirement:\n    team: {type: string}\n")
	s.commit("field on main")
	s.git("checkout", "-q", "-B", "feature")
	s.write("reqtrail.yaml", "project: Test\nfields:\n  requirement:\n    team: {type: array}\n")
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", "Night shift.", "team: [ui, ux]\n"))
	s.commit("teams")
	n := fromWorkTree.Load()
	code, res := s.check("--base", "main")
	if fromWorkTree.Load() != n+1 {
		t.Errorf("head not read from the work tree")
	}
	codeWT, resWT := s.check("--base", "main", "--head", "WORKTREE")
	if code != 1 || code != codeWT || fmt.Sprint(res.Diagnostics) != fmt.Sprint(resWT.Diagnostics) {
		t.Fatalf("clean checkout: exit %d %v\nWORKTREE: exit %d %v", code, res.Diagnostics, codeWT, resWT.Diagnostics)
	}
	found := false
	for _, d := range res.Diagnostics {
		found = found || d.Rule == "schema" && d.File == "reqs/REQ-0003.md"
	}
	if !found {
		t.Errorf("the merge base's field type did not judge REQ-0003: %v", res.Diagnostics)
	}
}
