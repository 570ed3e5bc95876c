package leak_test

import (
	"fmt"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/leak"
)

// A plugin that keeps 4 KiB more every run, sampled every 4th run as the
// agent recounts: flagged once its growth over 30 runs passes 64 KiB.
func ExampleTracker() {
	tr := leak.NewTracker(leak.DefaultConfig())
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for run := uint64(0); run <= 60; run += 4 {
		if tr.Add(run, 50_000+int64(run)*4096, at.Add(time.Duration(run)*time.Minute)) {
			r := tr.Report("leaky")
			fmt.Printf("run %d: leaking %v, %.0f bytes per run over %d runs\n", run, r.Leaking, r.BytesPerRun, r.Runs)
		}
	}
	// Output: run 32: leaking true, 4096 bytes per run over 32 runs
}
