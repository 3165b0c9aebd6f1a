package reqif

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Node is a node of XHTML content: an element (Name set, lower-case local name with any
// namespace prefix dropped) or a text node (Name "").
type Node struct {
	Name string
	Attr []xml.Attr
	Kids []*Node
	Text string
}

// Attr returns the value of the attribute with local name k.
func (n *Node) AttrValue(k string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Name.Local, k) {
			return a.Value
		}
	}
	return ""
}

// readXHTML reads the content of the element just started into a root node, until its end
// tag. Comments, processing instructions and directives are dropped; whatever namespace
// prefix the elements carry is ignored.
func readXHTML(d tokenSource, depth *int, end xml.Name) (*Node, error) {
	root := &Node{Name: "#root"}
	stack := []*Node{root}
	var names []xml.Name // open elements, to check end tags (RawToken does not)
	base := *depth
	defer func() { *depth = base }()
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: strings.ToLower(t.Name.Local)}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				n.Attr = append(n.Attr, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
			}
			top.Kids = append(top.Kids, n)
			stack = append(stack, n)
			names = append(names, t.Name)
			*depth++
			if *depth > maxDepth {
				return nil, fmt.Errorf("XHTML nested more than %d deep", maxDepth)
			}
		case xml.EndElement:
			if len(stack) == 1 {
				if t.Name != end {
					return nil, fmt.Errorf("malformed XML: </%s> closes <%s>", t.Name.Local, end.Local)
				}
				return root, nil
			}
			if names[len(names)-1] != t.Name {
				return nil, fmt.Errorf("malformed XML: </%s> closes <%s>", t.Name.Local, names[len(names)-1].Local)
			}
			names = names[:len(names)-1]
			stack = stack[:len(stack)-1]
			*depth--
		case xml.CharData:
			if k := len(top.Kids); k > 0 && top.Kids[k-1].Name == "" {
				top.Kids[k-1].Text += string(t)
			} else {
				top.Kids = append(top.Kids, &Node{Text: string(t)})
			}
		}
	}
}

// ParseXHTML parses an XHTML fragment (any namespace prefix, or none) into a root node.
func ParseXHTML(s string) (*Node, error) {
	d := xml.NewDecoder(strings.NewReader("<r xmlns:xhtml=\"http://www.w3.org/1999/xhtml\" xmlns:reqif-xhtml=\"http://www.w3.org/1999/xhtml\">" + s + "</r>"))
	d.Strict = true
	if _, err := d.RawToken(); err != nil {
		return nil, err
	}
	depth := 0
	n, err := readXHTML(d, &depth, xml.Name{Local: "r"})
	if err != nil {
		return nil, err
	}
	if tok, err := d.RawToken(); err != io.EOF {
		return nil, fmt.Errorf("content after the fragment: %v", tok)
	}
	return n, nil
}

