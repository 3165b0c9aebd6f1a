package reqif

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// sameSplit fails when reading data with SPEC-OBJECTS cut into chunks of chunk bytes gives
// another model or another diagnostic than reading it in one piece (and than encoding/xml);
// it reports whether the chunks were taken.
func sameSplit(t testing.TB, data []byte, chunk int) bool {
	t.Helper()
	whole, werr := parseTokens(newByteTokens(data), "s.reqif", 0)
	if werr != nil { // as ParseBytes: encoding/xml reads what the fast reader does not
		whole, werr = Parse(bytes.NewReader(data), "s.reqif")
	}
	split, serr := parseBytes(data, "s.reqif", chunk)
	if fmt.Sprint(werr) != fmt.Sprint(serr) {
		t.Fatalf("chunks of %d: %v; in one piece: %v", chunk, serr, werr)
	}
	if !reflect.DeepEqual(whole, split) {
		t.Fatalf("chunks of %d: another model than in one piece", chunk)
	}
	r := newReader(newByteTokens(data), "s.reqif", chunk)
	_, err := r.parse()
	return err == nil && r.split != nil
}

// splitDoc is an export of n requirements (bodies with lists and tables).
func splitDoc(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	if err := Write(&buf, benchRecords(n), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSplitSameAsOnePiece: SPEC-OBJECTS read in chunks of any size give the model read in
// one piece, positions included; cuts that fall where no object starts (a tag in a
// comment, a CDATA section or XHTML), a duplicate or missing IDENTIFIER in another chunk, a
// second SPEC-OBJECTS, a namespace prefix and a broken object give what the one-piece
// reading gives.
func TestSplitSameAsOnePiece(t *testing.T) {
	doc := string(splitDoc(t, 40))
	obj := `<SPEC-OBJECT IDENTIFIER="x-1" LAST-CHANGE="2024-05-03T10:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>`
	first := strings.Index(doc, "<SPEC-OBJECT ")
	mid := strings.Index(doc[len(doc)/2:], "<SPEC-OBJECT ") + len(doc)/2
	firstID := doc[first+len(`<SPEC-OBJECT IDENTIFIER="`):]
	firstID = firstID[:strings.IndexByte(firstID, '"')]
	variants := map[string]string{
		"export":         doc,
		"crlf":           strings.ReplaceAll(doc, "\n", "\r\n"),
		"comment":        doc[:mid] + "<!-- <SPEC-OBJECT IDENTIFIER=\"c\"> -->\n" + doc[mid:],
		"long comment":   doc[:mid] + "<!--" + strings.Repeat(" <SPEC-OBJECT IDENTIFIER=\"c\">\n", 50) + "-->" + doc[mid:],
		"cdata":          doc[:mid] + "<X><![CDATA[" + strings.Repeat("<SPEC-OBJECT IDENTIFIER=\"c\">", 40) + "]]></X>" + doc[mid:],
		"xhtml tag":      strings.Replace(doc, "<xhtml:p>", "<xhtml:p><SPEC-OBJECT a=\"b\"></SPEC-OBJECT>", 20),
		"duplicate":      doc[:mid] + strings.Replace(obj, "x-1", firstID, 1) + doc[mid:],
		"no identifier":  doc[:mid] + strings.Replace(obj, ` IDENTIFIER="x-1"`, "", 1) + doc[mid:],
		"broken":         doc[:mid] + "<SPEC-OBJECT IDENTIFIER=\"b\"><VALUES></SPEC-OBJECT>" + doc[mid:],
		"end tag in xml": doc[:mid] + "<!-- </SPEC-OBJECTS> -->" + doc[mid:],
		"second section": strings.Replace(doc, "</SPEC-OBJECTS>", "</SPEC-OBJECTS><SPEC-OBJECTS>"+obj+"</SPEC-OBJECTS>", 1),
		"second dup":     strings.Replace(doc, "</SPEC-OBJECTS>", "</SPEC-OBJECTS><SPEC-OBJECTS>"+strings.Replace(obj, "x-1", firstID, 1)+"</SPEC-OBJECTS>", 1),
		"other children": doc[:mid] + "<OTHER><SPEC-OBJECT IDENTIFIER=\"o\"/></OTHER>" + doc[mid:],
		"self-closing":   doc[:mid] + `<SPEC-OBJECT IDENTIFIER="sc"/>` + doc[mid:],
		"prefix":         strings.NewReplacer("<SPEC-OBJECTS>", "<r:SPEC-OBJECTS>", "</SPEC-OBJECTS>", "</r:SPEC-OBJECTS>", "<SPEC-OBJECT ", "<r:SPEC-OBJECT ", "</SPEC-OBJECT>", "</r:SPEC-OBJECT>").Replace(doc),
		"truncated":      doc[:mid+10],
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			for _, chunk := range []int{1, 100, 1000, 5000, len(v)} {
				sameSplit(t, []byte(v), chunk)
			}
		})
	}
	// What can be read in chunks is (not read again in one piece).
	for _, name := range []string{"export", "crlf", "second section", "self-closing", "prefix"} {
		if !sameSplit(t, []byte(variants[name]), 1000) {
			t.Errorf("%s: not read in chunks", name)
		}
	}
}

// TestSplitCorpus: the real exports read in chunks as in one piece.
func TestSplitCorpus(t *testing.T) {
	dir := corpusDirOrEmpty()
	if dir == "" {
		t.Skip("no ReqIF corpus (/work/shared/corpora/reqif)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.reqif"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*.reqif"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skip("no .reqif files in " + dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, chunk := range []int{64, 4096} {
			sameSplit(t, data, chunk)
		}
	}
}

// TestItemsSameOnEveryCore: the items of a document of hundreds of objects (made on every
// core) and its notes are the same, in the same order, on one core as on several.
func TestItemsSameOnEveryCore(t *testing.T) {
	doc := string(splitDoc(t, 600))
	// A hierarchy node naming a missing object, and a relation to one: notes.
	doc = strings.Replace(doc, "</CHILDREN>", `<SPEC-HIERARCHY IDENTIFIER="h-x"><OBJECT><SPEC-OBJECT-REF>missing</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY></CHILDREN>`, 1)
	items := func(procs int) any {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p, err := Read([]byte(doc), "s.reqif")
		if err != nil {
			t.Fatal(err)
		}
		src, err := Items(p, ImportOptions{Fields: map[string]FieldSpec{"status": {Enum: []string{"approved"}}, "owner": {Type: "string"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(src.Items) < 600 || len(src.Notes) == 0 {
			t.Fatalf("%d items, %d notes", len(src.Items), len(src.Notes))
		}
		return src
	}
	if one, four := items(1), items(4); !reflect.DeepEqual(one, four) {
		t.Errorf("the items made on 4 cores differ from those made on one")
	}
}
