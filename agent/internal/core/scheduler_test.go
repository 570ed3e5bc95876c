package core

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/promtool"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

const tickerManifest = "version: 1.0.0\ninterval: 10s\npermissions: [metrics]\n"

const tickerMain = `function collect() metrics.add("ticker_runs_total", 1) end`

// TestScheduleRunsOnClock: a plugin runs once when the manager starts and
// then once for every interval the clock moves; a part of an interval
// runs nothing, and a stopped manager runs nothing more.
func TestScheduleRunsOnClock(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("ticker", tickerManifest, tickerMain)
	h.start()
	h.runs("ticker", 1)
	for i := uint64(2); i <= 6; i++ {
		h.next("ticker", 10*time.Second)
		if got := h.record("ticker").Runs; got != i {
			t.Fatalf("after %d intervals: %d runs", i-1, got)
		}
	}
	h.clk.Blocked(t, 1)
	if n := h.clk.Advance(9 * time.Second); n != 0 {
		t.Fatalf("9s of a 10s interval started %d runs", n)
	}
	h.next("ticker", time.Second)
	d := h.view("ticker")
	if d.Runs != 7 || d.Errors != 0 || d.State != web.StateIdle || !d.Enabled {
		t.Errorf("after 7 runs the API shows runs=%d errors=%d state=%q enabled=%v", d.Runs, d.Errors, d.State, d.Enabled)
	}
	if want := h.clk.Now(); !d.LastRun.Equal(want) {
		t.Errorf("last run %v, want the fake clock's %v", d.LastRun, want)
	}
	h.wantMetric(`ticker_runs_total{plugin="ticker"} 7`)
	h.wantMetric(`heimnetz_plugin_executions_total{plugin="ticker",result="ok"} 7`)

	h.m.Stop()
	for range 3 {
		h.clk.Advance(time.Hour)
	}
	if got := h.record("ticker").Runs; got != 7 {
		t.Errorf("a stopped manager ran the plugin: %d runs, want 7", got)
	}
	if n := h.clk.Pending(); n != 0 {
		t.Errorf("a stopped manager still waits on the clock %d times", n)
	}
}

// TestStopInterruptsLongCall: Stop, and an admin's disable, end a call
// that would otherwise run for an hour, in collect() or in the top-level
// chunk a first run loads, and return; the interrupted call is not
// recorded as a run or a limit break, and nothing runs after.
func TestStopInterruptsLongCall(t *testing.T) {
	spinCollect := `function collect() local n = 0 while true do n = n + 1 end end`
	// A top-level chunk runs when the plugin is loaded, at its first run.
	spinLoad := "local n = 0 while true do n = n + 1 end\nfunction collect() end"
	for _, c := range []struct {
		name string
		main string
		stop func(h *harness) error
	}{
		{"Stop in collect()", spinCollect, func(h *harness) error { h.m.Stop(); return nil }},
		{"admin disable in collect()", spinCollect, func(h *harness) error { return h.b.DisablePlugin("spin") }},
		{"Stop in the top-level chunk", spinLoad, func(h *harness) error { h.m.Stop(); return nil }},
		{"admin disable in the top-level chunk", spinLoad, func(h *harness) error { return h.b.DisablePlugin("spin") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, func(c *config.Config) {
				c.Ceilings.Instructions = 1 << 50
				c.Ceilings.Timeout = config.Duration(time.Hour)
			})
			h.writePlugin("spin", "version: 1.0.0\ninterval: 10s\nlimits:\n  instructions: 1000000000000000\n  timeout: 1h\n", c.main)
			h.start()
			waitFor(t, func() bool {
				e, _ := h.m.get("spin")
				e.mu.Lock()
				defer e.mu.Unlock()
				return e.state == stateRunning && (c.main == spinLoad || e.plugin != nil)
			}, "the plugin to be running")
			stopped := make(chan error, 1)
			go func() { stopped <- c.stop(h) }()
			select {
			case err := <-stopped:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("no return within 20s while a plugin spins")
			}
			if r := h.record("spin"); r.Runs != 0 || r.ConsecutiveBreaks != 0 {
				t.Errorf("the interrupted call was recorded: %+v", r)
			}
			if evs := h.events(EvLimitBreak, "spin"); len(evs) != 0 {
				t.Errorf("the interrupted call was recorded as a limit break: %+v", evs)
			}
			h.clk.Advance(time.Hour)
			h.clk.Advance(time.Hour)
			if r := h.record("spin"); r.Runs != 0 {
				t.Errorf("the plugin ran again: %d runs", r.Runs)
			}
		})
	}
}

// breaker breaks its instruction limit unless its kv key "mode" is "ok".
const breakerManifest = "version: %s\ninterval: 10s\npermissions: [kv]\nlimits:\n  instructions: 100000\n"

