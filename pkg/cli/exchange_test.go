package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameRecords checks that the records of kind in a and b have the same fields (origin
// aside when ignoreOrigin) and bodies.
func sameRecords(t *testing.T, a, b string, kind record.Kind) {
	t.Helper()
	ra, rb := repo.Load(os.DirFS(a)), repo.Load(os.DirFS(b))
	if len(ra.Parsed(kind)) == 0 || len(ra.Parsed(kind)) != len(rb.Parsed(kind)) {
		t.Fatalf("%d records, then %d", len(ra.Parsed(kind)), len(rb.Parsed(kind)))
	}
	for _, x := range ra.Parsed(kind) {
		y := rb.ByID[x.ID]
		if y == nil {
			t.Errorf("%s is missing after the round trip", x.ID)
			continue
		}
		if !reflect.DeepEqual(x.Fields(), y.Fields()) {
			t.Errorf("%s: fields differ\n%v\n%v", x.ID, x.Fields(), y.Fields())
		}
		if strings.TrimRight(x.Body, " \t\r\n") != strings.TrimRight(y.Body, " \t\r\n") {
			t.Errorf("%s: body differs\n%q\n%q", x.ID, x.Body, y.Body)
		}
	}
}

func roundTrip(t *testing.T, src string, kinds ...record.Kind) {
	for _, format := range []string{"csv", "xlsx"} {
		for _, kind := range kinds {
			t.Run(format+"-"+string(kind), func(t *testing.T) {
				dir := t.TempDir()
				copyTreeForTest(t, src, dir)
				sheetFile := filepath.Join(t.TempDir(), "export."+format)
				if code, _, stderr := runIn(dir, "export", format, "--kind", string(kind), "-o", sheetFile); code != 0 {
					t.Fatalf("export: %d %s", code, stderr)
				}
				// Into the same project: no file changes.
				before := snapshot(t, dir)
				code, stdout, stderr := runIn(dir, "import", format, sheetFile, "--kind", string(kind))
				if code != 0 || !strings.HasPrefix(stdout, "0 created, 0 updated, ") {
					t.Fatalf("re-import: %d\n%s%s", code, stdout, stderr)
				}
				if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
					for k := range after {
						if before[k] != after[k] {
							t.Errorf("%s changed:\n%s\n---\n%s", k, before[k], after[k])
						}
					}
				}
				// Into an empty project with the same reqtrail.yaml: the same records.
				empty := t.TempDir()
				if cfg, err := os.ReadFile(filepath.Join(src, "reqtrail.yaml")); err == nil {
					os.WriteFile(filepath.Join(empty, "reqtrail.yaml"), cfg, 0o644)
				}
				if kind == record.ChangeKind {
					// Change requests refer to requirements: bring them along.
					copyTreeForTest(t, filepath.Join(src, "reqs"), filepath.Join(empty, "reqs"))
				}
				code, stdout, stderr = runIn(empty, "import", format, sheetFile, "--kind", string(kind), "--skip-invalid")
				if strings.Contains(stdout, " skipped\n") && !strings.Contains(stdout, " 0 skipped\n") || code == 2 {
					t.Fatalf("import into an empty project: %d\n%s%s", code, stdout, stderr)
				}
				sameRecords(t, src, empty, kind)
				if code, out, _ := runIn(empty, "fmt", "--check"); code != 0 {
					t.Errorf("imported records are not canonical:\n%s", out)
				}
			})
		}
	}
}

func TestExchangeRoundTripExample(t *testing.T) {
	roundTrip(t, "../../examples/customer-service", record.RequirementKind, record.ChangeKind)
}

func TestExchangeRoundTripCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 150, corpus.Options{Seed: 7}); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, dir, record.RequirementKind)
}

// TestExchangeOneCell: one changed cell rewrites one line of one file.
func TestExchangeOneCell(t *testing.T) {
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)
	sheetFile := filepath.Join(t.TempDir(), "export.csv")
	if code, _, stderr := runIn(dir, "export", "csv", "-o", sheetFile); code != 0 {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(sheetFile)
	edited := bytes.Replace(data, []byte(",product-team,"), []byte(",service-team,"), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("no product-team cell in the export")
	}
	os.WriteFile(sheetFile, edited, 0o644)
	before := snapshot(t, dir)
	code, stdout, stderr := runIn(dir, "import", "csv", sheetFile)
	if code != 0 || !strings.Contains(stdout, "0 created, 1 updated") {
		t.Fatalf("%d %s %s", code, stdout, stderr)
	}
	after := snapshot(t, dir)
	changed := 0
	for k := range after {
		if before[k] == after[k] {
			continue
		}
		changed++
		a, b := strings.Split(before[k], "\n"), strings.Split(after[k], "\n")
		if len(a) != len(b) {
			t.Fatalf("%s: %d lines, then %d", k, len(a), len(b))
		}
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
				if b[i] != strings.Replace(a[i], "product-team", "service-team", 1) {
					t.Errorf("%s: line %q became %q", k, a[i], b[i])
				}
			}
		}
		if diff != 1 {
			t.Errorf("%s: %d lines changed", k, diff)
		}
	}
	if changed != 1 {
		t.Errorf("%d files changed", changed)
	}
}

func TestExchangeKinds(t *testing.T) {
	dir := t.TempDir()
	copyTreeForTest(t, "../../examples/customer-service", dir)
	// A feedback sheet without the customer is refused as a whole, naming the missing key.
	os.WriteFile(filepath.Join(dir, "x.csv"), []byte("title\nA\n"), 0o644)
	code, _, stderr := runIn(dir, "import", "csv", filepath.Join(dir, "x.csv"), "--kind", "feedback")
	if code == 0 || !strings.Contains(stderr, `missing required key "customer"`) {
		t.Errorf("--kind feedback without customer: %d %s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "y.csv"), []byte("标题,客户,日期,渠道,关联需求\n想在手机上提交工单,客户甲,2024-06-12,sales,REQ-0001\n"), 0o644)
	code, stdout, stderr := runIn(dir, "import", "csv", filepath.Join(dir, "y.csv"), "--kind", "feedback")
	if code != 0 || !strings.Contains(stdout, "1 created") {
		t.Fatalf("--kind feedback: %d %s %s", code, stdout, stderr)
	}
	if _, out, _ := runIn(dir, "list", "--kind", "feedback", "--requester", "客户甲"); !strings.Contains(out, "想在手机上提交工单") {
		t.Errorf("imported feedback not listed:\n%s", out)
	}
}
