package luaplugins

import (
	"runtime"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// BenchmarkCollectCall is the fixed cost of one collect() call: each of
// the cheapest bundled plugins (a clock reading, a kv counter, a two-field
// board read) alone, in a loop, over the fixture board. cpu-µs/call is
// the thread's CPU time per call, as BenchmarkCollectRound measures it;
// most of it is what every call costs whatever the plugin does (limits
// armed and read, the CPU clock read twice, the recount every
// DefaultLiveEvery-th call).
func BenchmarkCollectCall(b *testing.B) {
	clock := &roundClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	cheap := map[string]bool{"time": true, "example-counter": true, "entropy": true}
	for _, p := range loadRound(b, clock, true) {
		if !cheap[p.Name()] {
			continue
		}
		b.Run(p.Name(), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ReportAllocs()
			cpu0, err := limits.ThreadCPUTime()
			if err != nil {
				b.Skip("no per-thread CPU time here:", err)
			}
			for i := 0; i < b.N; i++ {
				clock.tick()
				if _, err := p.Collect(); err != nil {
					b.Fatalf("%s: %v", p.Name(), err)
				}
			}
			cpu1, _ := limits.ThreadCPUTime()
			b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e3, "cpu-µs/call")
		})
	}
}
