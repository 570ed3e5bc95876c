package web

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// memBackend is an in-memory Backend for tests: plugins with state that
// the admin actions really change, an event log with sequence numbers and
// acknowledgement, settings, and a plugin "installer" that reads a tar.gz
// package's manifest.yml.
type memBackend struct {
	mu       sync.Mutex
	now      func() time.Time
	plugins  map[string]*PluginDetail
	kv       map[string]map[string]string
	events   []Event
	nextSeq  uint64
	settings Settings
	overview Overview
	network  *Network // nil: sampleNetwork
	alerts   []AlertStatus
	// overviewAlerts lead the overview's banners, as the agent's firing
	// alerts do.
	overviewAlerts []Alert
	calls          []string
	// installErr, when set, is what InstallPlugin returns (a
	// configuration problem of the agent, say).
	installErr error
}

func newMemBackend(now func() time.Time) *memBackend {
	started := now().Add(-3 * time.Hour)
	b := &memBackend{
		now:     now,
		plugins: map[string]*PluginDetail{},
		kv:      map[string]map[string]string{},
		nextSeq: 1,
		settings: Settings{
			LogLevel: "info", BreaksBeforeDisable: 5, EventRetention: 1000,
		},
		overview: Overview{
			Agent: AgentInfo{Version: "0.1.0-test", Commit: "0123456789abcdef0123", GOOS: "linux", GOARCH: "mipsle", Started: started},
			Device: DeviceInfo{Hostname: "OpenWrt", Model: "GL.iNet GL-MT300N-V2", Board: "glinet,gl-mt300n-v2",
				Release: "OpenWrt 24.10.0", Arch: "mipsel_24kc", Kernel: "6.6.73"},
			System: SystemStats{Load1: 0.42, Load5: 0.35, Load15: 0.3, MemTotalBytes: 128 << 20, MemAvailableBytes: 71 << 20, UptimeSeconds: 86400*2 + 3600},
			Interfaces: []Interface{
				{Name: "br-lan", RxBytes: 123456789, TxBytes: 987654321},
				{Name: "wan", RxBytes: 5555555555, TxBytes: 444444444, RxErrors: 2},
			},
		},
	}
	b.addPlugin("system", "Load, memory and uptime from /proc", []string{"log", "metrics", "board"})
	b.addPlugin("net", "Per-interface counters from /proc/net/dev", []string{"metrics", "board"})
	b.addPlugin("example-counter", "Counts its own runs in kv across restarts", []string{"kv", "log", "metrics"})
	return b
}

func (b *memBackend) addPlugin(name, desc string, perms []string) {
	t := b.now()
	b.plugins[name] = &PluginDetail{
		PluginSummary: PluginSummary{
			Name: name, Version: "1.0.0", Description: desc, State: StateRunning, Enabled: true,
			LastRun: t.Add(-4 * time.Second), LastDurationSeconds: 0.00042, Runs: 240, IntervalSeconds: 15,
			MemoryBytes: 180 << 10, CPUSeconds: 0.8, Series: 3,
		},
		Permissions: perms,
		Limits: []Limit{
			{Name: "instructions", Max: 10_000_000, Used: 12_345, Unit: "instructions"},
			{Name: "memory", Max: 8 << 20, Used: 180 << 10, Unit: "bytes"},
			{Name: "timeout", Max: 2, Used: 0.00042, Unit: "seconds"},
			{Name: "cpu", Max: 10, Used: 0.3, Unit: "percent"},
		},
		RecentRuns: []Run{{Time: t.Add(-4 * time.Second), DurationSeconds: 0.00042, Instructions: 12345, MemoryBytes: 180 << 10}},
		Logs:       []LogLine{{Time: t.Add(-4 * time.Second), Level: "info", Message: name + " collected"}},
		Metrics: []Series{{Name: name + "_runs_total", Type: "counter", Value: 240,
			Labels: []KeyValue{{Key: "plugin", Value: name}}}},
		Docs:   name + " — " + desc,
		Source: "bundled",
	}
	b.kv[name] = map[string]string{"runs": "240"}
	b.plugins[name].KVKeys, b.plugins[name].KVBytes = 1, 7
}

func (b *memBackend) record(call string) { b.calls = append(b.calls, call) }

