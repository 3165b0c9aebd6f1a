package site

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

// xssPayload is text that runs script if it reaches a page unescaped, in every context: an
// element, an attribute, a URL, a script.
const xssPayload = `"'><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>javascript:alert(4)`

// xssBody tries every way Markdown offers to smuggle script or a dangerous link.
const xssBody = `<script>alert('body')</script>
<img src=x onerror=alert('img')>
<a href="javascript:alert('raw')">raw link</a>
<details open ontoggle=alert('details')><summary>x</summary></details>
<iframe src="javascript:alert('frame')"></iframe>

[a](javascript:alert('a')) [b](JaVaScRiPt:alert('b')) [c](java&#x09;script:alert('c')) [d](&#106;avascript:alert('d'))
[e](vbscript:msgbox('e')) [f](data:text/html;base64,PHNjcmlwdD5hbGVydCgnZicpPC9zY3JpcHQ+) [g](file:///etc/passwd)
[h](<javascript:alert('h')>) [i]( javascript:alert('i')) [j](java
script:alert('j'))

<javascript:alert('auto')> <vbscript:alert('auto2')> www.example.com/ok https://example.com/fine

![k](javascript:alert('k')) ![l](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![m](https://example.com/x.png)

[ref link][bad]

[bad]: javascript:alert('ref')

| cell | link |
| :-- | --: |
| <script>alert('cell')</script> | [n](javascript:alert('n')) |

- [ ] task <b onmouseover=alert('task')>x</b>

` + "```html\n<script>alert('code')</script>\n```\n"

func xssRepo() fstest.MapFS {
	q := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) }
	p := q(xssPayload)
	return fstest.MapFS{
		"reqtrail.yaml": {Data: []byte(`project: "` + p + `"
site:
  title: "` + p + `"
  repo-url: "javascript:alert('forge')"
fields:
  requirement:
    x-note: {type: string}
`)},
		"reqs/REQ-0001.md": {Data: []byte(`---
id: REQ-0001
title: "` + p + `"
type: "` + p + `"
necessity: "` + p + `"
status: "` + p + `"
priority:
  moscow: "` + p + `"
  kano: "` + p + `"
  ice: {impact: 9, confidence: 9, ease: 9}
urgency: "` + p + `"
feasibility: "` + p + `"
source:
  channel: "` + p + `"
  requester: "` + p + `"
  date: "` + p + `"
owner: "` + p + `"
release: "` + p + `"
start: "` + p + `"
due: "` + p + `"
parent: "` + p + `"
links:
  - {type: "` + p + `", to: REQ-0002}
  - {type: depends-on, to: "` + p + `"}
verification: "` + p + `"
acceptance-criteria: ["` + p + `"]
tags: ["` + p + `", "javascript:alert(5)"]
x-note: "` + p + `"
"` + p + `": "` + p + `"
---
` + xssBody)},
		"reqs/REQ-0002.md": {Data: []byte(`---
id: REQ-0002
title: Fine
status: new
urgency: urgent
parent: REQ-0001
links: [{type: "` + p + `", to: REQ-0001}]
start: 2024-01-01
due: 2024-03-01
release: "2024.1"
---
See REQ-0001 and [the other](REQ-0001.md).
`)},
		"reqs/REQ-0003.md": {Data: []byte(`---
id: "REQ-0003<script>alert(6)</script>"
title: "` + p + `"
---
`)},
		"changes/CR-0001.md": {Data: []byte(`---
id: CR-0001
title: "` + p + `"
status: "` + p + `"
action: "` + p + `"
affects: [REQ-0001, "` + p + `"]
requested-by: "` + p + `"
requested: "` + p + `"
reason: "` + p + `"
impact: {schedule: "` + p + `", cost: "` + p + `", notes: "` + p + `"}
decision: {by: "` + p + `", date: "` + p + `", note: "` + p + `"}
---
` + xssBody)},
		"acceptance/ACC-0001.md": {Data: []byte(`---
id: ACC-0001
title: "` + p + `"
verdict: "` + p + `"
date: "` + p + `"
accepted-by: "` + p + `"
requirements:
  - {id: REQ-0001, fingerprint: "` + p + `"}
  - {id: "` + p + `", fingerprint: x}
criteria:
  - {criterion: "` + p + `", met: true, requirement: "` + p + `"}
evidence: ["javascript:alert(7)", "` + p + `", "data:text/html,<script>alert(8)</script>"]
---
` + xssBody)},
		// Feedback: its words are quoted on the requirement page and, untriaged, on the pool.
		"feedback/FB-0001.md": {Data: []byte(`---
id: FB-0001
title: "` + p + `"
date: "` + p + `"
customer: "` + p + `"
channel: "` + p + `"
contact: "` + p + `"
weight: 3
requirements: [REQ-0001, "` + p + `"]
---
` + xssBody)},
		"feedback/FB-0002.md": {Data: []byte(`---
id: FB-0002
title: "` + p + `"
date: 2024-01-01
customer: "` + p + `"
---
` + xssBody)},
	}
}

