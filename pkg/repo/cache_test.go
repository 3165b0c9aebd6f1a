package repo_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// cacheProject is a small project with every kind, a schema finding, a parse error and a
// record whose ranges matter (a multi-line block scalar).
func cacheProject() fstest.MapFS {
	return fstest.MapFS{
		"reqtrail.yaml": {Data: []byte("project: cache\n")},
		"reqs/REQ-0001.md": {Data: []byte("---\nid: REQ-0001\ntitle: Reset passwords\nstatus: approved\n" +
			"links:\n  - {type: refines, to: REQ-0002, fingerprint: 0123456789ab}\nacceptance-criteria:\n  - Works\n" +
			"description: >-\n  several\n  lines\n---\nThe body.\n")},
		"reqs/REQ-0002.md": {Data: []byte("---\nid: REQ-0002\ntitle: Export\nparent: REQ-0001\npriority: {moscow: should, ice: {impact: 3, confidence: 2, ease: 1}}\n---\n")},
		"reqs/REQ-0003.md": {Data: []byte("---\nid: REQ-0003\ntitle: 7\nstatus: nonsense\nunknown-key: 1\n---\n")},
		"reqs/REQ-0004.md": {Data: []byte("---\nid: [broken\n---\n")},
		"changes/CR-0001.md": {Data: []byte("---\nid: CR-0001\ntitle: Change\nstatus: approved\naction: modify\naffects: [REQ-0001]\n" +
			"requested-by: x\nrequested: 2024-01-02\nreason: why\n---\n")},
		"acceptance/ACC-0001.md": {Data: []byte("---\nid: ACC-0001\ntitle: a\nverdict: accepted\ndate: 2024-10-02\naccepted-by: C\n" +
			"requirements: [{id: REQ-0001, fingerprint: 0123456789ab}]\n---\n")},
	}
}

// same fails unless two loads hold the same records, fields, references and diagnostics.
func same(t *testing.T, what string, got, want *repo.Repo) {
	t.Helper()
	if !reflect.DeepEqual(got.Diags, want.Diags) {
		t.Fatalf("%s: diagnostics\n%v\nwant\n%v", what, got.Diags, want.Diags)
	}
	if len(got.Records) != len(want.Records) {
		t.Fatalf("%s: %d records, want %d", what, len(got.Records), len(want.Records))
	}
	for i, g := range got.Records {
		w := want.Records[i]
		if g.File != w.File || g.Kind != w.Kind || g.ID != w.ID || g.Title != w.Title || g.Parsed() != w.Parsed() ||
			g.Fingerprint != w.Fingerprint || g.Body != w.Body || g.BodyLine != w.BodyLine ||
			!reflect.DeepEqual(g.Req, w.Req) || !reflect.DeepEqual(g.Change, w.Change) || !reflect.DeepEqual(g.Acc, w.Acc) ||
			!reflect.DeepEqual(g.Fields(), w.Fields()) || !reflect.DeepEqual(g.Refs(), w.Refs()) ||
			g.SearchText() != w.SearchText() || !reflect.DeepEqual(g.RangeOf("description"), w.RangeOf("description")) {
			t.Fatalf("%s: record %s differs", what, g.File)
		}
	}
}

func TestCacheHitsAreLoads(t *testing.T) {
	fsys := cacheProject()
	want := repo.LoadWith(fsys, repo.Options{KeepTrees: true})
	if len(want.Diags) == 0 {
		t.Fatal("the project should have findings")
	}
	c := repo.NewCache()
	same(t, "cold", repo.LoadWith(fsys, repo.Options{Cache: c}), want)
	if h, m := c.Stats(); h != 0 || m != 6 {
		t.Fatalf("cold: %d hits, %d misses", h, m)
	}
	same(t, "warm", repo.LoadWith(fsys, repo.Options{Cache: c}), want)
	if h, _ := c.Stats(); h != 6 {
		t.Fatalf("warm: %d hits, want 6", h)
	}

	// Saved and read back, by a new process.
	path := filepath.Join(t.TempDir(), "cache")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c2 := repo.OpenCache(path)
	same(t, "from the file", repo.LoadWith(fsys, repo.Options{Cache: c2}), want)
	if h, m := c2.Stats(); h != 6 || m != 0 {
		t.Fatalf("from the file: %d hits, %d misses", h, m)
	}
}

