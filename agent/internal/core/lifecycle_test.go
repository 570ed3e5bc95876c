package core

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/web"
)

// TestRestartKeepsDisabled: a plugin disabled by the agent or an admin
// stays disabled when the agent starts again; at a start with a new
// version on disk, only the one the agent disabled runs again, with a
// plugin_enabled event naming both versions.
func TestRestartKeepsDisabled(t *testing.T) {
	for _, c := range []struct {
		name        string
		byAdmin     bool
		wantEnabled bool
	}{
		{"disabled after breaks", false, true},
		{"disabled by an admin", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, reason := disabledBreaker(t, c.byAdmin)

			h.setMode("breaker", "ok")
			h.restart()
			if d := h.view("breaker"); d.Enabled || d.DisabledReason != reason || d.Runs != 1 {
				t.Fatalf("after a restart: enabled=%v reason %q runs %d, want still disabled with %q after 1 run", d.Enabled, d.DisabledReason, d.Runs, reason)
			}
			if n := h.clk.Advance(10 * time.Second); n != 0 || h.record("breaker").Runs != 1 {
				t.Fatalf("a plugin disabled before the restart ran (%d runs due)", n)
			}
			h.wantMetric(`heimnetz_plugin_enabled{plugin="breaker"} 0`)

			h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.1"), breakerMain)
			h.restart()
			d := h.view("breaker")
			if d.Version != "1.0.1" || d.Enabled != c.wantEnabled {
				t.Fatalf("a start with version 1.0.1: enabled=%v (reason %q), want %v", d.Enabled, d.DisabledReason, c.wantEnabled)
			}
			evs := h.events(EvPluginEnabled, "breaker")
			if !c.wantEnabled {
				if len(evs) != 0 || d.DisabledReason != reason {
					t.Errorf("still disabled: reason %q, plugin_enabled events %+v", d.DisabledReason, evs)
				}
				return
			}
			if len(evs) != 1 || !strings.Contains(evs[0].Message, "version 1.0.1 replaces 1.0.0") {
				t.Errorf("plugin_enabled events %+v, want one saying version 1.0.1 replaces 1.0.0", evs)
			}
			h.runs("breaker", 2)
			h.wantMetric(`heimnetz_plugin_enabled{plugin="breaker"} 1`)
		})
	}
}

// TestBackendReadsWhileRunning reads every view the web server asks for
// while plugins run, reload, are disabled, enabled, installed and removed
// on another goroutine. Its assertions are the race detector's: run it
// with -race.
func TestBackendReadsWhileRunning(t *testing.T) {
	h, owner, _ := installHarness(t)
	h.writePlugin("ticker", tickerManifest, tickerMain)
	if err := h.reload("ticker"); err == nil {
		t.Fatal("reloading a plugin the manager does not know yet succeeded")
	}
	h.restart() // picks up ticker
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				h.b.Overview()
				for _, p := range h.b.Plugins() {
					if _, err := h.b.Plugin(p.Name); err != nil && !errors.Is(err, web.ErrNotFound) {
						t.Error(err)
					}
				}
				h.b.WriteMetrics(io.Discard)
				h.m.invalidateMetrics()
				if _, _, err := h.b.Events(web.EventQuery{Limit: 20}); err != nil {
					t.Error(err)
				}
				h.b.Settings()
			}
		})
	}
	for i := range 5 {
		h.clk.Advance(10 * time.Second)
		if err := h.b.ReloadPlugin("ticker"); err != nil {
			t.Error(err)
		}
		if err := h.b.DisablePlugin("ticker"); err != nil {
			t.Error(err)
		}
		if err := h.b.EnablePlugin("ticker"); err != nil {
			t.Error(err)
		}
		if _, err := h.b.InstallPlugin(pkg(t, "counter", fmt.Sprintf("1.0.%d", i), fmt.Sprintf(counterMain, "x"), &owner), web.InstallOptions{}); err != nil {
			t.Error(err)
		}
		if err := h.b.RemovePlugin("counter"); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	readers.Wait()
	if got := h.record("ticker"); !got.Enabled {
		t.Errorf("ticker after the churn: %+v", got)
	}
}

// TestLifecycleActionsConcurrently: admins enabling, disabling and
// reloading one plugin at once, while the fake clock drives its runs,
// leave it in one consistent state and, under -race, share no data
// unguarded (a reload used to swap the source while an enable started a
// loop that read it, and the plugin list sorted by it without its lock).
func TestLifecycleActionsConcurrently(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("ticker", tickerManifest, tickerMain)
	h.start()
	h.runs("ticker", 1)
	var wg sync.WaitGroup
	for _, act := range []func() error{
		func() error { return h.b.EnablePlugin("ticker") },
		func() error { return h.b.DisablePlugin("ticker") },
		func() error { return h.b.ReloadPlugin("ticker") },
		func() error { h.b.Plugins(); h.b.Overview(); return nil },
		func() error { h.clk.Advance(10 * time.Second); return nil },
	} {
		wg.Go(func() {
			for range 40 {
				// A reload that meets another reload is refused as busy.
				if err := act(); err != nil && !errors.Is(err, web.ErrConflict) {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// Stop whatever loop the churn left and drop the waits of the loops
	// it ended, so one enable leaves exactly one loop waiting.
	if err := h.b.DisablePlugin("ticker"); err != nil {
		t.Fatal(err)
	}
	h.clk.Forget(h.clk.Waiting())
	before := h.record("ticker").Runs
	if err := h.b.EnablePlugin("ticker"); err != nil {
		t.Fatal(err)
	}
	// A loop runs once as it starts: that run shows it is alive.
	waitFor(t, func() bool { return h.record("ticker").Runs > before }, "a run after the churn (it had %d)", before)
}
