package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// goreleaser is the part of .goreleaser.yaml this test reads.
type goreleaser struct {
	Builds []struct {
		Main    string   `yaml:"main"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
}

// TestReleaseBuild builds reqtrail exactly as .goreleaser.yaml says (its env, flags and
// ldflags, templates filled in) for this platform and checks what a release promises: the
// version, commit and date are stamped, the binary is static and it is within the 30 MB
// budget. The release workflow builds the other five platforms from the same entry.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release binary")
	}
	raw, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaser
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("want one build in .goreleaser.yaml, have %d", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	for _, want := range [][2]string{{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "amd64"}, {"darwin", "arm64"}, {"windows", "amd64"}, {"windows", "arm64"}} {
		if !slices.Contains(b.Goos, want[0]) || !slices.Contains(b.Goarch, want[1]) {
			t.Errorf("release builds miss %s/%s", want[0], want[1])
		}
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("release builds must be static and trimmed: env %v flags %v", b.Env, b.Flags)
	}
	fill := strings.NewReplacer("{{ .Version }}", "1.2.3", "{{ .FullCommit }}", "0123456789abcdef0123456789abcdef01234567", "{{ .CommitDate }}", "2026-12-01T10:00:00Z")
	var ld []string
	for _, l := range b.Ldflags {
		ld = append(ld, fill.Replace(l))
	}
	out := filepath.Join(t.TempDir(), "reqtrail")
	args := append([]string{"build"}, b.Flags...)
	args = append(args, "-ldflags", strings.Join(ld, " "), "-o", out, "../../"+strings.TrimPrefix(b.Main, "./"))
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), b.Env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	got, err := exec.Command(out, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "reqtrail 1.2.3 (commit 0123456789ab, built 2026-12-01T10:00:00Z, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if string(got) != want {
		t.Errorf("version of a release build:\n got %q\nwant %q", got, want)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("release binary %s/%s: %.1f MB", runtime.GOOS, runtime.GOARCH, float64(st.Size())/(1<<20))
	if st.Size() > 30<<20 {
		t.Errorf("release binary is %d bytes, over the 30 MB budget", st.Size())
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("release binary has a dynamic loader (PT_INTERP): not static")
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("release binary links %v: not static", libs)
		}
	}
}
