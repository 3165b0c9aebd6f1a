package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// injectedApp is an App whose clock, environment and working directory are all the test's.
func injectedApp(wd string, now time.Time) (*App, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, WorkDir: wd,
		Getenv: func(k string) string {
			if k == "REQTRAIL_NO_CACHE" {
				return "1"
			}
			return ""
		},
		Now: func() time.Time { return now }}, &out, &errb
}

// TestInjectedClockAndWorkDir: with the clock and the working directory injected, init and
// new date their records by App.Now and resolve -C and print paths against App.WorkDir,
// not against the test process's own directory.
func TestInjectedClockAndWorkDir(t *testing.T) {
	wd := t.TempDir()
	now := time.Date(2031, 2, 3, 23, 0, 0, 0, time.UTC)
	app, out, errb := injectedApp(wd, now)
	if code := app.Run([]string{"init", "proj"}); code != 0 {
		t.Fatalf("init exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "created proj/reqs/REQ-0001.md\n") {
		t.Errorf("init does not print paths relative to WorkDir:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(wd, "proj", "changes", "CR-0001.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "2031-02-03") {
		t.Errorf("init's example is not dated by App.Now:\n%s", b)
	}

	app, out, errb = injectedApp(wd, now)
	if code := app.Run([]string{"-C", "proj", "new", "change", "--title", "Clocked", "--parent", "REQ-0001"}); code != 0 {
		t.Fatalf("new exit %d: %s", code, errb)
	}
	if got := strings.TrimSpace(out.String()); got != "proj/changes/CR-0002.md" {
		t.Errorf("new printed %q", got)
	}
	b, err = os.ReadFile(filepath.Join(wd, "proj", "changes", "CR-0002.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `requested: "2031-02-03"`) {
		t.Errorf("new's change request is not dated by App.Now:\n%s", b)
	}
	if got := app.Today(); got != "2031-02-03" {
		t.Errorf("Today = %s", got)
	}
	if got := app.TodayTime(); !got.Equal(now) {
		t.Errorf("TodayTime = %v", got)
	}
}

// TestPlainErrorsExit2: a command's plain error exits 2 with its message; findings exit 1
// without one.
func TestPlainErrorsExit2(t *testing.T) {
	app, _, errb := injectedApp(t.TempDir(), time.Now())
	app.defaults()
	for _, c := range []struct {
		err  error
		code int
		msg  string
	}{
		{errors.New("disk on fire"), ExitFailure, "reqtrail: disk on fire\n"},
		{Usagef("bad %s", "flag"), ExitFailure, "reqtrail: bad flag\n"},
		{Findings, ExitFindings, ""},
	} {
		errb.Reset()
		root := &cobra.Command{Use: "x", SilenceErrors: true, SilenceUsage: true,
			RunE: func(*cobra.Command, []string) error { return c.err }}
		if code := app.execute(root, nil); code != c.code || errb.String() != c.msg {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", c.err, code, errb, c.code, c.msg)
		}
	}
}

// TestCommandList: the root lists every command explicitly, each once.
func TestCommandList(t *testing.T) {
	app, _, _ := injectedApp(t.TempDir(), time.Now())
	var names []string
	for _, c := range NewRoot(app).Commands() {
		names = append(names, c.Name())
	}
	want := []string{"accept", "check", "diff", "fingerprint", "fmt", "init", "lint", "list", "log", "matrix", "new", "rank", "serve", "show", "site", "version"}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("command %s missing from %v", w, names)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Errorf("a command is listed twice: %v", names)
	}
}
