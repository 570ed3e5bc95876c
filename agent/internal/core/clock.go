package core

import "time"

// Clock is the time the manager schedules runs by and stamps records
// with. The agent uses the system clock; tests use a fake one they
// advance themselves, so a schedule is tested without waiting for it.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives the time once d has passed
	// (at once for d <= 0).
	After(d time.Duration) <-chan time.Time
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
