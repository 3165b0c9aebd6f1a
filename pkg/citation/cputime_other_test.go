//go:build !unix

package citation_test

import "time"

func cpuTime() time.Duration { return 0 }
