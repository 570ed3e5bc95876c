package board

import (
	"math"
	"strings"
)

const fileNetDev = "proc/net/dev"

// NetDevStats is one interface's line of /proc/net/dev: cumulative
// counters since the interface was created.
type NetDevStats struct {
	Name string `json:"name"`

	RxBytes      uint64 `json:"rx_bytes"`
	RxPackets    uint64 `json:"rx_packets"`
	RxErrs       uint64 `json:"rx_errs"`
	RxDrop       uint64 `json:"rx_drop"`
	RxFIFO       uint64 `json:"rx_fifo"`
	RxFrame      uint64 `json:"rx_frame"`
	RxCompressed uint64 `json:"rx_compressed"`
	RxMulticast  uint64 `json:"rx_multicast"`

	TxBytes      uint64 `json:"tx_bytes"`
	TxPackets    uint64 `json:"tx_packets"`
	TxErrs       uint64 `json:"tx_errs"`
	TxDrop       uint64 `json:"tx_drop"`
	TxFIFO       uint64 `json:"tx_fifo"`
	TxColls      uint64 `json:"tx_colls"`
	TxCarrier    uint64 `json:"tx_carrier"`
	TxCompressed uint64 `json:"tx_compressed"`
}

// counters returns pointers to the sixteen counters in file order.
func (s *NetDevStats) counters() [16]*uint64 {
	return [16]*uint64{
		&s.RxBytes, &s.RxPackets, &s.RxErrs, &s.RxDrop, &s.RxFIFO, &s.RxFrame, &s.RxCompressed, &s.RxMulticast,
		&s.TxBytes, &s.TxPackets, &s.TxErrs, &s.TxDrop, &s.TxFIFO, &s.TxColls, &s.TxCarrier, &s.TxCompressed,
	}
}

// Delta returns the counters of s minus those of prev, an earlier sample of
// the same interface, for computing rates. A counter that went down is
// taken to have wrapped at 32 bits when both values fit in 32 bits (old
// drivers and 32-bit kernels keep 32-bit counters), and otherwise to have
// been reset (the interface was re-created), in which case the delta is
// the new value. The result's Name is s.Name.
func (s NetDevStats) Delta(prev NetDevStats) NetDevStats {
	d := NetDevStats{Name: s.Name}
	cur, old, out := s.counters(), prev.counters(), d.counters()
	for i := range out {
		*out[i] = counterDelta(*old[i], *cur[i])
	}
	return d
}

// counterDelta is the increase from prev to cur of one counter.
func counterDelta(prev, cur uint64) uint64 {
	switch {
	case cur >= prev:
		return cur - prev
	case prev <= math.MaxUint32:
		return cur + (math.MaxUint32 - prev) + 1
	default:
		return cur
	}
}

// NetDev reads /proc/net/dev. Interfaces are in the kernel's order.
func (b *Board) NetDev() ([]NetDevStats, error) {
	data, err := b.readFile(fileNetDev)
	if err != nil {
		return nil, err
	}
	return parseNetDev(fileNetDev, data)
}

// parseNetDev parses the two header lines and then one line per interface:
//
//	eth0: 1234 12 0 0 0 0 0 0 5678 34 0 0 0 0 0 0
//
// Names up to six characters are right-aligned; longer ones run straight
// into the colon, and old kernels wrote the first counter straight after it
// ("eth0:1234"). Interface names cannot contain ':' or white space, so the
// first colon ends the name.
func parseNetDev(file string, data []byte) ([]NetDevStats, error) {
	var out []NetDevStats
	seen := make(map[string]bool)
	var fb [17]string
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			if strings.Contains(line, "|") {
				continue // header
			}
			return nil, malformed(file, n, "no \"name:\" in %q", line)
		}
		name = strings.TrimSpace(name)
		if name == "" || strings.ContainsAny(name, " \t|") {
			if strings.Contains(line, "|") {
				continue // a header whose text contains ':'
			}
			return nil, malformed(file, n, "bad interface name %q", name)
		}
		if seen[name] {
			return nil, malformed(file, n, "interface %q repeated", name)
		}
		f := appendFields(fb[:0], rest)
		if len(f) != 16 {
			return nil, malformed(file, n, "%s: want 16 counters, got %d", name, len(f))
		}
		s := NetDevStats{Name: strings.Clone(name)}
		for i, dst := range s.counters() {
			v, err := parseUint(f[i])
			if err != nil {
				return nil, malformed(file, n, "%s: counter %d: %w", name, i+1, err)
			}
			*dst = v
		}
		seen[s.Name] = true
		out = append(out, s)
	}
	return out, nil
}
