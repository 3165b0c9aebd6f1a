package cli

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/exchange/reqif"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// sharedCorpus is ../shared/corpora/NAME beside the repository (as CI lays it out), or
// /work/shared/corpora/NAME; the test skips when neither exists.
func sharedCorpus(t *testing.T, name string) string {
	t.Helper()
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpora", name)
			if _, err := os.Stat(c); err == nil {
				return c
			}
			break
		}
	}
	if c := filepath.Join("/work/shared/corpora", name); dirExists(c) {
		return c
	}
	t.Skipf("the corpus %s (../shared/corpora beside the repository) is absent", name)
	return ""
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// reqifTexts lists the text values of a ReqIF file: string attribute values and the text of
// XHTML values, each white-space normalised.
func reqifTexts(t *testing.T, data []byte) []string {
	t.Helper()
	if bytes.HasPrefix(data, []byte("PK")) {
		p, err := reqif.Read(data, "x.reqifz")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range p.Documents {
			for _, o := range d.Objects {
				for _, v := range o.Values {
					if s := valueText(v); s != "" {
						out = append(out, s)
					}
				}
			}
		}
		return out
	}
	var out []string
	d := xml.NewDecoder(bytes.NewReader(data))
	inObject := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "SPEC-OBJECT" {
				inObject = false
			}
			continue
		}
		switch {
		case se.Name.Local == "SPEC-OBJECT":
			inObject = true
		case inObject && se.Name.Local == "ATTRIBUTE-VALUE-STRING":
			for _, a := range se.Attr {
				if a.Name.Local == "THE-VALUE" && strings.TrimSpace(a.Value) != "" {
					out = append(out, norm(a.Value))
				}
			}
		case inObject && se.Name.Local == "THE-VALUE":
			var inner struct {
				Inner []byte `xml:",innerxml"`
			}
			if err := d.DecodeElement(&inner, &se); err != nil {
				t.Fatal(err)
			}
			n, err := reqif.ParseXHTML(string(inner.Inner))
			if err == nil {
				if s := norm(reqif.PlainText(n)); s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func valueText(v *reqif.Value) string {
	switch v.Kind {
	case reqif.KindString:
		return norm(v.Text)
	case reqif.KindXHTML:
		return norm(reqif.PlainText(v.XHTML))
	}
	return ""
}

// listMarker is an ordered list item's number, which Markdown adds to the text.
var listMarker = regexp.MustCompile(`(?m)^[ \t]*\d+\. `)

var mdMarks = regexp.MustCompile(`[\\*_` + "`" + `|#>\[\]()!~-]+`)

// norm drops Markdown punctuation and every white space, so a value is found in the
// Markdown it became (emphasis marks and line breaks move spaces around).
func norm(s string) string {
	return strings.Join(strings.Fields(mdMarks.ReplaceAllString(s, "")), "")
}

// projectText is the text of every record of dir: the string values of its front matter
// and its body, and the folder names (chapters become folders).
func projectText(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(filepath.Join(dir, "reqs"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(" " + strings.ReplaceAll(filepath.ToSlash(p), "-", " ") + " ")
		if d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		front, body := splitRecord(t, p, data)
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				b.WriteString(" " + x + " ")
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(front)
		b.Write(listMarker.ReplaceAll([]byte(body), nil))
		return nil
	})
	return norm(b.String())
}

// splitRecord returns a record file's front matter (decoded, strings as written) and body.
func splitRecord(t *testing.T, name string, data []byte) (map[string]any, string) {
	t.Helper()
	s := strings.TrimPrefix(string(data), "---\n")
	fm, body, ok := strings.Cut(s, "\n---\n")
	if !ok {
		t.Fatalf("%s: no front matter", name)
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &n); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var m map[string]any
	if len(n.Content) > 0 {
		m, _ = record.Value(n.Content[0], nil).(map[string]any)
	}
	return m, body
}

func TestImportReqifCorpus(t *testing.T) {
	corpus := sharedCorpus(t, "reqif")
	files, _ := filepath.Glob(filepath.Join(corpus, "samples", "*", "*.reqif*"))
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			authoringWrite(t, dir, "reqtrail.yaml", "project: Corpus\n")
			code, out, errOut := runIn(dir, "import", "reqif", f)
			if code != 0 {
				t.Fatalf("import exit %d\n%s\n%s", code, out, errOut)
			}
			if code, lout, _ := runIn(dir, "lint"); code != 0 {
				t.Fatalf("lint exit %d\n%s", code, lout)
			}
			if code, out, _ := runIn(dir, "fmt", "--check"); code != 0 {
				t.Fatalf("fmt --check exit %d\n%s", code, out)
			}
			data, _ := os.ReadFile(f)
			texts := reqifTexts(t, data)
			// Chapter values that have no home are listed in the summary: found there.
			hay := projectText(t, dir) + norm(out)
			found := 0
			var missing []string
			for _, s := range texts {
				if strings.Contains(hay, s) {
					found++
				} else {
					missing = append(missing, s)
				}
			}
			if len(texts) > 0 && found*100 < len(texts)*95 {
				t.Errorf("%d of %d text values found (< 95 %%); missing: %q", found, len(texts), missing)
			}
			// A second import of the same file changes nothing.
			if _, out, _ := runIn(dir, "import", "reqif", f); !regexp.MustCompile(`(?m)^0 created, 0 updated`).MatchString(out) {
				t.Errorf("second import changed records:\n%s", out)
			}
		})
	}
}

