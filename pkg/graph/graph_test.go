package graph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func req(id, extra, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: Title of " + id + "\n" + extra + "---\n" + body + "\n")}
}

func fixture() fstest.MapFS {
	fp1 := record.Fingerprint("Title of REQ-0001", nil, "Body one.")
	return fstest.MapFS{
		"reqtrail.yaml": {Data: []byte("trace:\n  - {path: src, role: impl}\n  - {path: tests, role: test}\n")},
		// accepted: a fresh acceptance (and also tests and code)
		"reqs/REQ-0001.md": req("REQ-0001", "status: released\n", "Body one."),
		// verified: tests; its acceptance is stale
		"reqs/REQ-0002.md": req("REQ-0002", "status: testing\nparent: REQ-0001\nlinks:\n  - {type: depends-on, to: REQ-0003}\n  - {type: derived-from, to: REQ-0001}\n", "Body two, changed."),
		// implemented: only code; a conditional acceptance does not count
		"reqs/REQ-0003.md": req("REQ-0003", "parent: REQ-0001\nlinks:\n  - {type: conflicts-with, to: REQ-0004}\n  - {type: relates-to, to: REQ-0099}\n", ""),
		// untraced
		"reqs/sub/REQ-0004.md": req("REQ-0004", "parent: REQ-0099\n", ""),
		// duplicate id: the first file wins
		"reqs/sub/dup/REQ-0004.md": req("REQ-0004", "", "other"),
		"reqs/REQ-10000.md":        req("REQ-10000", "", ""),
		"changes/CR-0001.md":       {Data: []byte("---\nid: CR-0001\ntitle: c\nstatus: proposed\naction: modify\naffects: [REQ-0002, REQ-0003, REQ-0002, REQ-0077]\n---\n")},
		"changes/CR-0002.md":       {Data: []byte("---\nid: CR-0002\ntitle: c\nstatus: proposed\naction: modify\naffects: [REQ-0002]\n---\n")},
		"acceptance/ACC-0001.md": {Data: []byte("---\nid: ACC-0001\ntitle: a\nverdict: accepted\ndate: 2024-10-02\naccepted-by: C\nrequirements:\n" +
			"  - {id: REQ-0001, fingerprint: " + fp1 + "}\n  - {id: REQ-0002, fingerprint: 000000000000}\n---\n")},
		"acceptance/ACC-0002.md": {Data: []byte("---\nid: ACC-0002\ntitle: a\nverdict: conditional\ndate: 2024-09-01\naccepted-by: C\nrequirements:\n" +
			"  - {id: REQ-0003, fingerprint: " + record.Fingerprint("Title of REQ-0003", nil, "") + "}\n  - {id: REQ-0002}\n---\n")},
		"src/a.go":             {Data: []byte("// implements REQ-0001, REQ-0003\n\n// REQ-0042 is gone\n")},
		"tests/a_test.go":      {Data: []byte("func Test_REQ_0001(t *testing.T) {}\nfunc Test_REQ_0002(t *testing.T) {}\n")},
		"tests/reqs/readme.md": {Data: []byte("see REQ-0002 and CR-0001\n")},
	}
}

