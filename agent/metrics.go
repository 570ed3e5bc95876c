package main

import (
	"fmt"
	"io"
	"runtime/metrics"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// pluginResult returns the counter of runs of plugin with result
// ("ok", "error", "limit", "skipped").
func (m *manager) pluginResult(plugin, result string) *vm.Counter {
	return m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_executions_total{plugin=%q,result=%q}`, plugin, result))
}

// registerMetrics adds the gauges that are read when /metrics is scraped.
func (m *manager) registerMetrics(e *entry) {
	name := e.src.Name()
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_memory_usage_bytes{plugin=%q}`, name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.plugin == nil {
			return 0
		}
		return float64(e.plugin.MemoryInUse())
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_enabled{plugin=%q}`, name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.rec.Enabled {
			return 1
		}
		return 0
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_kv_bytes{plugin=%q}`, name), func() float64 {
		return float64(e.kv.Usage().Bytes)
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_kv_keys{plugin=%q}`, name), func() float64 {
		return float64(e.kv.Usage().Keys)
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_series{plugin=%q}`, name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.plugin == nil {
			return 0
		}
		return float64(e.plugin.Metrics().Series())
	})
	// Pre-create the run counters so every plugin shows all results from
	// the first scrape on.
	for _, r := range []string{"ok", "error", "limit", "skipped"} {
		m.pluginResult(name, r)
	}
	m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_errors_total{plugin=%q,kind="lua"}`, name))
}

// goMemory reads the Go runtime's own view of its memory.
type goMemory struct {
	Total, HeapInUse, Stacks, Released uint64
}

var goMemorySamples = []metrics.Sample{
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/memory/classes/heap/stacks:bytes"},
	{Name: "/memory/classes/heap/released:bytes"},
	{Name: "/memory/classes/heap/unused:bytes"},
}

func readGoMemory() goMemory {
	s := make([]metrics.Sample, len(goMemorySamples))
	copy(s, goMemorySamples)
	metrics.Read(s)
	v := func(i int) uint64 {
		if s[i].Value.Kind() == metrics.KindUint64 {
			return s[i].Value.Uint64()
		}
		return 0
	}
	return goMemory{Total: v(0), HeapInUse: v(1) + v(4), Stacks: v(2), Released: v(3)}
}

// registerAgentMetrics adds the agent-wide gauges.
func registerAgentMetrics(s *vm.Set) {
	s.GetOrCreateGauge(fmt.Sprintf(`heimnetz_build_info{version=%q,commit=%q}`, buildinfo.Version, buildinfo.Commit), func() float64 { return 1 })
	s.GetOrCreateGauge(`heimnetz_go_memory_total_bytes`, func() float64 { return float64(readGoMemory().Total) })
	s.GetOrCreateGauge(`heimnetz_go_memory_heap_in_use_bytes`, func() float64 { return float64(readGoMemory().HeapInUse) })
	s.GetOrCreateGauge(`heimnetz_go_memory_stacks_bytes`, func() float64 { return float64(readGoMemory().Stacks) })
	s.GetOrCreateGauge(`heimnetz_go_memory_released_bytes`, func() float64 { return float64(readGoMemory().Released) })
}

// writeMetrics writes the agent's metrics, the plugins' metrics and the
// process metrics in Prometheus text format.
func (m *manager) writeMetrics(w io.Writer) {
	m.metrics.WritePrometheus(w)
	var sets []*luaplugins.PluginMetrics
	for _, e := range m.entries() {
		e.mu.Lock()
		if e.plugin != nil {
			sets = append(sets, e.plugin.Metrics())
		}
		e.mu.Unlock()
	}
	luaplugins.WritePrometheus(w, m.families, sets)
	vm.WriteProcessMetrics(w)
}
