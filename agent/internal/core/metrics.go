package core

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/web"
)

// pluginResult returns the counter of runs of plugin with result
// ("ok", "error", "limit", "skipped").
func (m *Manager) pluginResult(plugin, result string) *vm.Counter {
	return m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_executions_total{plugin=%q,result=%q}`, plugin, result))
}

// registerMetrics adds the gauges that are read when /metrics is scraped.
func (m *Manager) registerMetrics(e *entry) {
	name := e.name
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
		if e.enabled() {
			return 1
		}
		return 0
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_kv_bytes{plugin=%q}`, name), func() float64 {
		return float64(e.kvStore().Usage().Bytes)
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_kv_keys{plugin=%q}`, name), func() float64 {
		return float64(e.kvStore().Usage().Keys)
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_series{plugin=%q}`, name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.plugin == nil {
			return 0
		}
		return float64(e.plugin.Metrics().Series())
	})
	m.metrics.GetOrCreateGauge(fmt.Sprintf(`heimnetz_plugin_metric_bytes{plugin=%q}`, name), func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.plugin == nil {
			return 0
		}
		return float64(e.plugin.Metrics().Bytes())
	})
	// Pre-create the run counters so every plugin shows all results from
	// the first scrape on.
	for _, r := range []string{"ok", "error", "limit", "skipped"} {
		m.pluginResult(name, r)
	}
	m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_errors_total{plugin=%q,kind="lua"}`, name))
	m.registerLeakMetrics(e)
}

// unregisterMetrics removes every series of the agent's set that carries
// the label plugin="name" — its gauges (whose functions hold the plugin's
// entry), counters, histograms — so a removed plugin leaves nothing on
// /metrics and nothing that keeps it alive. It returns how many it
// removed. Series without a plugin label (security events by type, the
// agent's own) stay.
func (m *Manager) unregisterMetrics(name string) int {
	label := "plugin=" + strconv.Quote(name)
	n := 0
	for _, metric := range m.metrics.ListMetricNames() {
		if hasLabel(metric, label) && m.metrics.UnregisterMetric(metric) {
			n++
		}
	}
	m.invalidateMetrics()
	return n
}

// hasLabel reports whether the series name metric (family{a="x",...})
// holds the label pair label (a="x") whole.
func hasLabel(metric, label string) bool {
	_, labels, ok := strings.Cut(metric, "{")
	for ok && labels != "" {
		if rest, found := strings.CutPrefix(labels, label); found && (rest == "" || rest[0] == ',' || rest[0] == '}') {
			return true
		}
		// Skip one pair: name="value" with \" and \\ escapes in the value.
		i := strings.Index(labels, `="`)
		if i < 0 {
			return false
		}
		j := i + 2
		for j < len(labels) && labels[j] != '"' {
			if labels[j] == '\\' {
				j++
			}
			j++
		}
		if j+1 >= len(labels) {
			return false
		}
		labels = labels[j+2:] // past the closing quote and the comma or brace
	}
	return false
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

// registerDeviceInfo exports the device's model, OpenWrt release and
// package architecture as heimnetz_device_info, read once at start.
func registerDeviceInfo(s *vm.Set, b *board.Board, log *slog.Logger) {
	d, err := b.Device()
	if err != nil {
		log.Warn("some device facts are unknown", "err", err)
	}
	arch := d.PackageArch
	if arch == "" {
		arch = d.GoArch
	}
	q := func(v string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
	}
	s.GetOrCreateGauge(fmt.Sprintf(`heimnetz_device_info{os=%s,model=%s,board=%s,release=%s,arch=%s,kernel=%s}`,
		q(d.OS), q(d.Model), q(d.BoardID), q(d.Release), q(arch), q(d.Kernel)), func() float64 { return 1 })
}

