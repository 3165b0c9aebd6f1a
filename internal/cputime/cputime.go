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

// System returns the process's system (kernel) CPU time so far, the part of Now spent in
// system calls: creating files, for one, whose cost depends on the file system's state
// (0 where it cannot be read).
func System() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Stime.Nano())
}