func TestExportReqifValidRoundTrip(t *testing.T) {
	corpus := sharedCorpus(t, "reqif")
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "project: Round trip\nfields:\n  requirement:\n    customer-tier: {enum: [gold, silver]}\n")
	authoringWrite(t, dir, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: Chat & <reply>\ntype: functional\nstatus: approved\npriority:\n  moscow: must\n  ice: {impact: 8, confidence: 6, ease: 5}\nsource:\n  channel: interview\n  date: 2024-05-03\nrelease: \"2024.3\"\nacceptance-criteria:\n  - Median first response under 30 s\ntags: [chat, service]\ncustomer-tier: gold\n---\nThe **agent** answers *fast*.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n- one\n- two\n")
	authoringWrite(t, dir, "reqs/chat/REQ-0002.md", "---\nid: REQ-0002\ntitle: Typing indicator\nparent: REQ-0001\nlinks:\n  - {type: depends-on, to: REQ-0003}\n---\nShow it.\n")
	authoringWrite(t, dir, "reqs/REQ-0003.md", "---\nid: REQ-0003\ntitle: Presence\nparent: REQ-0001\n---\n")
	for _, f := range []string{"a.reqif", "b.reqif"} {
		if code, _, errOut := runIn(dir, "export", "reqif", "-o", filepath.Join(dir, f)); code != 0 {
			t.Fatalf("export exit %d: %s", code, errOut)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.reqif"))
	b, _ := os.ReadFile(filepath.Join(dir, "b.reqif"))
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of one revision differ")
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(corpus, "schema", "reqif.xsd"), filepath.Join(dir, "a.reqif")).CombinedOutput()
		if err != nil {
			t.Fatalf("xmllint: %v\n%s", err, out)
		}
	} else {
		t.Log("xmllint not installed: schema validation skipped (.ci/run installs libxml2-utils)")
	}
	// Import into an empty project with the same configuration: the same records.
	other := t.TempDir()
	conf, _ := os.ReadFile(filepath.Join(dir, "reqtrail.yaml"))
	authoringWrite(t, other, "reqtrail.yaml", string(conf))
	if code, out, errOut := runIn(other, "import", "reqif", filepath.Join(dir, "a.reqif")); code != 0 {
		t.Fatalf("import exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{"reqs/REQ-0001.md", "reqs/chat/REQ-0002.md", "reqs/REQ-0003.md"} {
		gotF, gotB := splitRecord(t, f, []byte(authoringRead(t, other, f)))
		wantF, wantB := splitRecord(t, f, []byte(authoringRead(t, dir, f)))
		if !reflect.DeepEqual(gotF, wantF) || gotB != wantB {
			t.Errorf("%s after the round trip:\n%v\n%s\nwant:\n%v\n%s", f, gotF, gotB, wantF, wantB)
		}
	}
	// Import into the same project: nothing changes.
	if code, out, _ := runIn(dir, "import", "reqif", filepath.Join(dir, "a.reqif")); code != 0 || !strings.Contains(out, "0 created, 0 updated, 3 unchanged") {
		t.Errorf("re-import into the same project: exit %d\n%s", code, out)
	}
}

