package board

import (
	"strings"
)

// UserHZ is the clock tick of /proc/stat's CPU times (USER_HZ), 100 on
// every Linux architecture OpenWrt runs on.
const UserHZ = 100

// CPUSeconds is the time one CPU spent in each mode since boot, in
// seconds, as node_exporter's node_cpu_seconds_total{cpu,mode} reports it.
type CPUSeconds struct {
	// CPU is the CPU number as a string, "0", "1", ...
	CPU     string  `json:"cpu"`
	User    float64 `json:"user"`
	Nice    float64 `json:"nice"`
	System  float64 `json:"system"`
	Idle    float64 `json:"idle"`
	IOWait  float64 `json:"iowait"`
	IRQ     float64 `json:"irq"`
	SoftIRQ float64 `json:"softirq"`
	Steal   float64 `json:"steal"`
	// Guest and GuestNice are the time spent running guests (included in
	// User and Nice), node_cpu_guest_seconds_total{cpu,mode="user"|"nice"}.
	Guest     float64 `json:"guest"`
	GuestNice float64 `json:"guest_nice"`
}

// CPUTimes reads /proc/stat and returns each CPU's times in seconds, in
// the kernel's order (online CPUs only).
func (b *Board) CPUTimes() ([]CPUSeconds, error) {
	st, err := b.stat()
	if err != nil {
		return nil, err
	}
	out := make([]CPUSeconds, 0, len(st.CPUs))
	for _, t := range st.CPUs {
		out = append(out, cpuSeconds(t))
	}
	return out, nil
}

// cpuSeconds converts ticks to seconds.
func cpuSeconds(t CPUTimes) CPUSeconds {
	s := func(v uint64) float64 { return float64(v) / UserHZ }
	return CPUSeconds{
		CPU:  strings.TrimPrefix(t.Name, "cpu"),
		User: s(t.User), Nice: s(t.Nice), System: s(t.System), Idle: s(t.Idle),
		IOWait: s(t.IOWait), IRQ: s(t.IRQ), SoftIRQ: s(t.SoftIRQ), Steal: s(t.Steal),
		Guest: s(t.Guest), GuestNice: s(t.GuestNice),
	}
}
