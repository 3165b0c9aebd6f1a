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
func (b *builder) badge(v string) template.HTML { return template.HTML(b.appendBadge(nil, v)) }

func (b *builder) appendBadge(dst []byte, v string) []byte {
	dst = append(dst, `<span class="badge k-`...)
	dst = append(dst, cls(v)...)
	dst = append(dst, `">`...)
	dst = appendEscaped(dst, b.t(v))
	return append(dst, `</span>`...)
}

// refHTML renders a link to a record, or its id struck through when it names none.
func refHTML(r ref) template.HTML { return template.HTML(appendRef(nil, r)) }

func appendRef(dst []byte, r ref) []byte {
	if r.Href == "" {
		dst = append(dst, `<span class="ref missing" title="unknown">`...)
		dst = appendEscaped(dst, r.ID)
		return append(dst, `</span>`...)
	}
	dst = append(dst, `<a class="ref" href="`...)
	dst = appendEscaped(dst, r.Href)
	dst = append(dst, '"')
	if r.Title != "" {
		dst = append(dst, ` title="`...)
		dst = appendEscaped(dst, r.Title)
		dst = append(dst, '"')
	}
	dst = append(dst, '>')
	dst = appendEscaped(dst, r.ID)
	return append(dst, `</a>`...)
}

// reftitle renders a link to a record followed by its title.
func reftitle(r ref) template.HTML { return template.HTML(appendRefTitle(nil, r)) }

func appendRefTitle(dst []byte, r ref) []byte {
	dst = appendRef(dst, r)
	if r.Title == "" {
		return dst
	}
	dst = append(dst, ` <span class="ref-title">`...)
	dst = appendEscaped(dst, r.Title)
	return append(dst, `</span>`...)
}

// Stylesheet is the site's CSS; standalone report pages (matrix, diff) embed it, so
// reqtrail's look has one copy.
func Stylesheet() string {
	b, _ := assetData("style.css")
	return string(b)
}
