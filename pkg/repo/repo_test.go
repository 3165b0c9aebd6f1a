package repo_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rulesByFile(ds []diag.Diagnostic) map[string][]string {
	out := map[string][]string{}
	for _, d := range ds {
		out[d.File()] = append(out[d.File()], d.Rule+": "+d.Message)
	}
	return out
}

func TestLoadFindsEveryKind(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":              {Data: []byte("kinds:\n  requirement: {dir: requirements}\n")},
		"requirements/a/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: a\n---\n")},
		"requirements/REQ-0002.yml":  {Data: []byte("id: REQ-0002\ntitle: b\n")},
		"requirements/README.md":     {Data: []byte("# not a record")},
		"requirements/_draft.md":     {Data: []byte("not a record")},
		"requirements/.hidden.md":    {Data: []byte("not a record")},
		"requirements/notes.txt":     {Data: []byte("not a record")},
		"requirements/.git/x.md":     {Data: []byte("not a record")},
		"reqs/REQ-0003.md":           {Data: []byte("not looked at: reqs is not the folder any more")},
		"changes/CR-0001.md":         {Data: []byte("---\nid: CR-0001\ntitle: c\naffects: [REQ-0001]\n---\n")},
		"acceptance/ACC-0001.md":     {Data: []byte("---\nid: ACC-0001\ntitle: a\nverdict: rejected\ndate: 2024-10-02\nrequirements: [{id: REQ-0001, fingerprint: 0123456789ab}]\n---\n")},
	}
	r := repo.Load(fsys)
	if len(r.Diags) != 0 {
		t.Fatalf("diagnostics: %v", r.Diags)
	}
	var files []string
	for _, rec := range r.Records {
		files = append(files, string(rec.Kind)+":"+rec.File)
	}
	want := []string{"acceptance:acceptance/ACC-0001.md", "change:changes/CR-0001.md", "requirement:requirements/REQ-0002.yml", "requirement:requirements/a/REQ-0001.md"}
	if !slices.Equal(files, want) {
		t.Errorf("records %v, want %v", files, want)
	}
	if r.Requirement("REQ-0002") == nil || r.Requirement("CR-0001") != nil || r.ByID["CR-0001"].Kind != record.ChangeKind {
		t.Error("index by id is wrong")
	}
}