const breakerMain = `function collect()
  if kv.get("mode") == "ok" then return end
  while true do end
end`

// setMode makes the breaker's next run break ("break") or succeed ("ok").
func (h *harness) setMode(name, mode string) {
	h.t.Helper()
	if err := h.kv(name).Set("mode", mode); err != nil {
		h.t.Fatal(err)
	}
}

// TestBreaksDisable: a plugin is disabled after exactly
// breaks_before_disable consecutive limit breaks, with the reason, a
// plugin_disabled event and heimnetz_plugin_enabled 0; a clean run in
// between starts the count again.
func TestBreaksDisable(t *testing.T) {
	for _, c := range []struct {
		name   string
		limit  int
		runs   string // one letter a run: b breaks, o succeeds
		breaks int    // consecutive breaks of the disabling run
	}{
		{"three in a row", 3, "bbb", 3},
		{"one disables at once", 1, "b", 1},
		{"a clean run resets the count", 3, "bbobbo" + "bbb", 3},
		{"five after clean runs", 5, "obbbbobbbbb", 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, func(cfg *config.Config) { cfg.BreaksBeforeDisable = c.limit })
			h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.0"), breakerMain)
			h.setModeBeforeStart("breaker", c.runs[0])
			h.start()
			streak := 0
			for i, r := range c.runs {
				if i > 0 {
					h.setMode("breaker", map[rune]string{'b': "break", 'o': "ok"}[r])
					h.next("breaker", 10*time.Second)
				} else {
					h.runs("breaker", 1)
				}
				if r == 'b' {
					streak++
				} else {
					streak = 0
				}
				rec := h.record("breaker")
				if rec.ConsecutiveBreaks != uint64(streak) {
					t.Fatalf("run %d (%c): %d consecutive breaks recorded, want %d", i+1, r, rec.ConsecutiveBreaks, streak)
				}
				if i < len(c.runs)-1 && streak >= c.limit {
					t.Fatalf("test table: run %d already reaches the limit", i+1)
				}
			}
			if streak != c.breaks {
				t.Fatalf("test table: the last run ends a streak of %d, want %d", streak, c.breaks)
			}
			// disable records its event just after the flag it sets.
			waitFor(t, func() bool { return !h.record("breaker").Enabled && len(h.events(EvPluginDisabled, "breaker")) > 0 }, "the plugin to be disabled")
			d := h.view("breaker")
			wantReason := fmt.Sprintf("disabled after %d limit breaks in a row; last: ", c.breaks)
			if d.Enabled || d.State != web.StateDisabled || !strings.HasPrefix(d.DisabledReason, wantReason) || !strings.Contains(d.DisabledReason, "instruction limit exceeded (100000)") {
				t.Errorf("API: enabled=%v state=%q reason=%q, want disabled with %q… naming the instruction limit", d.Enabled, d.State, d.DisabledReason, wantReason)
			}
			evs := h.events(EvPluginDisabled, "breaker")
			if len(evs) != 1 || evs[0].Severity != "high" || evs[0].Message != d.DisabledReason {
				t.Errorf("plugin_disabled events %+v, want one of severity high with the reason", evs)
			}
			if n := len(h.events(EvLimitBreak, "breaker")); n != strings.Count(c.runs, "b") {
				t.Errorf("%d limit_break events, want %d", n, strings.Count(c.runs, "b"))
			}
			h.wantMetric(`heimnetz_plugin_enabled{plugin="breaker"} 0`)
			h.wantMetric(fmt.Sprintf(`heimnetz_plugin_executions_total{plugin="breaker",result="limit"} %d`, strings.Count(c.runs, "b")))
			h.wantMetric(`heimnetz_plugin_limit_breaks_total{plugin="breaker",limit="instructions",cause="plugin"} ` + fmt.Sprint(strings.Count(c.runs, "b")))

			promtool.Check(t, h.metrics())

			// Disabled means nothing runs, however long the clock goes on.
			h.clk.Advance(time.Hour)
			h.clk.Advance(time.Hour)
			if got := h.record("breaker").Runs; got != uint64(len(c.runs)) {
				t.Errorf("a disabled plugin ran: %d runs, want %d", got, len(c.runs))
			}
		})
	}
}

// setModeBeforeStart stores the breaker's mode before its entry exists.
func (h *harness) setModeBeforeStart(name string, r byte) {
	h.t.Helper()
	mode := map[byte]string{'b': "break", 'o': "ok"}[r]
	if err := h.db.KV(name, store.DefaultQuota()).Set("mode", mode); err != nil {
		h.t.Fatal(err)
	}
}

