package site

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// csp forbids every script that is not a file of the site, inline ones included, and every
// request that leaves the site.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"

// page is what every template receives.
type pageData struct {
	Lang        string
	Title       string
	SiteTitle   string
	Root        string // prefix from the page to the site's top ("" or "../")
	Nav         string
	Canonical   string
	CSP         string
	Scripts     []string
	Source      sourceView
	HasBaseline bool
	Live        bool
	Data        any
	// NavHTML and FootHTML are the page's header and footer, rendered once per root and
	// navigation entry (see chrome).
	NavHTML  template.HTML
	FootHTML template.HTML
}

type sourceView struct {
	Short    string // abbreviated commit
	Href     string // forge link to the commit
	WorkTree bool
	Rev      string
	Date     string // commit time, UTC
}

func (b *builder) newPage(title, nav, root, file string, data any) *pageData {
	site := b.r.Config.Site.Title
	if site == "" {
		site = b.r.Config.Project
	}
	if site == "" {
		site = "reqtrail"
	}
	p := &pageData{
		Lang: b.lang, Title: title, SiteTitle: site, Root: root, Nav: nav, CSP: csp,
		HasBaseline: b.opts.Baseline != nil, Live: b.opts.LiveReload, Data: data,
		Canonical: joinURL(b.opts.BaseURL, file),
	}
	src := b.opts.Source
	if src.Commit != "" {
		p.Source.Short = src.Commit[:min(7, len(src.Commit))]
		p.Source.Href = b.forge.commitURL(src.Commit)
	}
	p.Source.WorkTree = src.WorkTree
	if src.Rev != "" && src.Rev != "HEAD" && !src.WorkTree {
		p.Source.Rev = src.Rev
	}
	if !src.Time.IsZero() {
		p.Source.Date = b.stamp(src.Time)
	}
	p.NavHTML = b.chrome("navbar", p)
	p.FootHTML = b.chrome("footer", p)
	return p
}

// chrome renders the header or footer of a page once per root and navigation entry: they
// are the same on thousands of record pages.
func (b *builder) chrome(name string, p *pageData) template.HTML {
	key := name + "\x00" + p.Root + "\x00" + p.Nav
	if v, ok := b.chromeCache.Load(key); ok {
		return v.(template.HTML)
	}
	var sb strings.Builder
	if err := b.tmpl.ExecuteTemplate(&sb, name, p); err != nil {
		return template.HTML("<!-- " + template.HTMLEscapeString(err.Error()) + " -->")
	}
	h := template.HTML(sb.String())
	b.chromeCache.Store(key, h)
	return h
}

// ref is a link to a record.
type ref struct {
	ID     string
	Title  string
	Href   string // "" when the record has no page (unknown id)
	Status string
	Known  bool
}

// ref returns a link to the record with id from a page at root.
func (b *builder) ref(root, id string) ref {
	l := b.links[id]
	r := b.linkRef(id, l)
	if l.href != "" {
		r.Href = l.fromTop
		if root != "" {
			r.Href = root + l.fromTop
		}
	}
	return r
}

// linkRef is the ref of the record id, whose link is l, without its Href.
func (b *builder) linkRef(id string, l recordLink) ref {
	r := ref{ID: id}
	if l.rec == nil {
		return r
	}
	r.Known = true
	r.Title = l.rec.Title
	r.Status = l.rec.Status()
	return r
}

// refs maps ids to links.
func (b *builder) refs(root string, ids []string) []ref {
	out := make([]ref, 0, len(ids))
	for _, id := range ids {
		out = append(out, b.ref(root, id))
	}
	return out
}

// recRoot is the prefix from a record page to the site's top.
const recRoot = "../"

// refFromRecord is ref for a link from a record page (pages are siblings in r/).
func (b *builder) refFromRecord(id string) ref {
	l := b.links[id]
	r := b.linkRef(id, l)
	r.Href = l.href
	return r
}

func (b *builder) refsFromRecord(ids []string) []ref {
	out := make([]ref, 0, len(ids))
	for _, id := range ids {
		out = append(out, b.refFromRecord(id))
	}
	return out
}

