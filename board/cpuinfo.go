package board

import (
	"bytes"
	"strings"
	"sync"
	"time"
)

const fileCPUInfo = "proc/cpuinfo"

// CPUInfo is what heimnetz takes from /proc/cpuinfo, whose keys differ by
// architecture. Fields the file does not have are left empty.
type CPUInfo struct {
	// Processors is the number of "processor" entries (online CPUs).
	Processors int `json:"processors"`
	// ModelName is the first CPU's model: "model name" on x86 and 32-bit
	// ARM, "cpu model" on MIPS, "Processor" on old ARM kernels.
	ModelName string `json:"model_name,omitempty"`
	// VendorID is "vendor_id" on x86 and "CPU implementer" on ARM.
	VendorID string `json:"vendor_id,omitempty"`
	// Architecture is ARM's "CPU architecture" ("7", "8", "AArch64").
	Architecture string `json:"architecture,omitempty"`
	// ISA is MIPS's "isa" list ("mips1 mips2 mips32r1 mips32r2").
	ISA string `json:"isa,omitempty"`
	// SystemType is MIPS's "system type" ("MediaTek MT7621 ver:1 eco:3").
	SystemType string `json:"system_type,omitempty"`
	// Machine is MIPS's "machine", the board model from the device tree.
	Machine string `json:"machine,omitempty"`
	// Hardware is ARM's "Hardware" (SoC or board, 32-bit kernels and
	// Raspberry Pi kernels).
	Hardware string `json:"hardware,omitempty"`
	// Model is the board model some ARM kernels append ("Raspberry Pi 4
	// Model B Rev 1.4").
	Model string `json:"model,omitempty"`
	// BogoMIPS is the first CPU's BogoMIPS figure.
	BogoMIPS float64 `json:"bogomips,omitempty"`
	// MHz is the first CPU's "cpu MHz" (x86).
	MHz float64 `json:"mhz,omitempty"`
}

// maxCPUInfoAge is how long CPUInfo keeps a parsed /proc/cpuinfo that
// has no changing field.
const maxCPUInfoAge = 10 * time.Minute

// cpuInfoCache keeps the last /proc/cpuinfo CPUInfo parsed, when it had
// no "cpu MHz" line. Everything else CPUInfo takes from the file is
// fixed at boot: the model, vendor, architecture, ISA, system type,
// machine, hardware and board model are what the kernel found, and
// BogoMIPS is its calibration at boot. Only the processor count could
// change, when a CPU is taken offline or brought back (hotplug, which
// router firmware does not do); maxCPUInfoAge bounds how long such a
// change goes unseen. On x86 the file reports each CPU's current
// frequency, so there it is read at every call. /proc/cpuinfo is a
// pseudo-file: its stamp says nothing, so the age is the only bound.
type cpuInfoCache struct {
	mu    sync.Mutex
	at    time.Time
	ok    bool
	value CPUInfo
}

// CPUInfo reads /proc/cpuinfo; where it has no field that changes while
// the system runs, the parsed value is kept for up to maxCPUInfoAge of
// the board's clock (see cpuInfoCache).
func (b *Board) CPUInfo() (CPUInfo, error) {
	now := b.now()
	c := &b.cpuInfo
	c.mu.Lock()
	if c.ok && now.Sub(c.at) >= 0 && now.Sub(c.at) < maxCPUInfoAge {
		v := c.value
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	data, err := b.readFile(fileCPUInfo)
	if err != nil {
		return CPUInfo{}, err
	}
	v, err := parseCPUInfo(fileCPUInfo, data)
	c.mu.Lock()
	c.ok = err == nil && !bytes.Contains(data, []byte("cpu MHz"))
	c.at, c.value = now, v
	c.mu.Unlock()
	return v, err
}

// parseCPUInfo reads "key<tabs>: value" lines; blank lines separate the
// processors. For per-CPU keys the first value wins.
func parseCPUInfo(file string, data []byte) (CPUInfo, error) {
	var c CPUInfo
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return CPUInfo{}, malformed(file, n, "no ':' in %q", line)
		}
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		var dst *string
		switch key {
		case "processor": // the index; old ARM's "Processor" is the model
			if _, err := parseUint(val); err != nil {
				return CPUInfo{}, malformed(file, n, "processor: %w", err)
			}
			c.Processors++
			continue
		case "model name", "cpu model", "Processor":
			dst = &c.ModelName
		case "vendor_id", "CPU implementer":
			dst = &c.VendorID
		case "CPU architecture":
			dst = &c.Architecture
		case "isa":
			dst = &c.ISA
		case "system type":
			dst = &c.SystemType
		case "machine":
			dst = &c.Machine
		case "Hardware":
			dst = &c.Hardware
		case "Model":
			dst = &c.Model
		case "BogoMIPS", "bogomips":
			if c.BogoMIPS == 0 {
				v, err := parseNonNegFloat(val)
				if err != nil {
					return CPUInfo{}, malformed(file, n, "%s: %w", key, err)
				}
				c.BogoMIPS = v
			}
			continue
		case "cpu MHz":
			if c.MHz == 0 {
				v, err := parseNonNegFloat(val)
				if err != nil {
					return CPUInfo{}, malformed(file, n, "%s: %w", key, err)
				}
				c.MHz = v
			}
			continue
		default:
			continue
		}
		if *dst == "" {
			*dst = strings.Clone(val)
		}
	}
	return c, nil
}
