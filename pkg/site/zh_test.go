package site

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

// zhBroken is a record of the zh-CN test with findings, so that the findings page lists some.
const zhBroken = "---\nid: REQ-0999\ntitle: 有问题的需求\nstatus: approved\ntype: story\nparent: REQ-9999\nstart: 2024-09-01\ndue: 2024-08-01\n---\n"

// zhValues is a record of the zh-CN test with the example's values: (named in Chinese).
const zhValues = "---\nid: REQ-0998\ntitle: 微信渠道史诗\nstatus: new\ntype: epic\nurgency: urgent\nsource: {channel: wechat, requester: 客户甲, date: 2024-10-01}\n---\n"

// zhExample copies the example into a temporary folder with site.lang zh-CN and a record
// with findings.
func zhExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(exampleDir)); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "reqtrail.yaml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("lang: en"), []byte("lang: zh-CN"), 1)
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reqs", "REQ-0999.md"), []byte(zhBroken), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reqs", "REQ-0998.md"), []byte(zhValues), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// zhAllowed are the ASCII words a Chinese page may show: names of tools and methods, units.
var zhAllowed = map[string]bool{
	"reqtrail": true, "git": true, "ICE": true, "RICE": true, "MoSCoW": true, "Kano": true,
	"JavaScript": true, "HEAD": true, "SOURCE_DATE_EPOCH": true, "ReqIF": true, "CSV": true,
	"JSON": true, "YAML": true, "Markdown": true, "UTF": true, "MiB": true,
}

// TestRuleDescriptions checks that every lint rule has a Chinese description for the findings
// page.
func TestRuleDescriptions(t *testing.T) {
	for _, r := range lint.Rules() {
		if ruleZh[r.ID] == "" {
			t.Errorf("rule %s has no Chinese description in ruleZh", r.ID)
		}
	}
}

var asciiWord = regexp.MustCompile(`[A-Za-z][A-Za-z_'-]*[A-Za-z]|[A-Za-z]`)

