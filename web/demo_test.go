package web

import "time"

// fillDemoHistory gives the in-process backend an hour of varied history
// and a warning and a critical event, so that pages show full charts.
func fillDemoHistory(e *testEnv) {
	base := time.Now().Add(-time.Hour)
	for i := range 240 {
		e.b.mu.Lock()
		for j, name := range []string{"example-counter", "net", "system"} {
			p := e.b.plugins[name]
			p.CPUSeconds += 0.04 * float64(1+j) * (1 + 0.8*wave(i+7*j))
			p.MemoryBytes = uint64(float64(200<<10) * (1 + 0.3*float64(j) + 0.2*wave(i/3+j)))
		}
		e.b.overview.Interfaces[0].RxBytes += uint64(180_000 * (1.2 + wave(i)))
		e.b.overview.Interfaces[0].TxBytes += uint64(40_000 * (1.2 + wave(i+5)))
		e.b.overview.Interfaces[1].RxBytes += uint64(900_000 * (1.1 + wave(i/2)))
		e.b.overview.Interfaces[1].TxBytes += uint64(120_000 * (1.1 + wave(i/2+3)))
		e.b.overview.System.Load1 = 0.3 + 0.25*wave(i/4)
		ov := e.b.overview
		e.b.mu.Unlock()
		e.srv.history.add(sampleInput{
			now: base.Add(time.Duration(i) * 15 * time.Second), overview: ov, plugins: e.b.Plugins(),
			latMean: 0.0004 * (1.5 + wave(i/5)), latMax: 0.002, requests: uint64(30 + 10*wave(i)),
			goMemory: 9 << 20,
		})
	}
	e.b.mu.Lock()
	e.b.addEvent(EventTypeLoginFailed, SeverityWarning, "", "failed admin login from 192.168.1.23")
	e.b.addEvent("limit_exceeded", SeverityCritical, "net", `plugin "net": instruction limit exceeded (10000000)`)
	e.b.mu.Unlock()
}

// wave is a deterministic pseudo-random value in [-1, 1].
func wave(i int) float64 {
	x := uint32(i)*2654435761 ^ 0x5bd1e995
	x ^= x >> 13
	return float64(x%2001)/1000 - 1
}
