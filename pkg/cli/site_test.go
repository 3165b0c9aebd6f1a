package cli

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func siteSandbox(t *testing.T) *gitSandbox {
	s := newGitSandbox(t)
	s.write("reqtrail.yaml", "project: Shop\nsite:\n  repo-url: https://github.com/acme/shop\n")
	s.write("reqs/REQ-0001.md", gsReq("REQ-0001", "new", "Chat replies within 30 seconds", "Customers expect a quick answer.", "urgency: urgent\n"))
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "new", "Tickets from the app", "Open tickets from the phone.", "parent: REQ-0001\n"))
	s.commit("two requirements")
	s.write("reqs/REQ-0002.md", gsReq("REQ-0002", "analysis", "Tickets from the app", "Open tickets from the phone, with photos.", "parent: REQ-0001\n"))
	s.write("reqs/REQ-0003.md", gsReq("REQ-0003", "new", "Dark mode", "Night shift."))
	s.commit("analyse REQ-0002, add REQ-0003")
	return s
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSiteCommand(t *testing.T) {
	s := siteSandbox(t)
	code, out, errOut := s.run("site")
	if code != 0 || !strings.Contains(out, "wrote ") {
		t.Fatalf("site: exit %d\n%s%s", code, out, errOut)
	}
	files := readTree(t, filepath.Join(s.dir, "public"))
	for _, name := range []string{"index.html", "requirements.html", "matrix.html", "changes.html", "roadmap.html", "findings.html",
		"r/REQ-0001.html", "r/REQ-0002.html", "r/REQ-0003.html", "data/search.js", "assets/style.css", ".reqtrail-site"} {
		if _, ok := files[name]; !ok {
			t.Errorf("public/%s missing", name)
		}
	}
	head := s.git("rev-parse", "HEAD")
	page := files["r/REQ-0002.html"]
	for _, want := range []string{"Grace Hopper", "analyse REQ-0002", "https://github.com/acme/shop/commit/" + head, `href="REQ-0001.html"`} {
		if !strings.Contains(page, want) {
			t.Errorf("REQ-0002 page lacks %q", want)
		}
	}
	// The status change shows in the history: new → analysis.
	if !regexp.MustCompile(`k-new">new</span> → <span class="badge k-analysis">analysis`).MatchString(page) {
		t.Error("the history does not show the status change")
	}
	if !strings.Contains(files["index.html"], "working tree") || !strings.Contains(files["index.html"], head[:7]) {
		t.Error("the footer does not name the source")
	}

	// Deterministic: a second build elsewhere gives the same bytes.
	other := t.TempDir()
	if code, _, errOut := s.run("site", "-o", other); code != 0 {
		t.Fatalf("site -o: %s", errOut)
	}
	again := readTree(t, other)
	for name, data := range files {
		if again[name] != data {
			t.Errorf("%s differs between two builds", name)
		}
	}

	// --at shows an older revision; --diff-base adds the baseline page.
	at := t.TempDir()
	if code, _, errOut := s.run("site", "--at", "HEAD~1", "--diff-base", "HEAD~1", "-o", at); code != 0 {
		t.Fatalf("site --at: %s", errOut)
	}
	old := readTree(t, at)
	if _, ok := old["r/REQ-0003.html"]; ok {
		t.Error("--at HEAD~1 shows a requirement added later")
	}
	if !strings.Contains(old["index.html"], "(HEAD~1)") {
		t.Error("the footer does not name the revision")
	}
	if b := old["baseline.html"]; !strings.Contains(b, "No change since the baseline.") {
		t.Error("baseline of a revision against itself is not empty")
	}
	base := t.TempDir()
	if code, _, errOut := s.run("site", "--diff-base", "HEAD~1", "-o", base); code != 0 {
		t.Fatalf("site --diff-base: %s", errOut)
	}
	b := readTree(t, base)["baseline.html"]
	for _, want := range []string{"REQ-0002", "REQ-0003", "k-added", "k-meaning", "not authorised"} {
		if !strings.Contains(b, want) {
			t.Errorf("baseline page lacks %q", want)
		}
	}
}

