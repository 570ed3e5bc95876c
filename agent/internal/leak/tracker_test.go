package leak

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// series is a plugin's live memory after each run.
type series func(run int, rng *rand.Rand) int64

const base = 60_000 // about what a bundled plugin holds

func flat(int, *rand.Rand) int64 { return base }

// noise is uniform in [-amp, amp].
func noise(rng *rand.Rand, amp int64) int64 { return rng.Int64N(2*amp+1) - amp }

// TestTracker feeds synthetic series with the default thresholds (a
// window of 30 runs, 64 KiB of growth) and checks when, if ever, each is
// flagged. every is how often a sample is taken, as the agent recounts
// every fourth run.
func TestTracker(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      series
		every  int
		runs   int
		within int  // flagged by this run; 0: never flagged
		end    bool // still flagged after the last run
		starts int  // times it was flagged
		rate   float64
	}{
		{name: "flat", s: flat, every: 4, runs: 1000},
		{name: "flat, every run", s: flat, every: 1, runs: 1000},
		{name: "flat with noise", every: 1, runs: 1000, s: func(_ int, rng *rand.Rand) int64 { return base + noise(rng, 4096) }},
		{name: "sawtooth garbage", every: 1, runs: 1000, s: func(r int, _ *rand.Rand) int64 { return base + int64(r%10)*50_000 }},
		{name: "sawtooth garbage, every 4th", every: 4, runs: 1000, s: func(r int, _ *rand.Rand) int64 { return base + int64(r%7)*50_000 }},
		{name: "warm-up then flat", every: 1, runs: 1000, s: func(r int, _ *rand.Rand) int64 { return base + int64(min(r, 20))*8192 }},
		{name: "warm-up then flat, every 4th", every: 4, runs: 1000, s: func(r int, _ *rand.Rand) int64 { return base + int64(min(r, 24))*6000 }},
		{name: "small growth", every: 1, runs: 1000, s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*32 }},
		{name: "shrinking", every: 1, runs: 300, s: func(r int, _ *rand.Rand) int64 { return base + 300*1024 - int64(r)*1024 }},
		{name: "slow leak", every: 4, runs: 1000, within: 80, end: true, starts: 1, rate: 1024,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*1024 }},
		{name: "leak 4 KiB a run", every: 4, runs: 1000, within: 40, end: true, starts: 1, rate: 4096,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*4096 }},
		{name: "fast leak", every: 1, runs: 300, within: 30, end: true, starts: 1, rate: 65536,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*65536 }},
		{name: "noisy leak", every: 4, runs: 1000, within: 80, end: true, starts: 1, rate: 4096,
			s: func(r int, rng *rand.Rand) int64 { return base + int64(r)*4096 + noise(rng, 16<<10) }},
		{name: "leak in steps", every: 1, runs: 1000, within: 60, end: true, starts: 1, rate: 4096,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(r/8)*32768 }},
		{name: "leak that stops", every: 4, runs: 1000, within: 40, starts: 1,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(min(r, 100))*8192 }},
		{name: "leak after a long flat start", every: 4, runs: 1000, within: 560, end: true, starts: 1, rate: 2048,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(max(r-500, 0))*2048 }},
		{name: "leak after 5000 flat runs", every: 4, runs: 6000, within: 5040, end: true, starts: 1, rate: 4096,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(max(r-5000, 0))*4096 }},
		{name: "very slow leak", every: 4, runs: 2000, within: 300, end: true, starts: 1, rate: 300,
			s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*300 }},
		// Below MinGrowth over the ring's span (256 runs with the
		// defaults): too slow to tell from a cache filling.
		{name: "leak too slow to flag", every: 4, runs: 2000, s: func(r int, _ *rand.Rand) int64 { return base + int64(r)*128 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			tr := NewTracker(DefaultConfig())
			start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
			flagged, starts := 0, 0
			var fed int64
			for r := 0; r <= tc.runs; r += tc.every {
				at := start.Add(time.Duration(r) * time.Minute)
				fed = tc.s(r, rng)
				if tr.Add(uint64(r), fed, at) {
					starts++
					if flagged == 0 {
						flagged = r
					}
					if rep := tr.Report("p"); !rep.Leaking || !rep.Since.Equal(at) {
						t.Errorf("run %d: started, but report %+v", r, rep)
					}
				}
			}
			rep := tr.Report("p")
			t.Logf("flagged at run %d, %d times; at the end %+v", flagged, starts, rep)
			switch {
			case tc.within == 0 && starts > 0:
				t.Errorf("flagged at run %d (%d times), want never; report %+v", flagged, starts, rep)
			case tc.within > 0 && (flagged == 0 || flagged > tc.within):
				t.Errorf("flagged at run %d, want by run %d; report %+v", flagged, tc.within, rep)
			case tc.within > 0 && starts != tc.starts:
				t.Errorf("flagged %d times, want %d", starts, tc.starts)
			}
			if rep.Leaking != tc.end {
				t.Errorf("after %d runs: %+v, want leaking %v", tc.runs, rep, tc.end)
			}
			if rep.Leaking && rep.Since.IsZero() || !rep.Leaking && !rep.Since.IsZero() {
				t.Errorf("since does not match the verdict: %+v", rep)
			}
			if rep.Plugin != "p" || rep.LiveBytes != fed {
				t.Errorf("report %+v, want plugin p and live bytes %d", rep, fed)
			}
			if tc.rate > 0 && math.Abs(rep.BytesPerRun-tc.rate) > tc.rate/10 {
				t.Errorf("BytesPerRun = %.0f, want %.0f ± 10%%", rep.BytesPerRun, tc.rate)
			}
			if rep.Runs < DefaultRuns {
				t.Errorf("fit over %d runs, want at least %d", rep.Runs, DefaultRuns)
			}
		})
	}
}
