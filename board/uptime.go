package board

import (
	"math"
	"strings"
	"time"
)

const fileUptime = "proc/uptime"

// Uptime is the content of /proc/uptime.
type Uptime struct {
	// Seconds is the time since boot, including time spent suspended.
	Seconds float64 `json:"seconds"`
	// IdleSeconds is the idle time summed over all CPUs, so it can exceed
	// Seconds on a multi-core device.
	IdleSeconds float64 `json:"idle_seconds"`
}

// Duration returns Seconds as a time.Duration, truncated to milliseconds
// and capped at the largest Duration.
func (u Uptime) Duration() time.Duration {
	if u.Seconds >= float64(math.MaxInt64/int64(time.Second)) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(u.Seconds * float64(time.Second)).Truncate(time.Millisecond)
}

// Uptime reads /proc/uptime.
func (b *Board) Uptime() (Uptime, error) {
	data, err := b.readFile(fileUptime)
	if err != nil {
		return Uptime{}, err
	}
	return parseUptime(fileUptime, data)
}

// parseUptime parses "350735.47 234388.90".
func parseUptime(file string, data []byte) (Uptime, error) {
	var u Uptime
	line, rest, _ := strings.Cut(string(data), "\n")
	if strings.TrimSpace(rest) != "" {
		return u, malformed(file, 2, "unexpected second line")
	}
	f := strings.Fields(line)
	if len(f) != 2 {
		return u, malformed(file, 1, "want 2 fields, got %d", len(f))
	}
	var err error
	if u.Seconds, err = parseNonNegFloat(f[0]); err != nil {
		return Uptime{}, malformed(file, 1, "uptime: %w", err)
	}
	if u.IdleSeconds, err = parseNonNegFloat(f[1]); err != nil {
		return Uptime{}, malformed(file, 1, "idle time: %w", err)
	}
	return u, nil
}
