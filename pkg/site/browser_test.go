package site

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// findChromium returns the path of a Chromium or Chrome binary, or "": REQTRAIL_CHROMIUM,
// else the first found of chromium, google-chrome and chromium-browser, preferring one that
// is not a snap wrapper (which cannot always run in CI containers).
func findChromium() string {
	if p := os.Getenv("REQTRAIL_CHROMIUM"); p != "" {
		return p
	}
	var snap string
	for _, name := range []string{"chromium", "google-chrome", "google-chrome-stable", "chromium-browser"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && strings.HasPrefix(real, "/snap/") {
			if snap == "" {
				snap = p
			}
			continue
		}
		return p
	}
	return snap
}

// writeSite builds the site of r into a new folder and returns it.
func writeSite(t *testing.T, r *repo.Repo, opts Options) string {
	t.Helper()
	dir := t.TempDir()
	out, err := NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(r, out, opts); err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// exampleOptions uses the example's real git history when the test runs in a clone, the
// synthetic one otherwise.
func exampleOptions(t *testing.T, r *repo.Repo) Options {
	opts := testOptions(r)
	g, err := gitrepo.Open(exampleDir)
	if err != nil {
		return opts
	}
	defer g.Close()
	head, err := g.Resolve("HEAD")
	if err != nil {
		return opts
	}
	info, err := g.CommitInfo(head)
	if err != nil {
		return opts
	}
	abs, _ := filepath.Abs(exampleDir)
	prefix, err := filepath.Rel(g.Top(), abs)
	if err != nil {
		return opts
	}
	prefix = filepath.ToSlash(prefix)
	var dirs []string
	for _, k := range record.AllKinds() {
		dirs = append(dirs, path.Join(prefix, r.Config.Kinds[k].Dir))
	}
	hist, err := g.History(head, dirs)
	if err != nil {
		return opts
	}
	return Options{Source: Source{Commit: head.String(), WorkTree: true, Time: info.Committed}, History: hist, GitPrefix: prefix}
}

// browserEvents collects what the page reports: console errors, exceptions, dialogs and
// requests that leave file://.
type browserEvents struct {
	mu       sync.Mutex
	problems []string
}

func (e *browserEvents) add(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.problems = append(e.problems, fmt.Sprintf(format, args...))
}

func (e *browserEvents) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.problems
	e.problems = nil
	return p
}

