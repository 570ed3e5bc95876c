package core

import (
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/leak"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
)

// bundledLeakRuns is how many runs TestLeakBundledNoFalseAlarm gives each
// bundled plugin (100 under the race detector, where 1000 take 11 s).
const bundledLeakRuns = 1000 / raceShortens

// TestLeakBundledNoFalseAlarm runs every bundled plugin 1000 times over
// the fixture board, directly (no scheduler, no clock), feeding its live
// memory into a tracker with the default thresholds as the agent does:
// none may be flagged. It logs each plugin's live memory range and its
// largest fitted growth, the margin below a false alarm.
func TestLeakBundledNoFalseAlarm(t *testing.T) {
	brd, err := board.New(fixtureBoard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { brd.Close() })
	db, err := store.Open(store.DefaultOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg := luaplugins.NewRegistry()
	srcs, errs := luaplugins.ReadBundled(reg, limits.Ceilings())
	if len(errs) > 0 || len(srcs) == 0 {
		t.Fatalf("bundled plugins: %d read, errors %v", len(srcs), errs)
	}
	env := luaplugins.Env{
		Registry: reg, Families: luaplugins.NewFamilies(), Board: brd, RequireCollect: true,
		Identity: luaplugins.Identity{Key: []byte("0123456789abcdef0123456789abcdef")},
		Log:      luaplugins.LogFunc(func(string, string, string) {}),
	}
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, src := range srcs {
		t.Run(src.Name(), func(t *testing.T) {
			env.KV = db.KV(src.Name(), store.QuotaFor(src.Manifest.Limits))
			p, _, err := luaplugins.Load(src, env)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			tr := leak.NewTracker(leak.DefaultConfig())
			var minLive, maxLive int64 = 1 << 62, 0
			maxRate, failed := 0.0, 0
			for run := 1; run <= bundledLeakRuns; run++ {
				if _, err := p.Collect(); err != nil {
					// example-counter's kv writes (120 a minute) run out
					// when 1000 runs take a second; its state goes on,
					// and so does its memory.
					if failed == 0 {
						t.Logf("run %d: %v", run, err)
					}
					failed++
				}
				live, n := p.LiveMemory()
				minLive, maxLive = min(minLive, live), max(maxLive, live)
				if tr.Add(n, live, at.Add(time.Duration(run)*time.Second)) {
					t.Fatalf("flagged at run %d: %+v", run, tr.Report(src.Name()))
				}
				maxRate = max(maxRate, tr.Report(src.Name()).BytesPerRun)
			}
			t.Logf("live %d..%d bytes, largest fitted growth %.1f B/run, %d failed runs", minLive, maxLive, maxRate, failed)
			if r := tr.Report(src.Name()); r.Leaking || r.Runs < min(leak.DefaultRuns, bundledLeakRuns) {
				t.Errorf("after %d runs: %+v", bundledLeakRuns, r)
			}
		})
	}
}
