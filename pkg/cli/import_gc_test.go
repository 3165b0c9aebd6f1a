package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestImportLimit: 10,000 records or a 100 MB source keep the import under 500 MB; bigger
// imports get a limit in proportion, never below what they keep alive.
func TestImportLimit(t *testing.T) {
	if got := importLimit(105_596_610, 0); got != importMemory { // the 10,000-object export
		t.Errorf("a 106 MB ReqIF file: limit %d MB, want %d", got>>20, importMemory>>20)
	}
	if got := importLimit(8<<20, 10000); got > 461<<20 {
		t.Errorf("10,000 records: limit %d MB, want at most 461", got>>20)
	}
	if got := importLimit(0, 50000); got < 2100<<20 {
		t.Errorf("50,000 records: limit %d MB, want at least 2,100", got>>20)
	}
	if got := importLimit(500<<20, 0); got < 2000<<20 {
		t.Errorf("a 500 MB source: limit %d MB, want at least 2,000", got>>20)
	}
}

// TestImportGC: importGC sets the limit and the growth target and restores them; it leaves
// GOGC's and GOMEMLIMIT's settings alone; fitImportGC only raises the limit it set.
func TestImportGC(t *testing.T) {
	t.Setenv("GOGC", "")
	prev := debug.SetMemoryLimit(-1)
	restore := importGC(0)
	if got := debug.SetMemoryLimit(-1); prev == math.MaxInt64 && got != importMemory {
		t.Errorf("limit %d, want %d", got, importMemory)
	}
	fitImportGC(50000)
	if got := debug.SetMemoryLimit(-1); prev == math.MaxInt64 && got != importLimit(0, 50000) {
		t.Errorf("limit after 50,000 items %d, want %d", got, importLimit(0, 50000))
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("limit not restored: %d, want %d", got, prev)
	}
	fitImportGC(50000) // no import running: nothing changes
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("fitImportGC changed a limit it did not set: %d", got)
	}
}
