package core

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
)

// wantHealth fails unless the backend's health reasons are exactly as
// many as want and each holds its part of want.
func wantHealth(t *testing.T, h *harness, step string, want ...string) {
	t.Helper()

	got := h.m.healthReasons()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.Contains(got[i], want[i])
	}
	if !ok {
		t.Errorf("%s: health reasons %q, want %q", step, got, want)
	}
	if err := h.m.health(); (err == nil) != (len(want) == 0) {
		t.Errorf("%s: Health() = %v", step, err)
	}
}

// stallHarness is a harness whose memory check sees nothing: the test
// process runs without the agent's memory limit and may be past it.
func stallHarness(t *testing.T, edit func(*config.Config)) *harness {
	h := newHarness(t, edit)
	h.m.memUsed = func() int64 { return 0 }
	return h
}

// TestHealthSchedulerStall: /healthz reports a plugin loop that makes no
// progress for three intervals plus twice its time limit, and only then:
// not with every plugin disabled, not while a run uses its time limit.
func TestHealthSchedulerStall(t *testing.T) {
	t.Run("no plugin enabled", func(t *testing.T) {
		h := stallHarness(t, nil)
		h.writePlugin("ticker", tickerManifest, tickerMain)
		h.start()
		h.runs("ticker", 1)
		h.clk.Blocked(t, 1)
		if err := h.b.DisablePlugin("ticker"); err != nil {
			t.Fatal(err)
		}
		h.clk.Advance(24 * time.Hour)
		wantHealth(t, h, "a day after the only plugin was disabled")
	})
	t.Run("loop stops waking", func(t *testing.T) {
		h := stallHarness(t, nil)
		h.writePlugin("ticker", tickerManifest, tickerMain)
		h.start()
		h.runs("ticker", 1)
		for range 10 {
			h.next("ticker", 10*time.Second)
			wantHealth(t, h, "running on time")
		}
		// The loop's wake-up is lost: it waits for ever, as a stuck loop.
		h.clk.Blocked(t, 1)
		h.clk.Forget(h.clk.Waiting())
		bound := 3*10*time.Second + 2*2*time.Second // default time limit 2 s
		h.clk.Advance(10*time.Second + bound)       // the next run was due 10 s on
		wantHealth(t, h, "at the bound")
		h.clk.Advance(time.Second)
		wantHealth(t, h, "past the bound", `scheduler stalled: plugin "ticker" 35s overdue (bound 34s)`)
	})
	t.Run("run within its time limit", func(t *testing.T) {
		h := stallHarness(t, func(c *config.Config) {
			c.Ceilings.Instructions = 1 << 50
			c.Ceilings.Timeout = config.Duration(time.Hour)
		})
		h.writePlugin("spin", "version: 1.0.0\ninterval: 10s\nlimits:\n  instructions: 1000000000000000\n  timeout: 1h\n",
			`function collect() local n = 0 while true do n = n + 1 end end`)
		h.start()
		waitFor(t, func() bool {
			e, _ := h.m.get("spin")
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.state == stateRunning && e.plugin != nil
		}, "the plugin to be running")
		h.clk.Advance(time.Hour)
		wantHealth(t, h, "an hour into a run allowed an hour")
		h.clk.Advance(time.Hour + 31*time.Second)
		wantHealth(t, h, "past twice its limit and three intervals", `scheduler stalled: plugin "spin"`)
	})
}

// TestHealthMemoryPastLimit: Go memory past memory_limit at every check
// for 30 s is a reason of its own, named with both figures; a moment past
// the soft limit is not; back under it, health returns.
func TestHealthMemoryPastLimit(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.MemoryLimit = 24 << 20 })
	h.start()
	used := int64(30 << 20)
	h.m.memUsed = func() int64 { return used }
	wantHealth(t, h, "first seen past the limit")
	h.clk.Advance(29 * time.Second)
	wantHealth(t, h, "29 s past the limit")
	used = 20 << 20
	wantHealth(t, h, "back under the limit")
	used = 30 << 20
	wantHealth(t, h, "past the limit again")
	h.clk.Advance(29 * time.Second)
	wantHealth(t, h, "29 s past it again")
	h.clk.Advance(time.Second)
	wantHealth(t, h, "30 s past it", "memory past its limit: 30.0 MiB used, memory_limit 24.0 MiB, for 30s")
	used = 24 << 20
	wantHealth(t, h, "at the limit")
	if got := goMemoryUsed(); got <= 0 || got > 1<<40 {
		t.Errorf("goMemoryUsed() = %d", got)
	}
}

// TestHealthWANProbeStall: the WAN probe's loop is checked like a
// plugin's: a round stuck past three intervals and its pings' time is
// a stall, a round within that is not.
func TestHealthWANProbeStall(t *testing.T) {
	h := stallHarness(t, nil)
	p := &wanProber{cfg: config.WANProbe{Target: "uplink.test", Interval: config.Duration(10 * time.Second), Count: 3, Timeout: config.Duration(time.Second)}, m: h.m}
	p.register(h.m.metrics)
	release := make(chan struct{})
	p.resolve = func(context.Context, string) (netip.Addr, error) { return netip.MustParseAddr("192.0.2.1"), nil }
	p.ping = func(ctx context.Context, _ netip.Addr, count int, _ time.Duration) (board.PingResult, error) {
		<-release // stuck, as a ping that never returns
		return board.PingResult{Sent: count}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	h.m.probe = p
	p.done.Add(1)
	go func() { defer p.done.Done(); p.loop(ctx) }()
	defer func() { close(release); cancel(); p.done.Wait() }()
	waitFor(t, func() bool { return p.roundStart.Load() != nil }, "the first round to start")
	h.clk.Advance(10*time.Second + 33*time.Second) // due + 3 intervals + 3 pings of 1 s
	wantHealth(t, h, "a round at its bound")
	h.clk.Advance(time.Second)
	wantHealth(t, h, "a round past its bound", "scheduler stalled: WAN probe 34s overdue (bound 33s)")
}
