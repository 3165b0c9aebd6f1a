package cli

import (
	"runtime/debug"
	"testing"
)

func TestBuildFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/reqtrail/reqtrail", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.time", Value: "2026-11-30T09:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	b := fillBuild(Build{Go: "go1.26.8", Platform: "linux/arm64"}, bi)
	if got, want := b.String(), "reqtrail v1.4.0 (commit 0123456789ab+dirty, built 2026-11-30T09:00:00Z, go1.26.8, linux/arm64)"; got != want {
		t.Errorf("go install build:\n got %s\nwant %s", got, want)
	}
	// Stamped values win over the build information.
	b = fillBuild(Build{Version: "1.4.1", Commit: "fedcba9876543210", Date: "2026-12-01T00:00:00Z", Go: "go1.26.8", Platform: "windows/amd64"}, bi)
	if got, want := b.String(), "reqtrail 1.4.1 (commit fedcba987654, built 2026-12-01T00:00:00Z, go1.26.8, windows/amd64)"; got != want {
		t.Errorf("stamped build:\n got %s\nwant %s", got, want)
	}
	// A development build says so.
	b = fillBuild(Build{Go: "go1.26.8", Platform: "linux/amd64"}, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}})
	if b.Version != "" {
		t.Errorf("devel build version %q", b.Version)
	}
}
