package board

import (
	"strings"
)

const fileLoadAvg = "proc/loadavg"

// LoadAvg is the content of /proc/loadavg.
type LoadAvg struct {
	// Load1, Load5 and Load15 are the 1, 5 and 15 minute load averages.
	Load1  float64 `json:"load1"`
	Load5  float64 `json:"load5"`
	Load15 float64 `json:"load15"`
	// Running is the number of runnable scheduling entities, Total the
	// number that exist (processes and threads).
	Running uint64 `json:"running"`
	Total   uint64 `json:"total"`
	// LastPID is the most recently assigned process ID.
	LastPID uint64 `json:"last_pid"`
}

// LoadAvg reads /proc/loadavg.
func (b *Board) LoadAvg() (LoadAvg, error) {
	data, err := b.readFile(fileLoadAvg)
	if err != nil {
		return LoadAvg{}, err
	}
	return parseLoadAvg(fileLoadAvg, data)
}

// parseLoadAvg parses "0.20 0.18 0.12 1/80 11206".
func parseLoadAvg(file string, data []byte) (LoadAvg, error) {
	var l LoadAvg
	s := string(data)
	line, rest, _ := strings.Cut(s, "\n")
	if strings.TrimSpace(rest) != "" {
		return l, malformed(file, 2, "unexpected second line")
	}
	f := strings.Fields(line)
	if len(f) != 5 {
		return l, malformed(file, 1, "want 5 fields, got %d", len(f))
	}
	var err error
	for i, dst := range []*float64{&l.Load1, &l.Load5, &l.Load15} {
		if *dst, err = parseNonNegFloat(f[i]); err != nil {
			return LoadAvg{}, malformed(file, 1, "load average: %w", err)
		}
	}
	run, total, ok := strings.Cut(f[3], "/")
	if !ok {
		return LoadAvg{}, malformed(file, 1, "want running/total, got %q", f[3])
	}
	if l.Running, err = parseUint(run); err != nil {
		return LoadAvg{}, malformed(file, 1, "running: %w", err)
	}
	if l.Total, err = parseUint(total); err != nil {
		return LoadAvg{}, malformed(file, 1, "total: %w", err)
	}
	if l.LastPID, err = parseUint(f[4]); err != nil {
		return LoadAvg{}, malformed(file, 1, "last pid: %w", err)
	}
	return l, nil
}
