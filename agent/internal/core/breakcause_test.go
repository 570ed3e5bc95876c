package core

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

func TestBreakCause(t *testing.T) {
	ms := time.Millisecond
	timeout := &limits.Violation{Kind: limits.ErrTimeout, Limit: "500ms"}
	for _, c := range []struct {
		name     string
		v        *limits.Violation
		cpu      time.Duration
		host     time.Duration
		wall     time.Duration
		okOwn    time.Duration
		cpuKnown bool
		want     string
	}{
		{"starved collector", timeout, 40 * ms, 2 * ms, 500 * ms, 30 * ms, true, causeLoad},
		{"no CPU at all", timeout, 0, 0, 500 * ms, 30 * ms, true, causeLoad},
		{"busy loop on a core", timeout, 480 * ms, 0, 500 * ms, 30 * ms, true, causePlugin},
		{"a quarter is its own", timeout, 125 * ms, 0, 500 * ms, 100 * ms, true, causePlugin},
		{"blocked in its own host calls", timeout, 10 * ms, 400 * ms, 500 * ms, 300 * ms, true, causePlugin},
		{"host time and CPU add up", timeout, 70 * ms, 60 * ms, 500 * ms, 100 * ms, true, causePlugin},
		{"never finished a call", timeout, 40 * ms, 0, 500 * ms, 0, true, causePlugin},
		{"more than twice a good call", timeout, 61 * ms, 0, 500 * ms, 30 * ms, true, causePlugin},
		{"twice a good call", timeout, 60 * ms, 0, 500 * ms, 30 * ms, true, causeLoad},
		{"CPU time not readable", timeout, 0, 0, 500 * ms, 30 * ms, false, causePlugin},
		{"instructions", &limits.Violation{Kind: limits.ErrInstructions}, 1 * ms, 0, 500 * ms, 30 * ms, true, causePlugin},
		{"memory", &limits.Violation{Kind: limits.ErrMemory}, 1 * ms, 0, 500 * ms, 30 * ms, true, causePlugin},
		{"depth", &limits.Violation{Kind: limits.ErrDepth}, 1 * ms, 0, 500 * ms, 30 * ms, true, causePlugin},
	} {
		t.Run(c.name, func(t *testing.T) {
			var u callUse
			u.add(&luaplugins.Stats{CPU: c.cpu, Duration: c.wall}, c.host)
			if got := breakCause(c.v, &u, c.okOwn, c.cpuKnown); got != c.want {
				t.Errorf("breakCause = %s, want %s", got, c.want)
			}
		})
	}
}

func TestCallUsePeak(t *testing.T) {
	var u callUse
	u.add(&luaplugins.Stats{CPU: 30 * time.Millisecond, Duration: time.Second}, 5*time.Millisecond) // the load
	u.add(&luaplugins.Stats{CPU: 10 * time.Millisecond, Duration: 20 * time.Millisecond}, 0)        // collect
	if u.peak != 35*time.Millisecond || u.own() != 10*time.Millisecond || u.last.Duration != 20*time.Millisecond {
		t.Errorf("peak %v own %v last %v: want 35ms, 10ms, the collect call", u.peak, u.own(), u.last.Duration)
	}
}

// timeoutBreak is a wall-time break of plugin as luaplugins reports it.
func timeoutBreak(plugin string) error {
	return &limits.Violation{Plugin: plugin, Kind: limits.ErrTimeout, Limit: "500ms"}
}