// PlainText is the text of n with white space collapsed (for titles and searching).
func PlainText(n *Node) string {
	var b strings.Builder
	var walk func(*Node)
	walk = func(n *Node) {
		if n.Name == "" {
			b.WriteString(n.Text)
			return
		}
		if n.Name == "br" || isBlock(n.Name) {
			b.WriteByte(' ')
		}
		for _, k := range n.Kids {
			walk(k)
		}
		if isBlock(n.Name) {
			b.WriteByte(' ')
		}
	}
	if n != nil {
		walk(n)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isBlock(name string) bool {
	switch name {
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "blockquote",
		"address", "hr", "object", "#root":
		return true
	}
	return false
}

// Converter turns XHTML into Markdown. Object maps an <object data=…> or <img src=…> to the
// Markdown target it should link to ("" to keep only its text); nil keeps the data as is.
type Converter struct {
	Object func(data, mime string) string
}

// Markdown converts XHTML content to Markdown: headings, paragraphs, lists, tables,
// emphasis, code, links and images kept; everything else reduced to its text.
func (c *Converter) Markdown(n *Node) string {
	if n == nil {
		return ""
	}
	w := &mdWriter{c: c}
	w.blocks(n.Kids, "")
	return strings.TrimRight(strings.Join(w.out, "\n\n"), "\n ") + "\n"
}

type mdWriter struct {
	c   *Converter
	out []string // blocks
}

// blocks renders children as blocks, each prefixed by indent on continuation lines.
func (w *mdWriter) blocks(kids []*Node, indent string) {
	var inline []*Node
	flush := func() {
		if len(inline) == 0 {
			return
		}
		if s := strings.TrimSpace(w.inline(inline, false)); s != "" {
			w.out = append(w.out, escapeLineStart(s))
		}
		inline = nil
	}
	for _, k := range kids {
		if k.Name == "" || !isBlock(k.Name) || (k.Name == "object" && !hasBlockKids(k)) {
			inline = append(inline, k)
			continue
		}
		flush()
		w.block(k, indent)
	}
	flush()
}

func hasBlockKids(n *Node) bool {
	for _, k := range n.Kids {
		if k.Name != "" && isBlock(k.Name) {
			return true
		}
	}
	return false
}

func (w *mdWriter) block(n *Node, indent string) {
	switch n.Name {
	case "p", "address":
		if s := strings.TrimSpace(w.inline(n.Kids, false)); s != "" {
			w.out = append(w.out, escapeLineStart(s))
		}
	case "h1", "h2", "h3", "h4", "h5", "h6":
		level, _ := strconv.Atoi(n.Name[1:])
		if s := strings.TrimSpace(w.inline(n.Kids, false)); s != "" {
			w.out = append(w.out, strings.Repeat("#", level)+" "+strings.ReplaceAll(s, "\n", " "))
		}
	case "hr":
		w.out = append(w.out, "---")
	case "pre":
		text := strings.Trim(rawText(n), "\n")
		fence := "```"
		for strings.Contains(text, fence) {
			fence += "`"
		}
		w.out = append(w.out, fence+"\n"+text+"\n"+fence)
	case "blockquote":
		sub := &mdWriter{c: w.c}
		sub.blocks(n.Kids, "")
		if len(sub.out) > 0 {
			text := strings.Join(sub.out, "\n\n")
			w.out = append(w.out, prefixLines(text, "> ", "> "))
		}
	case "ul", "ol":
		w.out = append(w.out, w.list(n))
	case "table":
		if t := w.table(n); t != "" {
			w.out = append(w.out, t)
		}
	default: // div, li, dl, td and others used as containers
		w.blocks(n.Kids, indent)
	}
}

func (w *mdWriter) list(n *Node) string {
	var items []string
	num := 1
	if s := n.AttrValue("start"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v >= 0 && v < 1e9 {
			num = v
		}
	}
	for _, li := range n.Kids {
		if li.Name == "" {
			if strings.TrimSpace(li.Text) == "" {
				continue
			}
			li = &Node{Name: "li", Kids: []*Node{li}}
		}
		marker := "- "
		if n.Name == "ol" {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		sub := &mdWriter{c: w.c}
		if li.Name == "ul" || li.Name == "ol" {
			sub.out = append(sub.out, sub.list(li))
		} else {
			sub.blocks(li.Kids, "")
		}
		text := strings.Join(sub.out, "\n\n")
		if text == "" {
			text = ""
		}
		pad := strings.Repeat(" ", len(marker))
		items = append(items, prefixLines(text, marker, pad))
	}
	return strings.Join(items, "\n")
}

func (w *mdWriter) table(n *Node) string {
	var rows [][]string
	header := false
	var collect func(*Node, bool)
	collect = func(n *Node, inHead bool) {
		for _, k := range n.Kids {
			switch k.Name {
			case "thead":
				collect(k, true)
			case "tbody", "tfoot":
				collect(k, false)
			case "tr":
				var cells []string
				allTH := true
				for _, c := range k.Kids {
					if c.Name != "td" && c.Name != "th" {
						continue
					}
					if c.Name != "th" {
						allTH = false
					}
					sub := &mdWriter{c: w.c}
					sub.blocks(c.Kids, "")
					s := strings.Join(sub.out, "<br>")
					s = strings.ReplaceAll(s, "\n", " ")
					cells = append(cells, s)
				}
				if len(rows) == 0 && (inHead || (allTH && len(cells) > 0)) {
					header = true
				}
				rows = append(rows, cells)
			}
		}
	}
	collect(n, false)
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return ""
	}
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for i := range width {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	if header {
		line(rows[0])
		rows = rows[1:]
	} else {
		line(nil)
	}
	b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
	for _, r := range rows {
		line(r)
	}
	var cap string
	for _, k := range n.Kids {
		if k.Name == "caption" {
			cap = strings.TrimSpace(w.inline(k.Kids, false))
		}
	}
	out := strings.TrimRight(b.String(), "\n")
	if cap != "" {
		out = escapeLineStart(cap) + "\n\n" + out
	}
	return out
}

// inline renders inline content; pre keeps white space.
func (w *mdWriter) inline(kids []*Node, pre bool) string {
	var b strings.Builder
	for _, k := range kids {
		w.inlineNode(&b, k, pre)
	}
	s := b.String()
	if !pre {
		s = collapse(s)
		// A line break at the start or end of a block is no break in Markdown.
		for strings.HasSuffix(strings.TrimRight(s, " "), "\\\n") {
			s = strings.TrimSuffix(strings.TrimRight(s, " "), "\\\n")
		}
		for strings.HasPrefix(s, "\\\n") {
			s = strings.TrimPrefix(s, "\\\n")
		}
	}
	return s
}

// collapse turns runs of white space into one space, but keeps hard breaks ("\\\n").
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			space = true
			continue
		case '\x00':
			if space {
				space = false
			}
			b.WriteString("\\\n")
			continue
		}
		if space {
			str := b.String()
			if len(str) > 0 && !strings.HasSuffix(str, "\n") {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *mdWriter) wrap(b *strings.Builder, k *Node, mark string, pre bool) {
	inner := w.inline(k.Kids, pre)
	t := strings.TrimSpace(inner)
	if t == "" {
		b.WriteString(inner)
		return
	}
	lead := inner[:len(inner)-len(strings.TrimLeft(inner, " \t\n"))]
	trail := inner[len(strings.TrimRight(inner, " \t\n")):]
	b.WriteString(lead + mark + t + mark + trail)
}

func (w *mdWriter) inlineNode(b *strings.Builder, k *Node, pre bool) {
	switch k.Name {
	case "":
		if pre {
			b.WriteString(k.Text)
		} else {
			b.WriteString(escapeInline(k.Text))
		}
	case "b", "strong":
		w.wrap(b, k, "**", pre)
	case "i", "em", "cite", "dfn", "var":
		w.wrap(b, k, "*", pre)
	case "del", "s", "strike":
		w.wrap(b, k, "~~", pre)
	case "code", "tt", "kbd", "samp":
		t := rawText(k)
		t = strings.Join(strings.Fields(t), " ")
		if t == "" {
			return
		}
		fence := "`"
		for strings.Contains(t, fence) {
			fence += "`"
		}
		if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
			t = " " + t + " "
		}
		b.WriteString(fence + t + fence)
	case "br":
		b.WriteString("\x00")
	case "a":
		text := strings.TrimSpace(w.inline(k.Kids, false))
		href := k.AttrValue("href")
		if href == "" || unsafeURL(href) {
			b.WriteString(text)
			return
		}
		if text == "" {
			text = escapeInline(href)
		}
		b.WriteString("[" + text + "](" + mdURL(href) + ")")
	case "object", "img":
		data := k.AttrValue("data")
		alt := strings.TrimSpace(w.inline(k.Kids, false))
		if k.Name == "img" {
			data = k.AttrValue("src")
			alt = escapeInline(k.AttrValue("alt"))
		}
		mime := k.AttrValue("type")
		target := data
		if w.c != nil && w.c.Object != nil {
			target = w.c.Object(data, mime)
		}
		if target == "" || unsafeURL(target) {
			b.WriteString(alt)
			return
		}
		if alt == "" {
			alt = escapeInline(lastElem(data))
		}
		if strings.HasPrefix(mime, "image/") || k.Name == "img" || isImageName(data) {
			b.WriteString("![" + alt + "](" + mdURL(target) + ")")
		} else {
			b.WriteString("[" + alt + "](" + mdURL(target) + ")")
		}
	default:
		if isBlock(k.Name) {
			b.WriteString(" ")
			b.WriteString(w.inline(k.Kids, pre))
			b.WriteString(" ")
			return
		}
		for _, c := range k.Kids {
			w.inlineNode(b, c, pre)
		}
	}
}

func lastElem(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func isImageName(p string) bool {
	p = strings.ToLower(p)
	for _, e := range []string{".png", ".jpg", ".jpeg", ".gif", ".svg", ".bmp", ".webp"} {
		if strings.HasSuffix(p, e) {
			return true
		}
	}
	return false
}

func unsafeURL(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(l, "javascript:") || strings.HasPrefix(l, "vbscript:") || strings.HasPrefix(l, "data:text")
}

func mdURL(u string) string {
	u = strings.TrimSpace(u)
	if strings.ContainsAny(u, " ()<>") {
		r := strings.NewReplacer("<", "%3C", ">", "%3E")
		return "<" + r.Replace(u) + ">"
	}
	return u
}

func rawText(n *Node) string {
	var b strings.Builder
	var walk func(*Node)
	walk = func(n *Node) {
		if n.Name == "" {
			b.WriteString(n.Text)
		}
		if n.Name == "br" {
			b.WriteByte('\n')
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(n)
	return b.String()
}

// escapeInline escapes the characters Markdown would read as markup inside a line.
func escapeInline(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '`', '[', ']', '<', '|', '~':
			b.WriteByte('\\')
		}
		if r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLineStart escapes what would start a block at the beginning of a line.
func escapeLineStart(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case strings.HasPrefix(t, "#"), strings.HasPrefix(t, ">"), strings.HasPrefix(t, "+ "),
			strings.HasPrefix(t, "- "), t == "-", t == "+", strings.HasPrefix(t, "="):
			lines[i] = "\\" + t
		default:
			j := 0
			for j < len(t) && t[j] >= '0' && t[j] <= '9' {
				j++
			}
			if j > 0 && j < len(t) && (t[j] == '.' || t[j] == ')') && (j+1 == len(t) || t[j+1] == ' ') {
				lines[i] = t[:j] + "\\" + t[j:]
			} else {
				lines[i] = t
			}
		}
	}
	return strings.Join(lines, "\n")
}

func prefixLines(text, first, rest string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" && i > 0 {
			lines[i] = strings.TrimRight(p, " ")
			continue
		}
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}
