// Package corpus generates large, realistic reqtrail repositories for benchmarks and tests:
// N requirements in sub-folders, N/10 change requests and N/10 acceptance records with
// correct fingerprints, in English and Chinese.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

var (
	areas    = []string{"chat", "tickets", "voice", "knowledge", "routing", "reporting", "mobile", "platform", "billing", "privacy"}
	statuses = vocab.Requirement.Statuses
	types    = vocab.Enum(record.RequirementKind, "type")
	moscow   = vocab.Enum(record.RequirementKind, "priority", "moscow")
	kano     = vocab.Enum(record.RequirementKind, "priority", "kano")
	urgency  = vocab.Enum(record.RequirementKind, "urgency")
	channels = vocab.Enum(record.RequirementKind, "source", "channel")
	// crStatuses are the change-request statuses the corpus uses: open and decided ones.
	crStatuses = append(slices.Clone(vocab.OpenChanges[:2]), vocab.Approved, "rejected", vocab.Implemented)
	owners     = []string{"chat-team", "ticket-team", "voice-team", "platform-team", "data-team"}
	releases   = []string{"2024.3", "2024.4", "2025.1", "2025.2"}
	subjects   = []string{"agent", "customer", "supervisor", "administrator", "bot"}
	verbs      = []string{"see the queue of waiting chats", "transfer a ticket to another team", "search the knowledge base", "export the weekly SLA report", "merge duplicate tickets", "receive a callback", "rate the conversation", "mask card numbers in transcripts"}
	zh         = []string{"客服坐席可以查看排队中的会话", "工单自动分配给空闲坐席", "客户可以在手机上查询工单进度", "主管可以实时监控服务水平", "知识库支持全文检索", "通话录音自动转写为文字", "满意度调查在会话结束后发送", "敏感信息在记录中自动脱敏"}
	sentence   = []string{
		"This matters most during the evening peak, when queues grow fastest.",
		"Customers told us in interviews that waiting without feedback is the worst part.",
		"The change must not slow down the agent desktop.",
		"Supervisors need the figure per team and per hour.",
		"高峰时段的排队时间直接影响客户满意度。",
		"该功能需要与现有的工单系统保持一致。",
	}
)

// Options tune the generated repository.
type Options struct {
	// Seed makes the output reproducible.
	Seed uint64
}

// Generate writes a repository of n requirements (plus n/10 change requests and n/10
// acceptance records) under dir.
func Generate(dir string, n int, opts Options) error {
	rng := rand.New(rand.NewPCG(opts.Seed, 42))
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfg := "project: Generated corpus\nrules:\n  acceptance-stale: warning\n"
	if err := os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	fps := make([]string, n+1)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("REQ-%04d", i)
		var title string
		if i%3 == 0 {
			title = pick(zh)
		} else {
			title = fmt.Sprintf("The %s can %s", pick(subjects), pick(verbs))
		}
		title = fmt.Sprintf("%s (%d)", title, i)
		criteria := []string{"Works for 95% of sessions within 2 seconds", "Audit log records who did it"}[:1+rng.IntN(2)]
		var body strings.Builder
		body.WriteString("## Description\n\n")
		for range 3 + rng.IntN(4) {
			body.WriteString(pick(sentence))
			body.WriteByte(' ')
		}
		body.WriteString("\n\n## Rationale\n\n")
		body.WriteString(pick(sentence))
		body.WriteString("\n\n| metric | target |\n| --- | --- |\n| first response | 30 s |\n")
		status := statuses[rng.IntN(len(statuses))]
		if vocab.IsReleased(status) {
			status = "testing" // keep the generated corpus free of release-unaccepted noise
		}
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\nid: %s\ntitle: %q\ntype: %s\nnecessity: mandatory\nstatus: %s\n", id, title, pick(types), status)
		fmt.Fprintf(&fm, "priority:\n  moscow: %s\n  kano: %s\n  ice: {impact: %d, confidence: %d, ease: %d}\n  value: %d\n  cost: %d\n",
			pick(moscow), pick(kano), 1+rng.IntN(10), 1+rng.IntN(10), 1+rng.IntN(10), 1+rng.IntN(10), 1+rng.IntN(10))
		fmt.Fprintf(&fm, "urgency: %s\nfeasibility: feasible\nsource:\n  channel: %s\n  requester: Customer %d\n  date: 2024-%02d-%02d\n",
			pick(urgency), pick(channels), rng.IntN(500), 1+rng.IntN(12), 1+rng.IntN(28))
		fmt.Fprintf(&fm, "owner: %s\nrelease: %q\nstart: 2024-06-01\ndue: 2024-%02d-15\n", pick(owners), pick(releases), 6+rng.IntN(7))
		if i > 10 && rng.IntN(3) == 0 {
			fmt.Fprintf(&fm, "parent: REQ-%04d\n", 1+rng.IntN(i/10))
		}
		if i > 1 && rng.IntN(2) == 0 {
			fmt.Fprintf(&fm, "links:\n  - {type: relates-to, to: REQ-%04d}\n", 1+rng.IntN(i-1))
		}
		fm.WriteString("verification: test\nacceptance-criteria:\n")
		for _, c := range criteria {
			fmt.Fprintf(&fm, "  - %s\n", c)
		}
		fmt.Fprintf(&fm, "tags: [%s, generated]\n---\n", pick(areas))
		content := fm.String() + body.String()
		fps[i] = record.Fingerprint(title, criteria, body.String())
		name := filepath.Join(dir, "reqs", areas[i%len(areas)], fmt.Sprintf("g%02d", (i/100)%100), id+".md")
		if err := writeFile(name, content); err != nil {
			return err
		}
	}
	for i := 1; i <= n/10; i++ {
		id := fmt.Sprintf("CR-%04d", i)
		status := crStatuses[rng.IntN(len(crStatuses))]
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\nid: %s\ntitle: Change %d to the %s area\nstatus: %s\naction: modify\naffects: [REQ-%04d, REQ-%04d]\n", id, i, pick(areas), status, 1+rng.IntN(n), 1+rng.IntN(n))
		fmt.Fprintf(&fm, "requested-by: Customer %d\nrequested: 2024-07-01\nreason: %s\nimpact: {schedule: \"+1 week\", cost: low, risk: medium}\n", rng.IntN(500), pick(sentence))
		if vocab.IsDecided(status) {
			fm.WriteString("decision: {by: change-board, date: 2024-07-08, note: Decided in the weekly board}\n")
		}
		fm.WriteString("---\nThe change itself, and the alternatives considered.\n")
		if err := writeFile(filepath.Join(dir, "changes", id+".md"), fm.String()); err != nil {
			return err
		}
	}
	for i := 1; i <= n/10; i++ {
		id := fmt.Sprintf("ACC-%04d", i)
		req := 1 + rng.IntN(n)
		fp := fps[req]
		content := fmt.Sprintf("---\nid: %s\ntitle: Acceptance %d\nverdict: accepted\ndate: 2024-10-02\naccepted-by: Customer %d\nrequirements:\n  - id: REQ-%04d\n    fingerprint: %s\ncriteria:\n  - {criterion: Works for 95%% of sessions within 2 seconds, met: true, requirement: REQ-%04d}\n---\nVerified in staging.\n",
			id, i, rng.IntN(500), req, fp, req)
		if err := writeFile(filepath.Join(dir, "acceptance", id+".md"), content); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name, content string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(content), 0o644)
}