// TestNewVersionReenables: a new version of a plugin the agent disabled
// after repeated breaks runs again; a plugin an admin disabled stays
// disabled whatever version comes.
func TestNewVersionReenables(t *testing.T) {
	for _, c := range []struct {
		name        string
		byAdmin     bool
		newVersion  string
		wantEnabled bool
	}{
		{"auto-disabled, new version", false, "1.1.0", true},
		{"auto-disabled, same version", false, "1.0.0", false},
		{"admin-disabled, new version", true, "1.1.0", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, reason := disabledBreaker(t, c.byAdmin)
			h.setMode("breaker", "ok")
			h.writePlugin("breaker", fmt.Sprintf(breakerManifest, c.newVersion), breakerMain)
			if err := h.reload("breaker"); err != nil {
				t.Fatal(err)
			}
			d := h.view("breaker")
			if d.Version != c.newVersion || d.Enabled != c.wantEnabled {
				t.Fatalf("after reload: version %s enabled=%v (reason %q), want %s enabled=%v", d.Version, d.Enabled, d.DisabledReason, c.newVersion, c.wantEnabled)
			}
			enabledEvents := h.events(EvPluginEnabled, "breaker")
			if !c.wantEnabled {
				if d.DisabledReason != reason || len(enabledEvents) != 0 {
					t.Errorf("still disabled: reason %q (was %q), plugin_enabled events %+v", d.DisabledReason, reason, enabledEvents)
				}
				return
			}
			if len(enabledEvents) != 1 || !strings.Contains(enabledEvents[0].Message, "1.1.0") {
				t.Errorf("plugin_enabled events %+v, want one naming version 1.1.0", enabledEvents)
			}
			h.runs("breaker", 2)
			if r := h.record("breaker"); r.LastError != "" || r.ConsecutiveBreaks != 0 {
				t.Errorf("the new version's run: %+v", r)
			}
			h.wantMetric(`heimnetz_plugin_enabled{plugin="breaker"} 1`)
		})
	}
}

// TestCPUThrottle: a plugin over its CPU share has its runs skipped
// (result="skipped"), with one cpu_throttled event for the whole episode,
// and runs again once the share has refilled on the clock.
func TestCPUThrottle(t *testing.T) {
	h := newHarness(t, nil)
	// 0.01 % of a core over a minute is 6 ms; the first run burns more
	// than that, the later ones almost nothing.
	h.writePlugin("hog", "version: 1.0.0\ninterval: 10s\npermissions: [metrics]\nlimits:\n  cpu: 0.01%\n  instructions: 50000000\n  timeout: 30s\n", `
local burned = false
function collect()
  if not burned then
    local s = 0
    for i = 1, 1000000 do s = s + i % 7 end
    burned = true
  end
  metrics.add("hog_runs_total", 1)
end`)
	h.start()
	h.runs("hog", 1)
	if cpu := h.view("hog").CPUSeconds; cpu <= 0.006 {
		t.Fatalf("the first run used %.4fs of CPU; the test needs more than the 6ms share", cpu)
	}
	for i := 1; i <= 3; i++ {
		h.clk.Blocked(t, 1)
		h.clk.Advance(10 * time.Second)
		h.clk.Blocked(t, 1)
		h.wantMetric(fmt.Sprintf(`heimnetz_plugin_executions_total{plugin="hog",result="skipped"} %d`, i))
	}
	if r := h.record("hog"); r.Runs != 1 {
		t.Errorf("a throttled plugin ran: %d runs", r.Runs)
	}
	evs := h.events(EvCPUThrottled, "hog")
	if len(evs) != 1 || evs[0].Severity != "warning" || !strings.Contains(evs[0].Message, "0.01% over 1m0s") {
		t.Errorf("cpu_throttled events %+v, want exactly one naming the share", evs)
	}
	if d := h.view("hog"); d.State != web.StateFailed || !strings.Contains(d.LastError, "runs skipped for") {
		t.Errorf("API while throttled: state %q, last error %q", d.State, d.LastError)
	}

	// Two days refill the bucket (48 h at 0.01 % is 17 s of CPU, more than
	// any first run takes): the due run happens (and, the schedule being
	// far behind, one more at once to catch up).
	h.clk.Advance(48 * time.Hour)
	h.clk.Blocked(t, 1)
	if r := h.record("hog"); r.Runs < 2 {
		t.Fatalf("after the share refilled: %d runs, want at least 2 (%s)", r.Runs, h.view("hog").LastError)
	}
	if d := h.view("hog"); d.State != web.StateIdle || d.LastError != "" {
		t.Errorf("API after the share refilled: state %q, last error %q", d.State, d.LastError)
	}
	h.wantMetric(`heimnetz_plugin_executions_total{plugin="hog",result="skipped"} 3`)
	if evs := h.events(EvCPUThrottled, "hog"); len(evs) != 1 {
		t.Errorf("%d cpu_throttled events after the refill, want still 1", len(evs))
	}
	promtool.Check(t, h.metrics())
}
