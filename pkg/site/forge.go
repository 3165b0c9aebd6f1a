package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// forge builds links to files and commits on the repository's web host (site.repo-url).
type forge struct {
	base   string // e.g. https://github.com/acme/service, no trailing slash; "" disables links
	style  string // github, gitlab, bitbucket, gitea
	commit string // commit files are linked at
	prefix string // project root inside the repository
}

func newForge(repoURL, commit, prefix string) forge {
	u, err := url.Parse(strings.TrimSpace(repoURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return forge{}
	}
	f := forge{base: strings.TrimSuffix(strings.TrimSuffix(u.String(), "/"), ".git"), commit: commit, prefix: strings.Trim(prefix, "/")}
	host := strings.ToLower(u.Host)
	switch {
	case strings.Contains(host, "gitlab"):
		f.style = "gitlab"
	case strings.Contains(host, "bitbucket"):
		f.style = "bitbucket"
	case strings.Contains(host, "gitea") || strings.Contains(host, "codeberg") || strings.Contains(host, "forgejo"):
		f.style = "gitea"
	default:
		f.style = "github"
	}
	if f.commit == "" {
		f.commit = "HEAD"
	}
	return f
}

// file returns the address of a project file (at line, when > 0), or "".
func (f forge) file(p string, line int) string {
	if f.base == "" || p == "" {
		return ""
	}
	full := path.Join(f.prefix, p)
	var segs []string
	for _, s := range strings.Split(full, "/") {
		segs = append(segs, url.PathEscape(s))
	}
	ep := strings.Join(segs, "/")
	var u, anchor string
	switch f.style {
	case "gitlab":
		u = fmt.Sprintf("%s/-/blob/%s/%s", f.base, f.commit, ep)
	case "bitbucket":
		u = fmt.Sprintf("%s/src/%s/%s", f.base, f.commit, ep)
		if line > 0 {
			anchor = fmt.Sprintf("#lines-%d", line)
		}
	case "gitea":
		u = fmt.Sprintf("%s/src/commit/%s/%s", f.base, f.commit, ep)
	default:
		u = fmt.Sprintf("%s/blob/%s/%s", f.base, f.commit, ep)
	}
	if line > 0 && anchor == "" {
		anchor = fmt.Sprintf("#L%d", line)
	}
	return u + anchor
}

// commitURL returns the address of a commit, or "".
func (f forge) commitURL(hash string) string {
	if f.base == "" || hash == "" {
		return ""
	}
	switch f.style {
	case "gitlab":
		return f.base + "/-/commit/" + hash
	case "bitbucket":
		return f.base + "/commits/" + hash
	default:
		return f.base + "/commit/" + hash
	}
}
