package leak

import (
	"testing"
	"time"
)

// BenchmarkTrackerAdd is the cost of one sample into a full tracker (a
// ring of 32, two fits): the agent adds one per plugin every 4th run.
func BenchmarkTrackerAdd(b *testing.B) {
	tr := NewTracker(DefaultConfig())
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	run := uint64(0)
	for ; run < 4*ringSize; run += 4 {
		tr.Add(run, base+int64(run*2654435761%4096), at)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run += 4
		tr.Add(run, base+int64(run*2654435761%4096), at)
	}
}