func (b *memBackend) Overview() Overview {
	b.mu.Lock()
	defer b.mu.Unlock()
	ov := b.overview
	ov.Interfaces = slices.Clone(ov.Interfaces)
	ov.Alerts = slices.Clone(b.overviewAlerts)
	for _, p := range b.plugins {
		if p.State == StateFailed {
			ov.Alerts = append(ov.Alerts, Alert{Severity: SeverityCritical, Source: p.Name, Message: p.LastError, Since: p.LastRun})
		}
	}
	return ov
}

func (b *memBackend) Alerts() []AlertStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.alerts)
}

func (b *memBackend) Plugins() []PluginSummary {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]PluginSummary, 0, len(b.plugins))
	for _, p := range b.plugins {
		out = append(out, p.PluginSummary)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (b *memBackend) Plugin(name string) (PluginDetail, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.plugins[name]
	if !ok {
		return PluginDetail{}, fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	return *p, nil
}

func (b *memBackend) Events(q EventQuery) ([]Event, EventStats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Event
	var st EventStats
	for i := len(b.events) - 1; i >= 0; i-- {
		e := b.events[i]
		st.Total++
		if !e.Acked {
			st.Unacked++
			switch e.Severity {
			case SeverityCritical:
				st.UnackedCritical++
			case SeverityWarning, SeverityHigh: // as the agent counts them
				st.UnackedWarning++
			}
		}
		switch {
		case q.BeforeSeq != 0 && e.Seq >= q.BeforeSeq,
			q.Severity != "" && e.Severity != q.Severity,
			q.Type != "" && e.Type != q.Type,
			q.Plugin != "" && e.Plugin != q.Plugin,
			q.UnackedOnly && e.Acked,
			len(out) >= q.Limit:
			continue
		}
		out = append(out, e)
	}
	return out, st, nil
}

func (b *memBackend) addEvent(typ, severity, plugin, msg string) {
	b.events = append(b.events, Event{Seq: b.nextSeq, Time: b.now(), Type: typ, Severity: severity, Plugin: plugin, Message: msg})
	b.nextSeq++
}

func (b *memBackend) setEnabled(name string, on bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.plugins[name]
	if !ok {
		return fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	p.Enabled = on
	if on {
		p.State, p.DisabledReason = StateRunning, ""
		b.record("enable " + name)
	} else {
		p.State, p.DisabledReason = StateDisabled, "disabled by admin"
		b.record("disable " + name)
	}
	return nil
}

func (b *memBackend) EnablePlugin(name string) error  { return b.setEnabled(name, true) }
func (b *memBackend) DisablePlugin(name string) error { return b.setEnabled(name, false) }

func (b *memBackend) ReloadPlugin(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.plugins[name]
	if !ok {
		return fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	p.Runs, p.Errors, p.LastError = 0, 0, ""
	if p.Enabled {
		p.State = StateRunning
	}
	b.record("reload " + name)
	return nil
}

func (b *memBackend) RemovePlugin(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.plugins[name]; !ok {
		return fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	delete(b.plugins, name)
	b.record("remove " + name)
	return nil
}

func (b *memBackend) Docs() []byte {
	return []byte("<!doctype html><title>heimnetz reference</title><style>body{font:14px sans-serif}</style><h1>Host API</h1>")
}

func (b *memBackend) ClearPluginData(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.plugins[name]
	if !ok {
		return fmt.Errorf("plugin %q: %w", name, ErrNotFound)
	}
	b.kv[name] = map[string]string{}
	p.KVKeys, p.KVBytes = 0, 0
	b.record("clear " + name)
	return nil
}

func (b *memBackend) AckEvents(seqs []uint64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var missing []uint64
	for _, seq := range seqs {
		found := false
		for i := range b.events {
			if b.events[i].Seq == seq {
				b.events[i].Acked, found = true, true
			}
		}
		if !found {
			missing = append(missing, seq)
		}
	}
	b.record(fmt.Sprint("ack ", seqs))
	if len(missing) > 0 {
		return fmt.Errorf("ack events %v: %w", missing, ErrNotFound)
	}
	return nil
}

// InstallPlugin accepts a tar.gz with NAME/manifest.yml; a package without
// a "signature" file needs opts.AllowUnsigned. It records the options it
// was given.
func (b *memBackend) InstallPlugin(archive []byte, opts InstallOptions) (string, error) {
	b.mu.Lock()
	err := b.installErr
	b.mu.Unlock()
	if err != nil {
		return "", err
	}
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return "", fmt.Errorf("package: not gzip: %w", ErrInvalid)
	}
	tr := tar.NewReader(zr)
	name, signed := "", false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("package: %v: %w", err, ErrInvalid)
		}
		switch {
		case strings.HasSuffix(h.Name, "/signature"):
			signed = true
		case strings.HasSuffix(h.Name, "/manifest.yml"):
			sc := bufio.NewScanner(io.LimitReader(tr, 64<<10))
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "name: "); ok {
					name = strings.TrimSpace(v)
				}
			}
		}
	}
	if !validPluginName(name) {
		return "", fmt.Errorf("package: manifest.yml has no valid name: %w", ErrInvalid)
	}
	if !signed && !opts.AllowUnsigned {
		return "", fmt.Errorf("package %q is unsigned: %w", name, ErrInvalid)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.plugins[name]; ok && !opts.AllowSignerChange {
		return "", fmt.Errorf("package %q: installed version has another signer: %w", name, ErrConflict)
	}
	b.addPlugin(name, "installed from a package", nil)
	b.record(fmt.Sprintf("install %s %+v", name, opts))
	return name, nil
}

func (b *memBackend) Settings() Settings {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.settings
}

func (b *memBackend) UpdateSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.settings = s
	b.record("settings")
	return nil
}

