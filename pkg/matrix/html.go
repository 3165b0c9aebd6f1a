package matrix

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/graph"
)

// WriteHTML writes one self-contained HTML page (inline CSS, no script, no network). Every
// value goes through html/template's contextual escaping.
func (m *Matrix) WriteHTML(w io.Writer) error {
	type state struct {
		Name    graph.Coverage
		Count   int
		Percent string
	}
	var states []state
	for _, c := range graph.Coverages {
		states = append(states, state{c, m.Summary.Count(c), percent(m.Summary.Count(c), m.Summary.Total)})
	}
	return htmlPage.Execute(w, struct {
		*Matrix
		States []state
	}{m, states})
}

// Link returns the forge URL of file (relative to the project root) at line, "" without a
// repo-url; line 0 links the file.
func (m *Matrix) Link(file string, line int) string {
	if m.RepoURL == "" {
		return ""
	}
	u := strings.TrimSuffix(m.RepoURL, "/") + "/blob/HEAD/" + m.Prefix + file
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return u
}

var htmlPage = template.Must(template.New("matrix").Funcs(template.FuncMap{
	"pct": func(n, total int) string {
		if total == 0 {
			return "0"
		}
		return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)
	},
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Traceability matrix{{with .Project}} — {{.}}{{end}}</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --accepted: #1a7f37; --verified: #0969da; --implemented: #9a6700; --untraced: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23;
  --accepted: #3fb950; --verified: #4493f8; --implemented: #d29922; --untraced: #f85149; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: var(--fg); margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.muted { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 1.25rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; min-width: 9rem; }
.card b { font-size: 1.3rem; display: block; }
.bar { height: 4px; background: var(--line); border-radius: 2px; margin-top: .35rem; }
.bar span { display: block; height: 4px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--head); }
td.title { min-width: 16rem; }
td.id, td.nowrap { white-space: nowrap; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ul { margin: 0; padding: 0; list-style: none; }
li { white-space: nowrap; }
code { font-size: 12px; }
.badge { display: inline-block; border-radius: 1em; padding: 0 .55em; font-size: 12px; color: #fff; }
.accepted { background: var(--accepted); } .verified { background: var(--verified); }
.implemented { background: var(--implemented); } .untraced { background: var(--untraced); }
.stale { color: var(--untraced); font-weight: 600; }
</style>
</head>
<body>
<h1>Traceability matrix</h1>
<p class="muted">{{with .Project}}{{.}} · {{end}}{{.Summary.Total}} requirement{{if ne .Summary.Total 1}}s{{end}}{{if not .Traced}} · no <code>trace:</code> paths configured, so no code or test citations were sought{{end}}</p>
<div class="summary">
{{- range .States}}
<div class="card"><span class="badge {{.Name}}">{{.Name}}</span><b>{{.Count}}</b><span class="muted">{{.Percent}}</span>
<div class="bar"><span class="{{.Name}}" style="width: {{pct .Count $.Summary.Total}}%"></span></div></div>
{{- end}}
</div>
<table>
<thead><tr><th>ID</th><th>Title</th><th>Status</th><th>Coverage</th><th>Parent</th><th>Children</th><th>Changes</th><th>Acceptance</th><th>Implementation</th><th>Tests</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr id="{{.ID}}">
<td class="id">{{with $.Link .File 0}}<a href="{{.}}">{{end}}{{.ID}}{{if $.RepoURL}}</a>{{end}}</td>
<td class="title">{{.Title}}</td>
<td class="nowrap">{{.Status}}</td>
<td><span class="badge {{.Coverage}}">{{.Coverage}}</span></td>
<td class="nowrap">{{with .Parent}}<a href="#{{.}}">{{.}}</a>{{end}}</td>
<td><ul>{{range .Children}}<li><a href="#{{.}}">{{.}}</a></li>{{end}}</ul></td>
<td><ul>{{range .Changes}}<li>{{.}}</li>{{end}}</ul></td>
<td><ul>{{range .Acceptance}}<li>{{.ID}} {{.Verdict}}{{if .Stale}} <span class="stale">stale</span>{{end}}</li>{{end}}</ul></td>
<td><ul>{{range .Impl}}<li>{{with $.Link .File .Line}}<a href="{{.}}">{{end}}<code>{{.File}}:{{.Line}}</code>{{if $.RepoURL}}</a>{{end}}</li>{{end}}</ul></td>
<td><ul>{{range .Tests}}<li>{{with $.Link .File .Line}}<a href="{{.}}">{{end}}<code>{{.File}}:{{.Line}}</code>{{if $.RepoURL}}</a>{{end}}</li>{{end}}</ul></td>
</tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))