// shownApart lists the keys a record page shows in sections of their own, not among the
// fields.
var shownApart = map[record.Kind]map[string]bool{
	record.RequirementKind: {"acceptance-criteria": true, "metrics": true},
	record.EvaluationKind:  {"requirements": true, "results": true, "follow-up": true, "date": true, "by": true, "period": true},
	record.ChangeKind:      {"affects": true, "decision": true},
	record.AcceptanceKind:  {"requirements": true, "criteria": true, "evidence": true},
	record.FeedbackKind:    {"requirements": true},
}

// appendFields appends the fields panel's list of the record: every top-level front-matter
// key but id, title and those shown apart, in the order written, each as <dt>label</dt>
// <dd>value</dd>. It reads the record's compact form in place (rec.TopNodes), or its
// decoded fields when it holds no compact form, never its YAML tree: on read-only loads the
// tree is not kept, and parsing it again for every page would cost as much as loading the
// records.
func (b *builder) appendFields(dst []byte, rec *record.Record) []byte {
	// From the compact form in place when the record holds one: no value decoded.
	start := len(dst)
	var parts [10]string
	path := parts[:1]
	if rec.TopNodes(func(k string, v record.Node) {
		if inFieldsPanel(rec.Kind, k) {
			path[0] = k
			dst = b.appendNode(b.appendFieldLabel(dst, k), v, 0, rec.Kind, path)
			dst = append(dst, "</dd>\n"...)
		}
	}) {
		return dst
	}
	return b.appendFieldsDecoded(dst[:start], rec)
}

// appendFieldsDecoded is appendFields from the record's decoded fields (rec.Fields).
func (b *builder) appendFieldsDecoded(dst []byte, rec *record.Record) []byte {
	var path [1]string
	m := rec.Fields()
	for _, k := range writtenKeys(rec, m) {
		if inFieldsPanel(rec.Kind, k) {
			path[0] = k
			dst = b.appendValue(b.appendFieldLabel(dst, k), m[k], 0, rec.Kind, path[:])
			dst = append(dst, "</dd>\n"...)
		}
	}
	return dst
}

// inFieldsPanel reports whether the fields panel of a record of kind lists its top-level
// key k: every key but id, title and those shown apart.
func inFieldsPanel(kind record.Kind, k string) bool {
	return k != "id" && k != "title" && !shownApart[kind][k]
}

// appendFieldLabel opens the fields panel's entry of key k: its label, then <dd>.
func (b *builder) appendFieldLabel(dst []byte, k string) []byte {
	dst = append(dst, "<dt>"...)
	dst = appendHTMLText(dst, b.label(k))
	return append(dst, "</dt><dd>"...)
}

// label is the translated label of a top-level front-matter key, computed once per build.
func (b *builder) label(k string) string {
	if l, ok := b.labels.Load(k); ok {
		return l.(string)
	}
	l := b.t(fieldLabel(k))
	b.labels.Store(k, l)
	return l
}

// writtenKeys orders the keys of the front matter m as the file writes them
// (record.TopKeys), any other in canonical order.
func writtenKeys(rec *record.Record, m map[string]any) []string {
	out := make([]string, 0, len(m))
	for _, k := range rec.TopKeys() {
		if _, in := m[k]; in && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) == len(m) {
		return out
	}
	seen := make(map[string]bool, len(out))
	for _, k := range out {
		seen[k] = true
	}
	return append(out, canonicalKeys(rec.Kind, nil, m, seen)...)
}

// canonicalKeys lists the keys of m not in skip, in the canonical order of the mapping at
// path (keysAtPath): the known keys in that order, then the others alphabetically.
func canonicalKeys(kind record.Kind, path []string, m map[string]any, skip map[string]bool) []string {
	order := keysAtPath(kind, path)
	// Each key's rank is looked up once, not at every comparison.
	rest := make([]rankedKey, 0, len(m))
	for k := range m {
		if !skip[k] {
			rest = append(rest, rankedKey{k, keyRank(order, k)})
		}
	}
	slices.SortFunc(rest, compareRanked)
	out := make([]string, len(rest))
	for i, r := range rest {
		out[i] = r.key
	}
	return out
}

// keysAtPath is format.KeysAt for a value path of appendValue (whose "[]" parts stand for
// list items and are not keys).
func keysAtPath(kind record.Kind, path []string) []string {
	var kp [8]string
	keyPath := kp[:0]
	for _, p := range path {
		if p != "[]" {
			keyPath = append(keyPath, p)
		}
	}
	return format.KeysAt(kind, keyPath)
}

