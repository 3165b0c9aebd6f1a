package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

const exampleDir = "../../examples/customer-service"

// commitTime is the "now" of the test builds.
var commitTime = time.Date(2024, 10, 20, 12, 0, 0, 0, time.UTC)

// fakeHistory gives every record a creation commit some days before commitTime and, for
// records that left new, a second commit.
func fakeHistory(r *repo.Repo) *gitrepo.History {
	h := &gitrepo.History{Records: map[string]*gitrepo.RecordHistory{}}
	ids := make([]string, 0, len(r.ByID))
	for id := range r.ByID {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, CompareIDs)
	for i, id := range ids {
		rec := r.ByID[id]
		created := commitTime.Add(-time.Duration(i*7+2) * time.Hour)
		touch := func(t time.Time, hash, status, action string) gitrepo.Touch {
			return gitrepo.Touch{Commit: gitrepo.Commit{Hash: hash, Author: "Ann Analyst", Date: t, Committed: t, Subject: "edit " + id},
				Action: action, Path: rec.File, Status: status}
		}
		rh := &gitrepo.RecordHistory{ID: id}
		status := rec.Status()
		if status != "new" && rec.Req != nil {
			rh.Touches = append(rh.Touches, touch(created.Add(3*time.Hour), fmt.Sprintf("%040x", 2*i+1), status, gitrepo.Modified))
			rh.Touches = append(rh.Touches, touch(created, fmt.Sprintf("%040x", 2*i+2), "new", gitrepo.Added))
		} else {
			rh.Touches = append(rh.Touches, touch(created, fmt.Sprintf("%040x", 2*i+2), status, gitrepo.Added))
		}
		h.Records[id] = rh
	}
	return h
}

func testOptions(r *repo.Repo) Options {
	return Options{
		Source:  Source{Commit: strings.Repeat("ab", 20), Rev: "v1.0", Time: commitTime},
		History: fakeHistory(r),
	}
}

func loadExample(t testing.TB) *repo.Repo {
	t.Helper()
	r := repo.Load(os.DirFS(exampleDir))
	if len(r.Records) < 30 {
		t.Fatalf("example has %d records", len(r.Records))
	}
	return r
}

func build(t testing.TB, r *repo.Repo, opts Options) *Files {
	t.Helper()
	out := NewFiles()
	if _, err := Build(r, out, opts); err != nil {
		t.Fatal(err)
	}
	return out
}

func file(t *testing.T, f *Files, name string) string {
	t.Helper()
	data, ok := f.Get(name)
	if !ok {
		t.Fatalf("no %s in the site; files: %v", name, f.Names())
	}
	return string(data)
}