// TestBrowser drives headless Chromium over the site of the example repository opened from
// file://: the dashboard loads without console errors, search finds Chinese and English
// text, a filter applies and lives in the URL, a record page opens and its parent link
// works; then every page of a site built from XSS payloads loads without a dialog.
func TestBrowser(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		t.Skip("chromium is not installed (apt-get install chromium, or set REQTRAIL_CHROMIUM); CI's .ci/run installs it")
	}
	r := loadExample(t)
	dir := writeSite(t, r, exampleOptions(t, r))
	shots := t.TempDir()

	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()

	ev := &browserEvents{}
	// Start the browser and the tab, then watch the console, dialogs and the network.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				ev.add("console %s", m)
			}
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for d, err := range dialogs {
			if err != nil {
				return
			}
			ev.add("a %s dialog opened: %q", d.Type, d.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for r, err := range requests {
			if err != nil {
				return
			}
			if u := r.Request.URL; !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "http://127.0.0.1:") {
				ev.add("a request left the machine: %s", u)
			}
		}
	}()
	fileURL := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, name))}).String()
	}
	// settle lets the event goroutines catch up before a step's problems are read.
	settle := chromedp.Sleep(150 * time.Millisecond)
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, append(actions, settle)...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, p := range ev.take() {
			t.Errorf("%s: %s", step, p)
		}
	}
	get := func(step string, a chromedp.Action[[]string]) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	getString := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	rowIDs := chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#rt-rows tr td:first-child a')).map(a => a.textContent)`)
	waitRows := func(cond string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`(() => { const ids = Array.from(document.querySelectorAll('#rt-rows tr td:first-child a')).map(a => a.textContent); return `+cond+`; })()`, chromedp.WithPollingTimeout(20*time.Second))(ctx, tg)
			return err
		})
	}
	js := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[any](expr)(ctx, tg)
			return err
		})
	}
	shot := func(step, name string, a chromedp.Action[[]byte]) {
		t.Helper()
		png, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		writeShot(t, shots, name, png)
	}

	// The dashboard.
	run("dashboard",
		chromedp.Navigate(fileURL("index.html")),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart.funnel`)),
	)
	shot("dashboard", "dashboard.png", chromedp.FullScreenshot(90))
	if os.Getenv("REQTRAIL_UPDATE_SCREENSHOT") != "" {
		run("README screenshot", chromedp.EmulateViewport(1280, 1180), chromedp.Navigate(fileURL("index.html")),
			chromedp.WaitVisible(chromedp.CSS(`svg.chart.funnel`)))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../docs/dashboard.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
		run("viewport", chromedp.EmulateViewport(1400, 1000))
	}

	// The list: every requirement, then a Chinese word inside a longer title.
	run("list", chromedp.Navigate(fileURL("requirements.html")), waitRows(`ids.length > 30`))
	ids := get("list", rowIDs)
	if len(ids) != len(r.Parsed("requirement")) {
		t.Errorf("the list shows %d rows, want %d", len(ids), len(r.Parsed("requirement")))
	}
	run("search Chinese",
		chromedp.Click(chromedp.CSS(`#rt-q`)),
		chromedp.SendKeys(chromedp.CSS(`#rt-q`), "转写"),
		waitRows(`ids.includes("REQ-0017") && ids.length < 10`),
	)
	t.Logf("转写 → %v", get("search Chinese", rowIDs))
	if hash := getString("search Chinese", chromedp.Evaluate[string](`decodeURIComponent(location.hash)`)); !strings.Contains(hash, "q=转写") {
		t.Errorf("the search is not in the URL: %q", hash)
	}
	run("search English",
		js(`document.getElementById('rt-q').value = ''`),
		chromedp.SendKeys(chromedp.CSS(`#rt-q`), "transcript"),
		waitRows(`ids.includes("REQ-0003") && !ids.includes("REQ-0017") && ids.length < 10`),
	)
	t.Logf("transcript → %v", get("search English", rowIDs))

	// A filter, reflected in the URL; then the shared URL restores the view.
	run("filter",
		chromedp.Navigate(fileURL("requirements.html")),
		waitRows(`ids.length > 30`),
		js(`(s => { s.value = 'released'; return s.dispatchEvent(new Event('change')); })(document.getElementById('rt-f-status'))`),
		waitRows(`ids.length > 0 && ids.length < 15`),
	)
	for _, s := range get("filter", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#rt-rows tr td:nth-child(3)')).map(td => td.textContent)`)) {
		if s != "released" {
			t.Errorf("filtered on released, a row shows %q", s)
		}
	}
	if hash := getString("filter", chromedp.Evaluate[string](`location.hash`)); hash != "#status=released" {
		t.Errorf("the filter is not in the URL: %q", hash)
	}
	run("shared view",
		chromedp.Navigate(fileURL("requirements.html")+"#status=released&q=chat&sort=-due"),
		chromedp.Reload(),
		waitRows(`ids.length > 0 && ids.length < 6`),
	)
	if v := getString("shared view", chromedp.Value(chromedp.CSS(`#rt-f-status`))); v != "released" {
		t.Errorf("the shared URL did not restore the filter: %q", v)
	}
	t.Logf("released + chat, by due date descending → %v", get("shared view", rowIDs))

	// A record page, then its parent.
	run("record page",
		chromedp.Navigate(fileURL("requirements.html")+"#q=REQ-0002"),
		chromedp.Reload(),
		waitRows(`ids[0] === "REQ-0002"`),
		chromedp.Click(chromedp.CSS(`#rt-rows tr:first-child td:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`#rt-trace`)),
	)
	shot("record page", "REQ-0002.png", chromedp.FullScreenshot(90))
	if h1 := getString("record page", chromedp.Text(chromedp.CSS(`h1`))); !strings.HasPrefix(h1, "REQ-0002") {
		t.Errorf("record page h1 = %q", h1)
	}
	run("parent link",
		chromedp.Click(chromedp.CSS(`#rt-trace dd a.ref`)),
		chromedp.WaitVisible(chromedp.CSS(`#rt-trace`)),
	)
	if h1 := getString("parent link", chromedp.Text(chromedp.CSS(`h1`))); !strings.HasPrefix(h1, "REQ-0001") {
		t.Errorf("after following the parent link, h1 = %q", h1)
	}
	// REQ-0001's impact panel lists what depends on it, REQ-0002 among its children.
	run("impact panel", chromedp.WaitVisible(chromedp.CSS(`#rt-impact`)))
	if ids := get("impact panel", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#rt-impact tbody tr td:first-child a')).map(a => a.textContent)`)); !slices.ContainsFunc(ids, func(s string) bool { return strings.HasPrefix(s, "REQ-0002") }) {
		t.Errorf("impact panel of REQ-0001 lists %v, want REQ-0002 among them", ids)
	}
	for _, name := range []string{"matrix.html", "changes.html", "roadmap.html", "findings.html", "r/CR-0002.html", "r/ACC-0001.html"} {
		run(name, chromedp.Navigate(fileURL(name)), chromedp.WaitVisible(chromedp.CSS(`footer`)))
	}
	// The requirement pool, from the navigation: untriaged feedback oldest first, each row
	// leading to the feedback's page, which names its customer.
	run("pool", chromedp.Navigate(fileURL("index.html")), chromedp.Click(chromedp.CSS(`nav.nav a[href="pool.html"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rt-pool`)))
	if ids := get("pool", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#rt-pool tbody tr td:first-child a.ref')).map(a => a.textContent)`)); !slices.Equal(ids, []string{"FB-0008", "FB-0009", "FB-0010"}) {
		t.Errorf("the pool lists %v, want FB-0008, FB-0009, FB-0010", ids)
	}
	run("pool → feedback", chromedp.Click(chromedp.CSS(`#rt-pool tbody tr:first-child a.ref`)), chromedp.WaitVisible(chromedp.CSS(`#rt-supports`)))
	if h1 := get("feedback page", chromedp.Evaluate[[]string](`[document.querySelector('h1').textContent, document.querySelector('.badges').textContent]`)); len(h1) != 2 || !strings.Contains(h1[0], "FB-0008") || !strings.Contains(h1[1], "Tailspin Travel") {
		t.Errorf("feedback page shows %q", h1)
	}
	// A requirement page shows its demand and its customers' words.
	run("demand", chromedp.Navigate(fileURL("r/REQ-0034.html")), chromedp.WaitVisible(chromedp.CSS(`#rt-feedback figure.quote`)))
	if got := get("demand", chromedp.Evaluate[[]string](`[document.querySelector('a.badge.demand').textContent, String(document.querySelectorAll('#rt-feedback figure.quote').length)]`)); !slices.Equal(got, []string{"Demand: 3", "3"}) {
		t.Errorf("REQ-0034 shows %q, want demand 3 and 3 quotes", got)
	}

	// The dashboard's Effect card, its panel and an evaluation page, on a history in which
	// REQ-0014's evaluation is overdue.
	edir := writeSite(t, r, effectOptions(r))
	effectURL := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(edir, name))}).String()
	}
	effectCard := chromedp.CSS(`a.card[href="#rt-effect"]`)
	run("effect card", chromedp.Navigate(effectURL("index.html")), chromedp.WaitVisible(effectCard))
	if text := getString("effect card", chromedp.Text(effectCard)); !strings.Contains(text, "1 partly met") || !strings.Contains(text, "1 overdue") {
		t.Errorf("the Effect card reads %q", text)
	}
	run("evaluation page",
		chromedp.Click(effectCard),
		chromedp.Click(chromedp.CSS(`#rt-effect a.ref[href$="EVAL-0002.html"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rt-results`)),
	)
	shot("evaluation page", "EVAL-0002.png", chromedp.FullScreenshot(90))
	states := get("evaluation page", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#rt-results tbody tr td:last-child')).map(td => td.textContent.trim())`))
	if !slices.Equal(states, []string{"✓ met", "✗ not met", "✓ met"}) {
		t.Errorf("EVAL-0002's results read %q", states)
	}

	// Live reload, as `reqtrail serve` does it: a rebuild reloads the open page.
	srv := &Server{}
	lopts := testOptions(r)
	lopts.LiveReload = true
	first := build(t, r, lopts)
	srv.Set(first)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	run("serve", chromedp.Navigate(ts.URL+"/r/REQ-0002.html"), chromedp.WaitVisible(chromedp.CSS(`#rt-trace`)))
	second := NewFiles()
	for _, n := range first.Names() {
		data, _ := first.Get(n)
		if n == "r/REQ-0002.html" {
			data = []byte(strings.Replace(string(data), "Real-time response", "Rebuilt response", -1))
		}
		second.WriteFile(n, data)
	}
	srv.Set(second)
	// The page reloads itself; evaluating while it navigates may fail, so retry.
	reloaded := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !reloaded; time.Sleep(200 * time.Millisecond) {
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		h1, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(`h1`)))
		cancel()
		reloaded = err == nil && strings.Contains(h1, "Rebuilt response")
	}
	if !reloaded {
		t.Error("the page did not reload after a rebuild")
	}
	for _, p := range ev.take() {
		t.Errorf("live reload: %s", p)
	}

	// Every page of a site built from script payloads: nothing may run.
	xr := repo.Load(xssRepo())
	xopts := testOptions(xr)
	xopts.Baseline = &Baseline{Rev: xssPayload, Commit: strings.Repeat("ef", 20)}
	xdir := writeSite(t, xr, xopts)
	dir = xdir
	names, _ := filepath.Glob(filepath.Join(xdir, "*.html"))
	more, _ := filepath.Glob(filepath.Join(xdir, "r", "*.html"))
	for _, n := range append(names, more...) {
		rel, _ := filepath.Rel(xdir, n)
		run("XSS "+rel, chromedp.Navigate(fileURL(rel)), chromedp.WaitReady(chromedp.CSS(`footer`)))
	}
	run("XSS search",
		chromedp.Navigate(fileURL("requirements.html")+"#q=script"),
		chromedp.Reload(),
		waitRows(`ids.length > 0`),
	)
	// The harness itself: a page that breaks every rule must be caught, so a listener that
	// stopped working cannot hide a problem above.
	bad := filepath.Join(dir, "harness-check.html")
	if err := os.WriteFile(bad, []byte(`<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'self'"><script>alert(1)</script><img src="https://example.invalid/x.png"><footer>x</footer>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL("harness-check.html")), js(`setTimeout(() => alert("hi"), 0)`), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	caught := strings.Join(ev.take(), "\n")
	for _, want := range []string{"Content Security Policy", "left the machine", "dialog opened"} {
		if !strings.Contains(caught, want) {
			t.Errorf("the harness did not catch %q; it caught:\n%s", want, caught)
		}
	}
	t.Logf("screenshots in %s", shots)
}

func writeShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if len(png) == 0 {
		t.Errorf("empty screenshot %s", name)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
