package core

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/docs"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// backend adapts the manager, the store and the board to what the web
// server shows and does.
type backend struct {
	m       *Manager
	started time.Time
	net     networkCache
}

var _ web.Backend = (*backend)(nil)

func (b *backend) Overview() web.Overview {
	o := web.Overview{Agent: web.AgentInfo{
		Version: buildinfo.Version, Commit: buildinfo.Commit,
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Started: b.started,
	}}
	if d, err := b.m.board.Device(); err == nil {
		arch := d.PackageArch
		if arch == "" {
			arch = d.GoArch
		}
		release := d.Description
		if release == "" {
			release = strings.TrimSpace(d.Distribution + " " + d.Release)
		}
		o.Device = web.DeviceInfo{Hostname: d.Hostname, Model: d.Model, Board: d.BoardID, Release: release, Arch: arch, Kernel: d.Kernel}
	}
	if l, err := b.m.board.LoadAvg(); err == nil {
		o.System.Load1, o.System.Load5, o.System.Load15 = l.Load1, l.Load5, l.Load15
	}
	if mi, err := b.m.board.MemInfo(); err == nil {
		o.System.MemTotalBytes, o.System.MemAvailableBytes = mi.MemTotal, mi.MemAvailable
	}
	if u, err := b.m.board.Uptime(); err == nil {
		o.System.UptimeSeconds = u.Seconds
	}
	if nd, err := b.m.board.NetDev(); err == nil {
		for _, n := range nd {
			o.Interfaces = append(o.Interfaces, web.Interface{Name: n.Name, RxBytes: n.RxBytes, TxBytes: n.TxBytes, RxErrors: n.RxErrs, TxErrors: n.TxErrs})
		}
	}
	o.Alerts = b.firingBanners()
	for _, e := range b.m.entries() {
		e.mu.Lock()
		switch {
		case e.sw.Off(), !e.rec.Enabled && !strings.HasPrefix(e.rec.DisabledReason, autoDisabledPrefix):
			// The owner's own choice: nothing to be alerted about.
		case !e.rec.Enabled && e.rec.DisabledReason != "":
			o.Alerts = append(o.Alerts, b.disabledBanner(e.src.Name(), e.rec.DisabledReason))
		case e.throttled != "":
			o.Alerts = append(o.Alerts, web.Alert{Severity: web.SeverityWarning, Source: e.src.Name(), Message: e.throttled})
		case e.rec.LastError != "":
			o.Alerts = append(o.Alerts, web.Alert{Severity: web.SeverityWarning, Source: e.src.Name(), Message: e.rec.LastError, Since: e.rec.LastRun})
		}
		e.mu.Unlock()
	}
	return o
}

func (b *backend) summary(e *entry) web.PluginSummary {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.src.Manifest
	s := web.PluginSummary{
		Name: m.Name, Version: m.Version, Description: m.Description,
		State: e.state, Enabled: e.enabled(), DisabledReason: e.disabledReason(),
		LastRun: e.rec.LastRun, LastDurationSeconds: e.rec.LastDuration.Seconds(),
		Runs: e.rec.Runs, Errors: e.rec.Errors, LastError: e.rec.LastError,
		IntervalSeconds: e.interval().Seconds(), CPUSeconds: e.cpuTotal.Seconds(),
	}
	if e.throttled != "" && e.enabled() {
		s.State, s.LastError = web.StateFailed, e.throttled
	}
	if !e.enabled() {
		s.State = web.StateDisabled
	}
	if e.plugin != nil {
		// Live, not the charge: the charge climbs with garbage until
		// the next recount and would look like a leak.
		live, _ := e.plugin.LiveMemory()
		s.MemoryBytes = uint64(max(live, 0))
		s.Series = e.plugin.Metrics().Series()
	}
	u := e.kv.Usage()
	s.KVKeys, s.KVBytes = u.Keys, u.Bytes
	return s
}

func (b *backend) Plugins() []web.PluginSummary {
	var out []web.PluginSummary
	for _, e := range b.m.entries() {
		out = append(out, b.summary(e))
	}
	return out
}

