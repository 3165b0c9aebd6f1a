package site

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders record bodies safely: GFM (tables, task lists, strikethrough, autolinks),
// heading anchors, no raw HTML (goldmark is used without html.WithUnsafe, so raw HTML is
// dropped), and every link and image checked by linkRewriter.
type markdown struct {
	md goldmark.Markdown
	rw *linkRewriter
}

// linkRewriter is the AST transformer that makes links safe and useful in the site: a link
// whose scheme is not http, https or mailto is replaced by its text (javascript:, vbscript:,
// data:, file: and the rest); a relative link to a record file goes to that record's page;
// another relative link goes to the file on the forge when the repository URL is known, and
// is dropped otherwise; images become links (the site loads nothing from the network) unless
// they are files of the repository, which are copied into the site. Record ids mentioned in
// the text link to their pages.
type linkRewriter struct {
	s *builder
}

// docInfo is the per-document state of a conversion.
type docInfo struct {
	file string // the record's file, relative to the project root
	self string // the record's id
	// files is set when the document shows a file of the repository (copied into the site).
	files bool
}

var docCtxKey = parser.NewContextKey()

func newMarkdown(s *builder) *markdown {
	rw := &linkRewriter{s: s}
	md := goldmark.New(
		// GFM, with table alignment as align attributes: a style attribute would be refused
		// by the Content-Security-Policy (style-src 'self').
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.TaskList,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(rw, 1000)),
		),
	)
	return &markdown{md: md, rw: rw}
}

// render converts the body of the record in file (id self) to HTML.
func (m *markdown) render(body, file, self string) string {
	bp := mdPool.Get().(*[]byte)
	out := m.appendHTML((*bp)[:0], body, file, self)
	s := string(out)
	if cap(out) <= 1<<20 { // an outsized body's buffer is left to the collector
		*bp = out[:0]
		mdPool.Put(bp)
	}
	return s
}

// appendHTML appends the HTML of the body of the record in file (id self) to dst; nothing
// for a body without content, or one goldmark fails on.
func (m *markdown) appendHTML(dst []byte, body, file, self string) []byte {
	if strings.TrimSpace(body) == "" {
		return dst
	}
	if out, ok := m.fastHTML(dst, body, self); ok {
		return out
	}
	return m.goldmarkHTML(dst, body, file, self)
}

// goldmarkHTML is appendHTML by goldmark, for a body with content.
func (m *markdown) goldmarkHTML(dst []byte, body, file, self string) []byte {
	ctx := parser.NewContext(parser.WithIDs(&headingIDs{seen: map[string]bool{}}))
	info := &docInfo{file: file, self: self}
	ctx.Set(docCtxKey, info)
	w := &mdWriter{buf: dst}
	if err := m.md.Convert([]byte(body), w, parser.WithContext(ctx)); err != nil {
		return dst
	}
	if info.files {
		m.rw.s.noteFiles(self)
	}
	return w.buf
}

// mdPool recycles the buffers of render: one per feedback quote.
var mdPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

// mdWriter appends goldmark's output to a byte slice. It is a util.BufWriter, so goldmark
// writes into it directly instead of through a bufio.Writer of its own (4 KB per body).
type mdWriter struct{ buf []byte }

func (w *mdWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *mdWriter) WriteString(s string) (int, error) {
	w.buf = append(w.buf, s...)
	return len(s), nil
}

func (w *mdWriter) WriteByte(c byte) error {
	w.buf = append(w.buf, c)
	return nil
}

func (w *mdWriter) WriteRune(r rune) (int, error) {
	n := len(w.buf)
	w.buf = utf8.AppendRune(w.buf, r)
	return len(w.buf) - n, nil
}

func (w *mdWriter) Available() int { return cap(w.buf) - len(w.buf) }
func (w *mdWriter) Buffered() int  { return len(w.buf) }
func (w *mdWriter) Flush() error   { return nil }

var _ util.BufWriter = (*mdWriter)(nil)