func TestImportDoorstopTree(t *testing.T) {
	corpus := sharedCorpus(t, "doorstop-reqs")
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "project: Doorstop\n")
	code, out, errOut := runIn(dir, "import", "doorstop", corpus)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "29 created") {
		t.Errorf("summary: %s", out)
	}
	if code, out, _ := runIn(dir, "lint"); code != 0 {
		t.Fatalf("lint: %s", out)
	}
	got := authoringRead(t, dir, "reqs/TUT/REQ-0018.md")
	// Its links are reviewed in Doorstop: pinned with the targets' fingerprints.
	r := repo.Load(os.DirFS(dir))
	fp := func(id string) string {
		if rec := r.ByID[id]; rec != nil {
			return rec.Fingerprint
		}
		return "?"
	}
	for _, want := range []string{"parent: {id: REQ-0001, fingerprint: " + fp("REQ-0001") + "}", "{type: derived-from, to: REQ-0002, fingerprint: " + fp("REQ-0002") + "}",
		"origin: {system: 'doorstop:TUT', id: TUT002}", "order: \"1.2\""} {
		if !strings.Contains(got, want) {
			t.Errorf("REQ-0018 lacks %q:\n%s", want, got)
		}
	}
	if _, out, _ := runIn(dir, "import", "doorstop", corpus); !strings.Contains(out, "0 created, 0 updated, 29 unchanged") {
		t.Errorf("second import: %s", out)
	}
}

