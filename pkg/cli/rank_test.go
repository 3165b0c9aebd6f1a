package cli

import (
	"encoding/json"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
)

// TestRankResponseFromGit: the response clock starts at the commit that added the record
// (2024-03-01 in authoringCommit), not at an older source.date; uncommitted records use
// source.date.
func TestRankResponseFromGit(t *testing.T) {
	t.Setenv("REQTRAIL_TODAY", "2024-03-04")
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	authoringWrite(t, dir, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: Urgent one\nurgency: urgent\nsource: {date: 2023-01-01}\n---\n")
	authoringWrite(t, dir, "reqs/REQ-0002.md", "---\nid: REQ-0002\ntitle: Important one\nurgency: important\nsource: {date: 2023-01-01}\n---\n")
	authoringCommit(t, r, "add")
	authoringWrite(t, dir, "reqs/REQ-0003.md", "---\nid: REQ-0003\ntitle: Not committed\nurgency: important\nsource: {date: 2024-02-01}\n---\n")

	code, out, errOut := runIn(dir, "rank", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Backlog []struct {
			ID       string
			Response *struct {
				From    string
				Overdue bool
				Since   string
			}
		}
		Summary struct{ Open, Overdue int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range doc.Backlog {
		got[e.ID] = e.Response.From + " " + map[bool]string{true: "overdue", false: "waiting"}[e.Response.Overdue]
	}
	want := map[string]string{"REQ-0001": "git overdue", "REQ-0002": "git waiting", "REQ-0003": "source.date overdue"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	if doc.Summary.Overdue != 2 || doc.Summary.Open != 3 {
		t.Errorf("summary %+v", doc.Summary)
	}

	code, out, _ = runIn(dir, "rank")
	if code != 0 || !strings.Contains(out, "OVERDUE 2 d (target 24 h)") || !strings.Contains(out, "3 open requirements, 2 past their response time.") {
		t.Errorf("text:\n%s", out)
	}
	if code, _, _ := runIn(dir, "rank", "--format", "html"); code != 2 {
		t.Errorf("unknown format: exit %d", code)
	}
}

func TestListCLI(t *testing.T) {
	code, out, errOut := runIn("../../examples/customer-service", "list", "--query", "工单", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "id,kind,file,title,") || !strings.Contains(out, "REQ-0010,requirement,") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := runIn("../../examples/customer-service", "list", "--kind", "widget"); code != 2 {
		t.Errorf("unknown kind: exit %d", code)
	}
}
