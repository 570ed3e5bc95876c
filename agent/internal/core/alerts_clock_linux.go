package core

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/heimnetz/heimnetz/agent/internal/alerts"
)

// hostClock asks the kernel whether a time service disciplines the clock
// (adjtimex(2) with no change, allowed to any user: the STA_UNSYNC bit,
// which the kernel sets at boot and clears once NTP, e.g. OpenWrt's
// sysntpd, steers the clock) and compares now with the build's time,
// before which the clock was certainly never set. nil when adjtimex
// fails (a seccomp filter, say) and the build time is unknown.
func hostClock(now time.Time) *alerts.Clock {
	c := &alerts.Clock{Now: now, Build: buildTime()}
	var tx unix.Timex
	state, err := unix.Adjtimex(&tx)
	switch {
	case err == nil:
		c.Unsynchronised = tx.Status&unix.STA_UNSYNC != 0 || state == unix.TIME_ERROR
	case c.Build.IsZero():
		return nil
	}
	return c
}
