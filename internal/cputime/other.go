//go:build !unix

package cputime

import "time"

// Now returns 0: process CPU time is only read on Unix.
func Now() time.Duration { return 0 }

// System returns 0: process CPU time is only read on Unix.
func System() time.Duration { return 0 }