// TestLoadBreaksNotCounted drives the break accounting with the figures
// of a starved call and of a busy one: a plugin whose wall-time breaks
// are load is ended every time (the break is recorded, an event and a
// cause="load" series) but not disabled after ten, and load breaks
// neither add to nor end a streak of its own breaks.
func TestLoadBreaksNotCounted(t *testing.T) {
	h := newHarness(t, nil) // breaks_before_disable: the default 3
	h.writePlugin("netstat", "version: 1.0.0\ninterval: 10s\nlimits: {timeout: 500ms}\n", "function collect() end")
	h.start()
	h.runs("netstat", 1)
	e, err := h.m.get("netstat")
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.okOwn = 30 * time.Millisecond // its successful calls take 30 ms of CPU
	e.mu.Unlock()
	starved := func() *callUse {
		var u callUse
		u.add(&luaplugins.Stats{CPU: 40 * time.Millisecond, Duration: 500 * time.Millisecond}, 2*time.Millisecond)
		return &u
	}
	busy := func() *callUse {
		var u callUse
		u.add(&luaplugins.Stats{CPU: 490 * time.Millisecond, Duration: 500 * time.Millisecond}, 0)
		return &u
	}
	for range 6 {
		e.record(&luaplugins.Stats{}, timeoutBreak("netstat"), starved())
	}
	rec := h.record("netstat")
	if !rec.Enabled || rec.ConsecutiveBreaks != 0 || !strings.Contains(rec.LastError, "under load: 40ms of CPU and 2ms in host calls in 500ms") {
		t.Fatalf("after 6 load breaks: enabled %v, %d breaks in a row, last error %q; want enabled, 0, the load named", rec.Enabled, rec.ConsecutiveBreaks, rec.LastError)
	}
	evs := h.events(EvLimitBreak, "netstat")
	if len(evs) != 6 || !strings.Contains(evs[5].Message, "time limit exceeded (500ms) under load") || evs[5].Severity != "info" {
		t.Fatalf("want 6 limit_break events of severity info naming the load, got %d: %+v", len(evs), evs)
	}
	h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="netstat",limit="timeout",cause="load"} 6`)
	h.wantMetric(`heimnetz_plugin_executions_total{plugin="netstat",result="limit"} 6`)
	e.mu.Lock()
	alertBreaks := e.breaks
	e.mu.Unlock()
	if alertBreaks != 0 {
		t.Errorf("%d breaks counted for PluginLimitBreaks, want 0", alertBreaks)
	}

	// Its own breaks count, and load breaks between them do not break
	// the streak: own, load, own, load, own disables.
	for i, u := range []*callUse{busy(), starved(), busy(), starved(), busy()} {
		e.record(&luaplugins.Stats{}, timeoutBreak("netstat"), u)
		if want := uint64(i/2 + 1); h.record("netstat").ConsecutiveBreaks != want {
			t.Fatalf("break %d: %d in a row, want %d", i+1, h.record("netstat").ConsecutiveBreaks, want)
		}
	}
	waitFor(t, func() bool { return !h.record("netstat").Enabled }, "netstat to be disabled")
	if r := h.record("netstat").DisabledReason; !strings.HasPrefix(r, "disabled after 3 limit breaks in a row") {
		t.Errorf("disabled reason %q", r)
	}
	h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="netstat",limit="timeout",cause="plugin"} 3`)
	h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="netstat",limit="timeout",cause="load"} 8`)
}

// TestLoadBreaksBounded: at most maxLoadRuns of a plugin's last 16 runs
// are exempted as load. A plugin that set a high baseline with one heavy
// successful run and then keeps running into its time limit whenever the
// router is loaded has its further breaks counted, and is disabled.
func TestLoadBreaksBounded(t *testing.T) {
	h := newHarness(t, nil) // breaks_before_disable: the default 3
	h.writePlugin("sly", "version: 1.0.0\ninterval: 10s\nlimits: {timeout: 500ms}\n", "function collect() end")
	h.start()
	h.runs("sly", 1)
	e, err := h.m.get("sly")
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.okOwn = 490 * time.Millisecond // one successful run that used nearly its whole limit
	e.mu.Unlock()
	starved := func() *callUse {
		var u callUse
		u.add(&luaplugins.Stats{CPU: 100 * time.Millisecond, Duration: 500 * time.Millisecond}, 0)
		return &u
	}
	for i := range maxLoadRuns + 3 {
		if !h.record("sly").Enabled {
			t.Fatalf("disabled after %d breaks, want %d", i, maxLoadRuns+3)
		}
		e.record(&luaplugins.Stats{}, timeoutBreak("sly"), starved())
	}
	waitFor(t, func() bool { return !h.record("sly").Enabled }, "sly to be disabled")
	h.wantMetric(fmt.Sprintf(`heimnetz_plugin_limit_breaks_total{plugin="sly",limit="timeout",cause="load"} %d`, maxLoadRuns))
	h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="sly",limit="timeout",cause="plugin"} 3`)
}

