package web

import (
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// latencyHistogram is heimnetz_server_request_duration_seconds: a
// Prometheus histogram with fixed buckets per route, lock-free to update
// and written with precomputed line prefixes. It replaces the library's
// PrometheusHistogram, which takes a mutex per observation and formats
// every bucket's labels with fmt.Sprintf on each scrape (60 % of a
// /metrics request in BenchmarkMetrics).
type latencyHistogram struct {
	counts [numRoutes][len(latencyBuckets) + 1]atomic.Uint64 // per bucket, not cumulative; last is +Inf
	nanos  [numRoutes]atomic.Uint64
	used   [numRoutes]atomic.Bool
}

const latencyFamily = "heimnetz_server_request_duration_seconds"

// latencyLineCache holds, per route, the sample names written for it: one
// per bucket including +Inf, then _sum and _count, each ending in a space.
// They are built the first time a route is written, so routes never
// requested cost no memory (all of them together would be ~47 KB of heap
// from start-up on).
var latencyLineCache [numRoutes]atomic.Pointer[[]string]

// latencyLines returns the sample names of route r.
func latencyLines(r route) []string {
	if p := latencyLineCache[r].Load(); p != nil {
		return *p
	}
	lbl := `{route="` + r.String() + `",le="`
	out := make([]string, 0, len(latencyBuckets)+3)
	for _, ub := range latencyBuckets {
		out = append(out, latencyFamily+"_bucket"+lbl+strconv.FormatFloat(ub, 'g', -1, 64)+`"} `)
	}
	out = append(out, latencyFamily+"_bucket"+lbl+`+Inf"} `,
		latencyFamily+`_sum{route="`+r.String()+`"} `,
		latencyFamily+`_count{route="`+r.String()+`"} `)
	// Two writers may build the lines at once; either result is the same.
	latencyLineCache[r].Store(&out)
	return out
}

func (h *latencyHistogram) observe(r route, d time.Duration) {
	s := d.Seconds()
	i := 0
	for i < len(latencyBuckets) && s > latencyBuckets[i] {
		i++
	}
	h.counts[r][i].Add(1)
	h.nanos[r].Add(uint64(max(d, 0)))
	if !h.used[r].Load() {
		h.used[r].Store(true)
	}
}

// write writes the family with HELP and TYPE; routes never seen are left
// out. Concurrent observations may land between buckets of one scrape,
// which Prometheus tolerates as it does for any lock-free histogram.
func (h *latencyHistogram) write(w io.Writer) {
	bp := latencyBufPool.Get().(*[]byte)
	defer latencyBufPool.Put(bp)
	buf := (*bp)[:0]
	buf = append(buf, "# HELP "+latencyFamily+" Time from reading a request to handing its response to the network, by route.\n"+
		"# TYPE "+latencyFamily+" histogram\n"...)
	any := false
	for r := range numRoutes {
		if !h.used[r].Load() {
			continue
		}
		any = true
		lines := latencyLines(route(r))
		var cum uint64
		for i := range len(latencyBuckets) + 1 {
			cum += h.counts[r][i].Load()
			buf = append(buf, lines[i]...)
			buf = strconv.AppendUint(buf, cum, 10)
			buf = append(buf, '\n')
		}
		buf = append(buf, lines[len(lines)-2]...)
		buf = strconv.AppendFloat(buf, float64(h.nanos[r].Load())/1e9, 'g', -1, 64)
		buf = append(buf, '\n')
		buf = append(buf, lines[len(lines)-1]...)
		buf = strconv.AppendUint(buf, cum, 10)
		buf = append(buf, '\n')
	}
	if any {
		w.Write(buf)
	}
	*bp = buf
}

var latencyBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
