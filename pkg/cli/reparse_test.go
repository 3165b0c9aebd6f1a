package cli

import (
	"path/filepath"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// TestReadOnlyCommandsKeepNoTrees: the commands that only read records answer from the
// typed views, fields, references and search text; none parses a record's YAML a second time
// (record.Reparses), which is what lets loads drop the yaml.Node trees (issue 16: memory).
// (export reqif is not here: it reads a nested custom value — a mapping under fields: — from
// its node, so the few records that have one are parsed again.)
func TestReadOnlyCommandsKeepNoTrees(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "customer-service")
	for _, args := range [][]string{
		{"lint"},
		{"lint", "--format", "json"},
		{"matrix"},
		{"matrix", "--format", "json"},
		{"list"},
		{"list", "--query", "password"},
		{"rank"},
		{"impact", "REQ-0001"},
		{"export", "csv", "--output", filepath.Join(t.TempDir(), "out.csv")},
		{"export", "xlsx", "--output", filepath.Join(t.TempDir(), "out.xlsx")},
		{"site", "--output", filepath.Join(t.TempDir(), "site")},
	} {
		before := record.Reparses()
		code, _, stderr := runIn(dir, args...)
		if code > 1 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if n := record.Reparses() - before; n != 0 {
			t.Errorf("%v parsed %d records' YAML again", args, n)
		}
	}
}
