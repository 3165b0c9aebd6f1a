package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestSiteGC: `site` loads at siteLoadGCPercent, builds under a memory limit of at least
// siteMinLimit with the default growth target, and restores what was set before.
func TestSiteGC(t *testing.T) {
	if userTunedGC() {
		t.Skip("GOGC or GOMEMLIMIT is set")
	}
	gc := tuneSiteGC()
	if p := debug.SetGCPercent(-1); p != siteLoadGCPercent {
		debug.SetGCPercent(p)
		gc.restore()
		t.Fatalf("loading at GOGC %d, want %d", p, siteLoadGCPercent)
	}
	debug.SetGCPercent(siteLoadGCPercent)
	gc.loaded()
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	gc.restore()
	if limit < siteMinLimit || limit == math.MaxInt64 || percent != 100 {
		t.Fatalf("building with limit %d and GOGC %d", limit, percent)
	}
	if userTunedGC() {
		t.Fatal("the settings were not restored")
	}
	// Settings the user made are left alone.
	prev := debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(prev)
	gc = tuneSiteGC()
	gc.loaded()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Fatalf("a user's limit became %d", l)
	}
	gc.restore()
}
