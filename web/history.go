package web

import (
	"sync"
	"time"
)

const (
	maxHistoryPlugins    = 128
	maxHistoryInterfaces = 32
)

// ring is a fixed-size ring buffer of samples, oldest first.
type ring struct {
	vals  []float64
	start int
	n     int
}

func newRing(size int) *ring { return &ring{vals: make([]float64, size)} }

func (r *ring) push(v float64) {
	v = finite(v)
	if r.n < len(r.vals) {
		r.vals[(r.start+r.n)%len(r.vals)] = v
		r.n++
		return
	}
	r.vals[r.start] = v
	r.start = (r.start + 1) % len(r.vals)
}

// values returns a copy of the samples, oldest first.
func (r *ring) values() []float64 {
	out := make([]float64, r.n)
	for i := range r.n {
		out[i] = r.vals[(r.start+i)%len(r.vals)]
	}
	return out
}

func (r *ring) last() float64 {
	if r.n == 0 {
		return 0
	}
	return r.vals[(r.start+r.n-1)%len(r.vals)]
}

// PluginHistory is the chart history of one plugin.
type PluginHistory struct {
	CPUPercent  []float64 `json:"cpu_percent"`
	MemoryBytes []float64 `json:"memory_bytes"`
}

// InterfaceHistory is the chart history of one interface.
type InterfaceHistory struct {
	RxBytesPerSecond []float64 `json:"rx_bytes_per_second"`
	TxBytesPerSecond []float64 `json:"tx_bytes_per_second"`
}

// HistorySnapshot is the whole chart history, each series oldest first at
// IntervalSeconds spacing, the newest at Latest.
type HistorySnapshot struct {
	IntervalSeconds    float64                     `json:"interval_seconds"`
	Points             int                         `json:"points"`
	Latest             time.Time                   `json:"latest,omitzero"`
	LatencyMeanSeconds []float64                   `json:"latency_mean_seconds"`
	LatencyMaxSeconds  []float64                   `json:"latency_max_seconds"`
	RequestsPerSecond  []float64                   `json:"requests_per_second"`
	GoMemoryBytes      []float64                   `json:"go_memory_bytes"`
	Load1              []float64                   `json:"load1"`
	MemUsedBytes       []float64                   `json:"mem_used_bytes"`
	Plugins            map[string]PluginHistory    `json:"plugins"`
	Interfaces         map[string]InterfaceHistory `json:"interfaces"`
}

type pluginRings struct {
	cpu, mem *ring
	prevCPU  float64
}

type ifaceRings struct {
	rx, tx         *ring
	prevRx, prevTx uint64
}

// history keeps the bounded in-memory chart data: Points samples per
// series, one per interval. Plugins and interfaces that disappear are
// dropped, and their number is capped.
type history struct {
	mu       sync.Mutex
	points   int
	interval time.Duration
	last     time.Time

	latMean, latMax, reqRate, goMem, load1, memUsed *ring
	plugins                                         map[string]*pluginRings
	ifaces                                          map[string]*ifaceRings
}

func newHistory(points int, interval time.Duration) *history {
	return &history{
		points: points, interval: interval,
		latMean: newRing(points), latMax: newRing(points), reqRate: newRing(points),
		goMem: newRing(points), load1: newRing(points), memUsed: newRing(points),
		plugins: make(map[string]*pluginRings), ifaces: make(map[string]*ifaceRings),
	}
}

// sampleInput is what one history sample is made of.
type sampleInput struct {
	now             time.Time
	overview        Overview
	plugins         []PluginSummary
	latMean, latMax float64
	requests        uint64
	goMemory        uint64
}