func TestExampleSite(t *testing.T) {
	r := loadExample(t)
	f := build(t, r, testOptions(r))
	for _, name := range []string{"index.html", "requirements.html", "matrix.html", "changes.html", "roadmap.html",
		"findings.html", "data/requirements.js", "data/search.js", "assets/style.css", "assets/list.js", "assets/site.js"} {
		file(t, f, name)
	}
	for _, rec := range r.Records {
		if rec.Parsed() && r.ByID[rec.ID] == rec {
			file(t, f, "r/"+rec.ID+".html")
		}
	}
	if _, ok := f.Get("baseline.html"); ok {
		t.Error("baseline.html written without a baseline")
	}
	idx := file(t, f, "index.html")
	for _, want := range []string{"Workflow funnel", "Coverage", "Open change requests", "Stale acceptances", "<svg class=\"chart funnel\"", "requirements.html#status=approved"} {
		if !strings.Contains(idx, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	req := file(t, f, "r/REQ-0002.html")
	for _, want := range []string{"REQ-0001.html", "CR-0002.html", "ACC-0001.html", "tests/e2e/chat_latency_test.go", "History", "Ann Analyst"} {
		if !strings.Contains(req, want) {
			t.Errorf("REQ-0002 page lacks %q", want)
		}
	}
	for _, name := range f.Names() {
		data, _ := f.Get(name)
		if bytes.Contains(data, []byte("ZgotmplZ")) {
			t.Errorf("%s: html/template filtered a value (ZgotmplZ)", name)
		}
	}
}

// TestDeterministic builds the same input twice, with different numbers of workers, and
// compares every byte.
func TestDeterministic(t *testing.T) {
	r := loadExample(t)
	o1, o2 := testOptions(r), testOptions(r)
	o1.Workers, o2.Workers = 1, 8
	a, b := build(t, r, o1), build(t, repo.Load(os.DirFS(exampleDir)), o2)
	if !slices.Equal(a.Names(), b.Names()) {
		t.Fatalf("file lists differ:\n%v\n%v", a.Names(), b.Names())
	}
	for _, n := range a.Names() {
		x, _ := a.Get(n)
		y, _ := b.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", n)
		}
	}
}

// TestDirOutput writes a site twice into a folder: unchanged files are not rewritten and the
// files of records that disappeared are removed, other files kept.
func TestDirOutput(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "CNAME")
	os.WriteFile(keep, []byte("example.org\n"), 0o644)
	mk := func(files map[string]string) {
		d, err := NewDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for n, c := range files {
			if err := d.WriteFile(n, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	mk(map[string]string{"index.html": "a", "r/REQ-0001.html": "1", "r/REQ-0002.html": "2", "x/y/z.html": "z"})
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "index.html"), old, old)
	mk(map[string]string{"index.html": "a", "r/REQ-0001.html": "1!"})
	for name, want := range map[string]string{"index.html": "a", "r/REQ-0001.html": "1!", "CNAME": "example.org\n"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, gone := range []string{"r/REQ-0002.html", "x/y/z.html", "x"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", gone, err)
		}
	}
	if info, _ := os.Stat(filepath.Join(dir, "index.html")); !info.ModTime().Equal(old) {
		t.Error("an unchanged file was rewritten")
	}
	if err := NewFiles().WriteFile("../escape", nil); err == nil {
		t.Error("a name leaving the site was accepted")
	}
}

func TestChineseInterface(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":      {Data: []byte("project: 客服平台\nsite:\n  lang: zh-CN\n")},
		"reqs/REQ-0001.md":   {Data: []byte("---\nid: REQ-0001\ntitle: 工单自动分配给空闲坐席\nstatus: approved\nurgency: urgent\n---\n## 背景\n\n客户提交工单后，系统自动分配。\n")},
		"reqs/REQ-0002.md":   {Data: []byte("---\nid: REQ-0002\ntitle: Second\nparent: REQ-0001\n---\nSee REQ-0001.\n")},
		"changes/CR-0001.md": {Data: []byte("---\nid: CR-0001\ntitle: 变更\nstatus: proposed\naction: modify\naffects: [REQ-0001]\n---\n")},
	}
	r := repo.Load(fsys)
	f := build(t, r, Options{})
	idx := file(t, f, "index.html")
	for _, want := range []string{`<html lang="zh-CN">`, "概览", "工作流漏斗", "批准", "客服平台"} {
		if !strings.Contains(idx, want) {
			t.Errorf("zh-CN dashboard lacks %q", want)
		}
	}
	req := file(t, f, "r/REQ-0001.html")
	if !strings.Contains(req, `id="背景"`) {
		t.Error("a Chinese heading has no readable anchor")
	}
	if !strings.Contains(file(t, f, "r/REQ-0002.html"), `<a href="REQ-0001.html" title="工单自动分配给空闲坐席">REQ-0001</a>`) {
		t.Error("an id mentioned in the body is not linked")
	}
	// Without git there is no "now": response times are said to be unavailable.
	if !strings.Contains(idx, "响应时间需要 git 历史") {
		t.Error("no note that response times need git history")
	}
}