// rankedKey is a key with its place in the canonical order: the keys the order knows first,
// in its order, then the others alphabetically (compareRanked).
type rankedKey struct {
	key  string
	rank int
}

// keyRank is k's place in order; past every known key when order does not know it.
func keyRank(order []string, k string) int {
	if i := slices.Index(order, k); i >= 0 {
		return i
	}
	return 1 << 30
}

func compareRanked(x, y rankedKey) int {
	if c := x.rank - y.rank; c != 0 {
		return c
	}
	return strings.Compare(x.key, y.key)
}

// fieldLabel turns a front-matter key into a label: "acceptance-criteria" → "Acceptance criteria".
func fieldLabel(k string) string {
	s := strings.ReplaceAll(k, "-", " ")
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	return s
}

// keyLabel names a nested front-matter key: in Chinese its translation when there is one,
// otherwise the key as written.
func (b *builder) keyLabel(k string) string {
	if t, ok := zh[fieldLabel(k)]; ok && b.lang == "zh-CN" {
		return t
	}
	return k
}

// enumerated reports whether v is a value of the enumeration at path of kind's schema
// (built in or extended by values:): such a value is shown by its name in the site's
// language.
func (b *builder) enumerated(kind record.Kind, path []string, v string) bool {
	s := b.schemas[kind]
	if s == nil {
		return false
	}
	return slices.Contains(schema.EnumOf(schema.At(s, path...)), v)
}

// appendValue appends the HTML of a front-matter value (as rec.Fields decodes it) at path
// of a record of kind, escaped, with ids of records and web addresses linked and enumerated
// values named in the site's language. Nested mappings list their keys in canonical order.
func (b *builder) appendValue(dst []byte, v any, depth int, kind record.Kind, path []string) []byte {
	if depth > 8 {
		return append(dst, "…"...)
	}
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			return append(dst, `<span class="muted">[]</span>`...)
		}
		simple := true
		for _, c := range v {
			if s, ok := scalarText(c); !ok || len(s) > 40 {
				simple = false
			}
		}
		if simple {
			dst = append(dst, `<span class="chips">`...)
			for _, c := range v {
				s, _ := scalarText(c)
				dst = b.appendChip(dst, kind, append(slices.Clip(path), "[]"), s)
			}
			return append(dst, `</span>`...)
		}
		dst = append(dst, `<ul class="vlist">`...)
		for _, c := range v {
			dst = append(dst, "<li>"...)
			dst = b.appendValue(dst, c, depth+1, kind, append(slices.Clip(path), "[]"))
			dst = append(dst, "</li>"...)
		}
		return append(dst, "</ul>"...)
	case map[string]any:
		if len(v) == 0 {
			return append(dst, `<span class="muted">{}</span>`...)
		}
		dst = append(dst, `<dl class="vmap">`...)
		for _, k := range canonicalKeys(kind, path, v, nil) {
			dst = append(dst, "<dt>"...)
			if b.lang == "en" {
				dst = appendEscaped(dst, k)
			} else {
				dst = appendEscaped(dst, b.keyLabel(k))
			}
			dst = append(dst, "</dt><dd>"...)
			dst = b.appendValue(dst, v[k], depth+1, kind, append(slices.Clip(path), k))
			dst = append(dst, "</dd>"...)
		}
		return append(dst, "</dl>"...)
	default:
		s, _ := scalarText(v)
		return b.appendShown(dst, kind, path, s)
	}
}

// appendChip appends the chip of a list item's text s at path.
func (b *builder) appendChip(dst []byte, kind record.Kind, path []string, s string) []byte {
	dst = append(dst, `<span class="chip">`...)
	dst = b.appendShown(dst, kind, path, s)
	return append(dst, `</span>`...)
}

// appendShown appends a scalar's text s at path of a record of kind: an enumerated value by
// its name in the site's language, anything else as appendScalar writes it.
func (b *builder) appendShown(dst []byte, kind record.Kind, path []string, s string) []byte {
	if b.lang != "en" && b.enumerated(kind, path, s) {
		return appendEscaped(dst, b.t(s))
	}
	return b.appendScalar(dst, s)
}

