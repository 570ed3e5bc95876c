package luaplugins

import (
	"errors"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// loadLive loads code as a plugin that recounts its live memory after
// every every-th collect().
func loadLive(t *testing.T, code string, every int) *Plugin {
	t.Helper()
	lim := limits.Defaults()
	lim.Timeout = 30 * time.Second
	src := &Source{Origin: "test", Main: []byte(code), Manifest: &Manifest{Name: "t", Version: "1.0.0", Interval: time.Minute, Limits: lim}}
	p, _, err := Load(src, Env{Log: &logRec{}, LiveEvery: every, RequireCollect: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// TestLiveMemory runs plugins that keep, drop or fail, recounting after
// every collect(), and checks that the live figure follows what the state
// keeps while the charge (PeakMemory) also counts the garbage.
func TestLiveMemory(t *testing.T) {
	for _, tc := range []struct {
		name       string
		code       string
		minGrowth  int64 // live bytes gained over runs 2..10, at least
		maxGrowth  int64 // and at most
		minGarbage int64 // PeakMemory above the live figure in the last run, at least
	}{
		{
			name:      "keeps 4 KiB a run",
			code:      `local keep = {} function collect() keep[#keep + 1] = string.rep("x", 4096) end`,
			minGrowth: 8 * 4096, maxGrowth: 8*4096 + 2048,
		},
		{
			name:      "builds and drops 2000 tables a run",
			code:      `function collect() local t = {} for i = 1, 2000 do t[i] = {i, tostring(i)} end end`,
			minGrowth: -64, maxGrowth: 64,
			minGarbage: 2000 * 96,
		},
		{
			name:      "keeps 1 KiB then raises an error",
			code:      `local keep = {} function collect() keep[#keep + 1] = string.rep("y", 1024) error("boom") end`,
			minGrowth: 8 * 1024, maxGrowth: 8*1024 + 1024,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := loadLive(t, tc.code, 1)
			var live [11]int64
			var last *Stats
			for run := 1; run <= 10; run++ {
				st, err := p.Collect()
				var lerr *Error
				if err != nil && !errors.As(err, &lerr) {
					t.Fatalf("run %d: %v", run, err)
				}
				bytes, at := p.LiveMemory()
				if at != uint64(run) || bytes != st.LiveMemory || bytes <= 0 {
					t.Fatalf("run %d: LiveMemory() = %d at run %d, Stats.LiveMemory %d", run, bytes, at, st.LiveMemory)
				}
				live[run], last = bytes, st
			}
			if g := live[10] - live[2]; g < tc.minGrowth || g > tc.maxGrowth {
				t.Errorf("live memory grew %d bytes over runs 2..10 (%v), want %d..%d", g, live[1:], tc.minGrowth, tc.maxGrowth)
			}
			if g := last.PeakMemory - last.LiveMemory; g < tc.minGarbage {
				t.Errorf("peak %d is %d above live %d, want at least %d", last.PeakMemory, g, last.LiveMemory, tc.minGarbage)
			}
			if got := p.MemoryInUse(); got != last.LiveMemory {
				t.Errorf("MemoryInUse() = %d after a recount, want the live %d", got, last.LiveMemory)
			}
		})
	}
}

// TestLiveMemoryEvery checks when recounts happen: after Load (run 0)
// and after every n-th collect(), the figure staying in between.
func TestLiveMemoryEvery(t *testing.T) {
	p := loadLive(t, `local keep = {} function collect() keep[#keep + 1] = {} end`, 0)
	if b, at := p.LiveMemory(); b <= 0 || at != 0 {
		t.Fatalf("after Load: LiveMemory() = %d at run %d, want > 0 at run 0", b, at)
	}
	for run := 1; run <= 2*DefaultLiveEvery+1; run++ {
		st, err := p.Collect()
		if err != nil {
			t.Fatal(err)
		}
		_, at := p.LiveMemory()
		want := uint64(run / DefaultLiveEvery * DefaultLiveEvery)
		if at != want {
			t.Errorf("run %d: last recount at run %d, want %d", run, at, want)
		}
		if recounted := st.LiveMemory != 0; recounted != (run%DefaultLiveEvery == 0) {
			t.Errorf("run %d: Stats.LiveMemory = %d", run, st.LiveMemory)
		}
	}
}

// TestLiveMemoryAfterBreak checks that a call that broke a limit does not
// recount: the state is to be thrown away, and the figure stays.
func TestLiveMemoryAfterBreak(t *testing.T) {
	p := loadLive(t, `function collect() while true do end end`, 1)
	before, _ := p.LiveMemory()
	st, err := p.Collect()
	var v *limits.Violation
	if !errors.As(err, &v) {
		t.Fatalf("err = %v, want a limit break", err)
	}
	if b, at := p.LiveMemory(); b != before || at != 0 || st.LiveMemory != 0 {
		t.Errorf("after a break: LiveMemory() = %d at run %d (Stats %d), want %d at run 0", b, at, st.LiveMemory, before)
	}
}
