package core

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
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
			h := newHarness(t, func(cfg *config.Config) { cfg.BreaksBeforeDisable = 1 })
			h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.0"), breakerMain)
			mode := byte('b')
			if c.byAdmin {
				mode = 'o'
			}
			h.setModeBeforeStart("breaker", mode)
			h.start()
			h.runs("breaker", 1)
			if c.byAdmin {
				if err := h.b.DisablePlugin("breaker"); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, func() bool { return !h.record("breaker").Enabled }, "the plugin to be disabled")
			reason := h.record("breaker").DisabledReason

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
