//go:build unix

// Package cputime measures the CPU time of the whole process, for benchmarks that report it
// beside wall time (on a shared machine, wall time depends on the other processes' load).
package cputime

import (
	"syscall"
	"time"
)

// Now returns the process's user + system CPU time so far (0 where it cannot be read).
func Now() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
