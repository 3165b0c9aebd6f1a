package cli

import (
	"time"
)

// Today returns the current date as YYYY-MM-DD from the injected clock; REQTRAIL_TODAY
// overrides it (for tests and reproducible scaffolds).
func (app *App) Today() string {
	if d := app.Getenv("REQTRAIL_TODAY"); d != "" {
		return d
	}
	return app.Now().Format(time.DateOnly)
}

// TodayTime is now from the injected clock, or the start of REQTRAIL_TODAY when it is set to
// a date.
func (app *App) TodayTime() time.Time {
	if d := app.Getenv("REQTRAIL_TODAY"); d != "" {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t
		}
	}
	return app.Now()
}
