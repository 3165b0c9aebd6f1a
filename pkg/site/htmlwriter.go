package site

import (
	"strconv"
	"strings"
)

// htmlWriter appends a page to a byte slice, escaping every value the way html/template
// does in the context it is written in (the record pages are compiled Go code, not
// templates executed by reflection). FuzzHTMLWriter checks each escaper against
// html/template on the same input.
type htmlWriter struct {
	buf []byte
}

// s writes trusted markup as it is.
func (w *htmlWriter) s(s string) { w.buf = append(w.buf, s...) }

// text writes s as element text or a quoted attribute value (html/template's HTML escaper:
// NUL, quotes, &, +, < and >).
func (w *htmlWriter) text(s string) { w.buf = appendHTMLText(w.buf, s) }

// int writes a number.
func (w *htmlWriter) int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// url writes s as a quoted URL attribute value that starts with it: a scheme other than
// http, https or mailto becomes "#ZgotmplZ", then it is normalised and escaped.
func (w *htmlWriter) url(s string) {
	if !safeURL(s) {
		s = "#ZgotmplZ"
	}
	w.urlPart(s)
}

// urlPart writes s inside a quoted URL attribute value, after its start: normalised (bytes
// a URL cannot hold are %-encoded) and escaped.
func (w *htmlWriter) urlPart(s string) { w.buf = appendHTMLText(w.buf, normalizeURL(s)) }

// appendHTMLText is html/template's htmlEscaper for a string.
func appendHTMLText(dst []byte, s string) []byte { return appendEscape(dst, s, true) }

// appendEscaped is template.HTMLEscapeString (text/template's escaper: no '+'), which the
// helpers shared with the templates (badge, refHTML, linkText) use.
func appendEscaped(dst []byte, s string) []byte { return appendEscape(dst, s, false) }

// appendEscape escapes NUL, quotes, '&', '<' and '>' (and '+' with plus) as the template
// packages do.
func appendEscape(dst []byte, s string, plus bool) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			if !plus {
				continue
			}
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, rep...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}

// safeURL is html/template's check of a URL's scheme: none, http, https or mailto.
func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// normalizeURL is html/template's URL normaliser: every byte that may not appear in a URL
// is %-encoded; reserved characters and existing escapes are kept.
func normalizeURL(s string) string {
	var b []byte
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue // an escape already (html/template's test: not at the very end)
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[last:i]...)
		b = append(b, '%', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		last = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}
