package web

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// latencyBuckets are the upper bounds of the request duration histogram:
// the interesting range on a router is 100 µs to a few hundred ms.
var latencyBuckets = [...]float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// statusCodes are the codes counted by value; anything else is "other", so
// the label set stays bounded whatever a handler does.
var statusCodes = [...]int{200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 408, 413, 414, 415, 421, 429, 431, 500, 503}

const codeOther = len(statusCodes)

func codeIndex(code int) int {
	for i, c := range statusCodes {
		if c == code {
			return i
		}
	}
	return codeOther
}

// serverMetrics holds the heimnetz_server_* families. Counters are created
// on first use from a fixed route × code grid and histograms exist per
// route, so the number of series is bounded by construction.
type serverMetrics struct {
	requests  *vm.Set
	counters  [numRoutes][codeOther + 1]atomic.Pointer[vm.Counter]
	mu        sync.Mutex // serializes counter creation only
	durations latencyHistogram

	activeConns atomic.Int64

	// Latency accumulators for the chart history, reset on every sample.
	intervalCount atomic.Uint64
	intervalNanos atomic.Uint64
	intervalMax   atomic.Uint64
}

func newServerMetrics() *serverMetrics {
	return &serverMetrics{requests: vm.NewSet()}
}

// observe records one finished request.
func (m *serverMetrics) observe(r route, code int, d time.Duration) {
	ci := codeIndex(code)
	c := m.counters[r][ci].Load()
	if c == nil {
		c = m.createCounter(r, ci, code)
	}
	c.Inc()
	m.durations.observe(r, d)

	ns := uint64(max(d, 0))
	m.intervalCount.Add(1)
	m.intervalNanos.Add(ns)
	for {
		cur := m.intervalMax.Load()
		if ns <= cur || m.intervalMax.CompareAndSwap(cur, ns) {
			break
		}
	}
}

func (m *serverMetrics) createCounter(r route, ci, code int) *vm.Counter {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.counters[r][ci].Load(); c != nil {
		return c
	}
	codeLabel := "other"
	if ci != codeOther {
		codeLabel = strconv.Itoa(code)
	}
	c := m.requests.GetOrCreateCounter(fmt.Sprintf(`heimnetz_server_requests_total{route=%q,code=%q}`, r.String(), codeLabel))
	m.counters[r][ci].Store(c)
	return c
}

// latencySample returns the mean and maximum request latency since the last
// call, in seconds, and resets the accumulators.
func (m *serverMetrics) latencySample() (mean, maxSeconds float64, n uint64) {
	n = m.intervalCount.Swap(0)
	total := m.intervalNanos.Swap(0)
	mx := m.intervalMax.Swap(0)
	if n == 0 {
		return 0, 0, 0
	}
	return float64(total) / float64(n) / 1e9, float64(mx) / 1e9, n
}

// goMemoryBytes is the Go runtime's total mapped memory
// (/memory/classes/total:bytes), read without stopping the world.
func goMemoryBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// write writes the server's families, each with HELP and TYPE, in the
// Prometheus text format.
func (m *serverMetrics) write(w io.Writer) {
	writeFamily(w, "heimnetz_server_requests_total", "counter",
		"HTTP requests served, by route and status code.", m.requests)
	m.durations.write(w)
	fmt.Fprintf(w, "# HELP heimnetz_server_active_connections Open client connections.\n"+
		"# TYPE heimnetz_server_active_connections gauge\nheimnetz_server_active_connections %d\n", m.activeConns.Load())
	fmt.Fprintf(w, "# HELP heimnetz_server_memory_usage_bytes Memory mapped by the Go runtime of the agent.\n"+
		"# TYPE heimnetz_server_memory_usage_bytes gauge\nheimnetz_server_memory_usage_bytes %d\n", goMemoryBytes())
}

var setBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeFamily writes HELP and TYPE for name and then the samples of set,
// which holds that one family only. Metadata lines the library may add
// (when vm.ExposeMetadata is on elsewhere in the process) are dropped so
// that each family has exactly one HELP and one TYPE.
func writeFamily(w io.Writer, name, typ, help string, set *vm.Set) {
	buf := setBufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer setBufPool.Put(buf)
	set.WritePrometheus(buf)
	if buf.Len() == 0 {
		return
	}
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	for line := range bytes.Lines(buf.Bytes()) {
		if line[0] == '#' {
			continue
		}
		w.Write(line)
	}
}

// finite returns v, or 0 for NaN and infinities, for chart input.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