func (b *memBackend) SecurityEvent(typ, severity, msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addEvent(typ, severity, "", msg)
}

func (b *memBackend) WriteMetrics(w io.Writer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	names := make([]string, 0, len(b.plugins))
	for n := range b.plugins {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "# HELP heimnetz_plugin_executions_total Calls of collect() per plugin.\n# TYPE heimnetz_plugin_executions_total counter\n")
	for _, n := range names {
		fmt.Fprintf(w, "heimnetz_plugin_executions_total{plugin=%q} %d\n", n, b.plugins[n].Runs)
	}
	fmt.Fprintf(w, "# HELP heimnetz_plugin_memory_usage_bytes Memory charged to each plugin.\n# TYPE heimnetz_plugin_memory_usage_bytes gauge\n")
	for _, n := range names {
		fmt.Fprintf(w, "heimnetz_plugin_memory_usage_bytes{plugin=%q} %d\n", n, b.plugins[n].MemoryBytes)
	}
}

// callLog returns the admin actions performed so far.
func (b *memBackend) callLog() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.calls)
}

// eventsOfType returns the stored events of one type.
func (b *memBackend) eventsOfType(typ string) []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Event
	for _, e := range b.events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// makeHostile fills every plugin-produced string of one plugin with markup,
// quotes and control characters.
func (b *memBackend) makeHostile(name, payload string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.plugins[name]
	// The last error differs from the disabled reason, which the page
	// would not repeat if it quoted the error.
	p.Description, p.LastError, p.DisabledReason = payload, payload+" (last error)", payload
	p.Version = payload
	p.State = StateFailed
	p.Permissions = []string{payload}
	p.Logs = append(p.Logs, LogLine{Time: b.now(), Level: payload, Message: payload})
	p.RecentRuns = append(p.RecentRuns, Run{Time: b.now(), Error: payload})
	p.Metrics = append(p.Metrics, Series{Name: payload, Type: payload, Labels: []KeyValue{{Key: payload, Value: payload}}})
	p.Docs, p.Source = payload, payload
	p.Extra = []KeyValue{{Key: payload, Value: payload}}
	p.Limits = append(p.Limits, Limit{Name: payload, Unit: payload, Max: 1, Used: 1})
	b.overview.Device.Hostname = payload
	b.overview.Device.Model = payload
	b.overview.Interfaces = append(b.overview.Interfaces, Interface{Name: payload})
	b.addEvent(payload, SeverityCritical, name, payload)
	b.alerts = append(b.alerts, AlertStatus{Name: payload, Severity: payload, State: AlertFiring, Since: b.now(),
		Summary: payload, Labels: map[string]string{"plugin": payload}})
}
