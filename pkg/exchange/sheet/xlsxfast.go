package sheet

import (
	"bytes"
	"encoding/xml"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Reading a 10,000-row sheet through excelize's row iterator twice (shown and raw values)
// and asking it for cell types costs seconds, almost all in its XML decoding. fastTables
// reads the sheets of an opened workbook with a scanner of the few elements a worksheet's
// cells are made of, for the workbooks where every cell is of a kind it shows exactly as
// excelize shows it: shared, inline and formula strings under the General or Text number
// format, and plain decimal numbers under General. Any other cell (a date format, a boolean,
// an error, an escaped _xHHHH_ character, a number General would round), any XML it does not
// read plainly (a DOCTYPE, an unknown entity, unbalanced tags, invalid characters) and any
// sheet over the limits sends the whole workbook to the excelize reader (ok is false), which
// also reports the errors. TestFastTablesSameAsExcelize and FuzzXLSX hold the two to the same
// tables.
func fastTables(f *excelize.File, name string, date1904 bool) (tables []*Table, ok bool) {
	load := func(p string) ([]byte, bool) {
		v, found := f.Pkg.Load(p)
		if !found {
			return nil, false
		}
		b, isBytes := v.([]byte)
		return b, isBytes
	}
	wb, found := load("xl/workbook.xml")
	if !found {
		return nil, false
	}
	relsData, found := load("xl/_rels/workbook.xml.rels")
	if !found {
		return nil, false
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(wb, &book) != nil || xml.Unmarshal(relsData, &rels) != nil {
		return nil, false
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		p := r.Target
		if strings.HasPrefix(p, "/") {
			p = strings.TrimPrefix(p, "/")
		} else {
			p = path.Join("xl", p)
		}
		target[r.ID] = p
		if strings.HasSuffix(r.Type, "/sharedStrings") && p != "xl/sharedStrings.xml" {
			return nil, false
		}
	}
	var sst []string
	if data, found := load("xl/sharedStrings.xml"); found {
		if sst, ok = readSharedStrings(data); !ok {
			return nil, false
		}
	}
	list := f.GetSheetList()
	if len(list) != len(book.Sheets) {
		return nil, false
	}
	type styleInfo struct{ general, ok bool }
	styles := map[int]styleInfo{} // style index → General format, and shows text as it is
	textStyle := func(s int) (general, ok bool) {
		if s == 0 {
			return true, true
		}
		if si, seen := styles[s]; seen {
			return si.general, si.ok
		}
		st, err := f.GetStyle(s)
		si := styleInfo{}
		if err == nil && st.CustomNumFmt == nil {
			si = styleInfo{general: st.NumFmt == 0, ok: st.NumFmt == 0 || st.NumFmt == 49}
		}
		styles[s] = si
		return si.general, si.ok
	}
	for i, sh := range book.Sheets {
		if sh.Name != list[i] {
			return nil, false
		}
		data, found := load(target[sh.ID])
		if !found {
			return nil, false
		}
		t, ok := scanSheet(data, sst, textStyle)
		if !ok {
			return nil, false
		}
		t.File, t.Sheet, t.Date1904 = name, sh.Name, date1904
		tables = append(tables, t)
	}
	return tables, true
}

// xmlScanner reads the elements, attributes and character data of an XML document that
// uses no DOCTYPE, no entities but the predefined and numeric ones and balanced tags;
// anything else stops it (bad is set).
type xmlScanner struct {
	b    []byte
	i    int
	bad  bool
	open [][]byte // element names (local parts) of the open elements
}

type xmlToken struct {
	kind  byte // 's' start, 'e' end, 't' text, 0 end of input
	name  []byte
	attrs []byte // the raw attributes of a start tag
	empty bool   // a start tag that ends with />
	text  []byte // character data, raw (see unescape)
	cdata bool
}

func localName(n []byte) []byte {
	if i := bytes.IndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

func (s *xmlScanner) next() xmlToken {
	if s.bad || s.i >= len(s.b) {
		return xmlToken{}
	}
	b := s.b
	if b[s.i] != '<' {
		j := bytes.IndexByte(b[s.i:], '<')
		if j < 0 {
			j = len(b) - s.i
		}
		t := xmlToken{kind: 't', text: b[s.i : s.i+j]}
		s.i += j
		return t
	}
	rest := b[s.i:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		j := bytes.Index(rest, []byte("-->"))
		if j < 0 {
			s.bad = true
			return xmlToken{}
		}
		s.i += j + 3
		return s.next()
	case bytes.HasPrefix(rest, []byte("<?")):
		j := bytes.Index(rest, []byte("?>"))
		if j < 0 {
			s.bad = true
			return xmlToken{}
		}
		decl := rest[:j]
		if k := bytes.Index(decl, []byte("encoding=")); k >= 0 {
			enc := strings.ToLower(strings.Trim(string(decl[k+9:]), `"' `))
			if !strings.HasPrefix(enc, "utf-8") {
				s.bad = true
				return xmlToken{}
			}
		}
		s.i += j + 2
		return s.next()
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		j := bytes.Index(rest, []byte("]]>"))
		if j < 0 {
			s.bad = true
			return xmlToken{}
		}
		s.i += j + 3
		return xmlToken{kind: 't', text: rest[9:j], cdata: true}
	case len(rest) > 1 && rest[1] == '!':
		s.bad = true // a DOCTYPE or another declaration
		return xmlToken{}
	case len(rest) > 1 && rest[1] == '/':
		j := bytes.IndexByte(rest, '>')
		if j < 0 {
			s.bad = true
			return xmlToken{}
		}
		name := localName(bytes.TrimRight(rest[2:j], " \t\r\n"))
		n := len(s.open)
		if n == 0 || !bytes.Equal(s.open[n-1], name) {
			s.bad = true
			return xmlToken{}
		}
		s.open = s.open[:n-1]
		s.i += j + 1
		return xmlToken{kind: 'e', name: name}
	}
	// A start tag: the name, then attributes up to > outside quotes.
	j := 1
	for j < len(rest) && !isXMLSpace(rest[j]) && rest[j] != '>' && rest[j] != '/' {
		j++
	}
	name := localName(rest[1:j])
	if len(name) == 0 {
		s.bad = true
		return xmlToken{}
	}
	k := j
	var quote byte
	for ; k < len(rest); k++ {
		c := rest[k]
		if quote != 0 {
			if c == quote {
				quote = 0
			} else if c == '<' {
				s.bad = true
				return xmlToken{}
			}
			continue
		}
		if c == '"' || c == '\'' {
			quote = c
		} else if c == '>' {
			break
		}
	}
	if k >= len(rest) {
		s.bad = true
		return xmlToken{}
	}
	t := xmlToken{kind: 's', name: name, attrs: rest[j:k]}
	if k > 0 && rest[k-1] == '/' {
		t.empty = true
		t.attrs = rest[j : k-1]
	} else {
		s.open = append(s.open, name)
	}
	s.i += k + 1
	return t
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// attr returns the unescaped value of the attribute whose local name is want.
func (s *xmlScanner) attr(attrs []byte, want string) (string, bool) {
	for len(attrs) > 0 {
		attrs = bytes.TrimLeft(attrs, " \t\r\n")
		if len(attrs) == 0 {
			break
		}
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			s.bad = true
			return "", false
		}
		name := localName(bytes.TrimRight(attrs[:eq], " \t\r\n"))
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			s.bad = true
			return "", false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			s.bad = true
			return "", false
		}
		if string(name) == want {
			v, ok := unescape(rest[1:1+end], false)
			if !ok {
				s.bad = true
			}
			return v, ok
		}
		attrs = rest[end+2:]
	}
	return "", false
}

// unescape decodes the predefined and numeric entities and turns CR LF and lone CR into LF,
// as encoding/xml does; another entity, a raw & or a character XML does not allow is
// refused.
func unescape(b []byte, cdata bool) (string, bool) {
	if !utf8.Valid(b) {
		return "", false
	}
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 {
		for _, c := range b {
			if c < 0x20 && c != '\t' && c != '\n' {
				return "", false
			}
		}
		return string(b), true
	}
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\r':
			out.WriteByte('\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case c == '&' && !cdata:
			j := bytes.IndexByte(b[i:], ';')
			if j < 0 {
				return "", false
			}
			ent := string(b[i+1 : i+j])
			switch ent {
			case "lt":
				out.WriteByte('<')
			case "gt":
				out.WriteByte('>')
			case "amp":
				out.WriteByte('&')
			case "quot":
				out.WriteByte('"')
			case "apos":
				out.WriteByte('\'')
			default:
				if !strings.HasPrefix(ent, "#") {
					return "", false
				}
				var n uint64
				var err error
				if strings.HasPrefix(ent, "#x") {
					n, err = strconv.ParseUint(ent[2:], 16, 32)
				} else {
					n, err = strconv.ParseUint(ent[1:], 10, 32)
				}
				r := rune(n)
				if err != nil || !xmlChar(r) {
					return "", false
				}
				out.WriteRune(r)
			}
			i += j
		case c < 0x20 && c != '\t' && c != '\n':
			return "", false
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), true
}

// xmlChar reports whether r is a character XML 1.0 allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// textOf reads the character data of the element just started, up to its end tag; a child
// element refuses it.
func (s *xmlScanner) textOf() (string, bool) {
	var parts []string
	for {
		t := s.next()
		switch t.kind {
		case 't':
			v, ok := unescape(t.text, t.cdata)
			if !ok {
				return "", false
			}
			parts = append(parts, v)
		case 'e':
			return strings.Join(parts, ""), true
		default:
			return "", false
		}
	}
}

// skip reads past the end of the element just started.
func (s *xmlScanner) skip() bool {
	depth := 1
	for depth > 0 {
		switch s.next().kind {
		case 's':
			depth++
		case 'e':
			depth--
		case 0:
			return false
		}
	}
	return !s.bad
}

// richText reads a shared or inline string (<si> or <is>, just started) as excelize reads
// it: the <t> text, then the <t> of each run; phonetic runs left out. Escaped characters
// (_xHHHH_), which excelize decodes, refuse it.
func (s *xmlScanner) richText() (string, bool) {
	var b strings.Builder
	seenT := false
	for {
		t := s.next()
		switch t.kind {
		case 't':
			if len(bytes.TrimLeft(t.text, " \t\r\n")) > 0 {
				return "", false
			}
			continue
		case 'e':
			v := b.String()
			return v, !strings.Contains(v, "_x")
		case 's':
		default:
			return "", false
		}
		switch string(t.name) {
		case "t":
			if seenT {
				return "", false
			}
			seenT = true
			if t.empty {
				continue
			}
			v, ok := s.textOf()
			if !ok {
				return "", false
			}
			b.WriteString(v)
		case "r":
			if t.empty {
				continue
			}
			runT := false
			for {
				u := s.next()
				if u.kind == 'e' {
					break
				}
				if u.kind == 't' {
					if len(bytes.TrimLeft(u.text, " \t\r\n")) > 0 {
						return "", false
					}
					continue
				}
				if u.kind != 's' {
					return "", false
				}
				if string(u.name) == "t" {
					if runT {
						return "", false
					}
					runT = true
					if u.empty {
						continue
					}
					v, ok := s.textOf()
					if !ok {
						return "", false
					}
					b.WriteString(v)
				} else if !u.empty && !s.skip() {
					return "", false
				}
			}
		default:
			if !t.empty && !s.skip() {
				return "", false
			}
		}
	}
}

// readSharedStrings reads xl/sharedStrings.xml.
func readSharedStrings(data []byte) ([]string, bool) {
	s := &xmlScanner{b: data}
	var out []string
	depth := 0
	for {
		t := s.next()
		switch t.kind {
		case 0:
			return out, !s.bad && len(s.open) == 0
		case 's':
			if depth == 1 && string(t.name) == "si" {
				if t.empty {
					out = append(out, "")
					continue
				}
				v, ok := s.richText()
				if !ok {
					return nil, false
				}
				out = append(out, v)
				continue
			}
			if !t.empty {
				depth++
			}
		case 'e':
			depth--
		}
	}
}

// cellNumber is a cell value excelize shows as it is under the General format: an optional
// minus, digits and an optional fraction, at most 11 significant digits, written as
// strconv.FormatFloat writes it (no leading zeros, no trailing fraction zeros).
func cellNumber(v string) bool {
	s := strings.TrimPrefix(v, "-")
	if s == "" || len(s) > 12 {
		return false
	}
	dot := strings.IndexByte(s, '.')
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && i != dot {
			return false
		}
	}
	if dot == 0 || dot == len(s)-1 || s[len(s)-1] == '0' && dot > 0 || len(s) > 1 && s[0] == '0' && dot != 1 {
		return false
	}
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && strconv.FormatFloat(f, 'f', -1, 64) == v && (v != "-0")
}

// scanSheet reads a worksheet's cells as excelize's row iterator shows them (rows without
// cells in between are empty, trailing empty cells and rows dropped), with the numbers of
// numeric cells.
func scanSheet(data []byte, sst []string, textStyle func(int) (general, ok bool)) (*Table, bool) {
	s := &xmlScanner{b: data}
	t := &Table{}
	inData := false
	row := 0
	for {
		tok := s.next()
		switch tok.kind {
		case 0:
			if s.bad || len(s.open) != 0 {
				return nil, false
			}
			last := 0
			for i, r := range t.Rows {
				if len(r) > 0 {
					last = i + 1
				}
			}
			t.Rows = t.Rows[:last]
			return t, true
		case 'e':
			if string(tok.name) == "sheetData" {
				inData = false
			}
			continue
		case 't':
			continue
		}
		name := string(tok.name)
		if !inData {
			if name == "sheetData" && !tok.empty {
				inData = true
			}
			continue
		}
		if name != "row" {
			return nil, false
		}
		n := row + 1
		if v, has := s.attr(tok.attrs, "r"); has {
			var err error
			if n, err = strconv.Atoi(v); err != nil || n <= row {
				return nil, false
			}
		}
		if s.bad || n > MaxRows {
			return nil, false
		}
		for len(t.Rows) < n-1 {
			t.Rows = append(t.Rows, []Cell{})
		}
		row = n
		cells := []Cell{}
		if !tok.empty {
			var ok bool
			if cells, ok = scanRow(s, n, sst, textStyle); !ok {
				return nil, false
			}
		}
		t.Rows = append(t.Rows, cells)
	}
}

func scanRow(s *xmlScanner, rowNum int, sst []string, textStyle func(int) (general, ok bool)) ([]Cell, bool) {
	cells := []Cell{}
	col := 0
	for {
		tok := s.next()
		switch tok.kind {
		case 'e':
			return cells, true
		case 't':
			continue
		case 's':
		default:
			return nil, false
		}
		if string(tok.name) != "c" {
			if !tok.empty && !s.skip() {
				return nil, false
			}
			continue
		}
		col++
		if ref, has := s.attr(tok.attrs, "r"); has {
			c, r, err := excelize.CellNameToCoordinates(ref)
			if err != nil || r != rowNum || c < col {
				return nil, false
			}
			col = c
		}
		if col > MaxColumns {
			return nil, false
		}
		typ, _ := s.attr(tok.attrs, "t")
		style := 0
		if v, has := s.attr(tok.attrs, "s"); has {
			var err error
			if style, err = strconv.Atoi(v); err != nil || style < 0 {
				return nil, false
			}
		}
		if s.bad {
			return nil, false
		}
		var v, inline string
		var hasV, hasF, hasIS bool
		if !tok.empty {
			for done := false; !done; {
				u := s.next()
				switch u.kind {
				case 'e':
					done = true
					continue
				case 't':
					continue
				case 's':
				default:
					return nil, false
				}
				var ok bool
				switch string(u.name) {
				case "v":
					if hasV {
						return nil, false
					}
					hasV = true
					if !u.empty {
						if v, ok = s.textOf(); !ok {
							return nil, false
						}
					}
				case "f":
					hasF = true
					if !u.empty && !s.skip() {
						return nil, false
					}
				case "is":
					if hasIS {
						return nil, false
					}
					hasIS = true
					if !u.empty {
						if inline, ok = s.richText(); !ok {
							return nil, false
						}
					}
				default:
					if !u.empty && !s.skip() {
						return nil, false
					}
				}
			}
		}
		general, textOK := textStyle(style)
		if !textOK {
			return nil, false
		}
		var shown string
		numeric := false
		switch typ {
		case "s":
			if v == "" {
				shown = ""
				break
			}
			i, _ := strconv.Atoi(strings.TrimSpace(v))
			if i < 0 || i >= len(sst) {
				return nil, false
			}
			shown = sst[i]
		case "str":
			shown = v
		case "inlineStr":
			shown = v
			if hasIS {
				shown = inline
			}
		case "", "n":
			numeric = true
			if v != "" && (!cellNumber(v) || !general) {
				return nil, false
			}
			shown = v
		default:
			return nil, false
		}
		if shown == "" && !hasF {
			continue
		}
		for len(cells) < col-1 {
			cells = append(cells, Cell{})
		}
		c := Cell{Text: shown}
		if numeric && shown != "" {
			n, _ := strconv.ParseFloat(shown, 64)
			c.Number = &n
		}
		cells = append(cells, c)
	}
}
