package site

// The traceability matrix and the roadmap show every requirement, and are compiled Go code
// like the record pages: html/template's reflective execution of their rows cost a fifth
// of the CPU time of the pages of a build. They are byte for byte what their templates
// wrote (the goldens of TestReportPageGoldens were written by the templates).

func (w *pageWriter) matrix(p *pageData) {
	v := p.Data.(*matrixView)
	w.head(p)
	w.lit("\n<div class=\"page-head\">\n<h1>", "Traceability matrix", "</h1>\n<ul class=\"legend inline\">\n")
	for _, s := range v.Summary {
		w.s(`<li><a href="`)
		w.url(s.Href)
		w.s(`"><span class="sw k-`)
		w.text(cls(s.Key))
		w.s(`"></span>`)
		w.text(s.Label)
		w.s("</a> <b>")
		w.int(s.Value)
		w.s(`</b> <span class="muted">`)
		w.text(s.Pct)
		w.s("</span></li>\n")
	}
	w.s("</ul>\n</div>\n<div class=\"table-wrap\">\n<table class=\"tbl matrix\">\n<thead><tr>")
	for _, h := range []string{"Requirement", "Status", "Coverage", "Parent", "Children", "Change requests", "Acceptance", "Implementation", "Tests"} {
		w.lit("<th>", h, "</th>")
	}
	if v.HasResults {
		w.lit("<th>", "Test results", "</th>")
	}
	w.s("</tr></thead>\n<tbody>\n")
	for i := range v.Rows {
		w.matrixRow(&v.Rows[i], v.HasResults)
	}
	w.s("</tbody>\n</table>\n</div>\n")
	w.foot(p)
}

func (w *pageWriter) matrixRow(r *matrixRow, hasResults bool) {
	w.s("<tr><td>")
	w.refTitle(r.Req)
	if len(r.Suspect) > 0 {
		w.lit(` <span class="badge stale suspect" title="`, "suspect", "")
		w.l(": ")
		for _, s := range r.Suspect {
			w.text(s.ID)
			w.s(" ")
		}
		w.lit(`">`, "suspect", "</span>")
	}
	w.s("</td><td>")
	w.badge(r.Req.Status)
	w.s("</td><td>")
	w.badge(r.Coverage)
	w.s("</td><td>")
	if r.Parent != nil {
		w.ref(*r.Parent)
	}
	w.s("</td><td>")
	for _, c := range r.Children {
		w.ref(c)
		w.s(" ")
	}
	w.s("</td><td>")
	for _, c := range r.Changes {
		w.ref(c)
		w.s(" ")
	}
	w.s("</td><td>")
	for _, a := range r.Acceptance {
		w.s(`<span class="nowrap">`)
		w.ref(a.Ref)
		switch {
		case a.Stale:
			w.lit(` <span class="badge stale">`, "stale", "</span>")
		case a.Superseded:
			w.lit(` <span class="muted">`, "superseded", "</span>")
		default:
			w.s(` <span class="muted">`)
			w.tr(a.Verdict)
			w.s("</span>")
		}
		w.s("</span> ")
	}
	w.s(`</td><td class="cites">`)
	w.matrixCites(r.Impl, r.MoreImpl)
	w.s(`</td><td class="cites">`)
	w.matrixCites(r.Tests, r.MoreTests)
	w.s("</td>")
	if hasResults {
		w.s(`<td class="results">`)
		for _, res := range r.Results {
			w.s(`<div class="nowrap"><span class="badge k-`)
			w.text(cls(res.Status))
			w.s(`">`)
			w.tr(res.Status)
			w.s("</span> <code>")
			w.text(res.Name)
			w.s(`</code> <span class="muted">`)
			w.text(res.Time)
			w.s("</span></div>")
		}
		w.s("</td>")
	}
	w.s("</tr>\n")
}

// matrixCites writes a matrix cell's cited files, and how many more there are.
func (w *pageWriter) matrixCites(gs []citeGroup, more int) {
	for _, g := range gs {
		w.s("<div>")
		w.citeGroup(g)
		w.s("</div>")
	}
	if more != 0 {
		w.s(`<span class="muted">+`)
		w.int(more)
		w.s("</span>")
	}
}

func (w *pageWriter) roadmap(p *pageData) {
	v := p.Data.(*roadmapView)
	w.head(p)
	w.lit("\n<div class=\"page-head\">\n<h1>", "Roadmap", "</h1>\n</div>\n")
	if v.Overview != "" {
		w.s("<section class=\"panel\">\n")
		w.s(string(v.Overview))
		w.s("\n</section>")
	}
	w.s("\n")
	if v.Undated != 0 {
		w.lit(`<p class="muted">`, "Requirements without dates", "")
		w.l(": ")
		w.int(v.Undated)
		w.s("</p>")
	}
	w.s("\n")
	for i := range v.Releases {
		rel := &v.Releases[i]
		w.s(`<section class="panel" id="`)
		w.text(rel.Anchor)
		w.s("\">\n<h2>")
		w.text(rel.Name)
		w.s(` <span class="muted">· `)
		w.int(len(rel.Reqs))
		w.lit(" ", "requirements", " · ")
		w.text(rel.Progress)
		w.lit(" ", "done", "")
		if rel.From != "" || rel.To != "" {
			w.s(" · ")
			w.text(rel.From)
			w.s(" → ")
			w.text(rel.To)
		}
		w.s("</span></h2>\n")
		w.s(string(rel.Chart))
		w.lit("\n<details>\n<summary>", "Requirements", "</summary>\n<table class=\"tbl compact\">\n<thead><tr>")
		for _, h := range []string{"Requirement", "Status", "Owner", "Start", "Due", "Coverage"} {
			w.lit("<th>", h, "</th>")
		}
		w.s("</tr></thead>\n<tbody>\n")
		for j := range rel.Reqs {
			q := &rel.Reqs[j]
			w.s("<tr><td>")
			w.refTitle(q.Ref)
			w.s("</td><td>")
			w.badge(q.Status)
			w.s("</td><td>")
			w.text(q.Owner)
			w.s(`</td><td class="nowrap">`)
			w.text(q.Start)
			w.s(`</td><td class="nowrap">`)
			w.text(q.Due)
			w.s("</td><td>")
			w.badge(q.Coverage)
			w.s("</td></tr>\n")
		}
		w.s("</tbody>\n</table>\n</details>\n</section>\n")
	}
	w.s("\n")
	w.foot(p)
}
