package cli

import (
	"os"
	"time"
)

// today returns the current date as YYYY-MM-DD; REQTRAIL_TODAY overrides it (for tests and
// reproducible scaffolds).
func today() string {
	if d := os.Getenv("REQTRAIL_TODAY"); d != "" {
		return d
	}
	return time.Now().Format(time.DateOnly)
}
