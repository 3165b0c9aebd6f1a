package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// procRunner runs the reqtrail binary, built once, in a checked-out repository, as a user
// would: one process per run, timed from start to exit.
type procRunner struct {
	bin, dir, cacheHome string
	filled              map[string]bool // the commands whose warm cache is filled
}

func newProcRunner(tmp, dir string) (*procRunner, error) {
	bin := filepath.Join(tmp, "reqtrail")
	fmt.Fprintln(os.Stderr, "building ./cmd/reqtrail")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/reqtrail").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/reqtrail: %v\n%s", err, out)
	}
	cacheHome := filepath.Join(tmp, "cache-home")
	if err := os.MkdirAll(cacheHome, 0o755); err != nil {
		return nil, err
	}
	return &procRunner{bin: bin, dir: dir, cacheHome: cacheHome, filled: map[string]bool{}}, nil
}

// run starts reqtrail -C dir args… once and returns its wall time and the CPU time (user
// and system) the process used. Warm runs use a record cache filled by one untimed run
// first (per command: check adds the merge base's records); cold ones set
// REQTRAIL_NO_CACHE=1. An exit code above 1 is an error.
func (p *procRunner) run(args []string, warm bool) (measure, error) {
	cmd := func() *exec.Cmd {
		c := exec.Command(p.bin, append([]string{"-C", p.dir}, args...)...)
		c.Env = append(os.Environ(), "XDG_CACHE_HOME="+p.cacheHome)
		if !warm {
			c.Env = append(c.Env, "REQTRAIL_NO_CACHE=1")
		}
		return c
	}
	if key := strings.Join(args, " "); warm && !p.filled[key] {
		if err := exitOK(cmd().Run()); err != nil {
			return measure{}, fmt.Errorf("reqtrail %v: %w", args, err)
		}
		p.filled[key] = true
	}
	c := cmd()
	start := time.Now()
	err := c.Run()
	wall := time.Since(start)
	if err := exitOK(err); err != nil {
		return measure{}, fmt.Errorf("reqtrail %v: %w", args, err)
	}
	return measure{wall: wall.Seconds(), cpu: (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Seconds()}, nil
}

// exitOK accepts exit codes 0 and 1 (findings).
func exitOK(err error) error {
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		return nil
	}
	return err
}
