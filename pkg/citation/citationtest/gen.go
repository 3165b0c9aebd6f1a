// Package citationtest generates source trees that cite requirements, for benchmarks and
// tests of the citation scan.
package citationtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Tree describes a generated source tree.
type Tree struct {
	Files        int // source files, split between src/ (impl) and tests/ (test)
	Requirements int // ids cited are REQ-0001 … REQ-<Requirements>
	FileSize     int // approximate bytes per file
	PerDir       int // files per folder
	Cites        int // ids cited per file (each function cites one while they last)
	Seed         uint64
}

// Write creates the tree under dir and returns the total bytes written. A tenth of the files
// are tests (tests/…/*_test.go, citing ids as Test_REQ_0001_…), the rest implementation
// (src/…/*.go, citing ids in comments). Each file cites Cites ids (default 2; about one in
// fifty past Requirements, an unknown id) and holds one near miss (REQ-00012, PREREQ-0001);
// the rest is ordinary code.
func Write(dir string, t Tree) (int64, error) {
	if t.PerDir <= 0 {
		t.PerDir = 100
	}
	if t.FileSize <= 0 {
		t.FileSize = 2500
	}
	if t.Cites <= 0 {
		t.Cites = 2
	}
	rng := rand.New(rand.NewPCG(t.Seed, 1))
	var total int64
	var b bytes.Buffer
	for i := range t.Files {
		test := i%10 == 9
		var rel string
		if test {
			rel = fmt.Sprintf("tests/t%03d/case%05d_test.go", i/t.PerDir, i)
		} else {
			rel = fmt.Sprintf("src/p%03d/file%05d.go", i/t.PerDir, i)
		}
		b.Reset()
		fmt.Fprintf(&b, "package p%03d\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\n", i/t.PerDir)
		fmt.Fprintf(&b, "// Keys look like REQ-0%04d-n but are not ids; PREREQ-%04d is not one either.\n\n", i%10000, i)
		for fn := 0; b.Len() < t.FileSize; fn++ {
			if fn < t.Cites {
				id := 1 + rng.IntN(t.Requirements)
				if rng.IntN(50) == 0 {
					id = t.Requirements + 1 + rng.IntN(100)
				}
				if test {
					fmt.Fprintf(&b, "// verifies REQ-%04d: the behaviour described there holds under load.\nfunc Test_REQ_%04d_case%d(t *testing.T) {\n", id, id, fn)
				} else {
					fmt.Fprintf(&b, "// handler%d implements REQ-%04d.\nfunc handler%d(in string) (string, error) {\n", fn, id, fn)
				}
			} else {
				fmt.Fprintf(&b, "// handler%d splits its input, trims every part and joins them again.\nfunc handler%d(in string) (string, error) {\n", fn, fn)
			}
			b.WriteString("\tparts := strings.Split(in, \",\")\n\tfor i, p := range parts {\n\t\tparts[i] = strings.TrimSpace(p)\n\t}\n")
			fmt.Fprintf(&b, "\tkey := fmt.Sprintf(\"key-%05d-%%d\", len(parts))\n", rng.IntN(100000))
			b.WriteString("\tif len(parts) == 0 {\n\t\treturn \"\", fmt.Errorf(\"empty input\")\n\t}\n\treturn key + strings.Join(parts, \";\"), nil\n}\n\n")
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return total, err
		}
		total += int64(b.Len())
	}
	return total, nil
}

// WriteRequirements creates n requirement records under dir/reqs, 100 per folder, and a
// reqtrail.yaml that traces src (impl) and tests (test).
func WriteRequirements(dir string, n int) error {
	cfg := "project: bench\ntrace:\n  - {path: src, role: impl}\n  - {path: tests, role: test}\n"
	if err := os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	statuses := []string{"new", "analysis", "approved", "development", "testing"}
	for i := 1; i <= n; i++ {
		p := filepath.Join(dir, "reqs", fmt.Sprintf("g%03d", i/100), fmt.Sprintf("REQ-%04d.md", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		parent := ""
		if i > 100 && i%4 != 0 {
			parent = fmt.Sprintf("parent: REQ-%04d\n", i/100)
		}
		text := fmt.Sprintf("---\nid: REQ-%04d\ntitle: Requirement number %d of the benchmark\nstatus: %s\n%spriority: {moscow: should}\nacceptance-criteria:\n  - It works\n---\nA body that says what is needed and why.\n",
			i, i, statuses[i%len(statuses)], parent)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
