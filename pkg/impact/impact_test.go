package impact_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/impact"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/report"
)

var linkTypes = []string{"depends-on", "conflicts-with", "derived-from", "relates-to"}

// generate writes n requirements with random parents (possibly in cycles, possibly to
// unknown ids) and random links of every type (cycles and self-links included).
func generate(rng *rand.Rand, n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 1; i <= n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: REQ-%04d\ntitle: R%d\n", i, i)
		if rng.IntN(3) > 0 {
			fmt.Fprintf(&b, "parent: REQ-%04d\n", 1+rng.IntN(n+1))
		}
		if k := rng.IntN(4); k > 0 {
			b.WriteString("links:\n")
			for range k {
				fmt.Fprintf(&b, "  - {type: %s, to: REQ-%04d}\n", linkTypes[rng.IntN(len(linkTypes))], 1+rng.IntN(n+1))
			}
		}
		b.WriteString("---\n")
		fsys[fmt.Sprintf("reqs/REQ-%04d.md", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// reference computes the downstream depths the slow way: repeated relaxation over every
// edge "a is impacted by b" (a's parent is b, or a links to b) until nothing changes.
func reference(g *graph.Graph, seeds []string) map[string]int {
	depth := map[string]int{}
	for _, s := range seeds {
		if g.Node(s) != nil {
			depth[s] = 0
		}
	}
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			var targets []string
			if n.Parent != nil && n.Parent != n {
				targets = append(targets, n.Parent.ID)
			}
			for _, l := range n.Record.Req.Links {
				if l.To != n.ID && g.Node(l.To) != nil {
					targets = append(targets, l.To)
				}
			}
			for _, t := range targets {
				d, ok := depth[t]
				if !ok {
					continue
				}
				if cur, has := depth[n.ID]; !has || d+1 < cur {
					depth[n.ID] = d + 1
					changed = true
				}
			}
		}
	}
	return depth
}

func TestClosureAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 60 {
		n := 1 + rng.IntN(40)
		g := graph.Load(repo.Load(generate(rng, n)))
		var seeds []string
		for range 1 + rng.IntN(3) {
			seeds = append(seeds, fmt.Sprintf("REQ-%04d", 1+rng.IntN(n)))
		}
		rep := impact.Analyze(g, seeds)
		want := reference(g, seeds)
		got := map[string]int{}
		for _, q := range rep.Requirements {
			if _, dup := got[q.ID]; dup {
				t.Fatalf("round %d: %s listed twice", round, q.ID)
			}
			got[q.ID] = q.Depth
			// The edge that reached it exists and comes from one depth up.
			if q.Via != nil {
				if from, ok := got[q.Via.From]; !ok || from != q.Depth-1 {
					t.Fatalf("round %d: %s reached from %s at depth %d", round, q.ID, q.Via.From, from)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d seeds %v:\ngot  %v\nwant %v", round, seeds, got, want)
		}
		if rep.Counts.Requirements != len(want)-len(rep.Changed) {
			t.Fatalf("round %d: count %d for %d", round, rep.Counts.Requirements, len(want)-len(rep.Changed))
		}
	}
}

func TestCategories(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":          {Data: []byte("trace:\n  - {path: src, role: impl}\n  - {path: tests, role: test}\n")},
		"reqs/REQ-0001.md":       {Data: []byte("---\nid: REQ-0001\ntitle: Top\nstatus: approved\n---\n")},
		"reqs/REQ-0002.md":       {Data: []byte("---\nid: REQ-0002\ntitle: Child\nparent: REQ-0001\n---\n")},
		"reqs/REQ-0003.md":       {Data: []byte("---\nid: REQ-0003\ntitle: Derived\nlinks:\n  - {type: derived-from, to: REQ-0002}\n  - {type: relates-to, to: REQ-0001}\n---\n")},
		"reqs/REQ-0004.md":       {Data: []byte("---\nid: REQ-0004\ntitle: Upstream, not impacted\n---\n")},
		"reqs/REQ-0005.md":       {Data: []byte("---\nid: REQ-0005\ntitle: Linked from the top, not impacted\n---\n")},
		"reqs/REQ-0001b.md":      {Data: []byte("")},
		"changes/CR-0001.md":     {Data: []byte("---\nid: CR-0001\ntitle: C\nstatus: proposed\naffects: [REQ-0002, REQ-0003]\n---\n")},
		"acceptance/ACC-0001.md": {Data: []byte("---\nid: ACC-0001\ntitle: A\nverdict: accepted\ndate: 2024-01-01\naccepted-by: X\nrequirements: [{id: REQ-0002, fingerprint: 000000000000}]\n---\n")},
		"acceptance/ACC-0002.md": {Data: []byte("---\nid: ACC-0002\ntitle: A\nverdict: accepted\ndate: 2024-02-01\naccepted-by: X\nrequirements: [{id: REQ-0002, fingerprint: 000000000000}]\n---\n")},
		"src/a.go":               {Data: []byte("// implements REQ-0003\n")},
		"tests/a_test.go":        {Data: []byte("func Test_REQ_0002(t *testing.T) {} // and REQ-0001\n")},
	}
	g := graph.Load(repo.Load(fsys))
	rep := impact.Analyze(g, []string{"REQ-0001"})
	var ids []string
	for _, q := range rep.Requirements {
		ids = append(ids, fmt.Sprintf("%s@%d", q.ID, q.Depth))
	}
	if want := []string{"REQ-0001@0", "REQ-0002@1", "REQ-0003@1"}; !slices.Equal(ids, want) {
		t.Errorf("set %v, want %v", ids, want)
	}
	if v := rep.Requirements[2].Via; v == nil || v.Type != "relates-to" || v.From != "REQ-0001" {
		t.Errorf("REQ-0003 reached via %+v, want relates-to from REQ-0001 (the shortest)", v)
	}
	want := impact.Counts{Requirements: 2, Changes: 1, Acceptance: 1, Impl: 1, Tests: 1}
	if rep.Counts != want {
		t.Errorf("counts %+v, want %+v", rep.Counts, want)
	}
	if a := rep.Requirements[1].Acceptance; len(a) != 1 || a[0].ID != "ACC-0002" || !a[0].Stale {
		t.Errorf("the acceptance that counts: %+v", a)
	}
	for _, format := range impact.Formats {
		var buf bytes.Buffer
		if err := rep.Report(2, format).Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", "categories."+string(format))
		if *update {
			_ = os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		wantOut, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(buf.Bytes(), wantOut) {
			t.Errorf("%s output differs from %s:\n%s", format, golden, buf.Bytes())
		}
	}
}

func TestControlCharactersNeverReachTheTerminal(t *testing.T) {
	g := graph.Load(repo.Load(fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: \"bad \\e[31mred\\e[0m | <b>x</b>\"\n---\n")},
	}))
	rep := impact.Analyze(g, []string{"REQ-0001"})
	for _, f := range []report.Format{report.Text, report.Markdown} {
		var buf bytes.Buffer
		_ = rep.Report(2, f).Write(&buf, f)
		if bytes.ContainsRune(buf.Bytes(), 0x1b) || f == "markdown" && bytes.Contains(buf.Bytes(), []byte("<b>")) {
			t.Errorf("%s: %q", f, buf.String())
		}
	}
}

