package board

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

const (
	fileNetstat = "proc/net/netstat"
	fileSNMP    = "proc/net/snmp"
	fileSNMP6   = "proc/net/snmp6"
)

// NetStats holds protocol counters as protocol → field → value, with the
// kernel's names: {"Tcp": {"ActiveOpens": 396, ...}, "TcpExt": {...},
// "Ip6": {"InReceives": 1, ...}} (node_exporter's node_netstat_<proto>_<field>).
// Values are numbers, most of them counters; a few are gauges or -1
// (Tcp MaxConn).
type NetStats map[string]map[string]float64

// NetStats reads /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6
// into one NetStats. A file that cannot be read is left out and reported
// in err, while the others are returned; a missing snmp6 (IPv6 disabled)
// is no error.
func (b *Board) NetStats() (NetStats, error) {
	out := NetStats{}
	var errs []error
	for _, f := range []struct {
		file  string
		parse func(string, []byte, NetStats, *nameTable) error
	}{{fileNetstat, parseNetstat}, {fileSNMP, parseNetstat}, {fileSNMP6, parseSNMP6}} {
		data, err := b.readFile(f.file)
		if err == nil {
			b.names.mu.Lock()
			err = f.parse(f.file, data, out, &b.names)
			b.names.mu.Unlock()
		} else if f.file == fileSNMP6 && isNotExist(err) {
			continue // a kernel without IPv6
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// parseNetstat parses pairs of lines, names then values, both starting
// with the protocol:
//
//	Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
//	Tcp: 1 200 120000 -1 396 ...
//
// Names are taken from table (nil: copied).
func parseNetstat(file string, data []byte, out NetStats, table *nameTable) error {
	var (
		names     []string
		proto     string
		namesLine int
		buf       []string // names' backing, reused by every protocol
	)
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		p, rest, ok := strings.Cut(line, ":")
		if !ok || p == "" || strings.ContainsAny(p, " \t") {
			return malformed(file, n, "no \"Protocol:\" in %q", line)
		}
		if names == nil {
			buf = appendFields(buf[:0], rest)
			if len(buf) == 0 {
				return malformed(file, n, "%s: no field names", p)
			}
			if _, dup := out[p]; dup {
				return malformed(file, n, "%s repeated", p)
			}
			names, proto, namesLine = buf, p, n
			continue
		}
		if p != proto {
			return malformed(file, n, "values of %s follow names of %s (line %d)", p, proto, namesLine)
		}
		if c := countFields(rest); c != len(names) {
			return malformed(file, n, "%s: %d names but %d values", p, len(names), c)
		}
		m := make(map[string]float64, len(names))
		i := 0
		for s := range fieldSeq(rest) {
			v, err := parseCounter(s)
			if err != nil {
				return malformed(file, n, "%s %s: %w", p, names[i], err)
			}
			m[table.intern(names[i])] = v
			i++
		}
		out[table.intern(p)] = m
		names = nil
	}
	if names != nil {
		return malformed(file, namesLine, "%s: names without values", proto)
	}
	return nil
}

// parseSNMP6 parses "Ip6InReceives   1" lines; the protocol is the name up
// to and including its first '6' ("Ip6", "Icmp6", "Udp6", "UdpLite6").
// Names are taken from table (nil: copied).
func parseSNMP6(file string, data []byte, out NetStats, table *nameTable) error {
	var fb [3]string
	for n, line := range lines(string(data)) {
		f := appendFields(fb[:0], line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return malformed(file, n, "want name and value, got %d fields", len(f))
		}
		i := strings.IndexByte(f[0], '6')
		if i <= 0 || i == len(f[0])-1 {
			return malformed(file, n, "no protocol in %q", f[0])
		}
		v, err := parseCounter(f[1])
		if err != nil {
			return malformed(file, n, "%s: %w", f[0], err)
		}
		p, field := f[0][:i+1], f[0][i+1:]
		m := out[p]
		if m == nil {
			m = make(map[string]float64)
			out[table.intern(p)] = m
		}
		if _, dup := m[field]; dup {
			return malformed(file, n, "%s repeated", f[0])
		}
		m[table.intern(field)] = v
	}
	return nil
}

// parseCounter parses a signed or unsigned 64-bit decimal integer.
func parseCounter(s string) (float64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return float64(v), nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w", numError(s, err))
	}
	return float64(v), nil
}