// helpText documents the agent's metric families for HELP lines.
var helpText = map[string]string{
	"heimnetz_build_info":                           "Version and commit of the running agent (always 1).",
	"heimnetz_go_memory_total_bytes":                "All memory mapped by the Go runtime (runtime/metrics /memory/classes/total).",
	"heimnetz_go_memory_heap_in_use_bytes":          "Go heap bytes holding objects or reserved for them.",
	"heimnetz_go_memory_stacks_bytes":               "Go goroutine stack bytes.",
	"heimnetz_go_memory_released_bytes":             "Go heap bytes returned to the operating system.",
	"heimnetz_plugin_executions_total":              "Plugin runs by result: ok, error, limit (a limit was broken) or skipped (over its CPU share).",
	"heimnetz_plugin_execution_duration_seconds":    "Wall time of plugin runs.",
	"heimnetz_plugin_cpu_seconds_total":             "CPU time used by plugin runs, measured per thread.",
	"heimnetz_plugin_memory_usage_bytes":            "Bytes held by the plugin's Lua state, as its memory limit counts them.",
	"heimnetz_plugin_memory_live_bytes":             "Bytes the plugin's Lua state still reached at its most recent recount (after load and every few runs): its memory without garbage.",
	"heimnetz_plugin_memory_growth_bytes_per_run":   "Growth of the plugin's live memory per run, fitted over the leak detector's window (0 when flat).",
	"heimnetz_plugin_errors_total":                  "Failed plugin runs by kind: lua (an error raised by the plugin) or the limit that was broken.",
	"heimnetz_plugin_limit_breaks_total":            "Plugin runs ended by a limit, by limit and cause (plugin: counts toward disabling; load: a wall-time break while the plugin used under a quarter of it).",
	"heimnetz_plugin_enabled":                       "1 if the plugin is enabled, 0 if disabled.",
	"heimnetz_plugin_kv_bytes":                      "Bytes the plugin has stored in its key/value store.",
	"heimnetz_plugin_kv_keys":                       "Keys the plugin has stored in its key/value store.",
	"heimnetz_plugin_series":                        "Metric series the plugin has created.",
	"heimnetz_plugin_metric_bytes":                  "Bytes the agent keeps for the plugin's metric names, labels and series, as the plugin's metric byte budget counts them.",
	"heimnetz_security_events_total":                "Security events recorded, by type and severity.",
	"heimnetz_store_flush_errors_total":             "Background commits of buffered plugin records, events and log lines that failed (the writes wait for the next one).",
	"heimnetz_store_snapshot_errors_total":          "Background snapshots of the live database to flash that failed.",
	"heimnetz_device_info":                          "The device the agent runs on (always 1).",
	"heimnetz_wan_probe_up":                         "1 if the last round of the WAN probe (ICMP echo to the configured target) got a reply, else 0.",
	"heimnetz_wan_probe_loss_ratio":                 "Share of the last WAN probe round's echo requests that got no reply.",
	"heimnetz_wan_probe_rtt_seconds":                "Round-trip time of the last WAN probe round's replies: last, avg, min and max (NaN without a reply).",
	"heimnetz_wan_probe_sent_total":                 "ICMP echo requests the WAN probe sent.",
	"heimnetz_wan_probe_received_total":             "ICMP echo replies the WAN probe received.",
	"process_cpu_seconds_total":                     "CPU time used by the agent process.",
	"process_cpu_seconds_system_total":              "CPU time the kernel spent for the agent process.",
	"process_cpu_seconds_user_total":                "CPU time the agent process spent in user mode.",
	"process_major_pagefaults_total":                "Page faults of the agent process that needed a read from storage.",
	"process_minor_pagefaults_total":                "Page faults of the agent process served from memory.",
	"process_num_threads":                           "Operating system threads of the agent process.",
	"process_resident_memory_bytes":                 "Resident memory of the agent process.",
	"process_resident_memory_peak_bytes":            "Highest resident memory of the agent process (VmHWM).",
	"process_resident_memory_anon_bytes":            "Resident anonymous memory of the agent process (RssAnon).",
	"process_resident_memory_file_bytes":            "Resident file-backed memory of the agent process (RssFile).",
	"process_resident_memory_shared_bytes":          "Resident shared memory of the agent process (RssShmem).",
	"process_virtual_memory_bytes":                  "Virtual memory of the agent process.",
	"process_virtual_memory_peak_bytes":             "Highest virtual memory of the agent process (VmPeak).",
	"process_start_time_seconds":                    "Start time of the agent process since the Unix epoch.",
	"process_open_fds":                              "Open file descriptors of the agent process.",
	"process_max_fds":                               "Most file descriptors the agent process may open.",
	"process_io_read_bytes_total":                   "Bytes the agent process read (rchar in /proc/self/io; 0 if the kernel does not account I/O).",
	"process_io_written_bytes_total":                "Bytes the agent process wrote (wchar in /proc/self/io).",
	"process_io_read_syscalls_total":                "Read system calls of the agent process.",
	"process_io_write_syscalls_total":               "Write system calls of the agent process.",
	"process_io_storage_read_bytes_total":           "Bytes the agent process caused to be read from storage.",
	"process_io_storage_written_bytes_total":        "Bytes the agent process caused to be written to storage (flash wear).",
	"process_pressure_cpu_waiting_seconds_total":    "Time some of the agent's cgroup tasks waited for CPU (PSI some).",
	"process_pressure_cpu_stalled_seconds_total":    "Time all of the agent's cgroup tasks waited for CPU (PSI full).",
	"process_pressure_io_waiting_seconds_total":     "Time some of the agent's cgroup tasks waited for I/O (PSI some).",
	"process_pressure_io_stalled_seconds_total":     "Time all of the agent's cgroup tasks waited for I/O (PSI full).",
	"process_pressure_memory_waiting_seconds_total": "Time some of the agent's cgroup tasks waited for memory (PSI some).",
	"process_pressure_memory_stalled_seconds_total": "Time all of the agent's cgroup tasks waited for memory (PSI full).",
	"go_goroutines":                                 "Goroutines that currently exist.",
	"heimnetz_push_samples_total":                   "Samples the pusher delivered to the push endpoint.",
	"heimnetz_push_failures_total":                  "Push requests that failed (connection error, time-out or an error status).",
	"heimnetz_push_queue_bytes":                     "Compressed bytes of batches waiting for delivery (at most push.queue_bytes).",
	"heimnetz_push_dropped_samples_total":           "Samples never delivered: dropped oldest-first from the full push queue or refused by the endpoint with a 4xx.",
	"heimnetz_push_last_success_timestamp_seconds":  "When the pusher last delivered a batch, seconds since the Unix epoch (0: never).",
	"heimnetz_push_unreadable_lines_total":          "Lines of the agent's exposition the pusher could not read and left out (expected 0).",
	"go_gc_cycles_total":                            "Completed garbage collection cycles.",
}

