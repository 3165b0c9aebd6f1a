package acceptance

import (
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

func parse(t testing.TB, file, text string) *record.Record {
	t.Helper()
	rec, perr := record.Parse(file, record.AcceptanceKind, []byte(text), nil)
	if perr != nil {
		t.Fatalf("parse: %v", perr)
	}
	return rec
}