// TestResponseTimes checks the overdue list: an urgent requirement new for more than 24 h
// and an important one new for more than a week are listed; recent ones are not.
func TestResponseTimes(t *testing.T) {
	req := func(id, urgency, status string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(fmt.Sprintf("---\nid: %s\ntitle: T %s\nurgency: %s\nstatus: %s\n---\n", id, id, urgency, status))}
	}
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": req("REQ-0001", "urgent", "new"),    // 30 h: overdue
		"reqs/REQ-0002.md": req("REQ-0002", "urgent", "new"),    // 2 h: fine
		"reqs/REQ-0003.md": req("REQ-0003", "important", "new"), // 8 d: overdue
		"reqs/REQ-0004.md": req("REQ-0004", "important", "new"), // 6 d: fine
		"reqs/REQ-0005.md": req("REQ-0005", "urgent", "analysis"),
	}
	r := repo.Load(fsys)
	fsys["reqtrail.yaml"] = &fstest.MapFile{Data: []byte("urgency: {urgent: 48, important: 336, routine: 0}\nsite: {lang: zh-CN}\n")}
	configured := repo.Load(fsys)
	ages := map[string]time.Duration{"REQ-0001": 30 * time.Hour, "REQ-0002": 2 * time.Hour, "REQ-0003": 8 * 24 * time.Hour, "REQ-0004": 6 * 24 * time.Hour, "REQ-0005": 50 * time.Hour}
	h := &gitrepo.History{Records: map[string]*gitrepo.RecordHistory{}}
	for id, age := range ages {
		c := commitTime.Add(-age)
		rh := &gitrepo.RecordHistory{ID: id}
		if id == "REQ-0005" {
			l := c.Add(40 * time.Hour) // left new after 40 h: late
			rh.Touches = append(rh.Touches, gitrepo.Touch{Commit: gitrepo.Commit{Hash: "b", Committed: l, Date: l}, Status: "analysis", Action: "modified"})
		}
		rh.Touches = append(rh.Touches, gitrepo.Touch{Commit: gitrepo.Commit{Hash: "a", Committed: c, Date: c}, Status: "new", Action: "added"})
		h.Records[id] = rh
	}
	f := build(t, r, Options{Source: Source{Commit: "abc", Time: commitTime}, History: h})
	idx := file(t, f, "index.html")
	sec := idx[strings.Index(idx, `id="rt-overdue"`):strings.Index(idx, `id="rt-stale"`)]
	for id, want := range map[string]bool{"REQ-0001": true, "REQ-0002": false, "REQ-0003": true, "REQ-0004": false, "REQ-0005": false} {
		if got := strings.Contains(sec, id+".html"); got != want {
			t.Errorf("%s listed as overdue: %v, want %v", id, got, want)
		}
	}
	if !strings.Contains(sec, "1 d 6 h") || !strings.Contains(sec, "8 d") {
		t.Error("waiting times missing")
	}
	// REQ-0005 responded after 40 h, late for an urgent requirement: 0% within target.
	if !regexp.MustCompile(`k-urgent">urgent</span></td><td>24 hours</td><td class="num">3</td><td class="num">1</td><td>1 d 16 h</td><td class="num">0%</td>`).MatchString(sec) {
		t.Errorf("urgent response-time row wrong:\n%s", sec)
	}
	if !strings.Contains(sec, "Requirements must leave new: urgent ones within 24 hours, important ones within 1 week.") {
		t.Errorf("no note of the default targets:\n%s", sec)
	}

	// reqtrail.yaml's urgency: 48 h and two weeks: nothing is overdue, and REQ-0005 responded
	// within its target.
	f = build(t, configured, Options{Source: Source{Commit: "abc", Time: commitTime}, History: h})
	idx = file(t, f, "index.html")
	sec = idx[strings.Index(idx, `id="rt-overdue"`):strings.Index(idx, `id="rt-stale"`)]
	for _, id := range []string{"REQ-0001", "REQ-0003"} {
		if strings.Contains(sec, id+".html") {
			t.Errorf("%s overdue against the configured targets", id)
		}
	}
	if !strings.Contains(sec, "紧急需求须在 48 小时内，重要需求须在 2 周内离开“新”状态。") || !strings.Contains(sec, `<td>48 小时</td><td class="num">3</td><td class="num">1</td><td>1 天 16 小时</td><td class="num">100%</td>`) {
		t.Errorf("configured targets not shown:\n%s", sec)
	}
}

// TestBaselinePage shows the changes since a baseline.
func TestBaselinePage(t *testing.T) {
	r := loadExample(t)
	opts := testOptions(r)
	opts.Baseline = &Baseline{Rev: "v0.9", Commit: strings.Repeat("cd", 20)}
	f := build(t, r, opts)
	if !strings.Contains(file(t, f, "baseline.html"), "No change since the baseline.") {
		t.Error("empty baseline page")
	}
	if !strings.Contains(file(t, f, "index.html"), `href="baseline.html"`) {
		t.Error("no link to the baseline page")
	}
}

// TestHTMLWellFormed parses every page and checks the rules every page keeps: the CSP meta
// tag, no inline script, no style attribute.
func TestHTMLWellFormed(t *testing.T) {
	r := loadExample(t)
	f := build(t, r, testOptions(r))
	for _, n := range f.Names() {
		if !strings.HasSuffix(n, ".html") {
			continue
		}
		data, _ := f.Get(n)
		for _, p := range htmlProblems(data) {
			t.Errorf("%s: %s", n, p)
		}
	}
}