// TestCacheContentAddressed: the same bytes under another path share the entry, and the
// entry's ranges follow the file; a changed file misses.
func TestCacheContentAddressed(t *testing.T) {
	fsys := cacheProject()
	c := repo.NewCache()
	repo.LoadWith(fsys, repo.Options{Cache: c})
	moved := cacheProject()
	moved["reqs/sub/REQ-0001.md"] = moved["reqs/REQ-0001.md"]
	delete(moved, "reqs/REQ-0001.md")
	moved["reqs/REQ-0002.md"] = &fstest.MapFile{Data: []byte("---\nid: REQ-0002\ntitle: Export, changed\n---\n")}
	h0, m0 := c.Stats()
	got := repo.LoadWith(moved, repo.Options{Cache: c})
	h, m := c.Stats()
	if h-h0 != 5 || m-m0 != 1 {
		t.Fatalf("%d hits, %d misses; want 5 and 1", h-h0, m-m0)
	}
	same(t, "moved", got, repo.LoadWith(moved, repo.Options{}))
	if ref := got.ByID["REQ-0001"].Refs()[0]; ref.Range.Start.File != "reqs/sub/REQ-0001.md" {
		t.Fatalf("ref range in %s", ref.Range.Start.File)
	}
}

// TestCacheFileDamage: a truncated, altered or foreign cache file is an empty cache — the
// load is as without one, and no error is reported.
func TestCacheFileDamage(t *testing.T) {
	fsys := cacheProject()
	want := repo.LoadWith(fsys, repo.Options{})
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	c := repo.NewCache()
	repo.LoadWith(fsys, repo.Options{Cache: c})
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damaged := map[string][]byte{"empty": nil, "foreign": []byte("reqtrail-valid-cache-v1\n0123456789abcdef")}
	for i := 0; i < len(good); i += max(1, len(good)/97) {
		damaged["truncated"+strconv.Itoa(i)] = good[:i]
		d := append([]byte(nil), good...)
		d[i] ^= 0x55
		damaged["flipped"+strconv.Itoa(i)] = d
	}
	for name, data := range damaged {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		dc := repo.OpenCache(p)
		if dc.Len() != 0 {
			t.Fatalf("%s: %d entries from a damaged file", name, dc.Len())
		}
		same(t, name, repo.LoadWith(fsys, repo.Options{Cache: dc}), want)
		if err := dc.Save(p); err != nil {
			t.Fatalf("%s: save: %v", name, err)
		}
		if repo.OpenCache(p).Len() != 6 {
			t.Fatalf("%s: the rewritten cache does not hold the 6 files", name)
		}
	}
	// Unchanged: no write at all.
	c3 := repo.OpenCache(path)
	repo.LoadWith(fsys, repo.Options{Cache: c3})
	blocker := filepath.Join(dir, "a-file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c3.Save(filepath.Join(blocker, "cache")); err != nil {
		t.Fatalf("an unchanged cache was written: %v", err)
	}
}

// TestCacheDropsTrees: read-only loads keep no node trees; Tree parses one again when asked.
func TestCacheDropsTrees(t *testing.T) {
	r := repo.LoadWith(cacheProject(), repo.Options{})
	rec := r.ByID["REQ-0001"]
	before := record.Reparses()
	first := rec.Tree()
	if first == nil || rec.Tree() != first || record.Reparses() != before+1 {
		t.Fatal("a dropped tree should be parsed again once")
	}
	k := repo.LoadWith(cacheProject(), repo.Options{KeepTrees: true}).ByID["REQ-0001"]
	if kept := k.Tree(); kept == nil || record.Reparses() != before+1 {
		t.Fatal("KeepTrees should keep the tree")
	}
}

// TestCacheSaveOnlyWhenAdded: a run that found everything it needed in the cache file does
// not write it again, even when it used only some of its entries (lint after check, which
// keeps the merge base's records too); the entries it did not use stay in the file.
func TestCacheSaveOnlyWhenAdded(t *testing.T) {
	both := cacheProject()
	both["reqs/REQ-0009.md"] = &fstest.MapFile{Data: []byte("---\nid: REQ-0009\ntitle: Only on another branch\n---\n")}
	path := filepath.Join(t.TempDir(), "cache")
	c := repo.NewCache()
	repo.LoadWith(both, repo.Options{Cache: c})
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A load of fewer files: nothing added, nothing written.
	c2 := repo.OpenCache(path)
	repo.LoadWith(cacheProject(), repo.Options{Cache: c2})
	if h, m := c2.Stats(); h != 6 || m != 0 {
		t.Fatalf("%d hits, %d misses", h, m)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := c2.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the cache was written although nothing was added: %v", err)
	}
	// One new file: written, with the unused entry kept.
	if err := os.WriteFile(path, before, 0o644); err != nil {
		t.Fatal(err)
	}
	c3 := repo.OpenCache(path)
	more := cacheProject()
	more["reqs/REQ-0010.md"] = &fstest.MapFile{Data: []byte("---\nid: REQ-0010\ntitle: New\n---\n")}
	repo.LoadWith(more, repo.Options{Cache: c3})
	if err := c3.Save(path); err != nil {
		t.Fatal(err)
	}
	c4 := repo.OpenCache(path)
	repo.LoadWith(both, repo.Options{Cache: c4})
	if h, m := c4.Stats(); h != 7 || m != 0 {
		t.Fatalf("after the rewrite: %d hits, %d misses; want the unused entry kept", h, m)
	}
}
