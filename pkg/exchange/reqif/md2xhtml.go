package reqif

import (
	"bytes"
	"mime"
	"path"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// XHTML renders Markdown as the content of a ReqIF XHTML value: one xhtml:div holding
// elements of the ReqIF XHTML subset. Images become <xhtml:object data=… type=…>, raw HTML
// is written as text. image maps an image destination to the object's data ("" keeps it).
func XHTML(md string, image func(dest string) string) string {
	src := []byte(md)
	doc := mdParser.Parse(text.NewReader(src))
	w := &xw{src: src, image: image}
	w.b.WriteString(`<xhtml:div>`)
	w.blocks(doc)
	w.b.WriteString(`</xhtml:div>`)
	return w.b.String()
}

type xw struct {
	b     bytes.Buffer
	src   []byte
	image func(string) string
}

func (w *xw) open(name string)  { w.b.WriteString("<xhtml:" + name + ">") }
func (w *xw) close(name string) { w.b.WriteString("</xhtml:" + name + ">") }

func (w *xw) text(s string) { escapeText(&w.b, s) }

// blocks writes the block children of n.
func (w *xw) blocks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c)
	}
}

func (w *xw) lines(n ast.Node) string {
	var b strings.Builder
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		b.Write(seg.Value(w.src))
	}
	return b.String()
}

func (w *xw) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		w.open("p")
		w.inlines(n)
		w.close("p")
	case *ast.Heading:
		h := "h" + strconv.Itoa(min(max(n.Level, 1), 6))
		w.open(h)
		w.inlines(n)
		w.close(h)
	case *ast.ThematicBreak:
		w.b.WriteString("<xhtml:hr/>")
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		w.open("pre")
		w.text(strings.TrimSuffix(w.lines(n), "\n"))
		w.close("pre")
	case *ast.HTMLBlock:
		w.open("p")
		t := w.lines(n)
		if n.HasClosure() {
			t += string(n.ClosureLine.Value(w.src))
		}
		w.text(strings.TrimRight(t, "\n"))
		w.close("p")
	case *ast.Blockquote:
		w.open("blockquote")
		w.blockContainer(n)
		w.close("blockquote")
	case *ast.List:
		tag := "ul"
		if n.IsOrdered() {
			tag = "ol"
		}
		w.open(tag)
		for li := n.FirstChild(); li != nil; li = li.NextSibling() {
			w.open("li")
			w.blockContainer(li)
			w.close("li")
		}
		w.close(tag)
	case *east.Table:
		w.open("table")
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			cell := "td"
			if _, ok := r.(*east.TableHeader); ok {
				cell = "th"
			}
			w.open("tr")
			for c := r.FirstChild(); c != nil; c = c.NextSibling() {
				w.open(cell)
				w.inlines(c)
				w.close(cell)
			}
			w.close("tr")
		}
		w.close("table")
	default:
		if n.HasChildren() {
			w.blockContainer(n)
		}
	}
}

// blockContainer writes children that may be blocks; a list item's or quote's direct text
// must sit in a block element of the schema, so loose inline content is wrapped in a div.
func (w *xw) blockContainer(n ast.Node) {
	w.blocks(n)
}

func (w *xw) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.inline(c)
	}
}

func (w *xw) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		w.text(string(n.Segment.Value(w.src)))
		if n.HardLineBreak() {
			w.b.WriteString("<xhtml:br/>")
		} else if n.SoftLineBreak() {
			w.b.WriteString("\n")
		}
	case *ast.String:
		w.text(string(n.Value))
	case *ast.CodeSpan:
		w.open("code")
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(w.src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		w.text(b.String())
		w.close("code")
	case *ast.Emphasis:
		tag := "em"
		if n.Level >= 2 {
			tag = "strong"
		}
		w.open(tag)
		w.inlines(n)
		w.close(tag)
	case *east.Strikethrough:
		w.open("del")
		w.inlines(n)
		w.close("del")
	case *ast.Link:
		dest := string(n.Destination)
		if unsafeURL(dest) {
			w.inlines(n)
			return
		}
		w.b.WriteString(`<xhtml:a href="`)
		escapeAttr(&w.b, dest)
		w.b.WriteString(`">`)
		w.inlines(n)
		w.close("a")
	case *ast.AutoLink:
		u := string(n.URL(w.src))
		if unsafeURL(u) {
			w.text(u)
			return
		}
		w.b.WriteString(`<xhtml:a href="`)
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			escapeAttr(&w.b, "mailto:"+u)
		} else {
			escapeAttr(&w.b, u)
		}
		w.b.WriteString(`">`)
		w.text(string(n.Label(w.src)))
		w.close("a")
	case *ast.Image:
		dest := string(n.Destination)
		if w.image != nil {
			if d := w.image(dest); d != "" {
				dest = d
			}
		}
		if unsafeURL(dest) {
			w.inlines(n)
			return
		}
		typ := mime.TypeByExtension(strings.ToLower(path.Ext(dest)))
		if i := strings.IndexByte(typ, ';'); i >= 0 {
			typ = typ[:i]
		}
		if typ == "" {
			typ = "application/octet-stream"
		}
		w.b.WriteString(`<xhtml:object data="`)
		escapeAttr(&w.b, dest)
		w.b.WriteString(`" type="`)
		escapeAttr(&w.b, typ)
		w.b.WriteString(`">`)
		w.inlines(n)
		w.close("object")
	case *ast.RawHTML:
		var b strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			b.Write(s.Value(w.src))
		}
		w.text(b.String())
	case *east.TaskCheckBox:
		if n.IsChecked {
			w.text("[x] ")
		} else {
			w.text("[ ] ")
		}
	default:
		w.inlines(n)
	}
}

// sink is where the escapers write (a bytes.Buffer or a bufio.Writer).
type sink interface {
	WriteString(string) (int, error)
	WriteRune(rune) (int, error)
}

// escapeText writes s as XML character data, dropping characters XML cannot hold.
func escapeText(b sink, s string) { escapeXML(b, s, false) }

// escapeAttr writes s as an XML attribute value (between double quotes).
func escapeAttr(b sink, s string) { escapeXML(b, s, true) }

// escapeXML writes s as character data or, with attr, as an attribute value (quotes, newlines
// and tabs escaped too), dropping characters XML cannot hold.
func escapeXML(b sink, s string, attr bool) {
	if plainXML(s) && (!attr || !strings.ContainsAny(s, "\"\n\t")) {
		b.WriteString(s)
		return
	}
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '\r':
			b.WriteString("&#13;")
		case attr && r == '"':
			b.WriteString("&quot;")
		case attr && r == '\n':
			b.WriteString("&#10;")
		case attr && r == '\t':
			b.WriteString("&#9;")
		case xmlChar(r):
			b.WriteRune(r)
		}
	}
}

// plainXML tells whether s is printable ASCII (and newlines) needing no escape.
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '<' || c == '>' || c == '&' || c == '\r' || c >= 0x7f || (c < 0x20 && c != '\n' && c != '\t') {
			return false
		}
	}
	return true
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