func (b *backend) Plugin(name string) (web.PluginDetail, error) {
	e, err := b.m.get(name)
	if err != nil {
		return web.PluginDetail{}, fmt.Errorf("%w: %v", web.ErrNotFound, err)
	}
	d := web.PluginDetail{PluginSummary: b.summary(e)}
	e.mu.Lock()
	m := e.src.Manifest
	interval := e.interval()
	d.Permissions = append([]string(nil), m.Permissions...)
	d.Source = e.src.Origin
	d.Docs = string(e.src.Readme)
	if d.Docs == "" {
		d.Docs = m.Description
	}
	var peak, instr float64
	for _, r := range e.runs {
		d.RecentRuns = append(d.RecentRuns, web.Run{Time: r.Time, DurationSeconds: r.Duration.Seconds(), Instructions: uint64(r.Instructions), MemoryBytes: uint64(r.Memory), Error: r.Err})
		peak = max(peak, float64(r.Memory))
		instr = max(instr, float64(r.Instructions))
	}
	var samples []luaplugins.Sample
	metricBytes, metricBudget := 0, 0
	if e.plugin != nil {
		pm := e.plugin.Metrics()
		samples = pm.Snapshot()
		metricBytes, metricBudget = pm.Bytes(), pm.MaxBytes()
	}
	cpuLeft := e.cpu.Remaining(b.m.clock.Now())
	d.Memory = pluginMemory(d.MemoryBytes, uint64(peak), e.leakReport())
	e.mu.Unlock()
	lim := m.Limits
	usage := e.kvStore().Usage()
	d.Limits = []web.Limit{
		{Name: "instructions per call", Max: float64(lim.Instructions), Used: instr, Unit: "instructions"},
		{Name: "memory", Max: float64(lim.Memory), Used: peak, Unit: "bytes"},
		{Name: "time per call", Max: lim.Timeout.Seconds(), Used: d.LastDurationSeconds, Unit: "seconds"},
		{Name: "cpu share over " + lim.CPUWindow.String(), Max: lim.CPU * 100, Used: 100 * (lim.CPU - max(0, cpuLeft.Seconds())/lim.CPUWindow.Seconds()), Unit: "percent"},
		{Name: "metric series", Max: float64(lim.MetricSeries), Used: float64(d.Series), Unit: "count"},
		{Name: "metric names and labels", Max: float64(metricBudget), Used: float64(metricBytes), Unit: "bytes"},
		{Name: "stored keys", Max: float64(lim.KVKeys), Used: float64(usage.Keys), Unit: "count"},
		{Name: "stored bytes", Max: float64(lim.KVBytes), Used: float64(usage.Bytes), Unit: "bytes"},
	}
	for _, smp := range samples {
		d.Metrics = append(d.Metrics, seriesView(name, smp))
	}
	if logs, err := b.m.db.Logs(name, 50); err == nil {
		for _, l := range logs {
			d.Logs = append(d.Logs, web.LogLine{Time: l.Time, Level: l.Level, Message: l.Line})
		}
	}
	d.Extra = []web.KeyValue{{Key: "interval", Value: interval.String()}}
	if e.sw.Interval > 0 {
		d.Extra[0].Value += " (the config's; the manifest asks for " + m.Interval.String() + ")"
	}
	for _, k := range limits.Keys() {
		if v, ok := m.Asked[k]; ok {
			d.Extra = append(d.Extra, web.KeyValue{Key: "manifest limit " + k, Value: v})
		}
	}
	return d, nil
}

// seriesView is one of plugin's series as /metrics exports it: the
// plugin label the agent adds first, then the plugin's own labels in
// order, each value exactly as kept (the exposition escapes it, the page
// and the JSON API escape it their own way).
func seriesView(plugin string, smp luaplugins.Sample) web.Series {
	out := web.Series{Name: smp.Name, Type: smp.Kind, Value: smp.Value,
		Labels: make([]web.KeyValue, 0, len(smp.Labels)+1)}
	out.Labels = append(out.Labels, web.KeyValue{Key: "plugin", Value: plugin})
	for _, l := range smp.Labels {
		out.Labels = append(out.Labels, web.KeyValue{Key: l.Name, Value: l.Value})
	}
	return out
}

func (b *backend) Events(q web.EventQuery) ([]web.Event, web.EventStats, error) {
	evs, err := b.m.db.Events(500, q.BeforeSeq)
	if err != nil {
		return nil, web.EventStats{}, err
	}
	var out []web.Event
	var st web.EventStats
	for _, e := range evs {
		st.Total++
		if !e.Acked {
			st.Unacked++
			switch e.Severity {
			case store.Critical:
				st.UnackedCritical++
			case store.High:
				st.UnackedHigh++
			case store.Warning:
				st.UnackedWarning++
			}
		}
		if (q.Severity != "" && e.Severity.String() != q.Severity) || (q.Type != "" && e.Type != q.Type) ||
			(q.Plugin != "" && e.Plugin != q.Plugin) || (q.UnackedOnly && e.Acked) || (q.Limit > 0 && len(out) >= q.Limit) {
			continue
		}
		out = append(out, web.Event{Seq: e.Seq, Time: e.Time, Type: e.Type, Severity: e.Severity.String(), Plugin: e.Plugin, Message: e.Message, Acked: e.Acked})
	}
	return out, st, nil
}