func TestReqifAnonymizeCommand(t *testing.T) {
	corpus := sharedCorpus(t, "reqif")
	dir := t.TempDir()
	in := filepath.Join(corpus, "samples", "polarion-small", "sample1_polarion.reqif")
	out := filepath.Join(dir, "anon.reqif")
	if code, _, errOut := runIn(dir, "reqif", "anonymize", in, out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, _ := os.ReadFile(out)
	if bytes.Contains(data, []byte("Lorem Ipsum")) || !bytes.Contains(data, []byte("rmf-bd312f1z-fa7c-4de3-b8f3-ab105179fccc")) {
		t.Errorf("text kept or identifiers lost:\n%s", data)
	}
	authoringWrite(t, dir, "reqtrail.yaml", "")
	if code, o, e := runIn(dir, "import", "reqif", out); code != 0 {
		t.Errorf("the anonymized file does not import: %s%s", o, e)
	}
}

// A .reqifz's images become attachments beside the record; entries that would escape or
// pose as records are renamed; nothing is read from outside the archive.
func TestImportReqifzAttachments(t *testing.T) {
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	dir := t.TempDir()
	authoringWrite(t, dir, "reqtrail.yaml", "")
	authoringWrite(t, dir, "secret.png", "SECRET")
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:reqif-xhtml="http://www.w3.org/1999/xhtml">
<THE-HEADER><REQ-IF-HEADER IDENTIFIER="z"/></THE-HEADER>
<CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-XHTML IDENTIFIER="x"/></DATATYPES>
<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="t"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="txt" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>
<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="o1" LONG-NAME="With pictures"><VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>txt</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
<THE-VALUE><reqif-xhtml:div><reqif-xhtml:p>See <reqif-xhtml:object data="files/diagram 1.png" type="image/png">the diagram</reqif-xhtml:object>, <reqif-xhtml:object data="../secret.png" type="image/png">secret</reqif-xhtml:object> and <reqif-xhtml:object data="files/notes.md" type="text/plain">notes</reqif-xhtml:object>.</reqif-xhtml:p></reqif-xhtml:div></THE-VALUE>
</ATTRIBUTE-VALUE-XHTML></VALUES><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT></SPEC-OBJECTS>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string]string{"spec.reqif": doc, "files/diagram 1.png": "PNG", "files/notes.md": "notes", "__MACOSX/._spec.reqif": "junk", ".DS_Store": "junk"} {
		w, _ := zw.Create(name)
		w.Write([]byte(data))
	}
	zw.Close()
	authoringWrite(t, dir, "in.reqifz", buf.String())
	code, out, errOut := runIn(dir, "import", "reqif", filepath.Join(dir, "in.reqifz"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	body := authoringRead(t, dir, "reqs/REQ-0001.md")
	if !strings.Contains(body, "See ![the diagram](REQ-0001.files/diagram-1.png), secret and [notes](REQ-0001.files/notes).") {
		t.Errorf("body:\n%s", body)
	}
	if got := authoringRead(t, dir, "reqs/REQ-0001.files/diagram-1.png"); got != "PNG" {
		t.Errorf("attachment %q", got)
	}
	if got := authoringRead(t, dir, "reqs/REQ-0001.files/notes"); got != "notes" {
		t.Errorf("attachment %q", got)
	}
	if !strings.Contains(out, `object "../secret.png" is not in the archive`) {
		t.Errorf("no note about the outside object:\n%s", out)
	}
	if code, out, _ := runIn(dir, "lint"); code != 0 {
		t.Errorf("lint: %s", out)
	}
}

// TestExportReqifEveryKind: export reqif --kind all writes the example project's requirements,
// change requests and acceptance records (SPEC-OBJECT-TYPEs reqtrail.<kind>), valid against
// the OMG schema, with a SPEC-RELATION for every id a change request or an acceptance record
// names; importing it into an empty project gives the same requirements and change requests
// (acceptance records are never imported: the summary lists them).
func TestExportReqifEveryKind(t *testing.T) {
	corpus := sharedCorpus(t, "reqif")
	t.Setenv("REQTRAIL_NO_CACHE", "1")
	src := filepath.Join("..", "..", "examples", "customer-service")
	out := filepath.Join(t.TempDir(), "all.reqif")
	code, _, errOut := runIn(src, "export", "reqif", "--kind", "all", "-o", out)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	r := repo.Load(os.DirFS(src))
	want := map[record.Kind]int{}
	refs := 0
	for _, rec := range r.Records {
		want[rec.Kind]++
		if rec.Kind != record.RequirementKind {
			refs += len(rec.Refs())
		}
	}
	if w := fmt.Sprintf(": %d requirements, %d change requests, %d acceptance records", want[record.RequirementKind], want[record.ChangeKind], want[record.AcceptanceKind]); !strings.Contains(errOut, w) {
		t.Errorf("summary %q, want %q", errOut, w)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := reqif.Parse(bytes.NewReader(data), "all.reqif")
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string]int{}
	for _, o := range doc.Objects {
		byType[doc.TypeName(o.Type)]++
	}
	for k, n := range want {
		if byType["reqtrail."+string(k)] < n {
			t.Errorf("%d objects of type reqtrail.%s, want at least %d", byType["reqtrail."+string(k)], k, n)
		}
	}
	relRefs := 0
	for _, rel := range doc.Relations {
		tn := doc.TypeName(rel.Type)
		if strings.HasPrefix(tn, "reqtrail.change.") || strings.HasPrefix(tn, "reqtrail.acceptance.") {
			relRefs++
		}
	}
	if refs == 0 || relRefs == 0 || relRefs > refs {
		t.Errorf("%d reference relations for %d references of change requests and acceptance records", relRefs, refs)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed: schema validation skipped (.ci/run installs libxml2-utils)")
	} else if out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join(corpus, "schema", "reqif.xsd"), out).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}

	other := t.TempDir()
	conf, _ := os.ReadFile(filepath.Join(src, "reqtrail.yaml"))
	authoringWrite(t, other, "reqtrail.yaml", string(conf))
	code, stdout, errOut := runIn(other, "import", "reqif", out)
	if code != 0 {
		t.Fatalf("import exit %d\n%s%s", code, stdout, errOut)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d created", len(r.Records)-want[record.AcceptanceKind])) ||
		strings.Count(stdout, "reqtrail.acceptance; that kind is not imported") != want[record.AcceptanceKind] {
		t.Errorf("import summary:\n%s", stdout)
	}
	for _, rec := range r.Records {
		if rec.Kind == record.AcceptanceKind {
			if _, err := os.Stat(filepath.Join(other, rec.File)); err == nil {
				t.Errorf("%s was imported", rec.File)
			}
			continue
		}
		gotF, gotB := splitRecord(t, rec.File, []byte(authoringRead(t, other, rec.File)))
		wantF, wantB := splitRecord(t, rec.File, rec.Raw)
		if !reflect.DeepEqual(gotF, wantF) || strings.TrimSpace(gotB) != strings.TrimSpace(wantB) {
			t.Errorf("%s after the round trip:\n%v\n%s\nwant:\n%v\n%s", rec.File, gotF, gotB, wantF, wantB)
		}
	}
}

// TestExportReqifKeepsTreesDropped: export reqif reads requirements from their fields (no
// front matter is parsed again after the loader dropped the trees).
func TestExportReqifKeepsTreesDropped(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 50, corpus.Options{}); err != nil {
		t.Fatal(err)
	}
	before := record.Reparses()
	if code, _, errOut := runIn(dir, "export", "reqif", "-o", filepath.Join(dir, "out.reqif")); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := record.Reparses() - before; n != 0 {
		t.Errorf("export reqif parsed %d front matters again", n)
	}
}
