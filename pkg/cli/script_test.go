package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/reqtrail/reqtrail/internal/gitgen"
)

// TestMain lets testscript run the reqtrail command in-process.
func TestMain(m *testing.M) {
	testscript.Main(cleanup{m}, map[string]func(){
		"reqtrail": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// cleanup removes the shared benchmark repository after the tests and benchmarks ran.
type cleanup struct{ m *testing.M }

func (c cleanup) Run() int {
	code := c.m.Run()
	gitgen.RemoveBench()
	return code
}

// TestScripts runs the command-line scripts in testdata/script: how a user sees reqtrail.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("REQTRAIL_TODAY", "2024-05-03")
			env.Setenv("REQTRAIL_NO_CACHE", "1")
			env.Setenv("NO_COLOR", "")
			return nil
		},
	})
}
