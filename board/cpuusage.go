package board

import (
	"fmt"
)

// Utilisation is how the CPU time between two /proc/stat samples was
// spent, each as a fraction from 0 to 1. The fractions add up to 1.
type Utilisation struct {
	// Busy is everything but Idle and IOWait.
	Busy    float64 `json:"busy"`
	User    float64 `json:"user"`
	Nice    float64 `json:"nice"`
	System  float64 `json:"system"`
	Idle    float64 `json:"idle"`
	IOWait  float64 `json:"iowait"`
	IRQ     float64 `json:"irq"`
	SoftIRQ float64 `json:"softirq"`
	Steal   float64 `json:"steal"`
}

// CPUUsage returns the utilisation of one CPU (or of all, for the "cpu"
// totals) between the samples prev and cur, taken in that order from
// Stat. A time that went down between the samples counts as zero (the
// kernel's iowait can decrease, and per-CPU times reset when a CPU goes
// offline). It returns an error wrapping ErrNoProgress when no time passed,
// and an error when the samples are of different CPUs.
func CPUUsage(prev, cur CPUTimes) (Utilisation, error) {
	if prev.Name != cur.Name {
		return Utilisation{}, fmt.Errorf("board: cpu usage: samples of %q and %q", prev.Name, cur.Name)
	}
	// Guest time is already part of User and Nice, so it is left out.
	d := [8]uint64{
		counterIncrease(prev.User, cur.User),
		counterIncrease(prev.Nice, cur.Nice),
		counterIncrease(prev.System, cur.System),
		counterIncrease(prev.Idle, cur.Idle),
		counterIncrease(prev.IOWait, cur.IOWait),
		counterIncrease(prev.IRQ, cur.IRQ),
		counterIncrease(prev.SoftIRQ, cur.SoftIRQ),
		counterIncrease(prev.Steal, cur.Steal),
	}
	var total float64
	for _, v := range d {
		total += float64(v)
	}
	if total == 0 {
		return Utilisation{}, fmt.Errorf("board: cpu usage of %q: %w", cur.Name, ErrNoProgress)
	}
	u := Utilisation{
		User:    float64(d[0]) / total,
		Nice:    float64(d[1]) / total,
		System:  float64(d[2]) / total,
		Idle:    float64(d[3]) / total,
		IOWait:  float64(d[4]) / total,
		IRQ:     float64(d[5]) / total,
		SoftIRQ: float64(d[6]) / total,
		Steal:   float64(d[7]) / total,
	}
	u.Busy = (float64(d[0]) + float64(d[1]) + float64(d[2]) + float64(d[5]) + float64(d[6]) + float64(d[7])) / total
	return u, nil
}

// counterIncrease is cur-prev, or 0 when the counter went down.
func counterIncrease(prev, cur uint64) uint64 {
	return saturatingSub(cur, prev)
}
