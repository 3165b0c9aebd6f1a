package author

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

const handWritten = "---\n" +
	"# yaml-language-server: $schema=x\n" +
	"id: REQ-0001\n" +
	"title:   Export chats    # keep this spacing\n" +
	"\n" +
	"# the status, agreed on 2024-10-01\n" +
	"status: new\n" +
	"priority:\n" +
	"    moscow: should   # four-space indent, as written\n" +
	"    ice: {impact: 6, confidence: 7, ease: 8}\n" +
	"x-legacy: 'kept'\n" +
	"tags:\n" +
	"- a\n" +
	"- b\n" +
	"---\n" +
	"Body stays\r\nbyte for byte.\n"

func TestUpdateKeepsUntouchedBytes(t *testing.T) {
	root := project(t, map[string]string{
		"reqtrail.yaml":    "fields:\n  requirement:\n    x-legacy: {type: string}\n",
		"reqs/REQ-0001.md": handWritten,
	})
	for _, tc := range []struct {
		name  string
		edits []Edit
		want  string
	}{
		{"scalar", []Edit{Set("status", "analysis")}, strings.Replace(handWritten, "status: new\n", "status: analysis\n", 1)},
		{"same value is no change", []Edit{Set("status", "new")}, handWritten},
		{"comment kept", []Edit{Set("priority.moscow", "must")}, strings.Replace(handWritten, "    moscow: should   #", "    moscow: must #", 1)},
		{"flow map", []Edit{Set("priority.ice.ease", 9)}, strings.Replace(handWritten, "ease: 8}", "ease: 9}", 1)},
		{"new key in canonical place", []Edit{Set("urgency", "urgent")}, strings.Replace(handWritten, "x-legacy:", "urgency: urgent\nx-legacy:", 1)},
		{"new nested key", []Edit{Set("source.channel", "sales")}, strings.Replace(handWritten, "x-legacy:", "source:\n  channel: sales\nx-legacy:", 1)},
		{"list at the key's indentation", []Edit{Set("tags", []string{"c"})}, strings.Replace(handWritten, "tags:\n- a\n- b\n", "tags: [c]\n", 1)},
		{"remove", []Edit{Remove("x-legacy")}, strings.Replace(handWritten, "x-legacy: 'kept'\n", "", 1)},
		{"remove the last key of a map", []Edit{Remove("priority.moscow"), Remove("priority.ice")}, strings.Replace(handWritten,
			"priority:\n    moscow: should   # four-space indent, as written\n    ice: {impact: 6, confidence: 7, ease: 8}\n", "", 1)},
		{"body", []Edit{Body("New body.\n")}, strings.Replace(handWritten, "Body stays\r\nbyte for byte.\n", "New body.\n", 1)},
		{"quoting rule", []Edit{Set("release", "2024.10")}, strings.Replace(handWritten, "x-legacy:", "release: \"2024.10\"\nx-legacy:", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPlan(root, load(root), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Update("reqs/REQ-0001.md", tc.edits...); err != nil {
				t.Fatal(err)
			}
			got := string(p.Files()["reqs/REQ-0001.md"])
			if got == "" {
				got = handWritten // no change staged
			}
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestPlanAllOrNothing(t *testing.T) {
	root := project(t, map[string]string{
		"reqtrail.yaml":    "# Our project.\nproject: Demo   # the name\n\nrules: {}\n",
		"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n",
		"reqs/REQ-0002.md": "---\nid: REQ-0002\ntitle: Two\n---\n",
	})
	snapshot := func() map[string]string {
		out := map[string]string{}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				out[p] = string(b)
			}
			return nil
		})
		return out
	}
	before := snapshot()

	// A plan with a lint error in one of its files writes nothing.
	p, _ := NewPlan(root, load(root), Options{})
	front, _ := Node(map[string]any{"title": "Three", "parent": "REQ-0099"})
	if _, err := p.Create(Draft{Kind: record.RequirementKind, Front: front}); err != nil {
		t.Fatal(err)
	}
	if err := p.Update("reqs/REQ-0001.md", Set("status", "analysis")); err != nil {
		t.Fatal(err)
	}
	res := p.Check()
	if len(res.Errors()) == 0 || res.Errors()[0].Rule != "ref-unknown" {
		t.Fatalf("Check: %v", res.Diagnostics)
	}
	if err := p.Apply(); !errors.Is(err, ErrNotClean) {
		t.Errorf("Apply with an error: %v", err)
	}
	if got := snapshot(); len(got) != len(before) || got[filepath.Join(root, "reqs", "REQ-0001.md")] != before[filepath.Join(root, "reqs", "REQ-0001.md")] {
		t.Error("a plan that does not pass lint wrote files")
	}

	// A write that fails half-way restores what was written.
	p, _ = NewPlan(root, load(root), Options{})
	ok, _ := Node(map[string]any{"title": "Three", "customer-tier": "gold"})
	id, _ := p.Create(Draft{Kind: record.RequirementKind, Front: ok})
	if err := p.DeclareField(record.RequirementKind, "customer-tier", map[string]any{"enum": []string{"gold", "silver"}}); err != nil {
		t.Fatal(err)
	}
	_ = p.Update("reqs/REQ-0001.md", Set("status", "analysis"))
	_ = p.Update("reqs/REQ-0002.md", Set("status", "analysis"))
	if errs := p.Check().Errors(); len(errs) > 0 {
		t.Fatalf("Check: %v", errs)
	}
	calls := 0
	writeFile = func(name string, data []byte, perm fs.FileMode) error {
		calls++
		if strings.HasSuffix(name, "REQ-0002.md") {
			return errors.New("disk full")
		}
		return os.WriteFile(name, data, perm)
	}
	defer func() { writeFile = defaultWriteFile }()
	err := p.Apply()
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("Apply with a failing write: %v", err)
	}
	if got := snapshot(); len(got) != len(before) {
		t.Errorf("files left after the rollback: %d, want %d", len(got), len(before))
	} else {
		for f, data := range before {
			if got[f] != data {
				t.Errorf("%s not restored:\n%s", f, got[f])
			}
		}
	}

	// The same plan, with writes working: everything lands; reqtrail.yaml keeps its comments.
	writeFile = defaultWriteFile
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile(filepath.Join(root, "reqtrail.yaml"))
	if want := "# Our project.\nproject: Demo   # the name\n\nrules: {}\nfields:\n  requirement:\n    customer-tier: {enum: [gold, silver]}\n"; string(cfg) != want {
		t.Errorf("reqtrail.yaml:\n%s", cfg)
	}
	if _, err := os.Stat(filepath.Join(root, "reqs", id+".md")); err != nil {
		t.Error(err)
	}
	// Declaring it again is no change; with another schema it is an error.
	p, _ = NewPlan(root, load(root), Options{})
	if err := p.DeclareField(record.RequirementKind, "customer-tier", map[string]any{"enum": []string{"gold", "silver"}}); err != nil || len(p.Describe()) != 0 {
		t.Errorf("declaring again: %v, %v", err, p.Describe())
	}
	if err := p.DeclareField(record.RequirementKind, "customer-tier", map[string]any{"type": "string"}); err == nil {
		t.Error("declaring with another schema: no error")
	}
}

func TestPlanRefusesChangedFile(t *testing.T) {
	root := project(t, map[string]string{"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n"})
	p, _ := NewPlan(root, load(root), Options{})
	_ = p.Update("reqs/REQ-0001.md", Set("status", "analysis"))
	if err := os.WriteFile(filepath.Join(root, "reqs", "REQ-0001.md"), []byte("---\nid: REQ-0001\ntitle: Edited meanwhile\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err == nil || !strings.Contains(err.Error(), "changed since") {
		t.Errorf("Apply over a changed file: %v", err)
	}
}

func TestPlanIDs(t *testing.T) {
	root := project(t, map[string]string{"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n"})
	p, _ := NewPlan(root, load(root), Options{})
	front, _ := Node(map[string]any{"title": "x"})
	a, _ := p.Create(Draft{Kind: record.RequirementKind, Front: front})
	b, err := p.Create(Draft{Kind: record.RequirementKind, ID: "REQ-0005", Front: front})
	c, _ := p.Create(Draft{Kind: record.RequirementKind, Front: front})
	if a != "REQ-0002" || b != "REQ-0005" || err != nil || c != "REQ-0003" {
		t.Errorf("ids %s %s %s (%v)", a, b, c, err)
	}
	if _, err := p.Create(Draft{Kind: record.RequirementKind, ID: "REQ-0005", Front: front}); err == nil {
		t.Error("the same id twice: no error")
	}
	if _, err := p.Create(Draft{Kind: record.RequirementKind, ID: "CR-0001", Front: front}); err == nil {
		t.Error("a change request id for a requirement: no error")
	}
	if err := p.Update("reqs/REQ-0404.md", Set("status", "new")); err == nil {
		t.Error("updating a record that does not exist: no error")
	}
}

func TestRewrite(t *testing.T) {
	root := project(t, map[string]string{"a.md": "old"})
	name := filepath.Join(root, "a.md")
	if err := Rewrite(name, []byte("other"), []byte("new")); err == nil || !strings.Contains(err.Error(), "changed since") {
		t.Errorf("Rewrite over a changed file: %v", err)
	}
	writeFile = func(string, []byte, fs.FileMode) error { return errors.New("disk full") }
	err := Rewrite(name, []byte("old"), []byte("new"))
	writeFile = defaultWriteFile
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Rewrite with a failing write: %v", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "old" {
		t.Errorf("the file changed: %q", b)
	}
	if err := Rewrite(name, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new" {
		t.Errorf("not rewritten: %q", b)
	}
}

// FuzzEdit: setting or removing any field of any record either fails with an error or gives
// a file that parses, with that field changed and every other value as it was.
func FuzzEdit(f *testing.F) {
	f.Add([]byte(handWritten), "priority.moscow", "must", false)
	f.Add([]byte(handWritten), "x-legacy", "", true)
	f.Add([]byte("---\nid: A\n---\n"), "a.b.c", "1", false)
	f.Add([]byte("---\n{id: A, t: {x: 1}}\n---\n"), "t.x", "2", false)
	f.Add([]byte("---\nid: A\nl:\n- 1\n-  2\n# c\nm: 3\n---\nbody"), "l", "x", false)
	f.Add([]byte("---\r\nid: A\r\nk: |\r\n  text\r\n---\r\n"), "k", "y", false)
	f.Fuzz(func(t *testing.T, data []byte, path, value string, remove bool) {
		e := &editor{file: "reqs/REQ-0001.md", kind: record.RequirementKind, data: data}
		before, err := e.parse()
		if err != nil {
			return
		}
		ed := Set(path, value)
		if remove {
			ed = Remove(path)
		}
		if err := e.apply(ed); err != nil {
			return
		}
		after, err := e.parse()
		if err != nil {
			t.Fatalf("the edit gives a file that does not parse: %v\n%s", err, e.data)
		}
		if len(e.changes) == 0 {
			if string(e.data) != string(data) {
				t.Fatalf("no change reported, but the file changed:\n%s", e.data)
			}
			return
		}
		var val *yaml.Node
		if !remove {
			val = String(value)
		}
		if want := expected(before, splitPath(path), val); !reflect.DeepEqual(after.Fields(), want) {
			t.Fatalf("fields %v, want %v", after.Fields(), want)
		}
		if after.Body != before.Body {
			t.Fatalf("the body changed")
		}
	})
}

// TestCreateAllAsCreate: CreateAll stages what Create called for each draft in turn stages
// (ids, files, fields, errors), with its work spread over the cores.
func TestCreateAllAsCreate(t *testing.T) {
	root := project(t, map[string]string{
		"reqtrail.yaml":    "project: Demo\n",
		"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n",
	})
	var drafts []Draft
	for i := range 40 {
		front, err := Node(map[string]any{"title": fmt.Sprintf("Need %d", i), "tags": []string{"a", "b"}, "priority": map[string]any{"moscow": "must"}})
		if err != nil {
			t.Fatal(err)
		}
		d := Draft{Kind: record.RequirementKind, Front: front, Body: "Text.\n"}
		switch i {
		case 3:
			d.ID = "REQ-0100"
		case 5:
			d.ID = "REQ-0001" // exists
		case 7:
			d.ID = "REQ-x"
		case 9:
			d.Front = &yaml.Node{Kind: yaml.ScalarNode, Value: "x"}
		case 11:
			d.Dir = "sub/folder"
		}
		drafts = append(drafts, d)
	}
	one, _ := NewPlan(root, load(root), Options{})
	var wantIDs []string
	var wantErrs []string
	for _, d := range drafts {
		id, err := one.Create(d)
		wantIDs = append(wantIDs, id)
		wantErrs = append(wantErrs, fmt.Sprint(err))
	}
	all, _ := NewPlan(root, load(root), Options{})
	ids, errs := all.CreateAll(drafts)
	for i := range drafts {
		if ids[i] != wantIDs[i] && errs[i] == nil || fmt.Sprint(errs[i]) != wantErrs[i] {
			t.Errorf("draft %d: CreateAll gave %q, %v; Create %q, %s", i, ids[i], errs[i], wantIDs[i], wantErrs[i])
		}
	}
	if !reflect.DeepEqual(all.Files(), one.Files()) {
		t.Error("CreateAll staged other files than Create")
	}
	if !reflect.DeepEqual(all.Describe(), one.Describe()) {
		t.Error("CreateAll describes other changes than Create")
	}
}