// metricsTTL is how long one rendering of the agent's and plugins'
// metrics is served. Plugin series change at most once a second (the
// shortest interval), so a scrape loses nothing, and a burst of scrapes
// costs one rendering instead of one each — on a router the rendering's
// allocations, not the copying, are what a burst would pay for.
const metricsTTL = time.Second

// metricsCache holds the last rendering of the agent's metrics.
type metricsCache struct {
	mu       sync.Mutex // one rendering at a time; guards agent
	rendered atomic.Pointer[renderedMetrics]
	agent    bytes.Buffer // the agent's own series before their HELP texts
}

type renderedMetrics struct {
	at   time.Time
	text []byte
}

// writeMetrics writes the agent's metrics, the plugins' metrics and the
// process metrics in Prometheus text format, with a HELP text for every
// family. Concurrent scrapes within metricsTTL share one rendering.
func (m *Manager) writeMetrics(w io.Writer) { w.Write(m.metricsText()) }

var _ web.MetricsRenderer = (*backend)(nil)

// MetricsText implements web.MetricsRenderer: web compresses each
// rendering once and serves it to every scrape while it is current.
func (b *backend) MetricsText() []byte { return b.m.metricsText() }

// MetricsText returns the agent's current /metrics rendering (without
// web's own families), what the pusher sends; the caller must not modify
// it.
func (m *Manager) MetricsText() []byte { return m.metricsText() }

