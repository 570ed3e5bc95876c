package core

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/web"
)

// TestConfigTurnsPluginOff: a plugin the config turns off shows as
// disabled with the config as the reason, never runs however long the
// clock goes, raises no alert (it is the owner's choice), is not enabled
// by an admin over the API (the config wins; the error names the
// setting), and keeps its own record enabled, so removing the switch
// brings it back without an admin.
func TestConfigTurnsPluginOff(t *testing.T) {
	off := false
	h := newHarness(t, func(c *config.Config) {
		c.Plugins = map[string]config.PluginSwitch{"quiet": {Enabled: &off}}
	})
	h.writePlugin("quiet", tickerManifest, tickerMain)
	h.writePlugin("ticker", tickerManifest, tickerMain)
	h.start()
	h.runs("ticker", 1)
	for range 3 {
		h.next("ticker", 10*time.Second)
	}
	if got := h.record("quiet").Runs; got != 0 {
		t.Errorf("the plugin turned off in the config ran %d times", got)
	}
	d := h.view("quiet")
	if d.Enabled || d.State != web.StateDisabled || d.DisabledReason != "disabled in the config" {
		t.Errorf("API shows enabled=%v state=%q reason=%q, want disabled by the config", d.Enabled, d.State, d.DisabledReason)
	}
	for _, a := range h.b.Overview().Alerts {
		if a.Source == "quiet" {
			t.Errorf("a plugin the owner turned off raises an alert: %+v", a)
		}
	}
	h.wantMetric(`heimnetz_plugin_enabled{plugin="quiet"} 0`)
	h.wantMetric(`heimnetz_plugin_enabled{plugin="ticker"} 1`)

	err := h.b.EnablePlugin("quiet")
	if !errors.Is(err, web.ErrConfig) || !strings.Contains(err.Error(), "plugins.quiet.enabled") {
		t.Errorf("enabling a plugin the config turned off: %v, want web.ErrConfig naming plugins.quiet.enabled", err)
	}
	h.clk.Blocked(t, 1)
	h.clk.Advance(time.Hour)
	if got := h.record("quiet").Runs; got != 0 {
		t.Errorf("after an admin's enable the plugin turned off in the config ran %d times", got)
	}
	if !h.record("quiet").Enabled {
		t.Error("the config's switch was written into the plugin's stored record")
	}
	if err := h.reload("quiet"); err != nil {
		t.Fatal(err)
	}
	if got := h.view("quiet"); got.Enabled || got.State != web.StateDisabled {
		t.Errorf("a reload started the plugin the config turned off: enabled=%v state=%q", got.Enabled, got.State)
	}

	h.cfg.Plugins = nil
	h.restart()
	h.runs("quiet", 1)
	if d := h.view("quiet"); !d.Enabled || d.DisabledReason != "" {
		t.Errorf("without the switch: enabled=%v reason=%q", d.Enabled, d.DisabledReason)
	}
}

// TestConfigInterval: the config's interval replaces the manifest's for
// the schedule, the API and the plugin page; a switch that only sets an
// interval leaves the plugin on, and a switch for a plugin no one has
// keeps nothing from starting.
func TestConfigInterval(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Plugins = map[string]config.PluginSwitch{
			"ticker":     {Interval: config.Duration(30 * time.Second)},
			"not-here-1": {Interval: config.Duration(time.Minute)},
		}
	})
	h.writePlugin("ticker", tickerManifest, tickerMain) // manifest: 10s
	h.start()
	h.runs("ticker", 1)
	h.clk.Blocked(t, 1)
	if n := h.clk.Advance(29 * time.Second); n != 0 {
		t.Fatalf("29s of the config's 30s interval (the manifest's 10s) started %d runs", n)
	}
	h.next("ticker", time.Second)
	h.next("ticker", 30*time.Second)
	d := h.view("ticker")
	if d.IntervalSeconds != 30 || !d.Enabled {
		t.Errorf("API shows interval %vs enabled=%v, want 30s and on", d.IntervalSeconds, d.Enabled)
	}
	if len(d.Extra) == 0 || d.Extra[0].Key != "interval" || !strings.HasPrefix(d.Extra[0].Value, "30s (the config's") {
		t.Errorf("plugin page's interval: %+v", d.Extra)
	}
	if _, err := h.m.get("not-here-1"); err == nil {
		t.Error("a switch for a plugin no one has made a plugin")
	}
}

// TestConfigSwitchForNoPluginWarns: a switch naming no plugin is not an
// error (the plugin may come later) but is logged once at start as a
// warning naming it; one naming a loaded plugin is not.
func TestConfigSwitchForNoPluginWarns(t *testing.T) {
	off := false
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.PluginsDir = t.TempDir()
	cfg.NoBundled = true
	cfg.Plugins = map[string]config.PluginSwitch{"gone-plugin": {Enabled: &off}}
	var logs lockedBuffer
	m, db := settingsManager(t, cfg.StoreOptions(), cfg, &logs)
	defer db.Close()
	if err := m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	text := logs.String()
	if n := strings.Count(text, "level=WARN msg=\"config plugins: no plugin has this name"); n != 1 || !strings.Contains(text, "plugin=gone-plugin") {
		t.Errorf("want one warning naming gone-plugin, log:\n%s", text)
	}
}

// TestConfigSwitchesBundled: the switches apply to bundled plugins by
// their names: cpu turned off exports nothing, loadavg runs at the
// config's interval, the others as their manifests say.
func TestConfigSwitchesBundled(t *testing.T) {
	off := false
	h := newHarness(t, func(c *config.Config) {
		c.NoBundled = false
		c.Plugins = map[string]config.PluginSwitch{
			"cpu":     {Enabled: &off},
			"loadavg": {Interval: config.Duration(2 * time.Minute)},
		}
	})
	h.start()
	h.runs("loadavg", 1)
	h.runs("meminfo", 1)
	if d := h.view("cpu"); d.Enabled || d.DisabledReason != "disabled in the config" || d.Runs != 0 {
		t.Errorf("bundled cpu: enabled=%v reason=%q runs=%d", d.Enabled, d.DisabledReason, d.Runs)
	}
	if strings.Contains(h.metrics(), "node_cpu_seconds_total") {
		t.Error("cpu turned off in the config exports node_cpu_seconds_total")
	}
	if d := h.view("loadavg"); d.IntervalSeconds != 120 {
		t.Errorf("bundled loadavg runs every %vs, want the config's 120s", d.IntervalSeconds)
	}
	if d := h.view("meminfo"); d.IntervalSeconds != 15 {
		t.Errorf("bundled meminfo runs every %vs, want its manifest's 15s", d.IntervalSeconds)
	}
}
