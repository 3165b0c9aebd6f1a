package reqif

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// CorpusDir is the shared ReqIF corpus: ../shared/corpora/reqif beside the module root (CI),
// or /work/shared; "" when absent.
func corpusDir(t testing.TB) string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			for _, c := range []string{filepath.Join(d, "..", "shared", "corpora", "reqif"), "/work/shared/corpora/reqif"} {
				if _, err := os.Stat(filepath.Join(c, "samples")); err == nil {
					return c
				}
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Skip("the ReqIF corpus (../shared/corpora/reqif beside the repository) is absent")
	return ""
}

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "samples", "*", "*.reqif*"))
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	return files
}

func TestCorpusReads(t *testing.T) {
	for _, f := range corpusFiles(t) {
		p, err := Open(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		src, err := Items(p, ImportOptions{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(src.Items) == 0 {
			t.Errorf("%s: no items", f)
		}
	}
}

func TestNamespacePrefixesCommentsPIs(t *testing.T) {
	for _, prefix := range []string{"xhtml:", "reqif-xhtml:", "", "foo:"} {
		ns := `xmlns:` + strings.TrimSuffix(prefix, ":") + `="http://www.w3.org/1999/xhtml"`
		if prefix == "" {
			ns = `xmlns="http://www.w3.org/1999/xhtml"`
		}
		x := `<` + prefix + `div ` + ns + `><!-- c --><?pi x?><` + prefix + `p>Hello <` + prefix + `b>bold</` + prefix + `b> <` + prefix + `a href="http://e.x">link</` + prefix + `a></` + prefix + `p><` + prefix + `ul><` + prefix + `li>one</` + prefix + `li><` + prefix + `li>two</` + prefix + `li></` + prefix + `ul></` + prefix + `div>`
		n, err := ParseXHTML(x)
		if err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		got := (&Converter{}).Markdown(n)
		want := "Hello **bold** [link](http://e.x)\n\n- one\n- two\n"
		if got != want {
			t.Errorf("prefix %q:\n got %q\nwant %q", prefix, got, want)
		}
	}
}

func TestXHTMLToMarkdown(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<div><h2>Title</h2><p>a <i>b</i> <code>c</code></p></div>`, "## Title\n\na *b* `c`\n"},
		{`<table><tr><th>h1</th><th>h2</th></tr><tr><td>a|b</td><td>c</td></tr></table>`, "| h1 | h2 |\n| --- | --- |\n| a\\|b | c |\n"},
		{`<ol><li>x</li><li>y<ul><li>z</li></ul></li></ol>`, "1. x\n2. y\n\n   - z\n"},
		{`<p>1. not a list *star*</p>`, "1\\. not a list \\*star\\*\n"},
		{`<p>line<br/>break</p>`, "line\\\nbreak\n"},
		{`<pre>  code
  here</pre>`, "```\n  code\n  here\n```\n"},
		{`<p><a href="javascript:alert(1)">x</a></p>`, "x\n"},
		{`<p><object data="img.png" type="image/png">pic</object></p>`, "![pic](img.png)\n"},
	}
	for _, c := range cases {
		n, err := ParseXHTML(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := (&Converter{}).Markdown(n); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestEntitiesRefused(t *testing.T) {
	doc := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "boom">]><REQ-IF><THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>&e;</TITLE></REQ-IF-HEADER></THE-HEADER></REQ-IF>`
	if _, err := ParseBytes([]byte(doc), "x.reqif"); err == nil || !strings.Contains(err.Error(), "x.reqif:") {
		t.Fatalf("want a positioned error for an unknown entity, got %v", err)
	}
	ok := `<?xml version="1.0"?><!DOCTYPE r><REQ-IF><THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>a &amp; &#66;</TITLE></REQ-IF-HEADER></THE-HEADER></REQ-IF>`
	d, err := ParseBytes([]byte(ok), "x.reqif")
	if err != nil || d.Header.Title != "a & B" {
		t.Fatalf("predefined and numeric entities: %v %q", err, d.Header.Title)
	}
	if _, err := ParseBytes([]byte(`<REQ-IF><THE-HEADER>`), "t.reqif"); err == nil {
		t.Fatal("a truncated file must be an error")
	}
	if _, err := ParseBytes([]byte(`<html/>`), "t.reqif"); err == nil || !strings.Contains(err.Error(), "not a ReqIF") {
		t.Fatalf("want not a ReqIF file, got %v", err)
	}
}

func TestArchiveLimits(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.reqif")
	w.Write([]byte(`<REQ-IF><THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"/></THE-HEADER></REQ-IF>`))
	w, _ = zw.Create("__MACOSX/._a.reqif")
	w.Write([]byte("junk"))
	w, _ = zw.Create("bomb.bin")
	w.Write(make([]byte, 50<<20)) // 50 MiB of zeros compress far beyond a ratio of 100
	zw.Close()
	if _, err := Read(buf.Bytes(), "b.reqifz"); err == nil || !strings.Contains(err.Error(), "archive bomb") {
		t.Fatalf("want an archive-bomb error, got %v", err)
	}
	buf.Reset()
	zw = zip.NewWriter(&buf)
	w, _ = zw.Create("x/a.reqif")
	w.Write([]byte(`<REQ-IF><THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"/></THE-HEADER></REQ-IF>`))
	w, _ = zw.Create("../../evil.md")
	w.Write([]byte("x"))
	zw.Close()
	p, err := Read(buf.Bytes(), "ok.reqifz")
	if err != nil || len(p.Documents) != 1 || len(p.Attachments) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
}

func sampleRecords() []*ExportRecord {
	tm := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
	return []*ExportRecord{
		{ID: "REQ-0001", Kind: "requirement", Title: "Chat & <response>", Changed: tm,
			Body:   "Hello *world*, **bold**, `code`, [a link](https://example.com).\n\n- one\n- two\n\n| h | i |\n| --- | --- |\n| 1 | 2 |\n\n![diagram](REQ-0001.files/d.png)\n\n<b>raw</b>\n",
			Fields: []ExportField{{Key: "status", Kind: KindEnum, Enum: []string{"approved"}}, {Key: "priority.ice.impact", Kind: KindInteger, Text: "8"}, {Key: "owner", Kind: KindString, Text: "team"}, {Key: "tags", Kind: KindString, Text: "chat\nservice"}},
			Links:  []ExportLink{{Type: "depends-on", To: "REQ-0003"}}, OriginID: "_abc-1"},
		{ID: "REQ-0002", Kind: "requirement", Title: "Child in another folder", Parent: "REQ-0001", Folder: []string{"chat"}, Changed: tm, Body: "x\n"},
		{ID: "REQ-0003", Kind: "requirement", Title: "Child", Parent: "REQ-0001", Changed: tm.Add(time.Hour), Body: "Child text.\n"},
	}
}

func sampleOptions() ExportOptions {
	return ExportOptions{Identifier: "reqtrail-Demo", Title: "Demo", Time: time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC),
		Enums: map[string][]string{"status": {"new", "approved"}}, FieldOrder: []string{"status"}}
}

func TestWriteGoldenDeterministicValid(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, sampleRecords(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, sampleRecords(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two exports of the same records differ")
	}
	golden := filepath.Join("testdata", "golden", "export.reqif")
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		os.WriteFile(golden, a.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(a.Bytes(), want) {
		t.Errorf("export differs from %s (go test -update rewrites it)", golden)
	}
	xmllintValid(t, a.Bytes())
}

// xmllintValid validates data against the OMG ReqIF schema with xmllint (libxml2-utils,
// installed by .ci/run).
func xmllintValid(t *testing.T, data []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (apt-get install libxml2-utils)")
	}
	f := filepath.Join(t.TempDir(), "out.reqif")
	os.WriteFile(f, data, 0o644)
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(corpusDir(t), "schema", "reqif.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	recs := sampleRecords()
	if err := Write(&buf, recs, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	p, err := Read(buf.Bytes(), "x.reqif")
	if err != nil {
		t.Fatal(err)
	}
	src, err := Items(p, ImportOptions{Fields: map[string]FieldSpec{"status": {Type: "string", Enum: []string{"new", "approved"}},
		"priority.ice.impact": {Type: "integer"}, "owner": {Type: "string"}, "tags": {Type: "list"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Items) != len(recs) {
		t.Fatalf("%d items, want %d", len(src.Items), len(recs))
	}
	byID := map[string]string{}
	for _, it := range src.Items {
		byID[it.Key] = it.ID
	}
	for _, it := range src.Items {
		var r *ExportRecord
		for _, x := range recs {
			if x.ID == it.ID {
				r = x
			}
		}
		if r == nil {
			t.Fatalf("item %s has no reqtrail.ID", it.Key)
		}
		if it.Title != r.Title || it.Body != r.Body || strings.Join(it.Folder, "/") != strings.Join(r.Folder, "/") {
			t.Errorf("%s: title/body/folder %q %q %v", r.ID, it.Title, it.Body, it.Folder)
		}
		if byID[it.Parent] != r.Parent {
			t.Errorf("%s: parent %q, want %q", r.ID, byID[it.Parent], r.Parent)
		}
		var links []ExportLink
		for _, l := range it.Links {
			links = append(links, ExportLink{l.Type, byID[l.To]})
		}
		if !reflect.DeepEqual(links, r.Links) {
			t.Errorf("%s: links %v, want %v", r.ID, links, r.Links)
		}
		if r.ID == "REQ-0001" {
			got := fmt.Sprint(it.Fields)
			for _, w := range []string{"{status approved", "{priority.ice.impact 8", "{owner team", "{tags [chat service]"} {
				if !strings.Contains(got, w) {
					t.Errorf("fields %s lack %s", got, w)
				}
			}
			if it.Key != "_abc-1" {
				t.Errorf("origin id %q not kept as IDENTIFIER", it.Key)
			}
		}
	}
}

func TestAnonymize(t *testing.T) {
	for _, f := range corpusFiles(t) {
		data, _ := os.ReadFile(f)
		out, err := Anonymize(data, filepath.Base(f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		p1, err1 := Read(data, "a")
		p2, err2 := Read(out, "b")
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v %v", f, err1, err2)
			continue
		}
		s1, _ := Items(p1, ImportOptions{})
		s2, _ := Items(p2, ImportOptions{})
		if len(s1.Items) != len(s2.Items) {
			t.Errorf("%s: %d items before, %d after", f, len(s1.Items), len(s2.Items))
			continue
		}
		for i := range s1.Items {
			a, b := s1.Items[i], s2.Items[i]
			if a.Key != b.Key || len([]rune(a.Body)) != len([]rune(b.Body)) || len(a.Fields) != len(b.Fields) {
				t.Errorf("%s: item %s changed structure", f, a.Key)
			}
			if a.Body != "" && strings.TrimSpace(Placeholder(a.Body)) != strings.TrimSpace(a.Body) && a.Body == b.Body {
				t.Errorf("%s: body of %s not anonymized", f, a.Key)
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	if dir := corpusDirOrEmpty(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "samples", "*", "*.reqif*"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 20000 {
				f.Add(data)
			}
		}
	}
	var buf bytes.Buffer
	Write(&buf, sampleRecords(), sampleOptions())
	f.Add(buf.Bytes())
	var z bytes.Buffer
	WriteZip(&z, "a.reqif", sampleRecords(), sampleOptions(), map[string][]byte{"reqs/REQ-0001.files/d.png": []byte("png")})
	f.Add(z.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		sameTokens(t, data)   // the fast tokenizer reads what encoding/xml reads, or leaves it
		sameSplit(t, data, 8) // SPEC-OBJECTS read in chunks as in one piece
		p, err := Read(data, "fuzz.reqif")
		if err != nil {
			return
		}
		if _, err := Items(p, ImportOptions{}); err != nil {
			return
		}
		_, _ = Anonymize(data, "fuzz.reqif")
	})
}

func FuzzXHTML(f *testing.F) {
	for _, s := range []string{`<div><p>a <b>b</b></p></div>`, `<table><tr><td>x</td></tr></table>`, `<ul><li><p>x</p><ol><li>y</li></ol></li></ul>`, `<pre>a</pre><a href="x">y</a><object data="p.png">z</object>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseXHTML(s)
		if err != nil {
			return
		}
		md := (&Converter{}).Markdown(n)
		x := XHTML(md, nil)
		if _, err := ParseXHTML(x); err != nil {
			t.Fatalf("XHTML of the Markdown does not parse: %v\n%s\n%s", err, md, x)
		}
	})
}

func corpusDirOrEmpty() string {
	dir, _ := os.Getwd()
	for d := dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpora", "reqif")
			if _, err := os.Stat(c); err == nil {
				return c
			}
			break
		}
	}
	if _, err := os.Stat("/work/shared/corpora/reqif"); err == nil {
		return "/work/shared/corpora/reqif"
	}
	return ""
}

// benchRecords makes n requirements in folders, with parents, links and fields.
func benchRecords(n int) []*ExportRecord {
	tm := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
	recs := make([]*ExportRecord, n)
	for i := range recs {
		id := fmt.Sprintf("REQ-%05d", i+1)
		r := &ExportRecord{ID: id, Kind: "requirement", Title: "Requirement " + id, Changed: tm,
			Folder: []string{fmt.Sprintf("area-%02d", i%20)},
			Body:   "The system **shall** respond within 30 seconds.\n\n- first point\n- second point\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
			Fields: []ExportField{{Key: "status", Kind: KindEnum, Enum: []string{"approved"}}, {Key: "owner", Kind: KindString, Text: "team"}}}
		if i%5 != 0 {
			r.Parent = fmt.Sprintf("REQ-%05d", i-i%5+1)
		}
		if i > 0 {
			r.Links = []ExportLink{{Type: "relates-to", To: fmt.Sprintf("REQ-%05d", i)}}
		}
		recs[i] = r
	}
	return recs
}

func BenchmarkExport10k(b *testing.B) {
	recs := benchRecords(10000)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, recs, sampleOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImport10k(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, benchRecords(10000), sampleOptions()); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Read(data, "bench.reqif")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Items(p, ImportOptions{Fields: map[string]FieldSpec{"status": {Enum: []string{"approved"}}, "owner": {Type: "string"}}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBreaksAtBlockEdges(t *testing.T) {
	n, err := ParseXHTML(`<div><p><br/>Test Data:<br/></p><p>a<br/>b<br/> </p></div>`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := (&Converter{}).Markdown(n), "Test Data:\n\na\\\nb\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
