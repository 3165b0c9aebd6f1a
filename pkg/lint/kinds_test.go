package lint_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestKindFromTableAlone adds a record kind through record.KindTable alone (reusing an
// existing schema file, since a test cannot embed a new one) and checks that the loader,
// the configuration, reqtrail.yaml's schema and the lint rules all know it.
func TestKindFromTableAlone(t *testing.T) {
	saved := record.KindTable
	record.KindTable = append(slices.Clone(saved), record.KindInfo{Kind: "note", Dir: "notes", Prefix: "NOTE", Digits: 3, Refs: []string{"affects[]"}, Schema: "change.schema.json"})
	t.Cleanup(func() { record.KindTable = saved })

	if !slices.Contains(record.AllKinds(), "note") {
		t.Fatal("AllKinds does not list the new kind")
	}
	if k := config.Default().Kinds["note"]; k.Dir != "notes" || k.Prefix != "NOTE" || k.Digits != 3 {
		t.Errorf("config default for note = %+v", k)
	}

	const note = "---\nid: NOTE-001\ntitle: A note\nstatus: proposed\naction: modify\naffects: [REQ-0001, REQ-0009]\n---\n"
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md":  {Data: []byte("---\nid: REQ-0001\ntitle: T\n---\n")},
		"notes/NOTE-001.md": {Data: []byte(note)},
		"notes/NOTE-02.md":  {Data: []byte("---\nid: NOTE-02\ntitle: Bad id\nstatus: proposed\naction: modify\naffects: [REQ-0001]\n---\n")},
		"notes/README.md":   {Data: []byte("not a record")},
	}
	r := repo.Load(fsys)
	if rec := r.ByID["NOTE-001"]; rec == nil || rec.Kind != "note" {
		t.Fatalf("NOTE-001 not loaded as a note: %+v", rec)
	}
	if got, ok := r.Config.KindOfID("NOTE-001"); !ok || got != "note" {
		t.Errorf("KindOfID(NOTE-001) = %q", got)
	}
	var got []string
	for _, d := range lint.Run(r, lint.Options{}) {
		got = append(got, d.String())
	}
	want := []string{
		`notes/NOTE-001.md:6:21: error: affects[1] names REQ-0009, which does not exist [ref-unknown]`,
		`notes/NOTE-02.md:2:5: error: id "NOTE-02" is not a well-formed note id: expected NOTE- and 3 digits, like NOTE-001 [id-format]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("lint\n got %q\nwant %q", got, want)
	}

	// reqtrail.yaml configures the new kind: its folder, and extra fields.
	fsys["reqtrail.yaml"] = &fstest.MapFile{Data: []byte("kinds:\n  note: {dir: memos}\nfields:\n  note:\n    mood: {type: string}\n")}
	fsys["memos/NOTE-003.md"] = &fstest.MapFile{Data: []byte("---\nid: NOTE-003\ntitle: Moved\nstatus: proposed\naction: modify\naffects: [REQ-0001]\nmood: calm\n---\n")}
	r = repo.Load(fsys)
	if ds := lint.Run(r, lint.Options{}); len(ds) != 0 {
		t.Errorf("configured note kind: %v", ds)
	}
	if r.ByID["NOTE-003"] == nil || r.ByID["NOTE-001"] != nil {
		t.Errorf("kinds.note.dir not applied: %v", r.Files())
	}
}
