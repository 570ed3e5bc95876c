package leak

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

// FuzzTracker feeds arbitrary samples: run steps (0 repeats a run, a
// step of 255 goes back and resets), any byte counts, any thresholds.
// The tracker must not panic, must stay within its ring, and must report
// finite, non-negative growth and a Since that matches the verdict.
func FuzzTracker(f *testing.F) {
	f.Add(uint16(30), uint32(64<<10), []byte{1, 0, 0, 1, 0, 1, 0, 0, 2, 0})
	f.Add(uint16(10), uint32(1024), []byte{4, 0, 16, 0, 0, 4, 0, 32, 0, 0, 4, 0, 48, 0, 0, 255, 1, 0, 0, 0})
	f.Add(uint16(0), uint32(0), []byte{1, 255, 255, 255, 127, 1, 0, 0, 0, 128})
	f.Fuzz(func(t *testing.T, runs uint16, growth uint32, data []byte) {
		tr := NewTracker(Config{Runs: int(runs), MinGrowth: int64(growth)})
		var run uint64
		at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
		for len(data) >= 5 {
			step, bytes := data[0], int64(int32(binary.LittleEndian.Uint32(data[1:5])))
			data = data[5:]
			if step == 255 {
				run /= 2
			} else {
				run += uint64(step)
			}
			at = at.Add(time.Minute)
			started := tr.Add(run, bytes*64, at)
			if len(tr.ring) > ringSize || cap(tr.ring) > ringSize {
				t.Fatalf("ring holds %d (cap %d), bound %d", len(tr.ring), cap(tr.ring), ringSize)
			}
			r := tr.Report("p")
			if math.IsNaN(r.BytesPerRun) || math.IsInf(r.BytesPerRun, 0) || r.BytesPerRun < 0 || r.Runs < 0 {
				t.Fatalf("report %+v", r)
			}
			if r.Leaking == r.Since.IsZero() || started && !r.Since.Equal(at) {
				t.Fatalf("started %v, report %+v", started, r)
			}
		}
	})
}