// metricsText returns the current rendering, rendering afresh when it is
// older than metricsTTL or was invalidated. While it is current, every
// call returns the same slice (never modified), so a caller may tell a
// new rendering from the old one by identity.
//
// Only an invalidated rendering (a plugin added, removed or disabled)
// makes a scrape wait for the next one. A rendering that merely expired
// is renewed by one scrape while the scrapes that come meanwhile are
// served the expired one, at most one rendering's time older: under load
// they would otherwise queue behind the renewal (1 ms of CPU on x86-64,
// once a second) and set /metrics' tail latency.
func (m *Manager) metricsText() []byte {
	r := m.metricsCache.rendered.Load()
	if r != nil && time.Since(r.at) < metricsTTL {
		return r.text
	}
	if r != nil && !m.metricsCache.mu.TryLock() {
		return r.text
	}
	if r == nil {
		m.metricsCache.mu.Lock()
	}
	r = m.metricsCache.rendered.Load()
	if r == nil || time.Since(r.at) >= metricsTTL {
		// Render into a buffer sized from the last rendering, which then
		// is the rendering: a scrape's garbage is the previous one, not a
		// buffer's growth, and no second buffer is kept beside it (on
		// mipsle that was 128 KiB held for good).
		c := &m.metricsCache
		size := 4 << 10
		if r != nil {
			size = len(r.text) + len(r.text)/8
		}
		page := bytes.NewBuffer(make([]byte, 0, size))
		m.renderMetrics(page, &c.agent)
		r = &renderedMetrics{at: time.Now(), text: page.Bytes()}
		c.rendered.Store(r)
	}
	m.metricsCache.mu.Unlock()
	return r.text
}

// invalidateMetrics makes the next scrape render afresh (after a plugin
// was added, removed or disabled).
func (m *Manager) invalidateMetrics() { m.metricsCache.rendered.Store(nil) }

// renderMetrics renders what writeMetrics serves; scratch holds the
// agent's own series on their way.
func (m *Manager) renderMetrics(w io.Writer, scratch *bytes.Buffer) {
	scratch.Reset()
	m.metrics.WritePrometheus(scratch)
	flushes, snapshots := m.db.FailureCounts()
	vm.WriteCounterUint64(scratch, "heimnetz_store_flush_errors_total", flushes)
	vm.WriteCounterUint64(scratch, "heimnetz_store_snapshot_errors_total", snapshots)
	m.writeAlertMetrics(scratch)
	writeProcessMetrics(scratch)
	fillHelp(w, scratch.Bytes())
	var sets []*luaplugins.PluginMetrics
	for _, e := range m.entries() {
		e.mu.Lock()
		if e.plugin != nil {
			sets = append(sets, e.plugin.Metrics())
		}
		e.mu.Unlock()
	}
	luaplugins.WritePrometheus(w, m.families, sets)
}

// fillHelp copies an exposition, giving every empty HELP line its text.
func fillHelp(w io.Writer, text []byte) {
	for line := range bytes.Lines(text) {
		if name, ok := bytes.CutPrefix(bytes.TrimRight(line, "\n"), []byte("# HELP ")); ok && bytes.IndexByte(name, ' ') < 0 {
			help := helpText[string(name)]
			if help == "" {
				help = "heimnetz agent metric."
			}
			io.WriteString(w, "# HELP ")
			w.Write(name)
			io.WriteString(w, " ")
			io.WriteString(w, help)
			io.WriteString(w, "\n")
			continue
		}
		w.Write(line)
	}
}