// htmlProblems lists what would let a page run code other than the site's own script
// files, or load anything from elsewhere.
func htmlProblems(data []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(data))
	csp := false
	inScript := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				out = append(out, z.Err().Error())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inScript && strings.TrimSpace(tok.Data) != "" {
				out = append(out, "inline script: "+tok.Data)
			}
		case html.EndTagToken:
			if tok.Data == "script" {
				inScript = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				attrs[key] = a.Val
				if strings.HasPrefix(key, "on") {
					out = append(out, fmt.Sprintf("event handler attribute %s=%q on <%s>", key, a.Val, tok.Data))
				}
				if key == "style" {
					out = append(out, "style attribute on <"+tok.Data+">")
				}
				switch key {
				case "href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background":
					if _, ok := safeScheme(a.Val); !ok {
						out = append(out, fmt.Sprintf("unsafe %s=%q on <%s>", key, a.Val, tok.Data))
					}
					if key == "src" && (strings.Contains(a.Val, "//") || strings.HasPrefix(a.Val, "http")) {
						out = append(out, fmt.Sprintf("remote resource %s=%q on <%s>", key, a.Val, tok.Data))
					}
				}
			}
			switch tok.Data {
			case "script":
				if !regexp.MustCompile(`^(\.\./)?(assets|data)/[a-z-]+\.js$`).MatchString(attrs["src"]) {
					out = append(out, fmt.Sprintf("script not from the site: %q", attrs["src"]))
				}
				inScript = tt == html.StartTagToken
			case "iframe", "frame", "object", "embed", "applet", "base", "style", "link":
				if tok.Data == "link" && (attrs["rel"] == "stylesheet" || attrs["rel"] == "icon" || attrs["rel"] == "canonical") && !strings.Contains(attrs["href"], "//") || tok.Data == "link" && attrs["rel"] == "canonical" {
					break
				}
				out = append(out, "forbidden element <"+tok.Data+">")
			case "meta":
				if strings.EqualFold(attrs["http-equiv"], "content-security-policy") {
					csp = strings.Contains(attrs["content"], "script-src 'self'") && strings.Contains(attrs["content"], "object-src 'none'")
				} else if attrs["http-equiv"] != "" {
					out = append(out, "meta http-equiv="+attrs["http-equiv"])
				}
			case "form":
				if a := attrs["action"]; a != "" && !strings.HasSuffix(a, "requirements.html") {
					out = append(out, "form posting to "+a)
				}
			}
		}
	}
	if !csp {
		out = append(out, "no Content-Security-Policy meta tag forbidding inline script")
	}
	return out
}

// jsData checks that a data file is one assignment of valid JSON.
func jsData(t *testing.T, f *Files, name, global string) map[string]any {
	t.Helper()
	data := file(t, f, name)
	prefix := "window." + global + "="
	if !strings.HasPrefix(data, prefix) || !strings.HasSuffix(data, ";\n") {
		t.Fatalf("%s is not one assignment to %s", name, global)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(data, prefix), ";\n")), &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func TestDataFiles(t *testing.T) {
	r := loadExample(t)
	f := build(t, r, testOptions(r))
	list := jsData(t, f, "data/requirements.js", "RT_LIST")
	rows := list["rows"].([]any)
	if len(rows) != len(r.Parsed("requirement")) {
		t.Errorf("%d rows for %d requirements", len(rows), len(r.Parsed("requirement")))
	}
	s := jsData(t, f, "data/search.js", "RT_SEARCH")
	if int(s["n"].(float64)) != len(rows) {
		t.Error("index and list disagree on the number of requirements")
	}
}

