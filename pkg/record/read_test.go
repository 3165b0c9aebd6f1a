package record_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// TestReadSameAsParseCorpus: over a generated corpus (every kind, Chinese text, flow and
// block collections) and the examples, Read — the fast parser — gives exactly the record
// Parse gives: compact form, fields, references with their ranges, fingerprint.
func TestReadSameAsParseCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 600, corpus.Options{}); err != nil {
		t.Fatal(err)
	}
	n, fast0 := 0, record.FastReads()
	for _, root := range []string{dir, "../../examples"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !record.IsFile(p) || strings.Contains(p, "/.") {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			kind := record.RequirementKind
			switch {
			case strings.Contains(rel, "changes"):
				kind = record.ChangeKind
			case strings.Contains(rel, "acceptance"):
				kind = record.AcceptanceKind
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want, werr := record.Parse(filepath.ToSlash(rel), kind, data, nil)
			got, gerr := record.Read(filepath.ToSlash(rel), kind, data, nil)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("%s: Read error %v, Parse error %v", p, gerr, werr)
			}
			if werr != nil {
				return nil
			}
			n++
			if !bytes.Equal(got.Compact(), want.Compact()) || got.Fingerprint != want.Fingerprint || got.ID != want.ID ||
				fmt.Sprint(got.Refs()) != fmt.Sprint(want.Refs()) || fmt.Sprint(got.Fields()) != fmt.Sprint(want.Fields()) {
				t.Errorf("%s: Read and Parse differ:\nrefs %v\n vs  %v", p, got.Refs(), want.Refs())
			}
			return nil
		})
	}
	if n < 600 {
		t.Errorf("only %d records compared", n)
	}
	// The generated records are all plain YAML; a few examples are not.
	if fast := record.FastReads() - fast0; fast < int64(n)*9/10 {
		t.Errorf("the fast parser read %d of %d records", fast, n)
	}
}