// TestOkOwnDecays: successful runs set the baseline a load break is
// compared with; it follows them down slowly.
func TestOkOwnDecays(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("p", "version: 1.0.0\ninterval: 10s\n", "function collect() end")
	h.start()
	h.runs("p", 1)
	e, err := h.m.get("p")
	if err != nil {
		t.Fatal(err)
	}
	heavy := &callUse{peak: 160 * time.Millisecond}
	light := &callUse{peak: time.Millisecond}
	e.record(&luaplugins.Stats{}, nil, heavy)
	e.record(&luaplugins.Stats{}, nil, light)
	e.mu.Lock()
	got := e.okOwn
	e.mu.Unlock()
	if got != 150*time.Millisecond {
		t.Errorf("okOwn after a 160 ms and a 1 ms run: %v, want 150ms", got)
	}
}

// hog keeps n goroutines busy on Go's scheduler until the test ends,
// with GOMAXPROCS 1: a plugin call then gets about 1/(n+1) of a core,
// whatever else the machine runs (other load only lowers its share).
func hog(t *testing.T, n int) {
	prev := runtime.GOMAXPROCS(1)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for x := 0; !stop.Load(); x++ {
			}
		})
	}
	t.Cleanup(func() {
		stop.Store(true)
		wg.Wait()
		runtime.GOMAXPROCS(prev)
	})
}

// TestContendedPluginNotDisabled runs a plugin whose calls are starved
// of CPU by others (7 busy goroutines on one P): each call passes its
// wall time and is ended, as a break of load, and after maxLoadRuns of them the
// plugin is still enabled.
func TestContendedPluginNotDisabled(t *testing.T) {
	if !limitsCPUKnown() {
		t.Skip("thread CPU time is not readable here; no break is load")
	}
	h := newHarness(t, nil)
	h.writePlugin("starved", "version: 1.0.0\ninterval: 10s\nlimits: {timeout: 100ms, instructions: 100000000}\n",
		"function collect() local x = 0; for i = 1, 1e9 do x = x + i end end")
	h.start()
	e, err := h.m.get("starved")
	if err != nil {
		t.Fatal(err)
	}
	// As if its calls had been seen to finish in 50 ms of CPU.
	e.mu.Lock()
	e.okOwn = 50 * time.Millisecond
	e.mu.Unlock()
	hog(t, 7)
	h.runs("starved", 1)
	for range maxLoadRuns - 1 { // at most maxLoadRuns of 16 runs are exempted (TestLoadBreaksBounded)
		h.next("starved", 10*time.Second)
	}
	rec := h.record("starved")
	if !rec.Enabled || rec.ConsecutiveBreaks != 0 || rec.Errors != maxLoadRuns {
		t.Fatalf("after %d starved runs: %+v; want enabled, as many errors, none counted", maxLoadRuns, rec)
	}
	t.Logf("last run: %s", rec.LastError)
	h.wantMetric(fmt.Sprintf(`heimnetz_plugin_limit_breaks_total{plugin="starved",limit="timeout",cause="load"} %d`, maxLoadRuns))
	// The last run's event is recorded after its record is stored.
	waitFor(t, func() bool { return len(h.events(EvLimitBreak, "starved")) >= maxLoadRuns }, "%d limit_break events", maxLoadRuns)
	if evs := h.events(EvLimitBreak, "starved"); len(evs) != maxLoadRuns || !strings.Contains(evs[0].Message, "time limit exceeded (100ms) under load") {
		t.Errorf("limit_break events: %+v", evs)
	}
}

