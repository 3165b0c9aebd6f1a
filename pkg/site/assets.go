package site

import (
	"embed"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// assetNames lists the static files of the site (under assets/), sorted.
func assetNames() []string {
	var out []string
	_ = fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, "assets/"))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func assetData(name string) ([]byte, error) { return assetFS.ReadFile("assets/" + name) }

// literalT finds {{t "text"}} with a constant text: translated once at parse time, not on
// every page.
var literalT = regexp.MustCompile(`\{\{t "([^"{}]*)"\}\}`)

// parseTemplates parses the page templates with the build's functions.
func parseTemplates(b *builder) (*template.Template, error) {
	funcs := template.FuncMap{
		"t":        b.t,
		"cls":      cls,
		"badge":    b.badge,
		"refHTML":  refHTML,
		"reftitle": reftitle,
		"idlinks":  b.linkText,
	}
	root := template.New("site").Funcs(funcs)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, n := range names {
		src, err := templateFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		text := literalT.ReplaceAllStringFunc(string(src), func(m string) string {
			return template.HTMLEscapeString(b.t(literalT.FindStringSubmatch(m)[1]))
		})
		if _, err := root.New(n).Parse(text); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// badge renders a value as a coloured label.
func (b *builder) badge(v string) template.HTML {
	return template.HTML(`<span class="badge k-` + cls(v) + `">` + template.HTMLEscapeString(b.t(v)) + `</span>`)
}

// refHTML renders a link to a record, or its id struck through when it names none.
func refHTML(r ref) template.HTML {
	if r.Href == "" {
		return template.HTML(`<span class="ref missing" title="unknown">` + template.HTMLEscapeString(r.ID) + `</span>`)
	}
	var sb strings.Builder
	sb.WriteString(`<a class="ref" href="`)
	sb.WriteString(template.HTMLEscapeString(r.Href))
	sb.WriteString(`"`)
	if r.Title != "" {
		sb.WriteString(` title="`)
		sb.WriteString(template.HTMLEscapeString(r.Title))
		sb.WriteString(`"`)
	}
	sb.WriteString(`>`)
	sb.WriteString(template.HTMLEscapeString(r.ID))
	sb.WriteString(`</a>`)
	return template.HTML(sb.String())
}

// reftitle renders a link to a record followed by its title.
func reftitle(r ref) template.HTML {
	h := refHTML(r)
	if r.Title == "" {
		return h
	}
	return h + template.HTML(` <span class="ref-title">`+template.HTMLEscapeString(r.Title)+`</span>`)
}

// Stylesheet is the site's CSS; standalone report pages (matrix, diff) embed it, so
// reqtrail's look has one copy.
func Stylesheet() string {
	b, _ := assetData("style.css")
	return string(b)
}
