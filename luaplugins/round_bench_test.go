package luaplugins

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
)

// roundFixture is the board one collection round reads: an MT7621 router
// with DHCP leases, Wi-Fi stations and conntrack entries, so the client
// plugins have clients to report.
var roundFixture = filepath.Join("..", "board", "testdata", "openwrt-mt7621")

// roundClock is the plugins' clock in a round benchmark: a second passes
// between rounds, as it does at least between two collections in the
// agent, so the board's per-second read budget never runs dry.
type roundClock struct{ now time.Time }

func (c *roundClock) Now() time.Time { return c.now }
func (c *roundClock) tick()          { c.now = c.now.Add(time.Second) }

// loadRound loads every bundled plugin over the fixture board the way the
// agent does (one registry, one family table, clients hashed with a key)
// and runs each once, so a round measures steady state, not first calls.
//
// With dirFS the fixture is read as board.New reads a router's live "/"
// (board.NewDir: one open per file, plain system calls); without, as
// board.New reads any other tree (os.Root: one open per directory of the
// path, through os.File).
func loadRound(tb testing.TB, clock *roundClock, dirFS bool) []*Plugin {
	tb.Helper()
	// The path is relative to the package directory: a test binary run
	// from anywhere else would find no fixture and measure plugins that
	// report nothing, so that is an error, not a quiet figure.
	if _, err := os.Stat(filepath.Join(roundFixture, "proc", "stat")); err != nil {
		tb.Fatalf("fixture board not found (run the benchmark from luaplugins/): %v", err)
	}
	var b *board.Board
	if dirFS {
		b = board.NewDir(roundFixture)
	} else {
		var err error
		if b, err = board.New(roundFixture); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Cleanup(func() { b.Close() })
	// The board's read cache counts the seconds of the plugins' clock, so
	// each round reads its shared sources afresh, as a round does in the
	// agent, rather than once for every round run in the same second.
	b.SetClock(clock.Now)
	reg := NewRegistry()
	srcs, errs := ReadBundled(reg, limits.Ceilings())
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	// The round measures CPU time. On a loaded machine the scheduler can
	// hold the thread past a plugin's wall-time limit (500 ms for some),
	// which would end a long benchmark with a limit break that says
	// nothing about the plugins' cost.
	for _, src := range srcs {
		src.Manifest.Limits.Timeout = 30 * time.Second
	}
	env := Env{
		Registry: reg, Families: NewFamilies(), Board: b, RequireCollect: true,
		Identity: Identity{Key: []byte("0123456789abcdef0123456789abcdef")},
		Log:      LogFunc(func(string, string, string) {}),
	}
	var ps []*Plugin
	for _, src := range srcs {
		env.KV = &memKV{m: map[string]string{}}
		p, _, err := Load(src, env)
		if err != nil {
			tb.Fatalf("%s: %v", src.Name(), err)
		}
		tb.Cleanup(p.Close)
		p.host.Now = clock.Now
		if _, err := p.Collect(); err != nil {
			tb.Fatalf("%s: %v", src.Name(), err)
		}
		ps = append(ps, p)
	}
	return ps
}

// BenchmarkCollectRound is one collection round of every bundled plugin
// over the fixture board: each plugin's collect() once, in turn, on one
// thread. cpu-ms/round is that thread's CPU time (user + system, as
// Stats.CPU measures a plugin's share) divided by the rounds; ns/op is
// wall time. Run with -v to see each plugin's share: Stats.CPU, what
// its CPU share is charged for the call (limits.ThreadCPUTime, exact at
// every reading). The benchmark reads no clock of its own per plugin: a
// reading is a system call, 1-2 µs on a shared VM, 0.07 ms a round for
// two per plugin. Work a reader hands to
// another goroutine, such as a bounded statfs, is in neither figure.
// Numbers are quoted in the README ("Cost on a router"), not asserted.
//
// open=path reads the fixture as the agent reads a router's "/",
// open=root as it reads a fixture tree (and read "/" before).
func BenchmarkCollectRound(b *testing.B) {
	b.Run("open=path", func(b *testing.B) { benchmarkCollectRound(b, true) })
	b.Run("open=root", func(b *testing.B) { benchmarkCollectRound(b, false) })
}

func benchmarkCollectRound(b *testing.B, dirFS bool) {
	clock := &roundClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	ps := loadRound(b, clock, dirFS)
	per := make([]time.Duration, len(ps))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, err := limits.ThreadCPUTime()
	if err != nil {
		b.Skip("no per-thread CPU time here:", err)
	}
	for i := 0; i < b.N; i++ {
		clock.tick()
		for j, p := range ps {
			st, err := p.Collect()
			if err != nil {
				b.Fatalf("%s: %v", p.Name(), err)
			}
			per[j] += st.CPU
		}
	}
	cpu1, _ := limits.ThreadCPUTime()
	b.StopTimer()
	b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1e6, "cpu-ms/round")
	b.ReportMetric(float64(len(ps)), "plugins")
	if testing.Verbose() {
		order := make([]int, len(ps))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(x, y int) bool { return per[order[x]] > per[order[y]] })
		for _, j := range order {
			b.Logf("%-16s %7.1f µs CPU/collect", ps[j].Name(), float64(per[j])/float64(b.N)/1e3)
		}
	}
}

// TestCollectRoundLoads keeps the benchmark's set-up honest under plain
// go test: every bundled plugin loads over the fixture and reports series.
func TestCollectRoundLoads(t *testing.T) {
	ps := loadRound(t, &roundClock{now: time.Now()}, false)
	if len(ps) != len(BundledNames()) {
		t.Fatalf("loaded %d plugins, %d are bundled", len(ps), len(BundledNames()))
	}
	// Nothing to report here: the demo counter counts calls only from its
	// second on, and the MT7621 has no thermal zone (its sensor is hwmon).
	quiet := map[string]bool{"example-counter": true, "thermal": true}
	for _, p := range ps {
		if !quiet[p.Name()] && p.Metrics().Series() == 0 {
			t.Errorf("%s: no series over the fixture board", p.Name())
		}
	}
}