// add records one sample. Rates (CPU %, bytes/s, requests/s) are computed
// against the previous sample; the first sample of a series records zero.
func (h *history) add(in sampleInput) {
	h.mu.Lock()
	defer h.mu.Unlock()
	dt := 0.0
	if !h.last.IsZero() {
		dt = in.now.Sub(h.last).Seconds()
	}
	h.last = in.now
	rate := func(delta float64) float64 {
		if dt <= 0 || delta < 0 {
			return 0
		}
		return delta / dt
	}
	h.latMean.push(in.latMean)
	h.latMax.push(in.latMax)
	h.reqRate.push(rate(float64(in.requests)))
	h.goMem.push(float64(in.goMemory))
	h.load1.push(in.overview.System.Load1)
	used := 0.0
	if s := in.overview.System; s.MemTotalBytes >= s.MemAvailableBytes {
		used = float64(s.MemTotalBytes - s.MemAvailableBytes)
	}
	h.memUsed.push(used)

	seen := make(map[string]bool, len(in.plugins))
	for _, p := range in.plugins {
		seen[p.Name] = true
		pr, ok := h.plugins[p.Name]
		if !ok {
			if len(h.plugins) >= maxHistoryPlugins {
				continue
			}
			pr = &pluginRings{cpu: newRing(h.points), mem: newRing(h.points), prevCPU: p.CPUSeconds}
			h.plugins[p.Name] = pr
			pr.cpu.push(0)
		} else {
			pr.cpu.push(100 * rate(p.CPUSeconds-pr.prevCPU))
			pr.prevCPU = p.CPUSeconds
		}
		pr.mem.push(float64(p.MemoryBytes))
	}
	for name := range h.plugins {
		if !seen[name] {
			delete(h.plugins, name)
		}
	}

	seen = make(map[string]bool, len(in.overview.Interfaces))
	for _, it := range in.overview.Interfaces {
		seen[it.Name] = true
		ir, ok := h.ifaces[it.Name]
		if !ok {
			if len(h.ifaces) >= maxHistoryInterfaces {
				continue
			}
			ir = &ifaceRings{rx: newRing(h.points), tx: newRing(h.points)}
			h.ifaces[it.Name] = ir
			ir.rx.push(0)
			ir.tx.push(0)
		} else {
			ir.rx.push(rate(counterDelta(ir.prevRx, it.RxBytes)))
			ir.tx.push(rate(counterDelta(ir.prevTx, it.TxBytes)))
		}
		ir.prevRx, ir.prevTx = it.RxBytes, it.TxBytes
	}
	for name := range h.ifaces {
		if !seen[name] {
			delete(h.ifaces, name)
		}
	}
}

// counterDelta is cur-prev, or -1 when the counter went backwards (a reset).
func counterDelta(prev, cur uint64) float64 {
	if cur < prev {
		return -1
	}
	return float64(cur - prev)
}

// snapshot copies the whole history.
func (h *history) snapshot() HistorySnapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := HistorySnapshot{
		IntervalSeconds:    h.interval.Seconds(),
		Points:             h.points,
		Latest:             h.last,
		LatencyMeanSeconds: h.latMean.values(),
		LatencyMaxSeconds:  h.latMax.values(),
		RequestsPerSecond:  h.reqRate.values(),
		GoMemoryBytes:      h.goMem.values(),
		Load1:              h.load1.values(),
		MemUsedBytes:       h.memUsed.values(),
		Plugins:            make(map[string]PluginHistory, len(h.plugins)),
		Interfaces:         make(map[string]InterfaceHistory, len(h.ifaces)),
	}
	for n, p := range h.plugins {
		s.Plugins[n] = PluginHistory{CPUPercent: p.cpu.values(), MemoryBytes: p.mem.values()}
	}
	for n, i := range h.ifaces {
		s.Interfaces[n] = InterfaceHistory{RxBytesPerSecond: i.rx.values(), TxBytesPerSecond: i.tx.values()}
	}
	return s
}

// plugin returns one plugin's history, if recorded.
func (h *history) plugin(name string) (PluginHistory, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.plugins[name]
	if !ok {
		return PluginHistory{}, false
	}
	return PluginHistory{CPUPercent: p.cpu.values(), MemoryBytes: p.mem.values()}, true
}

// sampleNow takes one history sample from the backend and the server's
// latency accumulators.
func (s *Server) sampleNow() {
	mean, mx, n := s.metrics.latencySample()
	now := s.now()
	net := s.b.Network()
	s.clients.add(now, &net)
	s.history.add(sampleInput{
		now:      now,
		overview: s.b.Overview(),
		plugins:  s.b.Plugins(),
		latMean:  mean,
		latMax:   mx,
		requests: n,
		goMemory: goMemoryBytes(),
	})
}

// startSampler samples the history now and then every HistoryInterval until
// Shutdown. Only the first call starts it.
func (s *Server) startSampler() {
	s.mu.Lock()
	if s.samplerStarted || s.closed {
		s.mu.Unlock()
		return
	}
	s.samplerStarted = true
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		s.sampleNow()
		t := time.NewTicker(s.cfg.HistoryInterval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sampleNow()
				s.noise.flush(false)
			}
		}
	}()
}
