package author

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestNeedsQuotes(t *testing.T) {
	quoted := []string{"", "2024.10", "1.0", "0777", "0o17", "0x1F", "0b101", "1_000", "+12", "-3", "1e3", ".5",
		"1:20", "190:20:30", "1:20.5", "2024-10-07", "2024-1-7", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
		"yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", ".inf", "-.Inf", ".nan", "<<", "=",
		"-a", "- a", "? x", ": x", "[x]", "{x}", "#x", "&a", "*a", "!t", "|", ">", "'x", `"x"`, "%x", "@x", "`x",
		" lead", "trail ", "a: b", "a #b", "ends:", "tab\there", "line\nbreak", "nul\x00", "bom\ufeff", "ls\u2028"}
	for _, s := range quoted {
		if !NeedsQuotes(s) {
			t.Errorf("NeedsQuotes(%q) = false, want true", s)
		}
	}
	plain := []string{"hello", "REQ-0001", "Customer A, service director", "客户服务移动 App", "v1.2", "1.2.3a", "a:b", "a#b",
		"https://example.com/x?y=1#z", "O'Brien", "x-y", "2024.10 release", "yesterday", "nothing"}
	for _, s := range plain {
		if NeedsQuotes(s) {
			t.Errorf("NeedsQuotes(%q) = true, want false", s)
		}
	}
}

