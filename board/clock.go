package board

import (
	"time"
)

// Clock is the system time as node_exporter's time collector reports it.
type Clock struct {
	// Seconds is the time since the Unix epoch (node_time_seconds).
	Seconds float64 `json:"seconds"`
	// Zone is the local time zone's abbreviation, e.g. "CET"
	// (node_time_zone_offset_seconds{time_zone}).
	Zone string `json:"zone"`
	// OffsetSeconds is the local zone's offset east of UTC.
	OffsetSeconds int `json:"offset_seconds"`
}

// Clock returns the current time and local time zone. On OpenWrt the zone
// comes from the TZ variable the init system sets from UCI.
func (b *Board) Clock() Clock {
	now := b.now()
	zone, off := now.Zone()
	return Clock{Seconds: float64(now.UnixNano()) / float64(time.Second), Zone: zone, OffsetSeconds: off}
}
