package site

import (
	"embed"
	"html/template"
	"io/fs"
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

// parseTemplates parses the page templates with the build's functions.
func parseTemplates(b *builder) (*template.Template, error) {
	funcs := template.FuncMap{
		"t":   b.t,
		"cls": cls,
		"list": func(root string, kv ...string) string {
			return listHref(root, kv...)
		},
		"add": func(a, b int) int { return a + b },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
		"short": func(s string) string { return s[:min(len(s), 12)] },
	}
	return template.New("site").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
}
