package core

import (
	"fmt"
	"sort"

	"github.com/heimnetz/heimnetz/agent/internal/leak"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// EvLeak is the event of a plugin the leak detector starts to flag: once
// per episode, not for every run while it leaks.
const EvLeak = "leak"

// leakWatch is one plugin's leak detector; guarded by its entry's mu.
type leakWatch struct {
	tracker *leak.Tracker // nil until the plugin's first run
}

// watchLeak feeds the plugin's live memory after a run into its tracker;
// fresh says p was loaded for this run, so the samples of any earlier
// state are forgotten (a reload, an upgrade, a restart after a break or
// of the agent all load a new state). When the plugin starts being
// flagged, it records a leak event.
func (m *Manager) watchLeak(e *entry, p *luaplugins.Plugin, fresh bool) {
	bytes, run := p.LiveMemory()
	now := m.clock.Now()
	cfg := m.leakConfig()
	e.mu.Lock()
	w := &e.leak
	if w.tracker == nil {
		w.tracker = leak.NewTracker(cfg)
	}
	if fresh {
		w.tracker.Reset()
	}
	started := w.tracker.Add(run, bytes, now)
	r := w.tracker.Report(e.name)
	e.mu.Unlock()
	if started {
		m.sec.record(EvLeak, store.Warning, e.name, fmt.Sprintf(
			"live memory grows %s per run over %d runs, now %s (thresholds: %d runs, %s)",
			limits.FormatSize(int64(r.BytesPerRun)), r.Runs, limits.FormatSize(r.LiveBytes),
			cfg.Runs, limits.FormatSize(cfg.MinGrowth)))
	}
}

// leakConfig returns the detector's thresholds from the config.
func (m *Manager) leakConfig() leak.Config {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg.Leak.Detector()
}

// forgetLeak drops the plugin's samples and verdict: its state is gone
// (stopped, disabled, removed). Callers hold e.mu.
func (e *entry) forgetLeak() {
	if e.leak.tracker != nil {
		e.leak.tracker.Reset()
	}
}

// leakReport is the plugin's verdict; callers hold e.mu.
func (e *entry) leakReport() leak.Report {
	if e.leak.tracker == nil {
		return leak.Report{Plugin: e.name}
	}
	return e.leak.tracker.Report(e.name)
}

// LeakReports returns the leak detector's verdict on every plugin, sorted
// by name; a plugin that has not run since it was loaded has a report
// with nothing flagged.
func (m *Manager) LeakReports() []leak.Report {
	es := m.entries()
	out := make([]leak.Report, 0, len(es))
	for _, e := range es {
		e.mu.Lock()
		out = append(out, e.leakReport())
		e.mu.Unlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Plugin < out[j].Plugin })
	return out
}

// registerLeakMetrics adds the plugin's live-memory and growth gauges.
func (m *Manager) registerLeakMetrics(e *entry) {
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_memory_live_bytes{plugin=%q}`, e.name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.plugin == nil {
			return 0
		}
		b, _ := e.plugin.LiveMemory()
		return float64(b)
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_memory_growth_bytes_per_run{plugin=%q}`, e.name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.leakReport().BytesPerRun
	})
}

// pluginMemory is the plugin page's memory panel: live and peak bytes and
// the leak detector's report r.
func pluginMemory(live, peak uint64, r leak.Report) web.PluginMemory {
	return web.PluginMemory{
		LiveBytes: live, PeakBytes: peak, Leaking: r.Leaking,
		GrowthBytesPerRun: r.BytesPerRun, GrowthRuns: r.Runs, LeakingSince: r.Since,
	}
}