func TestLoadBadInputOnDisk(t *testing.T) {
	root := t.TempDir()
	write(t, root, "reqs/REQ-0001.md", "---\nid: REQ-0001\ntitle: good\nparent: REQ-0002\n---\n")
	write(t, root, "reqs/REQ-0002.md", "---\nid: REQ-0002\ntitle: good\n---\n")
	write(t, root, "reqs/big/REQ-0003.md", "---\nid: REQ-0003\ntitle: big\n---\n"+strings.Repeat("x", 10<<20))
	write(t, root, "reqs/REQ-0004.md", "---\nid: REQ-0004\ntitle: ok\nunknown-key: 1\nstatus: 7\n---\n")
	write(t, root, "reqs/REQ-0005.md", "---\nid: REQ-0005\ntitle: \"\\xff\"\n---\n\xff\xfe")
	if err := os.Symlink(".", filepath.Join(root, "reqs", "loop")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := os.Symlink("REQ-0002.md", filepath.Join(root, "reqs", "REQ-0009.md")); err != nil {
		t.Fatal(err)
	}
	// Exactly 1 MiB is read; one byte more is too large.
	head := "---\nid: REQ-0006\ntitle: edge\n---\n"
	write(t, root, "reqs/REQ-0006.md", head+strings.Repeat("x", record.MaxSize-len(head)))
	write(t, root, "reqs/big/REQ-0007.md", "---\nid: REQ-0007\ntitle: edge\n---\n"+strings.Repeat("x", record.MaxSize-len(head)+1))
	// os.DirFS: the walk stats each file; dirfs: the read is bounded instead.
	for _, fsys := range []fs.FS{os.DirFS(root), dirfs.New(root)} {
		loadBadInput(t, repo.Load(fsys))
	}
}

func loadBadInput(t *testing.T, r *repo.Repo) {
	t.Helper()
	got := rulesByFile(r.Diags)
	if r.ByID["REQ-0006"] == nil || len(got["reqs/REQ-0006.md"]) != 0 {
		t.Errorf("a record of exactly 1 MiB: %v, %q", r.ByID["REQ-0006"] != nil, got["reqs/REQ-0006.md"])
	}
	for file, want := range map[string]string{
		"reqs/big/REQ-0003.md": "parse: file is larger than 1 MiB",
		"reqs/big/REQ-0007.md": "parse: file is larger than 1 MiB",
		"reqs/loop":            "parse: symbolic link not followed",
		"reqs/REQ-0009.md":     "parse: symbolic link not followed",
		"reqs/REQ-0005.md":     "parse: file is not valid UTF-8",
	} {
		if len(got[file]) != 1 || !strings.HasPrefix(got[file][0], want) {
			t.Errorf("%s: got %q, want %q", file, got[file], want)
		}
	}
	if len(got["reqs/REQ-0004.md"]) != 2 {
		t.Errorf("REQ-0004: %q", got["reqs/REQ-0004.md"])
	}
	if len(got["reqs/REQ-0001.md"])+len(got["reqs/REQ-0002.md"]) != 0 {
		t.Errorf("good files have diagnostics: %v", got)
	}
}

func TestLoadConfigProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":    {Data: []byte("kinds:\n  requirement: {dir: ../outside, digits: 0}\ntrace: [{path: src, role: maybe}]\nsite: {lang: fr}\nfields:\n  requirement:\n    title: {type: string}\n")},
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: t\n---\n")},
	}
	r := repo.Load(fsys)
	var lines []int
	for _, d := range r.Diags {
		if d.File() != "reqtrail.yaml" {
			t.Errorf("unexpected %s", d)
		}
		lines = append(lines, d.Range.Start.Line)
	}
	// digits: 0, role: maybe, lang: fr, dir: ../outside, title redeclared.
	if !slices.Equal(lines, []int{2, 2, 3, 4, 7}) {
		t.Errorf("lines %v: %v", lines, r.Diags)
	}
	if r.Requirement("REQ-0001") == nil {
		t.Error("a bad config must not stop records from loading")
	}
}

func TestExtraFields(t *testing.T) {
	fsys := fstest.MapFS{
		"reqtrail.yaml":    {Data: []byte("fields:\n  requirement:\n    customer-tier: {enum: [gold, silver]}\n    ticket: {type: string}\n")},
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: t\ncustomer-tier: gold\nticket: 12345\n---\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: t\ncustomer-tier: iron\n---\n")},
	}
	r := repo.Load(fsys)
	if len(r.Diags) != 1 || r.Diags[0].File() != "reqs/REQ-0002.md" || r.Diags[0].Range.Start.Line != 4 {
		t.Errorf("diagnostics: %v", r.Diags)
	}
	if v := r.Requirement("REQ-0001").Fields()["ticket"]; v != "12345" {
		t.Errorf("declared string field decoded as %#v", v)
	}
}

// TestLoadIrregularFiles: a device node, a FIFO or a socket named like a record is a parse
// finding, never opened (opening one could block for ever). TestLoadDeviceNode tries a real
// device node where it can be made.
func TestLoadIrregularFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md":    {Data: []byte("---\nid: REQ-0001\ntitle: good\n---\n")},
		"reqs/REQ-0002.md":    {Mode: fs.ModeDevice | fs.ModeCharDevice},
		"reqs/REQ-0003.md":    {Mode: fs.ModeDevice},
		"changes/CR-0001.md":  {Mode: fs.ModeNamedPipe},
		"acceptance/ACC-1.md": {Mode: fs.ModeSocket},
	}
	got := rulesByFile(repo.Load(fsys).Diags)
	for file, what := range map[string]string{
		"reqs/REQ-0002.md": "a device", "reqs/REQ-0003.md": "a device",
		"changes/CR-0001.md": "a named pipe (FIFO)", "acceptance/ACC-1.md": "a socket",
	} {
		want := "parse: " + what + ", not a regular file; records must be regular files"
		if len(got[file]) != 1 || got[file][0] != want {
			t.Errorf("%s: got %q, want %q", file, got[file], want)
		}
	}
	if len(got["reqs/REQ-0001.md"]) != 0 {
		t.Errorf("the good record: %q", got["reqs/REQ-0001.md"])
	}

}
