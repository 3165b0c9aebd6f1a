package pin_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestReviewRoundTripEveryCorpusFile reviews, in two rounds, every requirement of every
// project the repository holds: the examples, the lint fixtures, the projects of the
// command testscripts (pkg/cli/testdata/script/*.txtar) and every saved fuzz input
// (testdata/fuzz/*, as a requirement among targets). Round one is review --pin (every link
// gets pinned); then every target's meaning changes and round two is review (every pin is
// re-pinned). Each round must change nothing but fingerprints, judged by a line comparison
// that knows nothing of pin.Verify: each line either stays, or is a line that holds a
// fingerprint (changed or inserted).
func TestReviewRoundTripEveryCorpusFile(t *testing.T) {
	projects := map[string]fstest.MapFS{}
	for _, glob := range []string{"../../examples/*", "../lint/testdata/*"} {
		dirs, _ := filepath.Glob(glob)
		for _, dir := range dirs {
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				projects[dir] = readTree(t, dir)
			}
		}
	}
	scripts, _ := filepath.Glob("../cli/testdata/script/*.txtar")
	for _, name := range scripts {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// A script's projects: the files under each top-level folder, and the loose files.
		for _, f := range ar.Files {
			top, rest, ok := strings.Cut(f.Name, "/")
			if !ok {
				top, rest = "", f.Name
			}
			key := name + ":" + top
			if projects[key] == nil {
				projects[key] = fstest.MapFS{}
			}
			projects[key][rest] = &fstest.MapFile{Data: f.Data}
		}
	}
	fuzzInputs := 0
	_ = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/testdata/fuzz/") {
			return nil
		}
		data, _ := os.ReadFile(p)
		for i, in := range fuzzStrings(data) {
			fuzzInputs++
			projects[fmt.Sprintf("%s#%d", p, i)] = fstest.MapFS{
				"reqs/REQ-0001.md": {Data: []byte(target)},
				"reqs/REQ-0003.md": {Data: []byte("---\nid: REQ-0003\ntitle: Other\n---\n")},
				"reqs/REQ-0002.md": {Data: in},
			}
		}
		return nil
	})
	if fuzzInputs == 0 {
		t.Error("no saved fuzz input was found")
	}
	pinned, repinned := 0, 0
	for name, fsys := range projects {
		r := repo.Load(fsys)
		n := reviewAll(t, name, r, fsys, true)
		pinned += n
		if n == 0 {
			continue
		}
		// Every target's meaning changes: a sentence is added to each requirement's body.
		for _, rec := range r.Parsed(record.RequirementKind) {
			if f := fsys[rec.File]; f != nil && rec.ID != "" && strings.HasSuffix(rec.File, ".md") {
				f.Data = append(bytes.Clone(f.Data), "\nThe meaning changed.\n"...)
			}
		}
		repinned += reviewAll(t, name, repo.Load(fsys), fsys, false)
	}
	if pinned < 50 || repinned < 50 {
		t.Errorf("only %d links pinned and %d re-pinned over %d projects", pinned, repinned, len(projects))
	}
}

// reviewAll reviews every requirement of r, checks that only fingerprints changed, writes the
// result into fsys and returns the number of links it pinned.
func reviewAll(t *testing.T, name string, r *repo.Repo, fsys fstest.MapFS, pinAll bool) int {
	t.Helper()
	n := 0
	for _, rec := range r.Parsed(record.RequirementKind) {
		out, changes, err := pin.Edit(r, rec, pinAll, nil)
		if err != nil {
			continue // refused: the file stays as it is (TestEditRefusesWhatItCannotPinInPlace)
		}
		if len(changes) == 0 {
			if !bytes.Equal(out, rec.Raw) {
				t.Errorf("%s: %s changed with nothing to pin", name, rec.File)
			}
			continue
		}
		if msg := onlyFingerprintLines(rec.Raw, out); msg != "" {
			t.Errorf("%s: %s: review changed more than fingerprints: %s\n--- before\n%s\n--- after\n%s", name, rec.File, msg, rec.Raw, out)
			continue
		}
		after, _ := record.Parse(rec.File, rec.Kind, out, nil)
		for _, l := range pin.Links(r, after) {
			if l.Target != nil && l.Target != rec && (pinAll || l.Fingerprint != "") && l.Fingerprint != l.Target.Fingerprint {
				t.Errorf("%s: %s: %s is not pinned to its target's fingerprint", name, rec.File, l.Describe())
			}
		}
		if f := fsys[rec.File]; f != nil {
			f.Data = out
		}
		n += len(changes)
	}
	return n
}