// appendNode is appendValue for a value read in place from a record's compact form: the
// same HTML, byte for byte. The entries of path past its length may be overwritten: nothing
// keeps path, so the panel's one array of path parts serves every value in it.
func (b *builder) appendNode(dst []byte, v record.Node, depth int, kind record.Kind, path []string) []byte {
	if depth > 8 {
		return append(dst, "…"...)
	}
	switch {
	case v.IsSeq():
		if v.Len() == 0 {
			return append(dst, `<span class="muted">[]</span>`...)
		}
		simple := true
		v.Each(func(_ string, c record.Node) {
			if s, ok := c.Scalar(); !ok || len(s) > 40 {
				simple = false
			}
		})
		itemPath := append(path, "[]")
		if simple {
			dst = append(dst, `<span class="chips">`...)
			v.Each(func(_ string, c record.Node) {
				s, _ := c.Scalar()
				dst = b.appendChip(dst, kind, itemPath, s)
			})
			return append(dst, `</span>`...)
		}
		dst = append(dst, `<ul class="vlist">`...)
		v.Each(func(_ string, c record.Node) {
			dst = append(dst, "<li>"...)
			dst = b.appendNode(dst, c, depth+1, kind, itemPath)
			dst = append(dst, "</li>"...)
		})
		return append(dst, "</ul>"...)
	case v.IsMap():
		var buf [8]nodeEntry
		entries := canonicalEntries(buf[:0], kind, path, v)
		if len(entries) == 0 {
			return append(dst, `<span class="muted">{}</span>`...)
		}
		dst = append(dst, `<dl class="vmap">`...)
		for _, e := range entries {
			dst = append(dst, "<dt>"...)
			if b.lang == "en" {
				dst = appendEscaped(dst, e.key)
			} else {
				dst = appendEscaped(dst, b.keyLabel(e.key))
			}
			dst = append(dst, "</dt><dd>"...)
			dst = b.appendNode(dst, e.v, depth+1, kind, append(path, e.key))
			dst = append(dst, "</dd>"...)
		}
		return append(dst, "</dl>"...)
	default:
		s, _ := v.Scalar()
		return b.appendShown(dst, kind, path, s)
	}
}

// nodeEntry is one entry of a mapping read in place.
type nodeEntry struct {
	rankedKey
	v record.Node
}

// canonicalEntries appends to dst the entries of the mapping m at path as canonicalKeys
// orders the keys of its decoded map: a repeated key once, with its last value.
func canonicalEntries(dst []nodeEntry, kind record.Kind, path []string, m record.Node) []nodeEntry {
	order := keysAtPath(kind, path)
	n := m.Len()
	var index map[string]int // for a large mapping, instead of a scan per key
	if n > 16 {
		index = make(map[string]int, n)
	}
	start := len(dst)
	m.Each(func(k string, v record.Node) {
		if index != nil {
			if i, ok := index[k]; ok {
				dst[i].v = v
				return
			}
			index[k] = len(dst)
		} else {
			for i := start; i < len(dst); i++ {
				if dst[i].key == k {
					dst[i].v = v
					return
				}
			}
		}
		dst = append(dst, nodeEntry{rankedKey{k, keyRank(order, k)}, v})
	})
	slices.SortFunc(dst[start:], func(x, y nodeEntry) int { return compareRanked(x.rankedKey, y.rankedKey) })
	return dst
}

// scalarText is the text of a decoded scalar ("" for null); false for a list or mapping.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case []any, map[string]any:
		return "", false
	}
	return fmt.Sprint(v), true
}

// appendScalar appends a scalar's text, escaped: a record id links to its page, a web
// address to itself, and the ids of known records it mentions to their pages.
func (b *builder) appendScalar(dst []byte, v string) []byte {
	if h := b.recordHref("", v); h != "" {
		return b.appendRecordLink(dst, h, v)
	}
	if isWebURL(v) {
		dst = append(dst, `<a href="`...)
		dst = appendEscaped(dst, v)
		dst = append(dst, `" rel="noopener noreferrer">`...)
		dst = appendEscaped(dst, v)
		return append(dst, "</a>"...)
	}
	return b.appendLinkText(dst, v)
}

// appendRecordLink appends a link to the page of record id at href, titled with its title.
func (b *builder) appendRecordLink(dst []byte, href, id string) []byte {
	dst = append(dst, `<a href="`...)
	dst = appendEscaped(dst, href)
	dst = append(dst, `" title="`...)
	dst = appendEscaped(dst, b.title(id))
	dst = append(dst, `">`...)
	dst = appendEscaped(dst, id)
	return append(dst, "</a>"...)
}

