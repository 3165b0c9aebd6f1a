package reqif

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sameTokens fails when the fast tokenizer gives a token or a position encoding/xml does
// not give for data (it may stop early, leaving the rest to encoding/xml); it reports whether
// the fast tokenizer read the whole document.
func sameTokens(t testing.TB, data []byte) bool {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) { return in, nil }
	fast := newByteTokens(data)
	for i := 0; ; i++ {
		ft, ferr := fast.RawToken()
		if ferr == errSlowPath {
			return false
		}
		st, serr := d.RawToken()
		if ferr == io.EOF || serr == io.EOF {
			if ferr != serr {
				t.Fatalf("token %d: the fast tokenizer says %v, encoding/xml %v (%#v)", i, ferr, serr, st)
			}
			return true
		}
		if serr != nil {
			t.Fatalf("token %d: the fast tokenizer read %#v where encoding/xml fails: %v", i, ft, serr)
		}
		if ferr != nil {
			t.Fatalf("token %d: %v", i, ferr)
		}
		if !reflect.DeepEqual(normalToken(ft), normalToken(st)) {
			t.Fatalf("token %d: the fast tokenizer read %#v, encoding/xml %#v", i, ft, st)
		}
		fl, fc := fast.InputPos()
		sl, sc := d.InputPos()
		if fl != sl || fc != sc {
			t.Fatalf("token %d (%#v): the fast tokenizer is at %d:%d, encoding/xml at %d:%d", i, ft, fl, fc, sl, sc)
		}
	}
}

// normalToken makes tokens comparable (no attributes is nil either way).
func normalToken(tok xml.Token) xml.Token {
	if se, ok := tok.(xml.StartElement); ok && len(se.Attr) == 0 {
		se.Attr = nil
		return se
	}
	return tok
}

// TestByteTokensSameAsDecoder: the fast tokenizer reads the OMG samples, reqtrail's exports
// and hand-written oddities token for token and position for position as encoding/xml, and
// leaves what it does not read to it.
func TestByteTokensSameAsDecoder(t *testing.T) {
	var docs [][]byte
	if dir := corpusDirOrEmpty(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "samples", "*", "*.reqif"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				docs = append(docs, data)
			}
		}
	} else {
		t.Log("no ReqIF corpus (../shared/corpora/reqif): only reqtrail's own documents")
	}
	var buf bytes.Buffer
	if err := Write(&buf, sampleRecords(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	docs = append(docs, buf.Bytes())
	took := 0
	for _, d := range docs {
		if sameTokens(t, d) {
			took++
		}
	}
	if took == 0 {
		t.Error("the fast tokenizer read none of the documents")
	}
	if !sameTokens(t, buf.Bytes()) {
		t.Error("the fast tokenizer did not read reqtrail's own export")
	}
	for _, s := range []string{
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a x='1' y = \"&lt;&#65;&#x42;&amp;\">t\r\next<![CDATA[<raw>\r]]><!-- c --><b/><?pi data?></a>\n",
		"<x:a xmlns:x=\"u\"><x:b x:c=\"d\">需求</x:b></x:a>",
		"<a>]]></a>", "<a>&nbsp;</a>", "<!DOCTYPE a><a/>", "<a><!-- x -- y --></a>", "<a b=c/>", "<a>\x01</a>",
		"<a\n  b=\"1\"\n  c=\"2\">\n</a >", "<1a/>", "<a:b:c/>", "<a b=\"<\"/>", "<?xml version=\"1.0\" encoding=\"latin1\"?><a/>",
		"<a>\xff</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a x=\"1\"y=\"2\"/>", "</a>", "<a>text", "<a", "<é/>",
	} {
		sameTokens(t, []byte(s))
	}
}

// TestParseBytesSameAsParse: documents the fast tokenizer reads give the model encoding/xml
// gives, and malformed ones the same diagnostics.
func TestParseBytesSameAsParse(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleRecords(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for _, data := range [][]byte{good, bytes.Replace(good, []byte("</SPEC-OBJECTS>"), []byte("</SPEC-OBJECT>"), 1),
		good[:len(good)/2], []byte(strings.Replace(string(good), "<REQ-IF ", "<!DOCTYPE x><REQ-IF ", 1))} {
		fast, ferr := ParseBytes(data, "a.reqif")
		slow, serr := Parse(bytes.NewReader(data), "a.reqif")
		if fmt.Sprint(ferr) != fmt.Sprint(serr) {
			t.Errorf("ParseBytes: %v; Parse: %v", ferr, serr)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("ParseBytes and Parse read different models")
		}
	}
}