// randomString draws from the characters and words that make YAML read a scalar otherwise.
func randomString(r *rand.Rand) string {
	pieces := []string{"0", "1", "7", "9", ".", "-", "+", ":", "_", "e", "E", "x", "o", "b", "T", "Z", " ", "\t", "#", "'", `"`,
		"[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "%", "@", "`", "?", "~", "\n", "\\", "yes", "no", "on", "off", "y", "n",
		"true", "null", "inf", "nan", "Inf", "NaN", "2024-10-07", "12:30:00", "<<", "=", "需求", "é", "\u00a0", "\x7f", "\u2028", "a", "Z"}
	var b strings.Builder
	for range 1 + r.IntN(5) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestEncodeRoundTrip: for random strings, Encode then yaml.v3 decode gives the same string,
// and a string written plain is one that no YAML 1.1 or 1.2 resolver reads otherwise
// (checked against PyYAML, a YAML 1.1 implementation, when it is installed).
func TestEncodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var plainOnes []string
	for range 3000 {
		s := randomString(r)
		if !utf8.ValidString(s) {
			continue
		}
		front, _ := Node(map[string]any{"title": s, "owner": s})
		data, err := Encode(record.RequirementKind, front, "")
		if err != nil {
			t.Fatalf("Encode(%q): %v", s, err)
		}
		fm, _, _, _, perr := record.Split(data, false)
		if perr != nil {
			t.Fatalf("%q: %s\n%s", s, perr.Message, data)
		}
		var got map[string]any
		if err := yaml.Unmarshal(fm, &got); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, data)
		}
		if got["title"] != s {
			t.Errorf("%q came back as %#v:\n%s", s, got["title"], data)
		}
		if out, err := format.Source(record.RequirementKind, data, false, nil); err != nil || string(out) != string(data) {
			t.Errorf("%q: Encode's output is not canonical (%v):\n%s", s, err, data)
		}
		if !NeedsQuotes(s) {
			plainOnes = append(plainOnes, s)
		}
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed: the YAML 1.1 cross-check did not run")
	}
	if err := exec.Command("python3", "-c", "import yaml").Run(); err != nil {
		t.Skip("python3-yaml not installed: the YAML 1.1 cross-check did not run")
	}
	var doc strings.Builder
	for i, s := range plainOnes {
		doc.WriteString("k" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ": " + s + "\n")
	}
	cmd := exec.Command("python3", "-c", `
import sys, yaml
for k, v in yaml.safe_load(sys.stdin.read()).items():
    if not isinstance(v, str):
        print(k, repr(v))
`)
	cmd.Stdin = strings.NewReader(doc.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("PyYAML: %v\n%s", err, out)
	}
	if len(out) > 0 {
		t.Errorf("plain scalars PyYAML (YAML 1.1) reads as something else than a string:\n%s", out)
	}
	if len(plainOnes) < 100 {
		t.Errorf("only %d plain strings were cross-checked", len(plainOnes))
	}
}

func TestNodeAndEncode(t *testing.T) {
	front, err := Node(map[string]any{
		"title": "Export", "status": "new", "release": "2024.10", "tags": []string{"a", "yes"},
		"priority": map[string]any{"ice": map[string]any{"impact": 6, "ease": 8, "confidence": 7}, "moscow": "must"},
		"source":   map[string]any{"date": "2024-10-07"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Encode(record.RequirementKind, withID(front, "REQ-0001"), "Body")
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nid: REQ-0001\ntitle: Export\nstatus: new\npriority:\n  moscow: must\n  ice: {impact: 6, confidence: 7, ease: 8}\n" +
		"source:\n  date: \"2024-10-07\"\nrelease: \"2024.10\"\ntags: [a, \"yes\"]\n---\nBody\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := Node(struct{}{}); err == nil {
		t.Error("Node of a struct: no error")
	}
}

func project(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func load(root string) *repo.Repo { return repo.Load(os.DirFS(root)) }

func TestCreate(t *testing.T) {
	root := project(t, map[string]string{"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n"})
	r := load(root)
	front, _ := Node(map[string]any{"title": "Two", "release": "2024.10"})
	// Another writer took REQ-0002 after the scan: Create moves on.
	if err := os.WriteFile(filepath.Join(root, "reqs", "REQ-0002.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Create(root, r, Draft{Kind: record.RequirementKind, Dir: "chat", Front: front, Body: "Text.\n"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "REQ-0003" || c.File != "reqs/chat/REQ-0003.md" {
		t.Errorf("created %s at %s", c.ID, c.File)
	}
	data, _ := os.ReadFile(c.Path)
	if want := "---\nid: REQ-0003\ntitle: Two\nrelease: \"2024.10\"\n---\nText.\n"; string(data) != want {
		t.Errorf("wrote:\n%s", data)
	}
	// A schema error writes nothing.
	bad, _ := Node(map[string]any{"title": "Bad", "status": "nonsense"})
	_, err = Create(root, load(root), Draft{Kind: record.RequirementKind, Front: bad})
	var se *SchemaError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "status") {
		t.Errorf("schema error: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "reqs", "REQ-0004.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a record that fails the schema was written")
	}
	// A given id that exists is refused.
	if _, err := Create(root, load(root), Draft{Kind: record.RequirementKind, ID: "REQ-0001", Front: front}); err == nil {
		t.Error("creating REQ-0001 again: no error")
	}
}

func TestFolderConfined(t *testing.T) {
	outside := t.TempDir()
	root := project(t, map[string]string{"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: One\n---\n", "reqs/afile": "x"})
	if err := os.Symlink(outside, filepath.Join(root, "reqs", "linkdir")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	r := load(root)
	for _, sub := range []string{"linkdir", "linkdir/deeper", "../x", "/abs", "afile"} {
		if _, err := Folder(root, r, record.RequirementKind, sub); err == nil {
			t.Errorf("Folder(%q): no error", sub)
		}
	}
	front, _ := Node(map[string]any{"title": "Two"})
	if _, err := Create(root, r, Draft{Kind: record.RequirementKind, Dir: "linkdir", Front: front}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Create through a link: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("wrote outside the project: %v", entries)
	}
	if got, err := Folder(root, r, record.RequirementKind, "chat/sub"); err != nil || got != "reqs/chat/sub" {
		t.Errorf("Folder(chat/sub) = %q, %v", got, err)
	}
}

func TestConfigError(t *testing.T) {
	for name, cfg := range map[string]string{
		"list":      "- a\n- b\n",
		"scalar":    "just a string\n",
		"broken":    "kinds: {requirement: [\n",
		"utf8":      "project: \xff\xfe\n",
		"bad dir":   "kinds:\n  requirement: {dir: ../outside}\n",
		"bad field": "fields:\n  requirement:\n    x: {type: nonsense}\n",
	} {
		root := project(t, map[string]string{"reqtrail.yaml": cfg})
		r := load(root)
		err := ConfigError(r)
		if err == nil || !strings.Contains(err.Error(), "reqtrail.yaml:") {
			t.Errorf("%s: ConfigError = %v", name, err)
			continue
		}
		front, _ := Node(map[string]any{"title": "x"})
		if _, err := Create(root, r, Draft{Kind: record.RequirementKind, Front: front}); err == nil {
			t.Errorf("%s: Create wrote under a broken reqtrail.yaml", name)
		}
		if _, err := NewPlan(root, r, Options{}); err == nil {
			t.Errorf("%s: NewPlan accepted a broken reqtrail.yaml", name)
		}
	}
	if err := ConfigError(load(project(t, map[string]string{"reqtrail.yaml": "# only a comment\n"}))); err != nil {
		t.Errorf("a comment-only reqtrail.yaml: %v", err)
	}
}
