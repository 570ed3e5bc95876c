package web

import (
	"bytes"
	"strconv"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// rssTTL is how long one reading of the resident set size is reused: the
// library reads several /proc files for it (about 0.5 ms on a desktop),
// and the overview API may be polled by several pages at once.
const rssTTL = time.Second

// rssCache holds the last reading.
var rssCache struct {
	mu    sync.Mutex
	at    time.Time
	bytes uint64
}

// residentBytes is the process's resident set size as the metrics
// library reads it for process_resident_memory_bytes, the same figure
// /metrics serves, at most rssTTL old; 0 where the library has none (off
// Linux).
func residentBytes() uint64 {
	rssCache.mu.Lock()
	defer rssCache.mu.Unlock()
	if now := time.Now(); now.Sub(rssCache.at) >= rssTTL {
		var buf bytes.Buffer
		vm.WriteProcMetrics(&buf)
		rssCache.at, rssCache.bytes = now, sampleValue(buf.Bytes(), "process_resident_memory_bytes")
	}
	return rssCache.bytes
}

// sampleValue returns the value of the unlabelled sample name in a
// Prometheus text exposition, 0 if it has none or not a number.
func sampleValue(text []byte, name string) uint64 {
	for line := range bytes.Lines(text) {
		v, ok := bytes.CutPrefix(line, []byte(name+" "))
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
		if err != nil || f < 0 {
			return 0
		}
		return uint64(f)
	}
	return 0
}
