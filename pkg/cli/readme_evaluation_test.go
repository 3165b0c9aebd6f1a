package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsEvaluation replays the effect-evaluation guide (docs/evaluation.md) in a copy of
// examples/customer-service made a git repository whose history releases REQ-0014 on
// 2024-09-20 and whose HEAD is five weeks later, so evaluation-missing fires as the guide
// shows; before the last lint it fills in the evaluation the guide's evaluate wrote.
func TestDocsEvaluation(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	section := readDoc(t, "docs/evaluation.md")
	t.Setenv("REQTRAIL_TODAY", "2024-10-28")
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)
	ivr := filepath.Join(dir, "reqs", "voice", "REQ-0014.md")
	setStatus := func(from, to string) {
		data, err := os.ReadFile(ivr)
		if err != nil || !strings.Contains(string(data), "\nstatus: "+from+"\n") {
			t.Fatalf("REQ-0014 is not %s in the example", from)
		}
		if err := os.WriteFile(ivr, []byte(strings.Replace(string(data), "\nstatus: "+from+"\n", "\nstatus: "+to+"\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Ana Souza", "-c", "user.email=ana@example.com"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	setStatus("released", "testing")
	git("2024-09-13T09:00:00Z", "init", "-q", "-b", "main")
	git("2024-09-13T09:00:00Z", "add", "-A")
	git("2024-09-13T09:00:00Z", "commit", "-q", "-m", "Customer service requirements")
	setStatus("testing", "released")
	git("2024-09-20T09:00:00Z", "commit", "-q", "-am", "Release 2024.3: IVR")
	git("2024-10-28T09:00:00Z", "commit", "-q", "--allow-empty", "-m", "Later work")

	lints := 0
	blocks, _ := replayDoc(t, "docs/evaluation.md", section, dir, func(block string) {
		if strings.HasPrefix(block, "$ reqtrail lint\n") {
			lints++
			if lints == 3 {
				authoringWrite(t, dir, "evaluations/EVAL-0003.md", evaluationFilled)
			}
		}
	})
	if blocks < 5 || lints != 3 {
		t.Errorf("found %d command blocks (%d lint) in docs/evaluation.md", blocks, lints)
	}
}

// evaluationFilled is EVAL-0003 as the evaluator fills it in, with a verdict the results do
// not support.
const evaluationFilled = `---
id: EVAL-0003
title: IVR 自助语音菜单上线效果评估
date: "2024-10-28"
by: 运营数据组
requirements: [REQ-0014]
period: {from: 2024-10-01, to: 2024-10-21}
results:
  - {requirement: REQ-0014, metric: 自助解决率, unit: "%", baseline: 20, target: 35, actual: 31}
verdict: met
---
## 评估方法

统计 10 月前三周的来电记录。
`