// linkText escapes text from a record page's point of view, linking the ids of known records
// it mentions.
func (b *builder) linkText(v string) template.HTML {
	return template.HTML(b.appendLinkText(nil, v))
}

// appendLinkText appends linkText(v).
func (b *builder) appendLinkText(dst []byte, v string) []byte {
	// Most values mention no id: ruled out without copying them (maybeID only reads).
	if !maybeID(unsafe.Slice(unsafe.StringData(v), len(v))) {
		return appendEscaped(dst, v)
	}
	ms := b.md.rw.mentions([]byte(v), "")
	pos := 0
	for _, m := range ms {
		id := v[m.start:m.end]
		dst = appendEscaped(dst, v[pos:m.start])
		dst = b.appendRecordLink(dst, b.recordHref("", id), id)
		pos = m.end
	}
	return appendEscaped(dst, v[pos:])
}

// isWebURL reports whether s is an absolute http(s) address without spaces.
func isWebURL(s string) bool {
	// A host needs "//" right after the scheme: most values are ruled out without parsing.
	if len(s) < 8 || !strings.EqualFold(s[:7], "http://") && !strings.EqualFold(s[:8], "https://") {
		return false
	}
	if strings.ContainsAny(s, " \t\n\r\"'<>`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// historyRow is one commit of a record's history.
type historyRow struct {
	Short, Href, Date, Author, Action, Subject string
	From, To                                   string // status change, when there is one
	File                                       string // the path, when it moved
}

// historyRows lists a record's commits newest first.
func (b *builder) historyRows(id string) []historyRow {
	h := b.history(id)
	if h == nil {
		return nil
	}
	var out []historyRow
	for i, t := range h.Touches {
		row := historyRow{
			Short: t.Hash[:min(7, len(t.Hash))], Href: b.forge.commitURL(t.Hash),
			Date: b.day(t.Date), Author: t.Author,
			Action: t.Action, Subject: t.Subject, To: t.Status,
		}
		if i+1 < len(h.Touches) {
			if prev := h.Touches[i+1].Status; prev != t.Status {
				row.From = prev
			} else {
				row.To = ""
			}
		}
		if t.Action == gitrepo.Renamed {
			row.File = b.projectPath(t.Path)
		}
		out = append(out, row)
	}
	return out
}

// projectPath turns a repository path into a project path.
func (b *builder) projectPath(p string) string {
	if b.opts.GitPrefix == "" {
		return p
	}
	return strings.TrimPrefix(p, strings.Trim(b.opts.GitPrefix, "/")+"/")
}

// citeGroup is the citations of a requirement in one file.
type citeGroup struct {
	File  string
	Href  string
	Lines []citeLine
}

type citeLine struct {
	Line int
	Href string
}

// citations groups citations by file, in order.
func (b *builder) citations(cs []Citation) []citeGroup {
	var out []citeGroup
	for _, c := range cs {
		if len(out) == 0 || out[len(out)-1].File != c.File {
			out = append(out, citeGroup{File: c.File, Href: b.forge.file(c.File, 0)})
		}
		g := &out[len(out)-1]
		g.Lines = append(g.Lines, citeLine{Line: c.Line, Href: b.forge.file(c.File, c.Line)})
	}
	return out
}

// duration renders a span of time compactly: "3 d 4 h", "5 h", "12 min".
func (b *builder) duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	zh := b.lang == "zh-CN"
	switch {
	case days > 0 && hours > 0:
		if zh {
			return fmt.Sprintf("%d 天 %d 小时", days, hours)
		}
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		if zh {
			return fmt.Sprintf("%d 天", days)
		}
		return fmt.Sprintf("%d d", days)
	case hours > 0:
		if zh {
			return fmt.Sprintf("%d 小时", hours)
		}
		return fmt.Sprintf("%d h", hours)
	}
	m := int(d / time.Minute)
	if zh {
		return fmt.Sprintf("%d 分钟", m)
	}
	return fmt.Sprintf("%d min", m)
}

// pct renders n of total as a whole percentage.
func pct(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strconv.Itoa((n*100+total/2)/total) + "%"
}

// sortedKeys returns the keys of m sorted, with order's keys first in that order.
func sortedKeys(m map[string]int, order []string) []string {
	var out []string
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// listHref is the address of the requirement list filtered by key=value, from root.
func listHref(root string, kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
	}
	return root + "requirements.html#" + strings.Join(parts, "&")
}