// headingIDs makes heading anchors that keep letters of every script (so Chinese headings
// get readable anchors), prefixed so they never collide with the page's own ids.
type headingIDs struct {
	seen map[string]bool
}

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(string(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() > 80 {
			break
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; h.seen[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	h.seen[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.seen[string(value)] = true }

// safeScheme reports whether a link destination may be kept as it is: no scheme (a relative
// link or an anchor) or http, https, mailto. Control characters and white space, which
// browsers ignore inside a scheme, are removed before looking.
func safeScheme(dest string) (scheme string, ok bool) {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, dest)
	i := strings.IndexAny(clean, ":/?#")
	if i < 0 || clean[i] != ':' {
		return "", true
	}
	scheme = strings.ToLower(clean[:i])
	switch scheme {
	case "http", "https", "mailto":
		return scheme, true
	}
	return scheme, false
}

var imageExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true, ".avif": true}

// Transform implements parser.ASTTransformer.
func (rw *linkRewriter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	info, _ := pc.Get(docCtxKey).(*docInfo)
	if info == nil {
		info = &docInfo{}
	}
	src := reader.Source()
	var replace []func()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			dest, keep := rw.linkTarget(string(n.Destination), info)
			if keep {
				n.Destination = []byte(dest)
				if strings.HasPrefix(dest, "http") {
					n.SetAttributeString("rel", []byte("noopener noreferrer"))
				}
			} else {
				replace = append(replace, func() { unwrap(n) })
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				if _, ok := safeScheme(string(n.URL(src))); !ok {
					label := n.Label(src)
					replace = append(replace, func() { swap(n, ast.NewString(append([]byte(nil), label...))) })
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			dest := string(n.Destination)
			alt := plainText(n, src)
			if local, ok := rw.localImage(dest, info); ok {
				n.Destination = []byte(local)
				return ast.WalkSkipChildren, nil
			}
			replace = append(replace, func() {
				if _, ok := safeScheme(dest); ok && (strings.HasPrefix(strings.ToLower(dest), "http:") || strings.HasPrefix(strings.ToLower(dest), "https:")) {
					l := ast.NewLink()
					l.Destination = []byte(dest)
					l.SetAttributeString("rel", []byte("noopener noreferrer"))
					if alt == "" {
						alt = dest
					}
					l.AppendChild(l, ast.NewString([]byte("🖼 "+alt)))
					swap(n, l)
					return
				}
				swap(n, ast.NewString([]byte(alt)))
			})
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			if id, ok := n.AttributeString("id"); ok {
				if idb, ok := id.([]byte); ok && len(idb) > 0 {
					replace = append(replace, func() {
						l := ast.NewLink()
						l.Destination = append([]byte("#"), idb...)
						l.SetAttributeString("class", []byte("anchor"))
						l.SetAttributeString("aria-hidden", []byte("true"))
						l.AppendChild(l, ast.NewString([]byte("#")))
						n.AppendChild(n, l)
					})
				}
			}
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if _, inLink := n.Parent().(*ast.Link); !inLink {
				if ids := rw.mentions(n.Segment.Value(src), info.self); len(ids) > 0 {
					replace = append(replace, func() { linkMentions(n, src, ids, rw) })
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, f := range replace {
		f()
	}
}

// linkTarget returns the site's destination for a link, or false to drop the link.
func (rw *linkRewriter) linkTarget(dest string, info *docInfo) (string, bool) {
	scheme, ok := safeScheme(dest)
	if !ok {
		return "", false
	}
	if scheme != "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") {
		return dest, true
	}
	p, frag, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if p == "" {
		return dest, true
	}
	full := resolveRel(info.file, p)
	if full == "" {
		return "", false
	}
	base := path.Base(full)
	if ext := path.Ext(base); ext == ".md" || ext == ".yaml" || ext == ".yml" {
		if rec := rw.s.r.ByID[strings.TrimSuffix(base, ext)]; rec != nil && rec.File == full {
			if h := rw.s.recordHref("", rec.ID); h != "" {
				if frag != "" {
					h += "#" + frag
				}
				return h, true
			}
		}
	}
	if u := rw.s.forge.file(full, 0); u != "" {
		return u, true
	}
	return "", false
}

// localImage copies an image of the repository into the site and returns its address
// relative to a record page.
func (rw *linkRewriter) localImage(dest string, info *docInfo) (string, bool) {
	if scheme, ok := safeScheme(dest); !ok || scheme != "" || strings.HasPrefix(dest, "//") {
		return "", false
	}
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	full := resolveRel(info.file, p)
	if full == "" || !imageExt[strings.ToLower(path.Ext(full))] {
		return "", false
	}
	info.files = true
	if !rw.s.copyFile(full) {
		return "", false
	}
	return "../files/" + full, true
}

// resolveRel resolves a relative link p from the record file, or "" when it leaves the
// project.
func resolveRel(file, p string) string {
	if strings.HasPrefix(p, "/") {
		p = path.Clean(strings.TrimLeft(p, "/"))
	} else {
		p = path.Join(path.Dir(file), p)
	}
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}

func unwrap(n ast.Node) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

func swap(old, n ast.Node) {
	if p := old.Parent(); p != nil {
		p.ReplaceChild(p, old, n)
	}
}

// text returns the words of a Markdown body as plain text: the text of its blocks, one space
// between lines and blocks, without markup, raw HTML or code.
func (m *markdown) text(body string) string {
	src := []byte(body)
	doc := m.md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch t := c.(type) {
		case *ast.Text:
			if entering {
				b.Write(t.Segment.Value(src))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(t.Value)
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		default:
			if !entering && c.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(src))
			case *ast.String:
				b.Write(t.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// idPattern finds candidate record ids in text; which ones exist is checked against the repo.
var idPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*-[0-9]+`)

type mention struct{ start, end int }

// maybeID reports whether t may hold a match of idPattern: a '-' between a run of letters
// and digits with a letter in it and a digit (dates such as 2024-02-12 do not), without
// running the expression.
func maybeID(t []byte) bool {
	for i := bytes.IndexByte(t, '-'); i >= 0; {
		if i+1 < len(t) && t[i+1] >= '0' && t[i+1] <= '9' {
			for j := i - 1; j >= 0; j-- {
				c := t[j] | 0x20 // lower case for letters
				if c >= 'a' && c <= 'z' {
					return true
				}
				if t[j] < '0' || t[j] > '9' {
					break
				}
			}
		}
		n := bytes.IndexByte(t[i+1:], '-')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// mentions finds the ids of known records in text, each with no letter or digit around it.
func (rw *linkRewriter) mentions(t []byte, self string) []mention {
	if !maybeID(t) {
		return nil
	}
	var out []mention
	for _, m := range idPattern.FindAllIndex(t, -1) {
		if m[0] > 0 {
			if r, _ := utf8.DecodeLastRune(t[:m[0]]); unicode.IsLetter(r) && r < 0x80 || unicode.IsDigit(r) {
				continue
			}
		}
		if m[1] < len(t) {
			if r, _ := utf8.DecodeRune(t[m[1]:]); unicode.IsLetter(r) && r < 0x80 || unicode.IsDigit(r) {
				continue
			}
		}
		id := string(t[m[0]:m[1]])
		if id == self || rw.s.r.ByID[id] == nil || rw.s.recordHref("", id) == "" {
			continue
		}
		out = append(out, mention{m[0], m[1]})
	}
	return out
}

// linkMentions splits text node n around the mentioned ids, linking each.
func linkMentions(n *ast.Text, src []byte, ms []mention, rw *linkRewriter) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	seg := n.Segment
	pos := 0
	for _, m := range ms {
		if m.start > pos {
			parent.InsertBefore(parent, n, ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Start+m.start)))
		}
		l := ast.NewLink()
		id := string(seg.Value(src)[m.start:m.end])
		l.Destination = []byte(rw.s.recordHref("", id))
		if rec := rw.s.r.ByID[id]; rec != nil && rec.Title != "" {
			l.Title = []byte(rec.Title)
		}
		l.AppendChild(l, ast.NewTextSegment(text.NewSegment(seg.Start+m.start, seg.Start+m.end)))
		parent.InsertBefore(parent, n, l)
		pos = m.end
	}
	rest := ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Stop))
	rest.SetSoftLineBreak(n.SoftLineBreak())
	rest.SetHardLineBreak(n.HardLineBreak())
	parent.ReplaceChild(parent, n, rest)
}