// recordStrings returns every free text of the records (titles, front-matter strings that
// are not values of a built-in enumeration) and of the configuration, longest first: record
// content, which a Chinese page shows as written. The names and values of fields: are the
// project's own words, content too.
func recordStrings(r *repo.Repo) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.Join(strings.Fields(s), " ")
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var walk func(s map[string]any, v any, path []string)
	walk = func(s map[string]any, v any, path []string) {
		switch t := v.(type) {
		case string:
			if s == nil || !slices.Contains(schema.EnumOf(schema.At(s, path...)), t) {
				add(t)
			}
		case map[string]any:
			for k, x := range t {
				walk(s, x, append(slices.Clip(path), k))
			}
		case []any:
			for _, x := range t {
				walk(s, x, append(slices.Clip(path), "[]"))
			}
		}
	}
	for _, k := range record.AllKinds() {
		for name := range r.Config.Fields[k] {
			add(name)
			add(fieldLabel(name))
		}
	}
	for _, rec := range r.Records {
		s, _ := schema.Effective(string(rec.Kind), nil)
		walk(s, rec.Fields(), nil)
		add(rec.File)
		if rec.Req != nil {
			add(graph.RequesterCustomer(rec.Req.Requester)) // the customer a requester names, counted in demand
		}
	}
	add(r.Config.Site.Title)
	add(r.Config.Project)
	add(r.Config.Site.RepoURL)
	add("v1.0") // the revision of testOptions
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// visibleText returns the text a reader sees on a page (text nodes, placeholders, labels),
// without scripts, styles, code and rendered record bodies, whitespace collapsed.
func visibleText(t *testing.T, page []byte, content []string) string {
	t.Helper()
	page = bytes.ReplaceAll(bytes.ReplaceAll(page, []byte("<noscript>"), []byte("<div>")), []byte("</noscript>"), []byte("</div>"))
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "head":
				return
			}
			for _, a := range n.Attr {
				if a.Key == "class" && slices.Contains(strings.Fields(a.Val), "md") {
					return // a record's rendered Markdown body
				}
				if a.Key == "placeholder" || a.Key == "aria-label" {
					b.WriteString(" " + a.Val + " ")
				}
			}
		}
		if n.Type == xhtml.TextNode {
			if cut, ok := strings.CutSuffix(strings.TrimSpace(n.Data), "…"); ok && n.Parent != nil && n.Parent.Data == "text" {
				// A chart label cut short: content when it starts a record text.
				cut = strings.TrimSpace(zhIDs.ReplaceAllString(cut, ""))
				if slices.ContainsFunc(content, func(s string) bool { return strings.HasPrefix(s, cut) }) {
					return
				}
			}
			b.WriteString(n.Data)
		}
		inline := n.Type != xhtml.ElementNode || inlineElements[n.Data]
		if !inline {
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if !inline {
			b.WriteString(" ")
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// inlineElements run on with the text around them; every other element separates words.
var inlineElements = map[string]bool{"a": true, "strong": true, "em": true, "b": true, "i": true, "abbr": true, "small": true, "mark": true, "time": true}

var zhIDs = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*-\d+\b|\b[0-9a-f]{7,40}\b|\S+\.(md|go|ts|py|yaml|html)\b|https?://\S+`)

// removeWhole removes every occurrence of s from text that does not start or end inside an
// ASCII word.
func removeWhole(text, s string) string {
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	var b strings.Builder
	for {
		i := strings.Index(text, s)
		if i < 0 {
			break
		}
		j := i + len(s)
		if (i > 0 && isLetter(text[i-1]) && isLetter(s[0])) || (j < len(text) && isLetter(text[j]) && isLetter(s[len(s)-1])) {
			b.WriteString(text[:i+1])
			text = text[i+1:]
			continue
		}
		b.WriteString(text[:i])
		b.WriteString(" ")
		text = text[j:]
	}
	b.WriteString(text)
	return b.String()
}

// TestChineseComplete renders every page of the example with site.lang zh-CN and fails on
// any ASCII word outside record content, ids and the allowed names.
func TestChineseComplete(t *testing.T) {
	dir := zhExample(t)
	r := repo.Load(os.DirFS(dir))
	if r.Config.Site.Lang != "zh-CN" {
		t.Fatalf("lang %q", r.Config.Site.Lang)
	}
	content := recordStrings(repo.Load(os.DirFS(dir)))
	opts := testOptions(r)
	for _, h := range opts.History.Records {
		for i := range h.Touches {
			h.Touches[i].Commit.Author = "张三"
			h.Touches[i].Commit.Subject = "修改 " + h.ID
		}
	}
	f := build(t, r, opts)
	left := map[string][]string{}
	pages := 0
	for _, name := range f.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		data, _ := f.Get(name)
		text := visibleText(t, data, content)
		for _, s := range content {
			text = removeWhole(text, s)
		}
		text = zhIDs.ReplaceAllString(text, " ")
		for _, w := range asciiWord.FindAllString(text, -1) {
			if zhAllowed[w] {
				continue
			}
			if !slices.Contains(left[w], name) {
				left[w] = append(left[w], name)
			}
		}
	}
	if pages < 30 {
		t.Fatalf("only %d pages rendered", pages)
	}
	if p := file(t, f, "r/REQ-0998.html"); !strings.Contains(p, "史诗") || !strings.Contains(p, "微信") {
		t.Error("a values: entry is not shown by its Chinese name")
	}
	if !strings.Contains(file(t, f, "requirements.html"), `<option value="epic">史诗 (1)</option>`) {
		t.Error("the type filter does not list the values: type by its Chinese name")
	}
	if n := strings.Count(file(t, f, "findings.html"), "<tr><td class=\"nowrap\">"); n < 3 {
		t.Errorf("the findings page lists %d findings; the test record has more", n)
	}
	// The list page draws its rows in the browser: every enumerated value it shows, and every
	// text it writes, comes translated in its data.
	d := jsData(t, f, "data/requirements.js", "RT_LIST")
	labels, _ := d["labels"].(map[string]any)
	cols, _ := d["cols"].([]any)
	rows, _ := d["rows"].([]any)
	for _, row := range rows {
		cells, _ := row.([]any)
		if cells[0] == "REQ-0999" {
			continue // its type is invalid on purpose
		}
		for i, c := range cells {
			switch cols[i] {
			case "status", "type", "priority", "urgency", "coverage":
				if v, _ := c.(string); v != "" && labels[v] == nil {
					t.Errorf("the list data has no Chinese name for %s %q", cols[i], v)
				}
			}
		}
	}
	text, _ := d["text"].(map[string]any)
	for k, v := range text {
		if asciiWord.MatchString(v.(string)) {
			t.Errorf("the list's text %q is %q on a zh-CN site", k, v)
		}
	}
	words := make([]string, 0, len(left))
	for w := range left {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		p := left[w]
		more := ""
		if len(p) > 3 {
			more = " …"
			p = p[:3]
		}
		t.Errorf("English left on a zh-CN page: %q on %s%s", w, strings.Join(p, ", "), more)
	}
}
