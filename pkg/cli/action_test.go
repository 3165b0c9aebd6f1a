package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestActionPassesResults runs the "reqtrail check" step of the GitHub Action
// (.github/actions/check/action.yml) with bash and a stand-in reqtrail that records its
// arguments: the results input reaches check as --results, and no input means no flag.
func TestActionPassesResults(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	action := readAction(t)
	if _, ok := action.Inputs["results"]; !ok {
		t.Fatal("the action has no results input")
	}
	script := ""
	for _, s := range action.Runs.Steps {
		if s.ID == "check" {
			script = s.Run
			if s.Env["RESULTS"] != "${{ inputs.results }}" {
				t.Errorf("the check step's RESULTS is %q", s.Env["RESULTS"])
			}
		}
	}
	if script == "" {
		t.Fatal("no step with id check")
	}
	for _, c := range []struct{ results, want string }{
		{"", "check --base origin/main --head HEAD --format github --summary"},
		{"junit.xml,go.json", "check --base origin/main --head HEAD --results junit.xml,go.json --format github --summary"},
	} {
		dir := t.TempDir()
		bin := filepath.Join(dir, "bin")
		if err := os.Mkdir(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		// The stand-in prints its arguments (without the report path) and passes.
		shim := "#!/bin/sh\nargs=\"$*\"\necho \"${args% *}\" > \"$ARGS_FILE\"\n"
		if err := os.WriteFile(filepath.Join(bin, "reqtrail"), []byte(shim), 0o755); err != nil {
			t.Fatal(err)
		}
		argsFile := filepath.Join(dir, "args")
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir = dir
		cmd.Env = []string{
			"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
			"ARGS_FILE=" + argsFile, "RUNNER_TEMP=" + dir,
			"GITHUB_OUTPUT=" + filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "summary"),
			"GITHUB_BASE_REF=main", "BASE=", "HEAD_REV=HEAD", "FAIL=true", "RESULTS=" + c.results,
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("results %q: the step failed: %v\n%s", c.results, err, out)
		}
		got, err := os.ReadFile(argsFile)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(got)) != c.want {
			t.Errorf("results %q: reqtrail %s, want reqtrail %s", c.results, strings.TrimSpace(string(got)), c.want)
		}
	}
}

// TestActionCachesRecords: the action keeps the record cache between runs (actions/cache of
// the folder repo.CachePath uses on Linux runners) unless its cache input is "false".
func TestActionCachesRecords(t *testing.T) {
	action := readAction(t)
	if action.Inputs["cache"].Default != "true" {
		t.Errorf("the cache input defaults to %q", action.Inputs["cache"].Default)
	}
	for _, s := range action.Runs.Steps {
		if strings.HasPrefix(s.Uses, "actions/cache@") {
			if s.With["path"] != "~/.cache/reqtrail" || s.If != "inputs.cache == 'true'" || !strings.HasPrefix(s.With["restore-keys"], "reqtrail-records-") {
				t.Errorf("the cache step: %+v", s)
			}
			return
		}
	}
	t.Error("the action has no actions/cache step")
}

// actionFile is what the tests read of the GitHub Action's action.yml.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Steps []struct {
			ID   string            `yaml:"id"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// readAction reads .github/actions/check/action.yml.
func readAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "actions", "check", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action actionFile
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	return action
}
