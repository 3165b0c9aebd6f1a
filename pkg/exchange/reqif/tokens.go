package reqif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenSource is what the reader takes from an XML decoder: raw tokens (no namespace
// translation; the reader checks end tags itself) and the position after the last one.
type tokenSource interface {
	RawToken() (xml.Token, error)
	InputPos() (line, column int)
}

// encoding/xml's token stream costs most of the time of reading a 10,000-object file.
// byteTokens tokenizes a document held in memory for the XML ReqIF files are made of —
// elements with ASCII names, quoted attributes, character data, CDATA sections, comments,
// processing instructions, the predefined and numeric entities — giving the tokens and
// positions encoding/xml gives. Anything else (a DOCTYPE or another declaration, a
// non-ASCII name, an entity it does not know, an encoding declaration other than UTF-8, a
// character XML does not allow, a syntax error) stops it with errSlowPath, and the document
// is read again by encoding/xml, which gives the diagnostics (ParseBytes).
// TestByteTokensSameAsDecoder and FuzzRead hold it to encoding/xml's tokens.
type byteTokens struct {
	b         []byte
	off       int
	line      int
	linestart int
	needClose bool
	toClose   xml.Token // the end element of a start tag that closed itself
	failed    bool
	// names holds each element and attribute name read, so that a name (a ReqIF file
	// repeats a few dozen of them a million times) is one string, not one per token, and
	// its end tag one token.
	names map[string]*tokenName
}

// tokenName is a name read, with its end element as a token.
type tokenName struct {
	name xml.Name
	end  xml.Token
}

// indents are the character data of a new line indented by 0 to 64 spaces, as tokens: the
// indentation between elements is most of a file's tokens, each would be a token of its own.
var indents = func() (out [65]xml.Token) {
	b := append([]byte{'\n'}, bytes.Repeat([]byte{' '}, 64)...)
	for i := range out {
		out[i] = xml.CharData(b[: i+1 : i+1])
	}
	return out
}()

// indent returns the token of text when it is a new line and up to 64 spaces.
func indent(text []byte) (xml.Token, bool) {
	if len(text) == 0 || len(text) > len(indents) || text[0] != '\n' {
		return nil, false
	}
	for _, c := range text[1:] {
		if c != ' ' {
			return nil, false
		}
	}
	return indents[len(text)-1], true
}

// errSlowPath stops byteTokens at something it leaves to encoding/xml.
var errSlowPath = errors.New("not read by the fast tokenizer")

func newByteTokens(b []byte) *byteTokens {
	return &byteTokens{b: b, line: 1, names: map[string]*tokenName{}}
}

// name is scanName, giving the same xml.Name (the same strings) for each name.
func (t *byteTokens) name(b []byte) (xml.Name, int, bool) {
	tn, n, ok := t.tokenName(b)
	if !ok {
		return xml.Name{}, 0, false
	}
	return tn.name, n, true
}

// tokenName is name with the name's end element.
func (t *byteTokens) tokenName(b []byte) (*tokenName, int, bool) {
	n := 0
	for n < len(b) && isNameByte(b[n]) {
		n++
	}
	if tn, ok := t.names[string(b[:n])]; ok && (n == len(b) || b[n] < utf8.RuneSelf) {
		return tn, n, true
	}
	nm, n, ok := scanName(b)
	if !ok {
		return nil, 0, false
	}
	tn := &tokenName{name: nm, end: xml.EndElement{Name: nm}}
	if len(t.names) < 4096 {
		t.names[string(b[:n])] = tn
	}
	return tn, n, true
}

// InputPos is the line and the 1-based byte column after the last token, as encoding/xml
// counts them.
func (t *byteTokens) InputPos() (int, int) { return t.line, t.off - t.linestart + 1 }

// advance moves past n bytes, counting lines.
func (t *byteTokens) advance(n int) {
	end := t.off + n
	for {
		i := bytes.IndexByte(t.b[t.off:end], '\n')
		if i < 0 {
			break
		}
		t.off += i + 1
		t.line++
		t.linestart = t.off
	}
	t.off = end
}

func (t *byteTokens) slow() (xml.Token, error) {
	t.failed = true
	return nil, errSlowPath
}

// RawToken returns the next token as (*xml.Decoder).RawToken does.
func (t *byteTokens) RawToken() (xml.Token, error) {
	if t.failed {
		return nil, errSlowPath
	}
	if t.needClose {
		t.needClose = false
		return t.toClose, nil
	}
	if t.off >= len(t.b) {
		return nil, io.EOF
	}
	rest := t.b[t.off:]
	if rest[0] != '<' {
		n := bytes.IndexByte(rest, '<')
		if n < 0 {
			n = len(rest)
		}
		text, ok := decodeText(rest[:n], true)
		if !ok {
			return t.slow()
		}
		t.advance(n)
		if tok, ok := indent(text); ok {
			return tok, nil
		}
		return xml.CharData(text), nil
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("--"))
		if end < 0 || 4+end+2 >= len(rest) || rest[4+end+2] != '>' {
			return t.slow() // unterminated, or "--" inside
		}
		body := rest[4 : 4+end]
		if !validChars(body) {
			return t.slow()
		}
		t.advance(4 + end + 3)
		return xml.Comment(bytes.Clone(body)), nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		end := bytes.Index(rest, []byte("]]>"))
		if end < 0 {
			return t.slow()
		}
		text, ok := decodeText(rest[9:end], false)
		if !ok {
			return t.slow()
		}
		t.advance(end + 3)
		return xml.CharData(text), nil
	case bytes.HasPrefix(rest, []byte("<!")):
		return t.slow() // DOCTYPE and other declarations
	case bytes.HasPrefix(rest, []byte("<?")):
		end := bytes.Index(rest[2:], []byte("?>"))
		if end < 0 {
			return t.slow()
		}
		end += 2
		body := rest[2:end]
		i := 0
		for i < len(body) && isNameByte(body[i]) {
			i++
		}
		target := string(body[:i])
		if _, _, ok := scanName(body[:i]); !ok || i < len(body) && !isSpace(body[i]) || !validChars(body) {
			return t.slow()
		}
		inst := bytes.TrimLeft(body[i:], " \t\r\n")
		if target == "xml" {
			if bytes.Contains(inst, []byte("encoding")) {
				s := strings.ToLower(string(inst))
				if !strings.Contains(s, `encoding="utf-8"`) && !strings.Contains(s, `encoding='utf-8'`) {
					return t.slow()
				}
			}
			if !bytes.Contains(inst, []byte(`version="1.0"`)) && !bytes.Contains(inst, []byte(`version='1.0'`)) {
				return t.slow()
			}
		}
		t.advance(end + 2)
		return xml.ProcInst{Target: target, Inst: append([]byte{}, inst...)}, nil
	case bytes.HasPrefix(rest, []byte("</")):
		i := 2
		tn, n, ok := t.tokenName(rest[i:])
		if !ok {
			return t.slow()
		}
		i += n
		for i < len(rest) && isSpace(rest[i]) {
			i++
		}
		if i >= len(rest) || rest[i] != '>' {
			return t.slow()
		}
		t.advance(i + 1)
		return tn.end, nil
	}
	// A start tag.
	i := 1
	tn, n, ok := t.tokenName(rest[i:])
	if !ok {
		return t.slow()
	}
	i += n
	var attrs []xml.Attr
	for {
		sp := i
		for i < len(rest) && isSpace(rest[i]) {
			i++
		}
		if i >= len(rest) {
			return t.slow()
		}
		if rest[i] == '>' {
			i++
			break
		}
		if rest[i] == '/' {
			if i+1 >= len(rest) || rest[i+1] != '>' {
				return t.slow()
			}
			i += 2
			t.needClose, t.toClose = true, tn.end
			break
		}
		if sp == i {
			return t.slow() // attributes are separated by white space
		}
		an, n, ok := t.name(rest[i:])
		if !ok {
			return t.slow()
		}
		i += n
		for i < len(rest) && isSpace(rest[i]) {
			i++
		}
		if i >= len(rest) || rest[i] != '=' {
			return t.slow()
		}
		i++
		for i < len(rest) && isSpace(rest[i]) {
			i++
		}
		if i >= len(rest) || rest[i] != '"' && rest[i] != '\'' {
			return t.slow()
		}
		q := rest[i]
		end := bytes.IndexByte(rest[i+1:], q)
		if end < 0 {
			return t.slow()
		}
		raw := rest[i+1 : i+1+end]
		if bytes.IndexByte(raw, '<') >= 0 {
			return t.slow()
		}
		v, ok := decodeText(raw, true)
		if !ok {
			return t.slow()
		}
		attrs = append(attrs, xml.Attr{Name: an, Value: string(v)})
		i += end + 2
	}
	t.advance(i)
	return xml.StartElement{Name: tn.name, Attr: attrs}, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

// scanName reads an ASCII XML name at the start of b and splits it at its colon as
// encoding/xml does; a non-ASCII name is left to encoding/xml.
func scanName(b []byte) (xml.Name, int, bool) {
	n := 0
	for n < len(b) && isNameByte(b[n]) {
		n++
	}
	if n == 0 || n < len(b) && b[n] >= utf8.RuneSelf {
		return xml.Name{}, 0, false
	}
	c := b[0]
	if c >= '0' && c <= '9' || c == '.' || c == '-' {
		return xml.Name{}, 0, false
	}
	s := string(b[:n])
	switch strings.Count(s, ":") {
	case 0:
		return xml.Name{Local: s}, n, true
	case 1:
		space, local, _ := strings.Cut(s, ":")
		if space == "" || local == "" {
			return xml.Name{Local: s}, n, true
		}
		return xml.Name{Space: space, Local: local}, n, true
	}
	return xml.Name{}, 0, false
}

// validChars reports whether b is valid UTF-8 of characters XML allows.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// decodeText is character data (or an attribute value) as encoding/xml returns it: CR LF
// and lone CR become LF, and, with entities (outside CDATA), the predefined and numeric
// entities are decoded. It refuses characters XML does not allow, other entities and, with
// entities, "]]>".
func decodeText(b []byte, entities bool) ([]byte, bool) {
	if !validChars(b) || entities && bytes.Contains(b, []byte("]]>")) {
		return nil, false
	}
	if bytes.IndexByte(b, '\r') < 0 && (!entities || bytes.IndexByte(b, '&') < 0) {
		return b, true // the document's own bytes: valid until the next token, as encoding/xml's
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\r':
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case c == '&' && entities:
			j := bytes.IndexByte(b[i:], ';')
			if j < 0 {
				return nil, false
			}
			ent := string(b[i+1 : i+j])
			switch ent {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "quot":
				out = append(out, '"')
			case "apos":
				out = append(out, '\'')
			default:
				var n uint64
				var err error
				switch {
				case strings.HasPrefix(ent, "#x"):
					n, err = strconv.ParseUint(ent[2:], 16, 32)
				case strings.HasPrefix(ent, "#") && len(ent) > 1 && ent[1] >= '0' && ent[1] <= '9':
					n, err = strconv.ParseUint(ent[1:], 10, 32)
				default:
					return nil, false
				}
				if err != nil || !isXMLChar(rune(n)) {
					return nil, false
				}
				out = utf8.AppendRune(out, rune(n))
			}
			i += j
		default:
			out = append(out, c)
		}
	}
	return out, true
}
