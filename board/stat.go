package board

import (
	"fmt"
	"slices"
	"strings"
)

const fileStat = "proc/stat"

// CPUTimes is one "cpu" line of /proc/stat: time spent in each state since
// boot, in clock ticks (USER_HZ, 100 per second on Linux).
type CPUTimes struct {
	// Name is "cpu" for the sum over all CPUs, "cpu0", "cpu1", ... for one.
	Name    string `json:"name"`
	User    uint64 `json:"user"`
	Nice    uint64 `json:"nice"`
	System  uint64 `json:"system"`
	Idle    uint64 `json:"idle"`
	IOWait  uint64 `json:"iowait"`
	IRQ     uint64 `json:"irq"`
	SoftIRQ uint64 `json:"softirq"`
	Steal   uint64 `json:"steal"`
	// Guest and GuestNice are already included in User and Nice.
	Guest     uint64 `json:"guest"`
	GuestNice uint64 `json:"guest_nice"`
}

// fields returns pointers to the times in file order.
func (t *CPUTimes) fields() [10]*uint64 {
	return [10]*uint64{&t.User, &t.Nice, &t.System, &t.Idle, &t.IOWait, &t.IRQ, &t.SoftIRQ, &t.Steal, &t.Guest, &t.GuestNice}
}

// Stat is the part of /proc/stat heimnetz uses.
type Stat struct {
	// CPU is the sum over all CPUs; CPUs holds each online CPU.
	CPU  CPUTimes   `json:"cpu"`
	CPUs []CPUTimes `json:"cpus"`
	// Interrupts is the total number of interrupts serviced (first field
	// of the "intr" line).
	Interrupts uint64 `json:"interrupts"`
	// ContextSwitches is the "ctxt" line.
	ContextSwitches uint64 `json:"context_switches"`
	// BootTime is the boot time in seconds since the Unix epoch ("btime").
	BootTime uint64 `json:"boot_time"`
	// Processes is the number of forks since boot.
	Processes uint64 `json:"processes"`
	// ProcsRunning and ProcsBlocked are runnable and I/O-blocked tasks.
	ProcsRunning uint64 `json:"procs_running"`
	ProcsBlocked uint64 `json:"procs_blocked"`
}

// Stat reads /proc/stat.
func (b *Board) Stat() (Stat, error) {
	st, err := b.stat()
	st.CPUs = slices.Clone(st.CPUs)
	return st, err
}

// stat is Stat parsed once a second for all its readers (cachedValue):
// CPUs is shared and must not be changed.
func (b *Board) stat() (Stat, error) {
	return cachedValue(b, "stat", func() (Stat, error) {
		data, err := b.readFile(fileStat)
		if err != nil {
			return Stat{}, err
		}
		return parseStat(fileStat, data)
	})
}

// parseStat reads the cpu lines (4 to 10 columns depending on the kernel
// version) and the single-number lines; other lines are skipped.
func parseStat(file string, data []byte) (Stat, error) {
	var st Stat
	haveTotal := false
	seen := make(map[string]bool)
	var fb [16]string // a cpu line; intr's hundreds of counters go to the heap
	for n, line := range lines(string(data)) {
		f := appendFields(fb[:0], line)
		if len(f) == 0 {
			continue
		}
		key := f[0]
		if strings.HasPrefix(key, "cpu") {
			if seen[key] {
				return Stat{}, malformed(file, n, "%s repeated", key)
			}
			seen[key] = true
			t, err := parseCPUTimes(f)
			if err != nil {
				return Stat{}, malformed(file, n, "%w", err)
			}
			if key == "cpu" {
				st.CPU, haveTotal = t, true
			} else {
				t.Name = strings.Clone(key)
				st.CPUs = append(st.CPUs, t)
			}
			continue
		}
		var dst *uint64
		switch key {
		case "intr":
			dst = &st.Interrupts
		case "ctxt":
			dst = &st.ContextSwitches
		case "btime":
			dst = &st.BootTime
		case "processes":
			dst = &st.Processes
		case "procs_running":
			dst = &st.ProcsRunning
		case "procs_blocked":
			dst = &st.ProcsBlocked
		default:
			continue
		}
		if len(f) < 2 {
			return Stat{}, malformed(file, n, "%s: no value", key)
		}
		if key != "intr" && len(f) != 2 {
			return Stat{}, malformed(file, n, "%s: want one value, got %d", key, len(f)-1)
		}
		v, err := parseUint(f[1])
		if err != nil {
			return Stat{}, malformed(file, n, "%s: %w", key, err)
		}
		*dst = v
	}
	if !haveTotal {
		return Stat{}, malformed(file, 0, "no \"cpu\" line")
	}
	return st, nil
}

// parseCPUTimes parses the fields of one cpu line, name first.
func parseCPUTimes(f []string) (CPUTimes, error) {
	t := CPUTimes{Name: "cpu"}
	name, vals := f[0], f[1:]
	if name != "cpu" {
		if _, err := parseUint(strings.TrimPrefix(name, "cpu")); err != nil {
			return t, fmt.Errorf("bad cpu name %q", name)
		}
	}
	dst := t.fields()
	if len(vals) < 4 || len(vals) > len(dst) {
		return t, fmt.Errorf("%s: want 4 to %d times, got %d", name, len(dst), len(vals))
	}
	for i, s := range vals {
		v, err := parseUint(s)
		if err != nil {
			return t, fmt.Errorf("%s: time %d: %w", name, i+1, err)
		}
		*dst[i] = v
	}
	return t, nil
}
