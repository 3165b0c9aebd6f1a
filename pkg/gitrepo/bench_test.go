package gitrepo

import (
	"io/fs"
	"os"
	"os/exec"
	"path"
	"testing"

	"github.com/reqtrail/reqtrail/internal/cputime"
	"github.com/reqtrail/reqtrail/internal/gitgen"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// big returns the shared benchmark repository (gitgen.Bench).
func big(b *testing.B) *gitgen.Repo {
	g, err := gitgen.Bench()
	if err != nil {
		b.Fatal(err)
	}
	return g
}

func TestMain(m *testing.M) {
	code := m.Run()
	gitgen.RemoveBench()
	os.Exit(code)
}

// BenchmarkHistory walks the whole history once for every record (target: ≤ 2 s).
func BenchmarkHistory(b *testing.B) {
	benchHistory(b, HistoryOptions{}, func(h *History) {
		if len(h.Records) < 10000 || h.Commits != 5001 {
			b.Fatalf("%d records, %d commits", len(h.Records), h.Commits)
		}
	})
}

// BenchmarkFSReadAll reads every record of the head revision through the FS.
func BenchmarkFSReadAll(b *testing.B) {
	g := big(b)
	head := g.Commits[len(g.Commits)-1]
	cpu0 := cputime.Now()
	defer func() { b.ReportMetric(float64(cputime.Now()-cpu0)/1e6/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		r, err := Open(g.Dir)
		if err != nil {
			b.Fatal(err)
		}
		fsys, err := r.FS(head, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := readAll(fsys); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// TestGeneratedHistory checks the history walk against what the generator did.
func TestGeneratedHistory(t *testing.T) {
	dir := t.TempDir()
	g, err := gitgen.Generate(dir, gitgen.Options{Records: 300, Commits: 200, Groups: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("git"); err == nil {
		// The git tool accepts the generated pack.
		cmd := exec.Command("git", "fsck", "--strict", "--no-dangling")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git fsck: %v\n%s", err, out)
		}
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := r.History(g.Commits[len(g.Commits)-1], []string{"reqs"})
	if err != nil {
		t.Fatal(err)
	}
	// Expected touches per id, newest first.
	want := map[string][]string{}
	for i := len(g.Commits) - 1; i >= 0; i-- {
		seen := map[string]bool{}
		for _, p := range g.Touched[i] {
			id, _ := record.FileID(path.Base(p))
			if !seen[id] {
				seen[id] = true
				want[id] = append(want[id], g.Commits[i].String())
			}
		}
	}
	for id, hashes := range want {
		rh := h.Records[id]
		if rh == nil {
			t.Errorf("%s: no history", id)
			continue
		}
		var got []string
		for _, tc := range rh.Touches {
			got = append(got, tc.Hash)
		}
		// The first commit adds the initial records without listing them as touched.
		if len(got) == len(hashes)+1 && got[len(got)-1] == g.Commits[0].String() {
			got = got[:len(got)-1]
		}
		if len(got) != len(hashes) {
			t.Errorf("%s: %d touches, want %d", id, len(got), len(hashes))
			continue
		}
		for i := range got {
			if got[i] != hashes[i] {
				t.Errorf("%s: touch %d = %.7s, want %.7s", id, i, got[i], hashes[i])
			}
		}
	}
	if len(h.Records) != 300 {
		t.Errorf("%d records, want 300", len(h.Records))
	}
}

func readAll(fsys fs.FS) (int, error) {
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		n += len(data)
		return err
	})
	return n, err
}

// BenchmarkFSReadFileParallel reads the records of the head revision from several
// goroutines at once through one FS (as the loader does): the FS serialises object access
// on one mutex, so this shows what that costs against BenchmarkFSReadAll.
func BenchmarkFSReadFileParallel(b *testing.B) {
	g := big(b)
	head := g.Commits[len(g.Commits)-1]
	r, err := Open(g.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	fsys, err := r.FS(head, "")
	if err != nil {
		b.Fatal(err)
	}
	var files []string
	_ = fs.WalkDir(fsys, "reqs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := fs.ReadFile(fsys, files[i%len(files)]); err != nil {
				b.Error(err)
				return
			}
			i += 7
		}
	})
}

// TestHistoryWith: a walk narrowed to some ids or without statuses keeps exactly the
// touches of the full walk (statuses dropped), moves included.
func TestHistoryWith(t *testing.T) {
	dir := t.TempDir()
	g, err := gitgen.Generate(dir, gitgen.Options{Records: 300, Commits: 200, Groups: 7})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head := g.Commits[len(g.Commits)-1]
	full, err := r.History(head, []string{"reqs"})
	if err != nil {
		t.Fatal(err)
	}
	statuses := 0
	for _, h := range full.Records {
		for _, tc := range h.Touches {
			if tc.Status != "" {
				statuses++
			}
		}
	}
	if statuses == 0 {
		t.Fatal("the full walk read no status")
	}
	bare, err := r.HistoryWith(head, []string{"reqs"}, HistoryOptions{NoStatus: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(bare.Records) != len(full.Records) || bare.Commits != full.Commits {
		t.Fatalf("NoStatus: %d records, %d commits; full walk %d, %d", len(bare.Records), bare.Commits, len(full.Records), full.Commits)
	}
	for id, h := range full.Records {
		b := bare.Records[id]
		if b == nil || len(b.Touches) != len(h.Touches) {
			t.Fatalf("NoStatus: %s has %v, full walk %d touches", id, b, len(h.Touches))
		}
		for i, tc := range h.Touches {
			want := tc
			want.Status = ""
			if b.Touches[i] != want {
				t.Errorf("NoStatus: %s touch %d = %+v, want %+v", id, i, b.Touches[i], want)
			}
		}
	}
	// Some ids, one of them moved between folders at least once if the generator moved any.
	var ids []string
	for id, h := range full.Records {
		for _, tc := range h.Touches {
			if tc.Action == Renamed && len(ids) < 2 {
				ids = append(ids, id)
				break
			}
		}
	}
	ids = append(ids, "REQ-0001", "REQ-9999")
	one, err := r.HistoryWith(head, []string{"reqs"}, HistoryOptions{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		f, o := full.Records[id], one.Records[id]
		if (f == nil) != (o == nil) {
			t.Fatalf("IDs: %s is %v, full walk %v", id, o, f)
		}
		if f != nil && !slicesEqualTouches(f.Touches, o.Touches) {
			t.Errorf("IDs: %s touches differ:\n%+v\n%+v", id, o.Touches, f.Touches)
		}
	}
	if len(one.Records) > len(ids) {
		t.Errorf("IDs: %d records kept for %d ids", len(one.Records), len(ids))
	}
}

func slicesEqualTouches(a, b []Touch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkHistoryNoStatus is rank's walk: creation times only, no blob read.
func BenchmarkHistoryNoStatus(b *testing.B) {
	benchHistory(b, HistoryOptions{NoStatus: true}, nil)
}

// BenchmarkHistoryOneID is log ID's walk.
func BenchmarkHistoryOneID(b *testing.B) {
	benchHistory(b, HistoryOptions{IDs: []string{"REQ-0100"}}, nil)
}

// benchHistory measures one walk with opts; check, when set, looks at each result.
func benchHistory(b *testing.B, opts HistoryOptions, check func(*History)) {
	g := big(b)
	head := g.Commits[len(g.Commits)-1]
	b.ResetTimer()
	cpu0 := cputime.Now()
	defer func() { b.ReportMetric(float64(cputime.Now()-cpu0)/1e6/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		r, err := Open(g.Dir)
		if err != nil {
			b.Fatal(err)
		}
		h, err := r.HistoryWith(head, []string{"reqs", "changes", "acceptance"}, opts)
		if err != nil {
			b.Fatal(err)
		}
		if check != nil {
			check(h)
		}
		r.Close()
	}
}