func TestBuild(t *testing.T) {
	r := repo.Load(fixture())
	g := Load(r)
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID)
	}
	if want := []string{"REQ-0001", "REQ-0002", "REQ-0003", "REQ-0004", "REQ-10000"}; !slices.Equal(ids, want) {
		t.Fatalf("nodes %v, want %v", ids, want)
	}
	cov := map[string]Coverage{}
	for _, n := range g.Nodes {
		cov[n.ID] = n.Coverage
	}
	want := map[string]Coverage{"REQ-0001": Accepted, "REQ-0002": Verified, "REQ-0003": Implemented, "REQ-0004": Untraced, "REQ-10000": Untraced}
	if fmt.Sprint(cov) != fmt.Sprint(want) {
		t.Errorf("coverage %v, want %v", cov, want)
	}
	if s := Summarize(g.Nodes); s != (Summary{Total: 5, Accepted: 1, Verified: 1, Implemented: 1, Untraced: 2}) {
		t.Errorf("summary %+v", s)
	}

	n1, n2, n3, n4 := g.Node("REQ-0001"), g.Node("REQ-0002"), g.Node("REQ-0003"), g.Node("REQ-0004")
	if n4.Record.File != "reqs/sub/REQ-0004.md" {
		t.Errorf("duplicate: node from %s", n4.Record.File)
	}
	if n2.Parent != n1 || n3.Parent != n1 || n1.Parent != nil || n4.Parent != nil || n4.ParentID != "REQ-0099" {
		t.Errorf("parents wrong")
	}
	if got := nodeIDs(n1.Children); !slices.Equal(got, []string{"REQ-0002", "REQ-0003"}) {
		t.Errorf("children of REQ-0001: %v", got)
	}
	links := func(n *Node) string {
		var out []string
		for _, l := range n.Links {
			s := l.Label + " " + l.ID
			if l.Other == nil {
				s += " (missing)"
			}
			out = append(out, s)
		}
		return strings.Join(out, "; ")
	}
	for n, want := range map[*Node]string{
		n1: "source of REQ-0002",
		n2: "depends on REQ-0003; derived from REQ-0001",
		n3: "conflicts with REQ-0004; relates to REQ-0099 (missing); required by REQ-0002",
		n4: "conflicts with REQ-0003",
	} {
		if got := links(n); got != want {
			t.Errorf("links of %s: %q, want %q", n.ID, got, want)
		}
	}
	if got := recIDs(n2.Changes); !slices.Equal(got, []string{"CR-0001", "CR-0002"}) {
		t.Errorf("changes of REQ-0002: %v", got)
	}
	if got := recIDs(n3.Changes); !slices.Equal(got, []string{"CR-0001"}) {
		t.Errorf("changes of REQ-0003: %v", got)
	}
	acc := func(n *Node) string {
		var out []string
		for _, a := range n.Acceptance {
			out = append(out, fmt.Sprintf("%s %s %s stale=%v", a.ID, a.Verdict, a.Date, a.Stale))
			if a.Superseded {
				out[len(out)-1] += " superseded"
			}
		}
		return strings.Join(out, "; ")
	}
	if got, want := acc(n2), "ACC-0002 conditional 2024-09-01 stale=false superseded; ACC-0001 accepted 2024-10-02 stale=true"; got != want {
		t.Errorf("acceptance of REQ-0002: %q, want %q", got, want)
	}
	if got, want := acc(n1), "ACC-0001 accepted 2024-10-02 stale=false"; got != want {
		t.Errorf("acceptance of REQ-0001: %q, want %q", got, want)
	}
	if got, want := acc(n3), "ACC-0002 conditional 2024-09-01 stale=false"; got != want {
		t.Errorf("acceptance of REQ-0003: %q, want %q", got, want)
	}
	cites := func(cs []string) string { return strings.Join(cs, " ") }
	if got := cites(citeStrings(n2.Tests)); got != "tests/a_test.go:2 tests/reqs/readme.md:1" {
		t.Errorf("tests of REQ-0002: %s", got)
	}
	if got := cites(citeStrings(n1.Impl)); got != "src/a.go:1" {
		t.Errorf("impl of REQ-0001: %s", got)
	}
	if got := cites(citeStrings(g.Unknown)); got != "src/a.go:3" || g.Unknown[0].ID != "REQ-0042" {
		t.Errorf("unknown: %s", got)
	}
}

func TestBuildWithoutScan(t *testing.T) {
	g := Build(repo.Load(fixture()), nil)
	if g.Node("REQ-0002").Coverage != Untraced || g.Node("REQ-0001").Coverage != Accepted || len(g.Unknown) != 0 {
		t.Errorf("without a scan: %s %s", g.Node("REQ-0002").Coverage, g.Node("REQ-0001").Coverage)
	}
	// A broken repo still builds.
	g = Load(repo.Load(fstest.MapFS{"reqs/REQ-0001.md": {Data: []byte("not a record")}, "reqs/REQ-0002.md": {Data: []byte("---\n[\n---\n")}}))
	if len(g.Nodes) != 0 {
		t.Errorf("nodes from unparsable files: %d", len(g.Nodes))
	}
}

func TestCompareIDs(t *testing.T) {
	ids := []string{"REQ-10000", "REQ-0002", "CR-0001", "REQ-0010", "REQ-9999", "", "X"}
	slices.SortFunc(ids, CompareIDs)
	if want := []string{"", "CR-0001", "REQ-0002", "REQ-0010", "REQ-9999", "REQ-10000", "X"}; !slices.Equal(ids, want) {
		t.Errorf("sorted %v", ids)
	}
}

func TestLabels(t *testing.T) {
	for typ, want := range map[string][2]string{
		"depends-on":     {"depends on", "required by"},
		"conflicts-with": {"conflicts with", "conflicts with"},
		"derived-from":   {"derived from", "source of"},
		"relates-to":     {"relates to", "related to"},
	} {
		if Label(typ) != want[0] || InverseLabel(typ) != want[1] {
			t.Errorf("%s: %q / %q", typ, Label(typ), InverseLabel(typ))
		}
	}
}

func nodeIDs(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func recIDs(rs []*record.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func citeStrings(cs []citation.Citation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d", c.File(), c.Line()))
	}
	return out
}
