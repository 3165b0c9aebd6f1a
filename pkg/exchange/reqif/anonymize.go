package reqif

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
)

// Placeholder replaces every letter of s by x (X for upper case) and every digit by 0,
// keeping white space, punctuation and the length in characters.
func Placeholder(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return 'X'
		case unicode.IsLetter(r):
			return 'x'
		case unicode.IsDigit(r):
			return '0'
		}
		return r
	}, s)
}

// contentElems are the elements whose LONG-NAME and DESC are content, not structure.
var contentElems = map[string]bool{"SPEC-OBJECT": true, "SPECIFICATION": true, "SPEC-RELATION": true,
	"SPEC-HIERARCHY": true, "RELATION-GROUP": true}

// Anonymize returns a copy of a .reqif or .reqifz with every text value replaced by
// Placeholder text; identifiers, references, dates, numbers, the names of datatypes,
// types, attributes and enumeration values, and the structure are kept. Attachments of a
// .reqifz become as many zero bytes.
func Anonymize(data []byte, name string) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return anonymizeXML(data, name)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip archive: %v", name, err)
	}
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf("%s: %d entries; an archive may hold at most %d", name, len(zr.File), MaxEntries)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	var total uint64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		content, err := readEntry(f, name, &total)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(path.Ext(f.Name), ".reqif") {
			if content, err = anonymizeXML(content, name+"!"+f.Name); err != nil {
				return nil, err
			}
		} else {
			content = make([]byte, len(content))
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(content); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func anonymizeXML(data []byte, name string) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var b bytes.Buffer
	var stack []string
	inXHTML, inText := 0, 0
	qname := func(n xml.Name) string {
		if n.Space != "" {
			return n.Space + ":" + n.Local
		}
		return n.Local
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, _ := d.InputPos()
			return nil, fmt.Errorf("%s:%d: malformed XML: %v", name, l, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxDepth*4 {
				return nil, fmt.Errorf("%s: elements nested too deep", name)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, t.Name.Local)
			if inXHTML > 0 {
				inXHTML++
			} else if t.Name.Local == "THE-VALUE" && (strings.HasPrefix(parent, "ATTRIBUTE-VALUE-XHTML") || strings.HasPrefix(parent, "ATTRIBUTE-VALUE-STRING")) {
				inXHTML = 1
			} else if t.Name.Local == "THE-ORIGINAL-VALUE" {
				inXHTML = 1
			}
			if inText > 0 {
				inText++
			} else if (t.Name.Local == "TITLE" || t.Name.Local == "COMMENT") && parent == "REQ-IF-HEADER" {
				inText = 1
			}
			b.WriteString("<" + qname(t.Name))
			for _, a := range t.Attr {
				v := a.Value
				switch {
				case inXHTML > 1 && (a.Name.Local == "href" || a.Name.Local == "title" || a.Name.Local == "alt"):
					v = Placeholder(v)
				case a.Name.Local == "DESC":
					v = Placeholder(v)
				case a.Name.Local == "LONG-NAME" && contentElems[t.Name.Local]:
					v = Placeholder(v)
				case a.Name.Local == "THE-VALUE" && t.Name.Local == "ATTRIBUTE-VALUE-STRING":
					v = Placeholder(v)
				}
				b.WriteString(" " + qname(a.Name) + `="`)
				escapeAttr(&b, v)
				b.WriteString(`"`)
			}
			b.WriteString(">")
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if inXHTML > 0 {
				inXHTML--
			}
			if inText > 0 {
				inText--
			}
			b.WriteString("</" + qname(t.Name) + ">")
		case xml.CharData:
			s := string(t)
			if inXHTML > 0 || inText > 0 {
				s = Placeholder(s)
			}
			escapeText(&b, s)
		case xml.Comment:
			b.WriteString("<!--" + strings.ReplaceAll(Placeholder(string(t)), "--", "- -") + "-->")
		case xml.ProcInst:
			if t.Target == "xml" {
				b.WriteString("<?xml " + string(t.Inst) + "?>")
			} else {
				b.WriteString("<?" + t.Target + " " + string(t.Inst) + "?>")
			}
		case xml.Directive:
			// DOCTYPEs are dropped: the reader ignores them anyway.
		}
	}
	return b.Bytes(), nil
}