var fingerprintLine = regexp.MustCompile(`fingerprint: ["']?[0-9a-f]{12}["']?`)

// onlyFingerprintLines says how after differs from before in more than fingerprints: every
// line of before must be in after, in order, either unchanged or changed into a line holding
// a fingerprint; every other line of after must hold a fingerprint. "" when that holds.
func onlyFingerprintLines(before, after []byte) string {
	b, a := strings.SplitAfter(string(before), "\n"), strings.SplitAfter(string(after), "\n")
	i, j := 0, 0
	for i < len(b) && j < len(a) {
		switch {
		case a[j] == b[i]:
			i++
			j++
		case !fingerprintLine.MatchString(a[j]):
			return fmt.Sprintf("line %d %q became %q", i+1, b[i], a[j])
		case j+1 < len(a) && a[j+1] == b[i]:
			j++ // an inserted fingerprint line
		default:
			// A changed line: the same with its fingerprint taken out (and an unpinned
			// parent's {id: …} form read back as the plain id).
			if strip(a[j]) != strip(b[i]) {
				return fmt.Sprintf("line %d %q became %q", i+1, b[i], a[j])
			}
			i++
			j++
		}
	}
	for ; j < len(a); j++ {
		if !fingerprintLine.MatchString(a[j]) {
			return fmt.Sprintf("added %q", a[j])
		}
	}
	if i < len(b) {
		return fmt.Sprintf("line %d %q was dropped", i+1, b[i])
	}
	return ""
}

var fingerprintPair = regexp.MustCompile(`(, )?fingerprint: ["']?[0-9a-f]{12}["']?`)

var parentForm = regexp.MustCompile(`\{id: (["']?[^,"']+["']?)\}`)

func strip(line string) string {
	s := fingerprintPair.ReplaceAllString(line, "")
	s = parentForm.ReplaceAllString(s, "$1")
	return s
}

// readTree reads a folder into memory.
func readTree(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	fsys := os.DirFS(dir)
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(fsys, p)
			out[path.Clean(p)] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	return out
}

// fuzzStrings returns the string and []byte values of a saved fuzz input ("go test fuzz v1").
func fuzzStrings(data []byte) [][]byte {
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || lines[0] != "go test fuzz v1" {
		return nil
	}
	var out [][]byte
	for _, l := range lines[1:] {
		for _, prefix := range []string{"[]byte(", "string("} {
			if v, ok := strings.CutPrefix(l, prefix); ok && strings.HasSuffix(v, ")") {
				if s, err := strconv.Unquote(strings.TrimSuffix(v, ")")); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	return out
}

// TestOnlyFingerprintLines: the oracle itself tells a fingerprint edit from any other.
func TestOnlyFingerprintLines(t *testing.T) {
	const fp = "0123456789ab"
	for _, c := range []struct {
		before, after string
		ok            bool
	}{
		{"parent: REQ-0001 # c\n", "parent: {id: REQ-0001, fingerprint: " + fp + "} # c\n", true},
		{"  - {type: x, to: REQ-0001, why: y}\n", "  - {type: x, to: REQ-0001, fingerprint: " + fp + ", why: y}\n", true},
		{"  - to: REQ-0001\n    type: x\n", "  - to: REQ-0001\n    fingerprint: " + fp + "\n    type: x\n", true},
		{"parent: {id: REQ-0001, fingerprint: 'aaaaaaaaaaaa'}\n", "parent: {id: REQ-0001, fingerprint: '" + fp + "'}\n", true},
		{"parent: REQ-0001 # c\n", "parent: {id: REQ-0002, fingerprint: " + fp + "} # c\n", false},
		{"parent: REQ-0001 # c\n", "parent: {id: REQ-0001, fingerprint: " + fp + "}\n", false},
		{"a: 1\nb: 2\n", "a: 1\n", false},
		{"a: 1\n", "a: 1\nb: 2\n", false},
		{"a: 1\n", "a: 2\n", false},
	} {
		if got := onlyFingerprintLines([]byte(c.before), []byte(c.after)) == ""; got != c.ok {
			t.Errorf("%q → %q: only fingerprints %v, want %v", c.before, c.after, got, c.ok)
		}
	}
}
