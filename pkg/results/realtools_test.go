package results_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// The real tools write the JUnit samples: go test -json, gotestsum and go-junit-report from
// the Go module proxy (pinned versions), pytest from Debian's python3-pytest (.ci/run).
const (
	gotestsum      = "gotest.tools/gotestsum@v1.13.0"
	goJUnitReport  = "github.com/jstemmer/go-junit-report/v2@v2.1.0"
	goTestFile     = "package chat\n\nimport \"testing\"\n\nfunc Test_REQ_0001_latency(t *testing.T) {}\n\n// TestQueue checks the queue (REQ-0002).\nfunc TestQueue(t *testing.T) {\n\tt.Run(\"empty\", func(t *testing.T) {})\n\tt.Run(\"full\", func(t *testing.T) { t.Fatal(\"queue overflow\") })\n}\n\nfunc TestSkipped(t *testing.T) {\n\t// REQ-0003\n\tt.Skip(\"later\")\n}\n"
	pytestFile     = "import pytest\n\ndef test_REQ_0004_transcript():\n    assert True\n\nclass TestMail:\n    @pytest.mark.parametrize(\"n\", [1, 2])\n    def test_send(self, n):\n        # verifies REQ-0005\n        assert n < 2\n"
	wantGoStatuses = "REQ-0001=passed REQ-0002=passed,failed,failed REQ-0003=skipped"
	wantPyStatuses = "REQ-0004=passed REQ-0005=passed,failed"
)

// sampleProject writes a Go module and a pytest file whose tests cite requirements.
func sampleProject(t *testing.T) string {
	return writeProject(t, map[string]string{
		"go.mod":                  "module example.com/svc\n\ngo 1.26\n",
		"tests/chat/chat_test.go": goTestFile,
		"tests/test_chat.py":      pytestFile,
	})
}

// writeProject writes files (slash-separated names) into a new temporary folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs a command in dir; a failing test run is expected (one test fails), so only a
// missing output is an error.
func run(t *testing.T, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()
	if out.Len() == 0 && errb.Len() > 0 && !strings.Contains(name, "python") {
		t.Logf("%s %v: %s", name, args, errb.String())
	}
	return out.Bytes()
}

func statuses(t *testing.T, dir string, cases []results.Case) string {
	t.Helper()
	cfg := config.Default()
	cfg.Trace = []config.Trace{{Path: "tests", Role: "test"}}
	fsys := os.DirFS(dir)
	e := results.Env{FS: fsys, Root: dir, Matcher: citation.NewMatcher("REQ", 4), Citations: citation.Scan(fsys, cfg).Citations}
	citation.Walk(fsys, cfg, func(f citation.File) { e.TestFiles = append(e.TestFiles, f.Path) })
	m := results.Map(cases, e)
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var parts []string
	for _, id := range ids {
		var st []string
		for _, r := range m[id] {
			st = append(st, string(r.Status))
		}
		slices.Sort(st)
		slices.Reverse(st) // passed, failed… in a stable order: skipped, passed, failed
		parts = append(parts, id+"="+strings.Join(st, ","))
	}
	return strings.Join(parts, " ")
}

func normalize(s string) string {
	// Order the statuses of each requirement the same way on both sides.
	var out []string
	for _, p := range strings.Fields(s) {
		id, st, _ := strings.Cut(p, "=")
		l := strings.Split(st, ",")
		slices.Sort(l)
		slices.Reverse(l)
		out = append(out, id+"="+strings.Join(l, ","))
	}
	return strings.Join(out, " ")
}

func TestRealGoTools(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test and downloads gotestsum and go-junit-report")
	}
	dir := sampleProject(t)
	goJSON := run(t, dir, nil, "go", "test", "-json", "./tests/...")
	goVerbose := run(t, dir, nil, "go", "test", "-v", "./tests/...")
	junitFile := filepath.Join(dir, "gotestsum.xml")
	run(t, dir, nil, "go", "run", gotestsum, "--junitfile", junitFile, "./tests/...")
	gjr := run(t, dir, goVerbose, "go", "run", goJUnitReport)
	sums, _ := os.ReadFile(junitFile)
	for name, data := range map[string][]byte{"go test -json": goJSON, "gotestsum": sums, "go-junit-report": gjr} {
		if len(data) == 0 {
			t.Fatalf("%s wrote nothing (is the Go module proxy reachable?)", name)
		}
		cases, err := results.Parse(name, data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, data)
		}
		if got := statuses(t, dir, cases); got != normalize(wantGoStatuses) {
			t.Errorf("%s: %s, want %s", name, got, normalize(wantGoStatuses))
		}
	}
}

func TestRealPytest(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-m", "pytest", "--version").Run(); err != nil {
		t.Skip("python3-pytest is not installed (.ci/run installs it)")
	}
	dir := sampleProject(t)
	for _, family := range []string{"xunit1", "xunit2"} {
		out := filepath.Join(dir, "pytest-"+family+".xml")
		run(t, dir, nil, py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family="+family, "--junitxml="+out, "tests/test_chat.py")
		cases, err := results.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := statuses(t, dir, cases); got != normalize(wantPyStatuses) {
			t.Errorf("pytest %s: %s, want %s", family, got, normalize(wantPyStatuses))
		}
	}
}

// The jest test file of TestRealJestJUnit: an id in a test title, a citation above the first
// case (the whole file) and one inside a case, a failing and a skipped case.
const jestFile = `// verifies REQ-0006 (above the first case: the whole file)
describe('chat widget', () => {
  test('REQ-0007 loads within two seconds', () => {
    expect(1 + 1).toBe(2);
  });
  test('shows typing indicators', () => {
    // REQ-0008
    expect(true).toBe(false);
  });
  test.skip('later', () => {});
});
`

// TestRealJestJUnit runs jest with jest-junit from the npm registry (pinned versions; .ci/run
// installs Node and npm). jest-junit's default output has no file attribute, so only ids in
// titles count; with addFileAttribute and the bare title as the name (the setting the docs
// give) the citations in the test file count too.
func TestRealJestJUnit(t *testing.T) {
	if testing.Short() {
		t.Skip("installs jest and jest-junit from the npm registry")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed (.ci/run installs nodejs and npm)")
	}
	dir := writeProject(t, map[string]string{
		"package.json":         `{"name": "widget", "version": "1.0.0", "private": true}`,
		"tests/widget.test.js": jestFile,
	})
	install := exec.Command("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "jest@29.7.0", "jest-junit@16.0.0")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm install jest jest-junit (is the npm registry reachable?): %v\n%s", err, out)
	}
	for _, c := range []struct {
		name string
		env  []string
		want string
	}{
		{"default", nil, "REQ-0007=passed"},
		{"file attribute, bare titles", []string{"JEST_JUNIT_ADD_FILE_ATTRIBUTE=true", "JEST_JUNIT_TITLE={title}", "JEST_JUNIT_CLASSNAME={classname}"},
			"REQ-0006=passed,failed,skipped REQ-0007=passed REQ-0008=failed"},
	} {
		out := filepath.Join(dir, "junit.xml")
		_ = os.Remove(out) // the file read is the one this run wrote
		cmd := exec.Command(filepath.Join(dir, "node_modules", ".bin", "jest"), "--ci", "--reporters=jest-junit")
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "JEST_JUNIT_OUTPUT_FILE="+out), c.env...)
		_ = cmd.Run() // one case fails on purpose
		cases, err := results.ReadFile(out)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := statuses(t, dir, cases); got != normalize(c.want) {
			t.Errorf("jest-junit %s: %s, want %s", c.name, got, normalize(c.want))
		}
	}
}