// notFound maps the manager's and the store's "no such thing" errors to
// web.ErrNotFound, its refusals to web.ErrInvalid and an install or
// removal already under way to web.ErrConflict, so the API answers 404,
// 400 or 409 (not 500) for a name or number the client got wrong.
func notFound(err error) error {
	switch {
	case errors.Is(err, errUnknownPlugin), errors.Is(err, store.ErrNoEvent):
		return fmt.Errorf("%w: %v", web.ErrNotFound, err)
	case errors.Is(err, errConfig):
		return fmt.Errorf("%w: %v", web.ErrConfig, err)
	case errors.Is(err, errRejected), errors.Is(err, store.ErrBadName):
		return fmt.Errorf("%w: %v", web.ErrInvalid, err)
	case errors.Is(err, errInstallBusy):
		return fmt.Errorf("%w: %v", web.ErrConflict, err)
	}
	return err
}

func (b *backend) EnablePlugin(name string) error { return notFound(b.m.enable(name)) }
func (b *backend) DisablePlugin(name string) error {
	return notFound(b.m.disable(name, "disabled by an admin", store.Info))
}
func (b *backend) ReloadPlugin(name string) error { return notFound(b.m.reload(name)) }

// RemovePlugin removes an installed plugin and keeps its stored data.
func (b *backend) RemovePlugin(name string) error {
	return notFound(b.m.remove(name, false))
}

// Docs renders the host API and plugin reference as HTML.
func (b *backend) Docs() []byte {
	var srcs []*luaplugins.Source
	for _, e := range b.m.entries() {
		e.mu.Lock()
		srcs = append(srcs, e.src)
		e.mu.Unlock()
	}
	var buf bytes.Buffer
	if err := docs.Write(&buf, docs.Build(b.m.registry, srcs, buildinfo.Version), "html"); err != nil {
		b.m.log.Error("rendering /docs", "err", err)
		return []byte("<!doctype html><title>heimnetz</title><p>The reference could not be rendered; see the agent's log.")
	}
	return buf.Bytes()
}
func (b *backend) ClearPluginData(name string) error { return notFound(b.m.clearData(name)) }
func (b *backend) AckEvents(seqs []uint64) error     { return notFound(b.m.db.AckEvents(seqs...)) }

func (b *backend) InstallPlugin(archive []byte, opts web.InstallOptions) (string, error) {
	path, err := b.m.install(archive, nil, InstallOptions{AllowUnsigned: opts.AllowUnsigned, AllowSignerChange: opts.AllowSignerChange}, "admin API")
	switch {
	case errors.Is(err, errConfig):
		return "", fmt.Errorf("%w: %v", web.ErrConfig, err)
	case errors.Is(err, errRejected):
		return "", fmt.Errorf("%w: %v", web.ErrInvalid, err)
	case errors.Is(err, errSignerChanged), errors.Is(err, errInstallBusy):
		return "", fmt.Errorf("%w: %v", web.ErrConflict, err)
	case err != nil:
		return "", err
	}
	return filepath.Base(path), nil
}

// Settings returns the settings the agent runs with.
func (b *backend) Settings() web.Settings {
	b.m.mu.Lock()
	defer b.m.mu.Unlock()
	return b.m.cfg.Settings
}

// UpdateSettings validates s with the one validator the config file and
// web use, stores it (so it outlives a restart and overrides the config
// file from then on) and applies every setting at once: the log level,
// the breaks before a plugin is disabled, login for the read-only pages
// (web reads it back after the update) and the event ring's bound.
func (b *backend) UpdateSettings(s web.Settings) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%w: %w", web.ErrInvalid, err)
	}
	return b.m.applySettings(s)
}

func (b *backend) SecurityEvent(typ, severity, msg string) {
	b.m.sec.record(typ, parseSeverity(severity), "", msg)
}

var _ web.NoiseRecorder = (*backend)(nil)

// NoiseEvent records what web's noise log reports (web.NoiseRecorder):
// kept apart from the audit trail in the store, counted as every
// occurrence it stands for.
func (b *backend) NoiseEvent(typ, severity, msg string, occurrences uint64) {
	b.m.sec.recordNoise(typ, parseSeverity(severity), msg, occurrences)
}

func (b *backend) WriteMetrics(w io.Writer) { b.m.writeMetrics(w) }

// parseSeverity reads web's severity name; a name the store does not know
// (a web bug) is recorded as a warning rather than lost.
func parseSeverity(s string) store.Severity {
	if sev, err := store.ParseSeverity(s); err == nil {
		return sev
	}
	return store.Warning
}

// Health reports for /healthz: unhealthy while the store cannot write, a
// plugin loop has stalled or memory is past memory_limit (health.go). The
// reasons name no path; the log and the store's event have the error.
func (b *backend) Health() error { return b.m.health() }

// HealthReasons is Health as one reason per failing check.
func (b *backend) HealthReasons() []string { return b.m.healthReasons() }