// TestBusyLoopDisabled: a busy loop with instructions to spare passes
// its wall time on CPU and is disabled after breaks_before_disable, on a
// loaded machine too: it never finished a call, so it has no baseline a
// break could be load against.
func TestBusyLoopDisabled(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("spin", "version: 1.0.0\ninterval: 10s\nlimits: {timeout: 100ms, instructions: 100000000}\n", "function collect() while true do end end")
	h.start()
	h.runs("spin", 1)
	h.next("spin", 10*time.Second)
	h.next("spin", 10*time.Second)
	waitFor(t, func() bool { return !h.record("spin").Enabled }, "spin to be disabled")
	if r := h.record("spin").DisabledReason; !strings.Contains(r, "disabled after 3 limit breaks in a row; last: plugin \"spin\": time limit exceeded (100ms)") {
		t.Errorf("disabled reason %q", r)
	}
	h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="spin",limit="timeout",cause="plugin"} 3`)
}

// slowKV is a kv store whose every call blocks for delay, as a write
// waiting for a slow flash would.
type slowKV struct{ delay time.Duration }

func (s slowKV) Get(string) (string, bool, error) { time.Sleep(s.delay); return "", false, nil }
func (s slowKV) Set(string, string) error         { time.Sleep(s.delay); return nil }
func (s slowKV) Delete(string) error              { time.Sleep(s.delay); return nil }
func (s slowKV) Keys() ([]string, error)          { time.Sleep(s.delay); return nil, nil }

// TestHostileBlockingHostCallCounts: a plugin that makes wall time
// without CPU by blocking in host calls of its own (kv calls in a loop
// against a slow store) is judged by that time: its break is its own,
// even with a baseline that would let a starved call off.
func TestHostileBlockingHostCallCounts(t *testing.T) {
	if !limitsCPUKnown() {
		t.Skip("thread CPU time is not readable here")
	}
	cfg := config.Default()
	ceilings, err := cfg.MaxLimits()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"sleeper/manifest.yml": {Data: []byte("name: sleeper\nversion: 1.0.0\ninterval: 10s\npermissions: [kv]\nlimits: {timeout: 100ms}\n")},
		"sleeper/main.lua":     {Data: []byte("function collect() while true do kv.get('x') end end")},
	}
	reg := luaplugins.NewRegistry()
	src, err := luaplugins.ReadDir(fsys, "sleeper", "test", reg, ceilings)
	if err != nil {
		t.Fatal(err)
	}
	m := &Manager{}
	var ht hostTime
	kv, brd, lg, rep := m.hostEnv(&ht, slowKV{delay: 2 * time.Millisecond})
	p, _, err := luaplugins.Load(src, luaplugins.Env{Registry: reg, KV: kv, Board: brd, Log: lg, Reporter: rep})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var u callUse
	h0 := ht.total()
	s, err := p.Collect()
	u.add(s, ht.total()-h0)
	v, ok := err.(*limits.Violation)
	if !ok || v.Kind != limits.ErrTimeout {
		t.Fatalf("collect: %v, want a wall-time break", err)
	}
	// The call overruns its 100 ms by up to 1024 VM instructions' worth
	// of kv calls: the VM looks at its stop flag that often.
	t.Logf("wall %v, CPU %v, in kv calls %v", s.Duration, s.CPU, u.host)
	if got := breakCause(v, &u, time.Second, true); got != causePlugin {
		t.Errorf("a call blocked in its own kv calls: cause %s, want %s (CPU %v, host %v, wall %v)", got, causePlugin, s.CPU, u.host, s.Duration)
	}
}

// limitsCPUKnown is whether this machine reads a thread's CPU time.
func limitsCPUKnown() bool {
	_, err := limits.ThreadCPUTime()
	return err == nil
}

// TestSlotWaitNotInWallTime: a run that waits for a run slot longer
// than its wall-time limit still has its whole limit once it runs.
func TestSlotWaitNotInWallTime(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("quick", "version: 1.0.0\ninterval: 10s\nlimits: {timeout: 300ms}\n", "function collect() end")
	h.m.runSlots.wait = time.Minute // it waits for the slots given back below
	slots := h.m.runSlots.slots
	for range cap(slots) {
		slots <- struct{}{}
	}
	h.start()
	// The first run waits for a slot: give the slots back after more
	// than its wall-time limit.
	time.Sleep(400 * time.Millisecond)
	if n := h.record("quick").Runs; n != 0 {
		t.Fatalf("the run did not wait for a slot: %d runs", n)
	}
	for range cap(slots) {
		<-slots
	}
	h.runs("quick", 1)
	if rec := h.record("quick"); rec.Errors != 0 || rec.LastError != "" {
		t.Errorf("a run that waited for its slot: %d errors, %q; want none", rec.Errors, rec.LastError)
	}
}
