package luaplugins

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// BenchmarkRecount is the cost of one recount (a walk of everything a
// state can reach) of each bundled plugin after a collection over the
// fixture board, with the live bytes it found.
func BenchmarkRecount(b *testing.B) {
	clock := &roundClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	for _, p := range loadRound(b, clock, true) {
		b.Run(p.Name(), func(b *testing.B) {
			var live int64
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				live = p.meter.Recount(p.L)
			}
			b.ReportMetric(float64(live), "live-bytes")
		})
	}
}

// BenchmarkCollectRoundLive is BenchmarkCollectRound's round (open=path)
// with the live-memory recount after every n-th collect() of each plugin:
// every=0 never (only the recount after Load), every=1 after each.
// cpu-ms/round is comparable with BenchmarkCollectRound's.
func BenchmarkCollectRoundLive(b *testing.B) {
	for _, every := range []uint64{0, DefaultLiveEvery, 1} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			clock := &roundClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
			ps := loadRound(b, clock, true)
			for _, p := range ps {
				p.live.every = every
				if every == 0 {
					p.live.every = math.MaxUint64
				}
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, err := limits.ThreadCPUTime()
			if err != nil {
				b.Skip("no per-thread CPU time here:", err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				clock.tick()
				for _, p := range ps {
					if _, err := p.Collect(); err != nil {
						b.Fatalf("%s: %v", p.Name(), err)
					}
				}
			}
			cpu1, _ := limits.ThreadCPUTime()
			b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6, "cpu-ms/round")
		})
	}
}
