package site

import (
	"html/template"
	"sync"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// The record pages are compiled Go code: thousands of them per build, where html/template's
// reflective execution cost more than everything else of a page. Every value is escaped by
// htmlWriter exactly as html/template escapes it in the same place (FuzzHTMLWriter), and
// the pages are byte for byte what the templates they replace wrote.

// pageWriter writes one page of a build.
type pageWriter struct {
	htmlWriter
	b *builder
}

// lits caches the translated, escaped interface texts of a build (the templates resolved
// them once, at parse time).
type lits struct{ m sync.Map }

// l writes an interface text in the site's language.
func (w *pageWriter) l(s string) {
	if v, ok := w.b.lits.m.Load(s); ok {
		w.s(v.(string))
		return
	}
	v := template.HTMLEscapeString(w.b.t(s))
	w.b.lits.m.Store(s, v)
	w.s(v)
}

// lit writes an interface text between two pieces of markup.
func (w *pageWriter) lit(open, s, close string) {
	w.s(open)
	w.l(s)
	w.s(close)
}

// tr writes a value's name in the site's language ({{t .Value}}).
func (w *pageWriter) tr(s string) { w.text(w.b.t(s)) }

func (w *pageWriter) badge(v string) { w.buf = w.b.appendBadge(w.buf, v) }

func (w *pageWriter) ref(r ref) { w.buf = appendRef(w.buf, r) }

func (w *pageWriter) refTitle(r ref) { w.buf = appendRefTitle(w.buf, r) }

func (w *pageWriter) idlinks(s string) { w.buf = w.b.appendLinkText(w.buf, s) }

func (w *pageWriter) none() {
	w.lit(`<span class="muted">`, "none", `</span>`)
}

func (w *pageWriter) suspectBadge() {
	w.lit(` <span class="badge stale suspect">`, "suspect", `</span>`)
}

// compiledPages are the pages written by Go code instead of a template.
var compiledPages = map[string]func(*pageWriter, *pageData){
	"requirement": (*pageWriter).requirement,
	"change":      (*pageWriter).change,
	"acceptance":  (*pageWriter).acceptance,
	"feedback":    (*pageWriter).feedback,
	"evaluation":  (*pageWriter).evaluation,
	"matrix":      (*pageWriter).matrix,
	"roadmap":     (*pageWriter).roadmap,
}

func (w *pageWriter) head(p *pageData) {
	w.s("<!doctype html>\n<html lang=\"")
	w.text(p.Lang)
	w.s("\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"")
	w.text(p.CSP)
	w.s("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"reqtrail\">\n<title>")
	w.text(p.Title)
	w.s(" · ")
	w.text(p.SiteTitle)
	w.s("</title>\n")
	if p.Canonical != "" {
		w.s(`<link rel="canonical" href="`)
		w.url(p.Canonical)
		w.s("\">\n")
	}
	w.s(`<link rel="stylesheet" href="`)
	w.url(p.Root)
	w.s("assets/style.css\">\n<link rel=\"icon\" href=\"")
	w.url(p.Root)
	w.s("assets/favicon.svg\" type=\"image/svg+xml\">\n<script src=\"")
	w.url(p.Root)
	w.s("assets/site.js\" defer></script>\n")
	for _, sc := range p.Scripts {
		w.s(`<script src="`)
		w.url(p.Root)
		w.urlPart(sc)
		w.s("\" defer></script>\n")
	}
	if p.Live {
		w.s(`<script src="`)
		w.url(p.Root)
		w.s("assets/reload.js\" defer></script>\n")
	}
	w.s("</head>\n<body>\n")
	w.s(string(p.NavHTML))
	w.s("<main id=\"rt-main\" class=\"wrap\">\n")
}

func (w *pageWriter) foot(p *pageData) {
	w.s("</main>\n")
	w.s(string(p.FootHTML))
	w.s("</body>\n</html>\n")
}

// crumbs writes the breadcrumb line up to the record's own id.
func (w *pageWriter) crumbs(href, label string, ancestors []ref, id string) {
	w.lit(`<nav class="crumbs" aria-label="`, "Breadcrumb", `"><a href="`)
	w.s(href)
	w.s(`">`)
	w.l(label)
	w.s("</a>")
	for _, a := range ancestors {
		w.s(" › ")
		w.ref(a)
	}
	w.s(" › <span>")
	w.text(id)
	w.s("</span></nav>\n<div class=\"page-head record-head\">\n<h1><span class=\"rid\">")
}

// title ends the heading of a record page: its id and title.
func (w *pageWriter) title(r ref) {
	w.text(r.ID)
	w.s("</span> ")
	w.text(r.Title)
	w.s("</h1>\n<p class=\"badges\">")
}

func (w *pageWriter) source(file, href string) {
	w.s(`<p class="source muted"><code>`)
	w.text(file)
	w.s("</code>")
	if href != "" {
		w.s(` · <a href="`)
		w.url(href)
		w.lit(`">`, "File", " ↗</a>")
	}
	w.s("</p>")
}

// body writes the record's body as HTML, rendered straight into the page (no section for
// a body without content).
func (w *pageWriter) body(rec *record.Record) {
	start := len(w.buf)
	w.s("<section class=\"panel body md\">\n")
	n := len(w.buf)
	if w.buf = w.b.md.appendHTML(w.buf, rec.Body, rec.File, rec.ID); len(w.buf) == n {
		w.buf = w.buf[:start]
		return
	}
	w.s("\n</section>")
}

func (w *pageWriter) history(rows []historyRow, hasGit bool) {
	w.lit("\n<section class=\"panel\" id=\"rt-history\">\n<h2>", "History", "</h2>\n")
	switch {
	case len(rows) > 0:
		w.lit("\n<table class=\"tbl\">\n<thead><tr><th>", "Date", "</th><th>")
		w.l("Commit")
		w.lit("</th><th>", "Author", "</th><th>")
		w.l("Change")
		w.lit("</th><th>", "Status", "</th></tr></thead>\n<tbody>\n")
		for _, h := range rows {
			w.s(`<tr><td class="nowrap">`)
			w.text(h.Date)
			w.s("</td><td>")
			if h.Href != "" {
				w.s(`<a href="`)
				w.url(h.Href)
				w.s(`"><code>`)
				w.text(h.Short)
				w.s("</code></a>")
			} else {
				w.s("<code>")
				w.text(h.Short)
				w.s("</code>")
			}
			w.s(" ")
			w.text(h.Subject)
			if h.File != "" {
				w.s(` <span class="muted">→ <code>`)
				w.text(h.File)
				w.s("</code></span>")
			}
			w.s("</td><td>")
			w.text(h.Author)
			w.s("</td><td>")
			w.tr(h.Action)
			w.s(`</td><td class="nowrap">`)
			if h.From != "" {
				w.badge(h.From)
				w.s(" → ")
			}
			if h.To != "" {
				w.badge(h.To)
			}
			w.s("</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
	case hasGit:
		w.lit(`<p class="muted">`, "No commits yet: the record exists only in the working tree.", "</p>\n")
	default:
		w.lit(`<p class="muted">`, "No git history.", "</p>\n")
	}
	w.s("\n</section>\n")
}

// fields writes the fields panel of the record (fieldsHTML).
func (w *pageWriter) fields(rec *record.Record) {
	w.lit("\n<section class=\"panel fields\">\n<h2>", "Fields", "</h2>\n<dl class=\"kv\">\n")
	w.buf = w.b.appendFields(w.buf, rec)
	w.s("</dl>\n</section>\n")
}

// tail closes a change-request, acceptance, feedback or evaluation page: body, history,
// fields.
func (w *pageWriter) tail(rec *record.Record, hist []historyRow, hasGit bool) {
	w.body(rec)
	w.s("\n")
	w.history(hist, hasGit)
	w.s("\n</div>\n<aside class=\"record-side\">\n")
	w.fields(rec)
	w.s("\n</aside>\n</div>")
	w.s("\n")
}

// refList writes <ul class="plain"> of links with titles and, when known, statuses.
func (w *pageWriter) refList(refs []ref, status bool) {
	w.s(`<ul class="plain">`)
	for _, r := range refs {
		w.s("<li>")
		w.refTitle(r)
		if status {
			w.s(" ")
			if r.Status != "" {
				w.badge(r.Status)
			}
		}
		w.s("</li>")
	}
	w.s("</ul>")
}

func (w *pageWriter) cites(gs []citeGroup) {
	if len(gs) == 0 {
		w.none()
		return
	}
	w.s(`<ul class="plain cites">`)
	for _, g := range gs {
		w.s("<li>")
		w.citeGroup(g)
		w.s("</li>")
	}
	w.s("</ul>")
}

func (w *pageWriter) citeGroup(g citeGroup) {
	if g.Href != "" {
		w.s(`<a href="`)
		w.url(g.Href)
		w.s(`"><code>`)
		w.text(g.File)
		w.s("</code></a>")
	} else {
		w.s("<code>")
		w.text(g.File)
		w.s("</code>")
	}
	w.s(`<span class="lines">`)
	for _, l := range g.Lines {
		w.s(" ")
		if l.Href != "" {
			w.s(`<a href="`)
			w.url(l.Href)
			w.s(`">:`)
			w.int(l.Line)
			w.s("</a>")
		} else {
			w.s(":")
			w.int(l.Line)
		}
	}
	w.s("</span>")
}

// orDash writes s, or "—" when it is empty ({{or .X "—"}}).
func (w *pageWriter) orDash(s string) {
	if s == "" {
		s = "—"
	}
	w.text(s)
}

func (w *pageWriter) requirement(p *pageData) {
	v := p.Data.(*reqView)
	w.head(p)
	w.s("\n")
	w.crumbs("../requirements.html", "Requirements", v.Ancestors, v.Ref.ID)
	w.title(v.Ref)
	w.badge(v.Status)
	for _, s := range []string{v.Type, v.MoSCoW, v.Urgency} {
		if s != "" {
			w.s(" ")
			w.badge(s)
		}
	}
	w.s(` <span class="badge cov k-`)
	w.text(cls(v.Coverage))
	w.s(`">`)
	w.l("Coverage")
	w.l(": ")
	w.tr(v.Coverage)
	w.s("</span>")
	if v.ICE != 0 {
		w.s(` <span class="badge">ICE `)
		w.int(v.ICE)
		w.s("</span>")
	}
	if v.Demand != 0 {
		w.s(` <a class="badge demand" href="#rt-feedback">`)
		w.l("Demand")
		w.l(": ")
		w.int(v.Demand)
		w.s("</a>")
	}
	w.s("</p>\n")
	w.source(v.File, v.FileHref)
	w.s("\n</div>\n")
	if v.AnyStale {
		w.lit(`<p class="note warn">⚠ `, "This requirement changed after it was accepted: the acceptance is stale.", "</p>")
	}
	w.s("\n")
	if v.AnySuspect {
		w.lit(`<p class="note warn" id="rt-suspect">⚠ `, "A parent or linked requirement changed meaning since this one was reviewed against it: review it, then run reqtrail review.", "</p>")
	}
	w.s("\n<div class=\"record\">\n<div class=\"record-main\">\n")
	w.body(v.Rec)
	w.s("\n")
	if len(v.Criteria) > 0 {
		w.lit("<section class=\"panel\">\n<h2>", "Acceptance criteria", "</h2>\n<ol class=\"criteria\">\n")
		for _, c := range v.Criteria {
			w.s("<li>")
			w.idlinks(c)
			w.s("</li>\n")
		}
		w.s("</ol>\n</section>")
	}
	w.lit("\n<section class=\"panel trace\" id=\"rt-trace\">\n<h2>", "Traceability", "</h2>\n<dl class=\"kv wide\">\n<dt>")
	w.l("Parent")
	w.s("</dt><dd>")
	if v.Parent != nil {
		w.refTitle(*v.Parent)
	} else {
		w.none()
	}
	if v.ParentSuspect {
		w.suspectBadge()
	}
	w.lit("</dd>\n<dt>", "Children", "</dt><dd>")
	if len(v.Children) > 0 {
		w.refList(v.Children, true)
	} else {
		w.none()
	}
	w.lit("</dd>\n<dt>", "Links", "</dt><dd>")
	if len(v.LinksOut) > 0 {
		w.s(`<ul class="plain">`)
		for _, l := range v.LinksOut {
			w.s(`<li><span class="ltype">`)
			w.text(l.Type)
			w.s("</span> ")
			w.refTitle(l.Ref)
			if l.Suspect {
				w.suspectBadge()
			}
			w.s("</li>")
		}
		w.s("</ul>")
	} else {
		w.none()
	}
	w.lit("</dd>\n<dt>", "Linked from", "</dt><dd>")
	if len(v.LinksIn) > 0 {
		w.s(`<ul class="plain">`)
		for _, l := range v.LinksIn {
			w.s(`<li><span class="ltype">`)
			w.text(l.Type)
			w.s("</span> ")
			w.refTitle(l.Ref)
			w.s("</li>")
		}
		w.s("</ul>")
	} else {
		w.none()
	}
	w.lit("</dd>\n<dt>", "Change requests", "</dt><dd>")
	if len(v.Changes) > 0 {
		w.s(`<ul class="plain">`)
		for _, c := range v.Changes {
			w.s("<li>")
			w.refTitle(c.CR)
			w.s(" ")
			w.badge(c.Status)
			if c.Action != "" {
				w.s(` <span class="muted">`)
				w.tr(c.Action)
				w.s("</span>")
			}
			w.s("</li>")
		}
		w.s("</ul>")
	} else {
		w.none()
	}
	w.lit("</dd>\n<dt>", "Acceptance", "</dt><dd>")
	if len(v.Acceptance) > 0 {
		w.s(`<ul class="plain">`)
		for _, a := range v.Acceptance {
			w.s("<li>")
			w.refTitle(a.Ref)
			w.s(" ")
			w.badge(a.Verdict)
			if a.Stale {
				w.lit(` <span class="badge stale">`, "stale", "</span>")
			}
			if a.Superseded {
				w.lit(` <span class="badge">`, "superseded", "</span>")
			}
			w.s(` <span class="muted">`)
			w.text(a.Date)
			w.s("</span></li>")
		}
		w.s("</ul>")
	} else {
		w.none()
	}
	w.lit("</dd>\n<dt>", "Code citations", "</dt><dd>")
	w.cites(v.Impl)
	w.lit("</dd>\n<dt>", "Test citations", "</dt><dd>")
	w.cites(v.Tests)
	w.s("</dd>\n</dl>\n</section>\n")
	if len(v.Feedback) > 0 || len(v.Customers) > 0 {
		w.lit("<section class=\"panel\" id=\"rt-feedback\">\n<h2>", "Customer feedback", "</h2>\n<p class=\"muted\">")
		w.l("Demand")
		w.s(" <b>")
		w.int(v.Demand)
		w.lit("</b> — ", "distinct customers who asked for it:", " ")
		for i, c := range v.Customers {
			if i > 0 {
				w.s(", ")
			}
			w.text(c)
		}
		w.s("</p>\n")
		for _, q := range v.Feedback {
			w.s("<figure class=\"quote\">\n<blockquote class=\"md\">")
			w.s(string(q.Words))
			w.s("</blockquote>\n<figcaption>")
			w.refTitle(q.Ref)
			w.s(" — <b>")
			w.text(q.Customer)
			w.s("</b>")
			if q.Channel != "" {
				w.s(" · ")
				w.tr(q.Channel)
			}
			if q.Date != "" {
				w.s(` · <span class="nowrap">`)
				w.text(q.Date)
				w.s("</span>")
			}
			if q.Weight != 0 {
				w.lit(" · ", "weight", " ")
				w.int(q.Weight)
			}
			w.s("</figcaption>\n</figure>\n")
		}
		w.s("</section>")
	}
	w.s("\n")
	if v.HasResults {
		w.lit("<section class=\"panel\" id=\"rt-results\">\n<h2>", "Test results", "</h2>\n")
		if len(v.Results) > 0 {
			w.lit("<table class=\"tbl\">\n<thead><tr><th>", "Test case", "</th><th>")
			w.l("File")
			w.lit("</th><th>", "Result", "</th><th>")
			w.l("Time")
			w.s("</th></tr></thead>\n<tbody>\n")
			for _, r := range v.Results {
				w.s("<tr><td><code>")
				w.text(r.Name)
				w.s("</code></td><td>")
				if r.File != "" {
					w.s("<code>")
					w.text(r.File)
					w.s("</code>")
				}
				w.s(`</td><td><span class="badge k-`)
				w.text(cls(r.Status))
				w.s(`">`)
				w.tr(r.Status)
				w.s(`</span></td><td class="num nowrap">`)
				w.text(r.Time)
				w.s("</td></tr>\n")
			}
			w.s("</tbody>\n</table>")
		} else {
			w.lit(`<p class="muted">`, "No test case in the results verifies this requirement.", "</p>")
		}
		w.s("\n</section>")
	}
	w.s("\n")
	if v.Effect != nil {
		w.effect(v.Effect)
	}
	w.s("\n")
	if im := v.Impact; im != nil {
		w.lit("<section class=\"panel\" id=\"rt-impact\">\n<h2>", "Impact", "</h2>\n<p class=\"muted\">")
		w.l("What depends on this requirement: if its meaning changes, these may need another look.")
		w.s("</p>\n<ul class=\"legend inline\">")
		for _, c := range im.Counts {
			w.s("<li>")
			w.text(c.Label)
			w.s(" <b>")
			w.int(c.Value)
			w.s("</b></li>")
		}
		w.lit("</ul>\n<table class=\"tbl\">\n<thead><tr><th>", "Requirement", "</th><th>")
		w.l("Depth")
		w.lit("</th><th>", "Reached", "</th></tr></thead>\n<tbody>\n")
		for _, r := range im.Rows {
			w.s("<tr><td>")
			w.refTitle(r.Ref)
			if r.Suspect {
				w.suspectBadge()
			}
			w.s(`</td><td class="num">`)
			w.int(r.Depth)
			w.s(`</td><td><span class="ltype">`)
			w.text(r.Via)
			w.s("</span> ")
			w.ref(r.From)
			w.s("</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n")
		if im.More != 0 {
			w.s(`<p class="muted">+`)
			w.int(im.More)
			w.s("</p>")
		}
		w.s("\n</section>")
	}
	w.s("\n")
	w.history(v.History, v.HasGit)
	w.s("\n</div>\n<aside class=\"record-side\">\n")
	w.fields(v.Rec)
	w.s("\n</aside>\n</div>\n")
	w.foot(p)
}

func (w *pageWriter) change(p *pageData) {
	v := p.Data.(*crView)
	w.head(p)
	w.s("\n")
	w.crumbs("../changes.html", "Change log", nil, v.Ref.ID)
	w.title(v.Ref)
	w.badge(v.Status)
	if v.Action != "" {
		w.s(" ")
		w.badge(v.Action)
	}
	w.s("</p>\n")
	w.source(v.File, v.FileHref)
	w.lit("\n</div>\n<div class=\"record\">\n<div class=\"record-main\">\n<section class=\"panel\">\n<h2>", "Affected requirements", "</h2>\n")
	if len(v.Affects) > 0 {
		w.refList(v.Affects, true)
	} else {
		w.lit(`<p class="muted">`, "none", "</p>")
	}
	w.s("\n</section>\n")
	if d := v.Decision; d != nil {
		w.lit("<section class=\"panel decision\">\n<h2>", "Decision", "</h2>\n<p><b>")
		w.text(d.By)
		w.s("</b> · ")
		w.text(d.Date)
		w.s("</p>\n")
		if d.Note != "" {
			w.s("<p>")
			w.idlinks(d.Note)
			w.s("</p>")
		}
		w.s("\n</section>")
	}
	w.s("\n")
	w.tail(v.Rec, v.History, v.HasGit)
	w.foot(p)
}

func (w *pageWriter) acceptance(p *pageData) {
	v := p.Data.(*accRecView)
	w.head(p)
	w.s("\n")
	w.crumbs("../requirements.html", "Requirements", nil, v.Ref.ID)
	w.title(v.Ref)
	w.badge(v.Verdict)
	if v.AnyStale {
		w.lit(` <span class="badge stale">`, "stale", "</span>")
	}
	w.s("</p>\n")
	w.source(v.File, v.FileHref)
	w.s("\n</div>\n")
	if v.AnyStale {
		w.lit(`<p class="note warn">⚠ `, "The requirement changed after the customer accepted it.", "</p>")
	}
	w.lit("\n<div class=\"record\">\n<div class=\"record-main\">\n<section class=\"panel\">\n<h2>", "Requirements", "</h2>\n<table class=\"tbl\">\n<thead><tr><th>")
	w.l("Requirement")
	w.lit("</th><th>", "Recorded fingerprint", "</th><th>")
	w.l("Current fingerprint")
	w.s("</th><th></th></tr></thead>\n<tbody>\n")
	for _, r := range v.Reqs {
		w.s("<tr><td>")
		w.refTitle(r.Ref)
		w.s("</td><td><code>")
		w.text(r.Recorded)
		w.s("</code></td><td><code>")
		w.text(r.Current)
		w.s("</code></td><td>")
		switch {
		case r.Stale:
			w.s(`<span class="badge stale">`)
			w.l("stale")
		case r.Superseded:
			w.s(`<span class="badge">`)
			w.l("superseded")
		case r.Missing:
			w.s(`<span class="badge stale">`)
			w.l("unknown")
		default:
			w.s(`<span class="badge k-accepted">`)
			w.l("current")
		}
		w.s("</span></td></tr>\n")
	}
	w.s("</tbody>\n</table>\n</section>\n")
	if len(v.Criteria) > 0 {
		w.lit("<section class=\"panel\">\n<h2>", "Criteria", "</h2>\n<table class=\"tbl\">\n<tbody>\n")
		for _, c := range v.Criteria {
			w.s(`<tr><td class="met">`)
			switch c.Met {
			case "met":
				w.lit(`<span class="yes" title="`, "met", `">✓</span>`)
			case "not met":
				w.lit(`<span class="no" title="`, "not met", `">✗</span>`)
			}
			w.s("</td><td>")
			w.idlinks(c.Criterion)
			w.s("</td><td>")
			if c.Req.ID != "" {
				w.ref(c.Req)
			}
			w.s("</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n</section>")
	}
	w.s("\n")
	if len(v.Evidence) > 0 {
		w.lit("<section class=\"panel\">\n<h2>", "Evidence", "</h2>\n<ul class=\"plain\">")
		for _, e := range v.Evidence {
			w.s("<li>")
			if e.Href != "" {
				w.s(`<a href="`)
				w.url(e.Href)
				w.s(`"><code>`)
				w.text(e.Text)
				w.s("</code></a>")
			} else {
				w.s("<code>")
				w.text(e.Text)
				w.s("</code>")
			}
			w.s("</li>")
		}
		w.s("</ul>\n</section>")
	}
	w.s("\n")
	w.tail(v.Rec, v.History, v.HasGit)
	w.foot(p)
}

func (w *pageWriter) feedback(p *pageData) {
	v := p.Data.(*feedbackView)
	w.head(p)
	w.s("\n")
	w.crumbs("../pool.html", "Requirement pool", nil, v.Ref.ID)
	w.title(v.Ref)
	w.lit(`<span class="badge">`, "Customer", ": ")
	w.text(v.Customer)
	w.s("</span>")
	if v.Channel != "" {
		w.s(" ")
		w.badge(v.Channel)
	}
	if v.Date != "" {
		w.s(` <span class="badge">`)
		w.text(v.Date)
		w.s("</span>")
	}
	if v.Untriaged {
		w.lit(` <span class="badge stale">`, "untriaged", "</span>")
	}
	w.s("</p>\n")
	w.source(v.File, v.FileHref)
	w.lit("\n</div>\n<div class=\"record\">\n<div class=\"record-main\">\n<section class=\"panel\" id=\"rt-supports\">\n<h2>", "Supports", "</h2>\n")
	if len(v.Supports) > 0 {
		w.refList(v.Supports, true)
	} else {
		w.lit(`<p class="muted">`, "No requirement yet: this feedback waits in the requirement pool.", "</p>")
	}
	w.s("\n</section>\n")
	w.tail(v.Rec, v.History, v.HasGit)
	w.foot(p)
}

func (w *pageWriter) evaluation(p *pageData) {
	v := p.Data.(*evalView)
	w.head(p)
	w.s("\n")
	w.crumbs("../index.html#rt-effect", "Effect", nil, v.Ref.ID)
	w.title(v.Ref)
	if v.Verdict != "" {
		w.badge(v.Verdict)
	} else {
		w.lit(`<span class="badge stale">`, "no verdict yet", "</span>")
	}
	w.s("</p>\n")
	w.source(v.File, v.FileHref)
	w.s("\n</div>\n")
	if v.VerdictIsMet && v.AnyUnmet {
		w.lit(`<p class="note warn">⚠ `, "The verdict is met, but a result misses its target.", "</p>")
	}
	w.lit("\n<div class=\"record\">\n<div class=\"record-main\">\n<section class=\"panel\">\n<h2>", "Evaluation", "</h2>\n<dl class=\"kv wide\">\n<dt>")
	w.l("Date")
	w.s(`</dt><dd class="nowrap">`)
	w.text(v.Date)
	w.lit("</dd>\n<dt>", "Evaluated by", "</dt><dd>")
	w.text(v.By)
	w.s("</dd>\n")
	if v.Period != "" {
		w.lit("<dt>", "Period", `</dt><dd class="nowrap">`)
		w.text(v.Period)
		w.s("</dd>")
	}
	w.lit("\n<dt>", "Requirements", "</dt><dd>")
	w.refList(v.Reqs, false)
	w.s("</dd>\n")
	if len(v.FollowUp) > 0 {
		w.lit("<dt>", "Follow-up", "</dt><dd>")
		w.refList(v.FollowUp, false)
		w.s("</dd>")
	}
	w.lit("\n</dl>\n</section>\n<section class=\"panel\" id=\"rt-results\">\n<h2>", "Results", "</h2>\n")
	w.results(v.Results)
	w.s("\n</section>\n")
	w.tail(v.Rec, v.History, v.HasGit)
	w.foot(p)
}

// results is a table of evaluation results, each against its baseline and target.
func (w *pageWriter) results(rs []resultView) {
	if len(rs) == 0 {
		w.lit(`<p class="muted">`, "No results recorded.", "</p>")
		return
	}
	w.lit("<table class=\"tbl results\">\n<thead><tr><th>", "Metric", "</th><th>")
	w.l("Requirement")
	w.lit(`</th><th class="num">`, "Baseline", `</th><th class="num">`)
	w.l("Target")
	w.lit("</th><th>", "Direction", `</th><th class="num">`)
	w.l("Actual")
	w.lit("</th><th>", "Result", "</th></tr></thead>\n<tbody>\n")
	for _, r := range rs {
		w.s("<tr><td>")
		w.text(r.Metric)
		if r.Unit != "" {
			w.s(` <span class="muted">(`)
			w.text(r.Unit)
			w.s(")</span>")
		}
		w.s("</td><td>")
		if r.Req.ID != "" {
			w.ref(r.Req)
		} else {
			w.lit(`<span class="muted">`, "ad hoc", "</span>")
		}
		w.s(`</td><td class="num">`)
		w.orDash(r.Baseline)
		w.s(`</td><td class="num">`)
		w.orDash(r.Target)
		w.s("</td><td>")
		w.orDash(r.Better)
		w.s(`</td><td class="num">`)
		w.orDash(r.Actual)
		w.s("</td><td>")
		switch r.State {
		case "met":
			w.lit(`<span class="badge k-met">✓ `, "met", "</span>")
		case "not met":
			w.lit(`<span class="badge k-not-met">✗ `, "not met", "</span>")
		default:
			w.lit(`<span class="muted">`, "not judged", "</span>")
		}
		w.s("</td></tr>\n")
	}
	w.s("</tbody>\n</table>")
}

// effect is the Effect panel of a requirement page.
func (w *pageWriter) effect(e *effectView) {
	w.lit("<section class=\"panel\" id=\"rt-effect\">\n<h2>", "Effect", "</h2>\n")
	if e.Overdue != "" {
		w.lit(`<p class="note warn">⚠ `, "The effect evaluation is overdue.", ` <span class="muted">`)
		w.text(e.Overdue)
		w.s("</span></p>")
	}
	w.s("\n")
	if len(e.Metrics) > 0 {
		w.lit("<h3>", "Metrics", "</h3>\n<table class=\"tbl compact\">\n<thead><tr><th>")
		w.l("Metric")
		w.lit(`</th><th class="num">`, "Baseline", `</th><th class="num">`)
		w.l("Target")
		w.lit("</th><th>", "Direction", "</th></tr></thead>\n<tbody>\n")
		for _, m := range e.Metrics {
			w.s("<tr><td>")
			w.text(m.Name)
			if m.Unit != "" {
				w.s(` <span class="muted">(`)
				w.text(m.Unit)
				w.s(")</span>")
			}
			w.s(`</td><td class="num">`)
			w.orDash(m.Baseline)
			w.s(`</td><td class="num">`)
			w.text(m.Target)
			w.s("</td><td>")
			w.orDash(m.Better)
			w.s("</td></tr>\n")
		}
		w.s("</tbody>\n</table>")
	}
	w.lit("\n<h3>", "Evaluations", "</h3>\n")
	if len(e.Evals) > 0 {
		w.s(`<ul class="plain">`)
		for _, ev := range e.Evals {
			w.s("<li>")
			w.refTitle(ev.Ref)
			w.s(" ")
			if ev.Verdict != "" {
				w.badge(ev.Verdict)
			}
			w.s(` <span class="muted">`)
			w.text(ev.Date)
			w.s("</span></li>")
		}
		w.s("</ul>\n")
		w.results(e.Results)
	} else {
		w.lit(`<p class="muted">`, "No evaluation yet.", "</p>")
	}
	w.s("\n</section>")
}