// TestXSS feeds script through every field and the body of every kind of record and checks
// that no page can run it: no inline script, no event handler, no dangerous URL, no element
// that loads or embeds anything; the data files stay valid JSON.
func TestXSS(t *testing.T) {
	r := repo.Load(xssRepo())
	if r.ByID["REQ-0001"] == nil || r.ByID["CR-0001"] == nil || r.ByID["ACC-0001"] == nil || r.ByID["FB-0001"] == nil || r.ByID["FB-0002"] == nil {
		t.Fatalf("payload records did not load: %v", r.Diags)
	}
	opts := testOptions(r)
	opts.Baseline = &Baseline{Rev: xssPayload, Commit: strings.Repeat("ef", 20)}
	f := build(t, r, opts)
	pages := 0
	for _, n := range f.Names() {
		data, _ := f.Get(n)
		switch {
		case strings.HasSuffix(n, ".html"):
			pages++
			for _, p := range htmlProblems(data) {
				t.Errorf("%s: %s", n, p)
			}
			for _, bad := range []string{"<script>alert", "<img src=x", "<svg onload", "<iframe", "ontoggle", "<details open"} {
				if strings.Contains(string(data), bad) {
					t.Errorf("%s contains %q", n, bad)
				}
			}
		case strings.HasPrefix(n, "data/"):
			global := "RT_LIST"
			if n == "data/search.js" {
				global = "RT_SEARCH"
			}
			jsData(t, f, n, global)
			if strings.Contains(string(data), "</script") || strings.Contains(string(data), "<script") {
				t.Errorf("%s holds a raw script tag", n)
			}
		}
	}
	if pages < 10 {
		t.Fatalf("only %d pages", pages)
	}
	// The forge address was not a web address: no forge links at all.
	if strings.Contains(file(t, f, "r/REQ-0001.html"), "alert('forge')") {
		t.Error("a javascript: repo-url reached a page")
	}
	// Safe links survive, dangerous ones keep only their text.
	body := file(t, f, "r/REQ-0001.html")
	for _, want := range []string{`href="https://example.com/fine"`, `href="http://www.example.com/ok"`, "raw link"} {
		if !strings.Contains(body, want) {
			t.Errorf("REQ-0001 page lacks %q", want)
		}
	}
	// The feedback's words are quoted on the requirement page, and the untriaged one is in
	// the pool: escaped, never run.
	if !strings.Contains(body, `id="rt-feedback"`) || !strings.Contains(file(t, f, "pool.html"), "FB-0002") {
		t.Error("feedback quotes or the pool missing")
	}
	if !strings.Contains(file(t, f, "r/REQ-0002.html"), `<a href="REQ-0001.html">the other</a>`) {
		t.Error("a relative link to a record file does not go to its page")
	}
}

// TestOddValues builds a site from records whose fields have every wrong type: the site is
// built, nothing panics.
func TestOddValues(t *testing.T) {
	odd := []string{"[1, 2]", "{a: b}", "null", "42", "true", "''", "[[], {}]", "{x: [1, {y: z}]}"}
	fsys := fstest.MapFS{"reqtrail.yaml": {Data: []byte("site: {title: [1], lang: 7, repo-url: {}}\ntrace: 5\n")}}
	for i, v := range odd {
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: REQ-%04d\n", i+1)
		for _, k := range []string{"title", "type", "status", "priority", "urgency", "source", "owner", "release", "start", "due", "parent", "links", "acceptance-criteria", "tags"} {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
		b.WriteString("---\n")
		fsys[fmt.Sprintf("reqs/REQ-%04d.md", i+1)] = &fstest.MapFile{Data: []byte(b.String())}
		fsys[fmt.Sprintf("changes/CR-%04d.md", i+1)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\nid: CR-%04d\ntitle: %s\nstatus: %s\naffects: %s\nimpact: %s\ndecision: %s\n---\n", i+1, v, v, v, v, v))}
		fsys[fmt.Sprintf("acceptance/ACC-%04d.md", i+1)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\nid: ACC-%04d\ntitle: t\nverdict: %s\nrequirements: %s\ncriteria: %s\nevidence: %s\n---\n", i+1, v, v, v, v))}
	}
	fsys["reqs/REQ-0100.md"] = &fstest.MapFile{Data: []byte("---\n: broken\n  - yaml\n---\n")}
	fsys["reqs/REQ-0101.md"] = &fstest.MapFile{Data: []byte("no front matter at all")}
	r := repo.Load(fsys)
	opts := testOptions(r)
	opts.Baseline = &Baseline{Rev: "x", Commit: "abc"}
	f := build(t, r, opts)
	if len(f.Names()) < 10 {
		t.Errorf("only %d files", len(f.Names()))
	}
	for _, n := range f.Names() {
		if data, _ := f.Get(n); strings.HasSuffix(n, ".html") {
			for _, p := range htmlProblems(data) {
				t.Errorf("%s: %s", n, p)
			}
		}
	}
}

// xssRepoWithout is xssRepo without the files under prefix.
func xssRepoWithout(prefix string) fstest.MapFS {
	m := xssRepo()
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			delete(m, k)
		}
	}
	return m
}
