package site

import (
	"html/template"
	"strings"
	"testing"
)

// escapeTemplates run html/template on one value in each context the compiled pages write
// values in.
var escapeTemplates = template.Must(template.New("").Parse(
	`{{define "text"}}<p>{{.}}</p>{{end}}` +
		`{{define "attr"}}<a title="{{.}}">{{end}}` +
		`{{define "url"}}<a href="{{.}}">{{end}}` +
		`{{define "urlpart"}}<a href="../{{.}}">{{end}}` +
		`{{define "title"}}<title>{{.}}</title>{{end}}`))

func htmlTemplate(t testing.TB, name, v string) string {
	var sb strings.Builder
	if err := escapeTemplates.ExecuteTemplate(&sb, name, v); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// checkEscaping compares the writer's escapers with html/template's on s.
func checkEscaping(t testing.TB, s string) {
	var w htmlWriter
	w.s("<p>")
	w.text(s)
	w.s("</p>")
	if got, want := string(w.buf), htmlTemplate(t, "text", s); got != want {
		t.Errorf("text %q: %q, html/template %q", s, got, want)
	}
	w = htmlWriter{}
	w.s(`<a title="`)
	w.text(s)
	w.s(`">`)
	if got, want := string(w.buf), htmlTemplate(t, "attr", s); got != want {
		t.Errorf("attribute %q: %q, html/template %q", s, got, want)
	}
	w = htmlWriter{}
	w.s(`<title>`)
	w.text(s)
	w.s(`</title>`)
	if got, want := string(w.buf), htmlTemplate(t, "title", s); got != want {
		t.Errorf("title %q: %q, html/template %q", s, got, want)
	}
	w = htmlWriter{}
	w.s(`<a href="`)
	w.url(s)
	w.s(`">`)
	if got, want := string(w.buf), htmlTemplate(t, "url", s); got != want {
		t.Errorf("URL %q: %q, html/template %q", s, got, want)
	}
	w = htmlWriter{}
	w.s(`<a href="../`)
	w.urlPart(s)
	w.s(`">`)
	if got, want := string(w.buf), htmlTemplate(t, "urlpart", s); got != want {
		t.Errorf("URL part %q: %q, html/template %q", s, got, want)
	}
	if got, want := string(appendEscaped(nil, s)), template.HTMLEscapeString(s); got != want {
		t.Errorf("HTMLEscapeString %q: %q, want %q", s, got, want)
	}
}

var escapeSeeds = []string{
	"", "plain", `<script>alert("x")</script>`, `" onmouseover="alert(1)`, "it's & that + this",
	"javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,<b>", "http://example.org/a b?c=d&e=f#g",
	"https://例え.jp/パス", "mailto:a@b.c", "../r/REQ-0001.html", "a\x00b", "%zz%41", "/a:b", "\xff\xfe", "\u2028\u2029",
	"tab\there\nnewline", "`backtick`", "{{.}}", "100%", "C:\\path",
}

func TestHTMLWriterEscapes(t *testing.T) {
	for _, s := range escapeSeeds {
		checkEscaping(t, s)
	}
}

// FuzzHTMLWriter: the compiled pages escape text, attributes and URLs exactly as
// html/template does, whatever a record holds.
func FuzzHTMLWriter(f *testing.F) {
	for _, s := range escapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkEscaping(t, s) })
}
