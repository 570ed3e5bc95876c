package board

import (
	"math"
	"strings"
)

const fileMemInfo = "proc/meminfo"

// MemInfo is the content of /proc/meminfo. Sizes are in bytes.
type MemInfo struct {
	MemTotal     uint64 `json:"mem_total"`
	MemFree      uint64 `json:"mem_free"`
	MemAvailable uint64 `json:"mem_available"`
	Buffers      uint64 `json:"buffers"`
	Cached       uint64 `json:"cached"`
	Shmem        uint64 `json:"shmem"`
	SReclaimable uint64 `json:"sreclaimable"`
	SwapTotal    uint64 `json:"swap_total"`
	SwapFree     uint64 `json:"swap_free"`

	// Fields holds every line of the file by its kernel name ("MemTotal",
	// "Slab", "HugePages_Total", ...). Values with a kB unit are converted
	// to bytes; values without a unit (the HugePages_ counts) are kept as
	// they are.
	Fields map[string]uint64 `json:"fields"`
}

// Used returns the memory in use by programs and the kernel that cannot be
// reclaimed quickly: MemTotal minus MemAvailable, or, on kernels that do
// not report MemAvailable, MemTotal minus MemFree, Buffers and Cached.
func (m MemInfo) Used() uint64 {
	if _, ok := m.Fields["MemAvailable"]; ok {
		return saturatingSub(m.MemTotal, m.MemAvailable)
	}
	return saturatingSub(saturatingSub(saturatingSub(m.MemTotal, m.MemFree), m.Buffers), m.Cached)
}

// saturatingSub returns a-b, or 0 when b > a.
func saturatingSub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

// MemInfo reads /proc/meminfo.
func (b *Board) MemInfo() (MemInfo, error) {
	data, err := b.readFile(fileMemInfo)
	if err != nil {
		return MemInfo{}, err
	}
	b.names.mu.Lock()
	defer b.names.mu.Unlock()
	return parseMemInfo(fileMemInfo, data, &b.names)
}

// parseMemInfo parses lines like "MemTotal:         245516 kB"; names are
// taken from table (nil: copied).
func parseMemInfo(file string, data []byte, table *nameTable) (MemInfo, error) {
	m := MemInfo{Fields: make(map[string]uint64, 48)}
	var fb [3]string
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return MemInfo{}, malformed(file, n, "want \"Name: value [kB]\", got %q", line)
		}
		f := appendFields(fb[:0], val)
		if len(f) == 0 || len(f) > 2 {
			return MemInfo{}, malformed(file, n, "%s: want a number and an optional unit, got %q", key, val)
		}
		v, err := parseUint(f[0])
		if err != nil {
			return MemInfo{}, malformed(file, n, "%s: %w", key, err)
		}
		if len(f) == 2 {
			if f[1] != "kB" {
				return MemInfo{}, malformed(file, n, "%s: unknown unit %q", key, f[1])
			}
			if v > math.MaxUint64/1024 {
				return MemInfo{}, malformed(file, n, "%s: %d kB overflows", key, v)
			}
			v *= 1024
		}
		if _, dup := m.Fields[key]; dup {
			return MemInfo{}, malformed(file, n, "%s: repeated", key)
		}
		m.Fields[table.intern(key)] = v
	}
	if _, ok := m.Fields["MemTotal"]; !ok {
		return MemInfo{}, malformed(file, 0, "no MemTotal line")
	}
	m.MemTotal = m.Fields["MemTotal"]
	m.MemFree = m.Fields["MemFree"]
	m.MemAvailable = m.Fields["MemAvailable"]
	m.Buffers = m.Fields["Buffers"]
	m.Cached = m.Fields["Cached"]
	m.Shmem = m.Fields["Shmem"]
	m.SReclaimable = m.Fields["SReclaimable"]
	m.SwapTotal = m.Fields["SwapTotal"]
	m.SwapFree = m.Fields["SwapFree"]
	return m, nil
}