// BenchmarkImpact10k measures impact on a 10,000-requirement corpus after loading (target:
// under 0.3 s): the analysis and the text report, from REQ-0001 (the root of a large tree:
// about 2,000 downstream requirements), from 100 requirements at once, and from every
// requirement at once (the whole corpus downstream); and the Markdown report of 100.
func BenchmarkImpact10k(b *testing.B) {
	dir := corpus.ForBenchmark(b, 10000)
	g := graph.Load(repo.Load(os.DirFS(dir)))
	var some, all []string
	for i := 1; i <= 100; i++ {
		some = append(some, fmt.Sprintf("REQ-%04d", i*97%10000+1))
	}
	for i := 1; i <= 10000; i++ {
		all = append(all, fmt.Sprintf("REQ-%04d", i))
	}
	for _, c := range []struct {
		name   string
		seeds  []string
		min    int
		format report.Format
	}{
		{"REQ-0001", []string{"REQ-0001"}, 1000, report.Text}, {"100", some, 100, report.Text}, {"all", all, 9000, report.Text},
		// check's report: a section per changed requirement, each its own impact.
		{"100-markdown", some, 100, report.Markdown},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rep := impact.Analyze(g, c.seeds)
				if len(rep.Requirements) < c.min {
					b.Fatalf("%d requirements downstream of %s…, want at least %d", len(rep.Requirements), c.seeds[0], c.min)
				}
				if err := rep.Report(2, c.format).Write(io.Discard, c.format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFeedbackAndEvaluations: the feedback and evaluations naming an impacted requirement are
// listed with it and counted (they come from the trace graph).
func TestFeedbackAndEvaluations(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md":         {Data: []byte("---\nid: REQ-0001\ntitle: Top\nstatus: released\n---\n")},
		"reqs/REQ-0002.md":         {Data: []byte("---\nid: REQ-0002\ntitle: Child\nparent: REQ-0001\n---\n")},
		"feedback/FB-0001.md":      {Data: []byte("---\nid: FB-0001\ntitle: Wants it\ndate: 2024-05-01\ncustomer: Customer A\nrequirements: [REQ-0002]\n---\n")},
		"feedback/FB-0002.md":      {Data: []byte("---\nid: FB-0002\ntitle: Untriaged\ndate: 2024-05-02\ncustomer: Customer B\n---\n")},
		"evaluations/EVAL-0001.md": {Data: []byte("---\nid: EVAL-0001\ntitle: After release\ndate: 2024-10-20\nby: data-team\nrequirements: [REQ-0001]\nverdict: met\n---\n")},
	}
	rep := impact.Analyze(graph.Load(repo.Load(fsys)), []string{"REQ-0001"})
	if len(rep.Requirements) != 2 {
		t.Fatalf("requirements %+v", rep.Requirements)
	}
	if got := rep.Requirements[0].Evaluations; !slices.Equal(got, []string{"EVAL-0001"}) {
		t.Errorf("REQ-0001 evaluations %v", got)
	}
	if got := rep.Requirements[1].Feedback; !slices.Equal(got, []string{"FB-0001"}) {
		t.Errorf("REQ-0002 feedback %v", got)
	}
	if rep.Counts.Feedback != 1 || rep.Counts.Evaluations != 1 {
		t.Errorf("counts %+v", rep.Counts)
	}
}

// TestSectionsEachChangedRequirementsOwnImpact: when a change touches a parent and its child,
// the parent's section counts the child and what hangs below it (its own impact), not only
// what no other changed requirement reached first.
func TestSectionsEachChangedRequirementsOwnImpact(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: Top\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: Sibling\nparent: REQ-0001\n---\n")},
		"reqs/REQ-0003.md": {Data: []byte("---\nid: REQ-0003\ntitle: Changed child\nparent: REQ-0001\n---\n")},
		"reqs/REQ-0004.md": {Data: []byte("---\nid: REQ-0004\ntitle: Grandchild\nparent: REQ-0003\n---\n")},
	}
	rep := impact.Analyze(graph.Load(repo.Load(fsys)), []string{"REQ-0001", "REQ-0003"})
	var buf bytes.Buffer
	if err := rep.Report(2, report.Markdown).Write(&buf, report.Markdown); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	top, child, ok := strings.Cut(out, "## Impact of `REQ-0003`")
	if !ok {
		t.Fatalf("no section for REQ-0003:\n%s", out)
	}
	if !strings.Contains(top, "3 downstream requirements,") {
		t.Errorf("REQ-0001's section does not count its three descendants:\n%s", top)
	}
	for _, want := range []string{"| `REQ-0003` | Changed child | new | 1 | child of REQ-0001 |", "| `REQ-0004` | Grandchild | new | 2 | child of REQ-0003 |"} {
		if !strings.Contains(top, want) {
			t.Errorf("REQ-0001's section lacks %q:\n%s", want, top)
		}
	}
	if !strings.Contains(child, "1 downstream requirement,") || strings.Contains(child, "REQ-0002") {
		t.Errorf("REQ-0003's section is not its own impact:\n%s", child)
	}
	// The combined report (text, JSON) still lists each requirement once.
	if len(rep.Requirements) != 4 || rep.Counts.Requirements != 2 {
		t.Errorf("combined report: %d requirements, counts %+v", len(rep.Requirements), rep.Counts)
	}
}
