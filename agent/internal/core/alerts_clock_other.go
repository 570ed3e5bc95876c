//go:build !linux

package core

import (
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/alerts"
)

// hostClock compares now with the build's time, before which the clock
// was certainly never set; other systems are not asked for their sync
// state. nil when the build time is unknown.
func hostClock(now time.Time) *alerts.Clock {
	b := buildTime()
	if b.IsZero() {
		return nil
	}
	return &alerts.Clock{Now: now, Build: b}
}