func TestSiteCommandFailures(t *testing.T) {
	s := siteSandbox(t)
	os.WriteFile(filepath.Join(s.dir, "afile"), []byte("x"), 0o644)
	for _, args := range [][]string{
		{"site", "-o", "."},
		{"site", "-o", ".."},
		{"site", "-o", "afile"},
		{"site", "--at", "no-such-rev"},
		{"site", "--diff-base", "no-such-rev"},
		{"site", "extra-arg"},
	} {
		if code, _, errOut := s.run(args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
	// Without git: the site is built, but revisions cannot be read.
	plain := t.TempDir()
	os.MkdirAll(filepath.Join(plain, "reqs"), 0o755)
	os.WriteFile(filepath.Join(plain, "reqtrail.yaml"), []byte("project: P\n"), 0o644)
	os.WriteFile(filepath.Join(plain, "reqs", "REQ-0001.md"), []byte(gsReq("REQ-0001", "new", "T", "B")), 0o644)
	if code, _, errOut := runIn(plain, "site"); code != 0 {
		t.Errorf("site without git: %s", errOut)
	}
	if code, _, errOut := runIn(plain, "site", "--at", "HEAD"); code != 2 || !strings.Contains(errOut, "git") {
		t.Errorf("site --at without git: exit %d %q", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveUpdateLine is what serve prints after an edit of one record (docs/site.md shows it).
var serveUpdateLine = regexp.MustCompile(`updated \d+ pages \(1 changed record\) in [0-9.]+s; record pages shown after [0-9.]+s\n`)

func TestServeCommand(t *testing.T) {
	s := siteSandbox(t)
	var out, errOut syncBuffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: testGetenv, IsTerminal: func(io.Writer) bool { return false }}
	root := NewRoot(app)
	root.SetArgs([]string{"-C", s.dir, "serve", "--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(out.String()); m != "" {
			base = m
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s\n%s", out.String(), errOut.String())
	}
	get := func(p string) (int, string) {
		res, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(data)
	}
	code, page := get("r/REQ-0003.html")
	if code != 200 || !strings.Contains(page, "assets/reload.js") {
		t.Fatalf("GET REQ-0003: %d, reload script present: %v", code, strings.Contains(page, "assets/reload.js"))
	}
	// editUntil writes content to REQ-0003, and writes it again every second while the
	// watcher may still be starting (a loaded machine can take its time), until done.
	editUntil := func(content string, done func() bool) bool {
		for i, deadline := 0, time.Now().Add(60*time.Second); time.Now().Before(deadline); i++ {
			if i%10 == 0 {
				s.write("reqs/REQ-0003.md", content)
			}
			time.Sleep(100 * time.Millisecond)
			if done() {
				return true
			}
		}
		return false
	}
	_, v1 := get("__reqtrail/version")
	if !editUntil(gsReq("REQ-0003", "new", "Dark mode for agents", "Night shift."), func() bool {
		_, v := get("__reqtrail/version")
		return v != v1
	}) {
		t.Fatalf("no rebuild after a record changed:\n%s\n%s", out.String(), errOut.String())
	}
	if _, page := get("r/REQ-0003.html"); !strings.Contains(page, "Dark mode for agents") {
		t.Error("the rebuilt page does not show the change")
	}
	// The edit of one record re-rendered only the pages it touches.
	updated := serveUpdateLine
	for deadline := time.Now().Add(60 * time.Second); !updated.MatchString(out.String()) && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
	}
	if !updated.MatchString(out.String()) {
		t.Errorf("no incremental update reported:\n%s", out.String())
	}
	// A second edit of the same file shows too: the watcher names it, and only it is read.
	if !editUntil(gsReq("REQ-0003", "new", "Light mode for agents", "Day shift."), func() bool {
		_, page := get("r/REQ-0003.html")
		return strings.Contains(page, "Light mode for agents")
	}) {
		t.Errorf("the second edit does not show:\n%s\n%s", out.String(), errOut.String())
	}
}

func TestSiteSourceDateEpoch(t *testing.T) {
	s := siteSandbox(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	env := func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return "1767225600" // 2026-01-01
		}
		return testGetenv(k)
	}
	app := &App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: env}
	if code := app.Run([]string{"-C", s.dir, "site", "-o", out}); code != 0 {
		t.Fatalf("site: %s", stderr.String())
	}
	idx, _ := os.ReadFile(filepath.Join(out, "index.html"))
	// REQ-0001 (urgent, new since 2024) is overdue at SOURCE_DATE_EPOCH.
	if !strings.Contains(string(idx), "2026-01-01 00:00 UTC") || !strings.Contains(string(idx), `href="r/REQ-0001.html"`) {
		t.Error("SOURCE_DATE_EPOCH did not set the site's now")
	}
	bad := &App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return "yesterday"
		}
		return ""
	}}
	if code := bad.Run([]string{"-C", s.dir, "site", "-o", out}); code != 2 {
		t.Errorf("a bad SOURCE_DATE_EPOCH: exit %d", code)
	}
}