// TestDirConcurrent writes many files into new folders from many goroutines.
func TestDirConcurrent(t *testing.T) {
	for range 20 {
		d, err := NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				if err := d.WriteFile(fmt.Sprintf("a/b%d/f%d.html", i%2, i), []byte("x")); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
}

// TestTranslationsComplete checks that every literal interface text of the templates and of
// the compiled record pages has a Chinese translation.
func TestTranslationsComplete(t *testing.T) {
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		src, _ := templateFS.ReadFile(n)
		for _, m := range literalT.FindAllStringSubmatch(string(src), -1) {
			if _, ok := zh[m[1]]; !ok {
				t.Errorf("%s: no Chinese for %q", n, m[1])
			}
		}
	}
	src, err := os.ReadFile("recordhtml.go")
	if err != nil {
		t.Fatal(err)
	}
	lits := regexp.MustCompile(`w\.(?:l\(|lit\((?:"(?:[^"\\]|\\.)*"|`+"`[^`]*`"+`), )"([^"]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(lits) < 50 {
		t.Fatalf("only %d interface texts found in recordhtml.go", len(lits))
	}
	for _, m := range lits {
		if _, ok := zh[m[1]]; !ok {
			t.Errorf("recordhtml.go: no Chinese for %q", m[1])
		}
	}
}

// TestDirHashes: a first build creates every file directly; a rebuild with the same content
// writes nothing (the marker's hashes say the files are current); a changed file, a file
// removed or truncated by hand, and a symbolic link planted where a page goes are written
// again, the link replaced and never written through.
func TestDirHashes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"index.html": "home", "r/REQ-0001.html": "one", "r/REQ-0002.html": "two", "assets/x.css": "css"}
	mk := func() *Dir {
		d, err := NewDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for n, c := range files {
			if err := d.WriteFile(n, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Finish(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := mk(); d.Wrote() != len(files) {
		t.Fatalf("first build wrote %d files, want %d", d.Wrote(), len(files))
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "r"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	marker, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if !strings.HasPrefix(string(marker), markerHeader+"\n") || !strings.Contains(string(marker), " r/REQ-0001.html\n") {
		t.Fatalf("marker without hashes:\n%s", marker)
	}
	if d := mk(); d.Wrote() != 0 {
		t.Errorf("an unchanged rebuild wrote %d files", d.Wrote())
	}
	files["r/REQ-0001.html"] = "one, changed"
	os.Remove(filepath.Join(dir, "index.html"))
	os.WriteFile(filepath.Join(dir, "assets/x.css"), []byte("cs"), 0o644) // truncated by hand
	outside := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(outside, []byte("keep"), 0o644)
	os.Remove(filepath.Join(dir, "r/REQ-0002.html"))
	if err := os.Symlink(outside, filepath.Join(dir, "r/REQ-0002.html")); err != nil {
		t.Fatal(err)
	}
	if d := mk(); d.Wrote() != 4 {
		t.Errorf("rebuild wrote %d files, want 4 (changed, removed, truncated, linked)", d.Wrote())
	}
	for n, want := range files {
		info, err := os.Lstat(filepath.Join(dir, n))
		got, _ := os.ReadFile(filepath.Join(dir, n))
		if err != nil || !info.Mode().IsRegular() || string(got) != want {
			t.Errorf("%s = %q (%v); want the regular file %q", n, got, err, want)
		}
	}
	if got, _ := os.ReadFile(outside); string(got) != "keep" {
		t.Errorf("the site wrote through a symbolic link: %q", got)
	}
	// A marker of the older format (names only) is still understood: files are compared.
	os.WriteFile(filepath.Join(dir, ManifestName), []byte("index.html\nr/REQ-0001.html\nr/REQ-0002.html\nassets/x.css\ngone.html\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "gone.html"), []byte("old"), 0o644)
	if d := mk(); d.Wrote() != 0 {
		t.Errorf("rebuild over an older marker wrote %d unchanged files", d.Wrote())
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.html")); !os.IsNotExist(err) {
		t.Error("a file the older marker listed was not removed")
	}
}

// FuzzMarker: any content of the site marker (a file in the output folder anyone may edit)
// parses without panicking into valid names only; a marker Finish writes reads back.
func FuzzMarker(f *testing.F) {
	f.Add([]byte(markerHeader + "\n" + strings.Repeat("ab", hashSize) + " index.html\n"))
	f.Add([]byte("index.html\nr/REQ-0001.html\n../escape\n"))
	f.Add([]byte(markerHeader + "\nzz ../x\n" + strings.Repeat("0", 2*hashSize) + " a b/c.html\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := parseMarker(data)
		for name, hash := range m {
			if !validName(name) || name == ManifestName || hash != "" && len(hash) != 2*hashSize {
				t.Fatalf("parsed %q → %q", name, hash)
			}
		}
		dir := t.TempDir()
		d, err := NewDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for name := range m {
			if strings.Count(name, "/") < 3 {
				if err := d.WriteFile(name, data); err != nil {
					return // a name that cannot be a file here (a folder in the way)
				}
			}
		}
		if err := d.Finish(); err != nil {
			t.Fatal(err)
		}
		written, _ := os.ReadFile(filepath.Join(dir, ManifestName))
		if got := parseMarker(written); len(got) != len(d.old) {
			t.Fatalf("marker of %d files reads back as %d", len(d.old), len(got))
		}
	})
}
