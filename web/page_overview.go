package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// overviewCharts are the overview's sparklines.
type overviewCharts struct {
	Load       sparkline
	Latency    sparkline
	Plugins    map[string]pluginCharts
	Interfaces []ifaceCharts
}

type pluginCharts struct{ CPU, Memory sparkline }

type ifaceCharts struct {
	Name             string
	RxTotal, TxTotal uint64
	Rx, Tx           sparkline
}

const (
	overviewPoints = 40
	sparkW, sparkH = 96, 24
	bigW, bigH     = 240, 48
)

func pctText(v float64) string  { return formatPercent(v) }
func loadText(v float64) string { return fmt.Sprintf("%.2f", v) }
func msText(v float64) string   { return formatSeconds(v) }
func rateText(v float64) string { return formatBytes(v) + "/s" }
func memText(v float64) string  { return formatBytes(v) }

// Full scales of the charts whose peak may be tiny: a CPU chart's box
// stands for at least 1 % of a core, a load chart's for a load of 1.
const (
	cpuFullScale  = 1
	loadFullScale = 1
)

func (s *Server) overviewCharts(v OverviewView) overviewCharts {
	h := s.history.snapshot()
	window := "last " + formatWindow(len(h.Load1), h.IntervalSeconds)
	c := overviewCharts{
		Load: newSparkline(h.Load1, bigW, bigH, overviewPoints, "Load, "+window, loadFullScale, loadText),
		Latency: newSparkline(downsampleWeighted(h.LatencyMeanSeconds, h.RequestsPerSecond, overviewPoints),
			bigW, bigH, overviewPoints, "Mean request latency, "+window, 0, msText),
		Plugins: make(map[string]pluginCharts, len(v.Plugins)),
	}
	for _, p := range v.Plugins {
		ph := h.Plugins[p.Name]
		c.Plugins[p.Name] = pluginCharts{
			CPU:    newSparkline(ph.CPUPercent, sparkW, sparkH, overviewPoints, "CPU", cpuFullScale, pctText),
			Memory: newSparkline(ph.MemoryBytes, sparkW, sparkH, overviewPoints, "Memory", 0, memText),
		}
	}
	for _, it := range v.Interfaces {
		ih := h.Interfaces[it.Name]
		c.Interfaces = append(c.Interfaces, ifaceCharts{
			Name: it.Name, RxTotal: it.RxBytes, TxTotal: it.TxBytes,
			Rx: newSparkline(ih.RxBytesPerSecond, sparkW, sparkH, overviewPoints, "Down", 0, rateText),
			Tx: newSparkline(ih.TxBytesPerSecond, sparkW, sparkH, overviewPoints, "Up", 0, rateText),
		})
	}
	return c
}

func (s *Server) overviewPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m)
	if !ok {
		return
	}
	cacheable := !a.admin() && ctx.QueryArgs().Len() == 0
	gen, now := s.gen.load(), s.now()
	if cacheable {
		if html, gz, ok := s.overviewCache.get(now, gen); ok {
			writeCachedPage(ctx, html, gz)
			return
		}
	}
	v := s.overviewView()
	d := s.newPageData(a, "Overview", "overview")
	d.Host, d.Version = v.Device.Hostname, v.Agent.Version
	d.Unacked, d.Alarm = v.EventStats.Unacked, alarming(v.EventStats)
	d.Refresh = 15
	c := s.overviewCharts(v)
	n := s.b.Network()
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { writeOverview(w, d, &v, &c, &n) })
	if cacheable && ctx.Response.StatusCode() == fasthttp.StatusOK {
		html := append([]byte(nil), ctx.Response.Body()...)
		gz := s.overviewCache.put(now, gen, html)
		writeCachedPage(ctx, html, gz)
	}
}

// writeOverview writes the overview's content: alerts, the network
// summary, device, system and agent cards, the plugins, the interfaces and
// the newest events.
func writeOverview(w htmlWriter, d *pageData, v *OverviewView, c *overviewCharts, n *Network) {
	w.raw("\n")
	if len(v.Alerts) > 0 {
		w.raw("<section class=\"alerts\" aria-label=\"Alerts\">\n")
		for _, al := range v.Alerts {
			w.raw(`<div class="alert sev-`)
			w.text(al.Severity)
			w.raw(`"><b>`)
			w.text(al.Source)
			w.raw(`</b> `)
			if al.Name != "" {
				w.raw(`<a href="/alerts"><code>`)
				w.text(al.Name)
				w.raw(`</code></a> `)
			}
			w.text(al.Message)
			if !al.Since.IsZero() {
				w.raw(` <span class="muted small">since `)
				writeAgo(w, d, al.Since)
				w.raw(`</span>`)
			}
			w.raw("</div>\n")
		}
		w.raw(`</section>`)
	}
	w.raw("\n\n<section class=\"cards\">\n")
	writeNetworkSummary(w, n)
	writeDeviceCard(w, v)
	writeSystemCard(w, v, c)
	writeAgentCard(w, d, v, c)
	w.raw("</section>\n\n<section>\n<h2 class=\"section\">Plugins <span class=\"muted small\">")
	w.int(int64(len(v.Plugins)))
	w.raw("</span></h2>\n<div class=\"plugins\">\n")
	for i := range v.Plugins {
		p := &v.Plugins[i]
		pc := c.Plugins[p.Name]
		writePluginCard(w, d, p, &pc, v.Alerts)
	}
	if len(v.Plugins) == 0 {
		w.raw("<p class=\"muted\">No plugins loaded.</p>\n")
	}
	w.raw("</div>\n</section>\n\n<section class=\"cards\">\n<article class=\"card wide\">\n<h2>Interfaces</h2>\n")
	for i := range c.Interfaces {
		it := &c.Interfaces[i]
		w.raw(`<div class="iface"><b>`)
		w.text(it.Name)
		w.raw(`</b><span class="muted small">↓ `)
		w.text(formatBytes(float64(it.RxTotal)))
		w.raw(` · ↑ `)
		w.text(formatBytes(float64(it.TxTotal)))
		w.raw(`</span><div class="pair">`)
		writeChart(w, &it.Rx)
		writeChart(w, &it.Tx)
		w.raw("</div></div>\n")
	}
	if len(c.Interfaces) == 0 {
		w.raw(`<p class="muted">No interfaces reported.</p>`)
	}
	w.raw("\n</article>\n")
	writeEventFeed(w, d, v)
	w.raw("</section>\n")
}

func writeDeviceCard(w htmlWriter, v *OverviewView) {
	dev := &v.Device
	w.raw("<article class=\"card\">\n<h2>Device</h2>\n<dl>\n<dt>Model</dt><dd>")
	w.text(orUnknown(dev.Model))
	w.raw("</dd>\n")
	if dev.Board != "" {
		w.raw(`<dt>Board</dt><dd>`)
		w.text(dev.Board)
		w.raw(`</dd>`)
	}
	w.raw("\n<dt>Release</dt><dd>")
	w.text(orUnknown(dev.Release))
	w.raw("</dd>\n<dt>Kernel</dt><dd>")
	w.text(orUnknown(dev.Kernel))
	if dev.Arch != "" {
		w.raw(` · `)
		w.text(dev.Arch)
	}
	w.raw("</dd>\n<dt>Uptime</dt><dd>")
	w.text(formatSecondsLong(v.System.UptimeSeconds))
	w.raw("</dd>\n</dl>\n</article>\n")
}

func writeSystemCard(w htmlWriter, v *OverviewView, c *overviewCharts) {
	sys := &v.System
	w.raw("<article class=\"card\">\n<h2>System</h2>\n<dl>\n<dt>Load</dt><dd>")
	w.fixed(sys.Load1, 2)
	w.raw(` · `)
	w.fixed(sys.Load5, 2)
	w.raw(` · `)
	w.fixed(sys.Load15, 2)
	w.raw("</dd>\n<dt>Memory</dt><dd>")
	w.text(formatBytes(float64(memUsed(*sys))))
	w.raw(` of `)
	w.text(formatBytes(float64(sys.MemTotalBytes)))
	w.raw("</dd>\n</dl>\n")
	writeMeter(w, memPercent(*sys))
	w.raw("\n")
	writeChart(w, &c.Load)
	w.raw("\n</article>\n")
}

func writeAgentCard(w htmlWriter, d *pageData, v *OverviewView, c *overviewCharts) {
	ag, rt := &v.Agent, &v.Runtime
	w.raw("<article class=\"card\">\n<h2>Agent</h2>\n<dl>\n<dt>Version</dt><dd>")
	w.text(ag.Version)
	if commitAdds(ag.Version, ag.Commit) {
		w.raw(` <code>`)
		w.text(shortCommit(ag.Commit))
		w.raw(`</code>`)
	}
	w.raw("</dd>\n<dt>Running</dt><dd>")
	if ag.Started.IsZero() {
		w.raw(`–`)
	} else {
		w.text(formatDuration(d.Now.Sub(ag.Started)))
	}
	w.raw(` · `)
	w.text(ag.GOOS)
	w.raw(`/`)
	w.text(ag.GOARCH)
	w.raw("</dd>\n<dt>Memory</dt><dd>")
	w.text(formatBytes(float64(rt.TotalBytes)))
	w.raw(` Go`)
	if rt.RSSBytes != 0 {
		w.raw(` · `)
		w.text(formatBytes(float64(rt.RSSBytes)))
		w.raw(` RSS`)
	}
	w.raw("</dd>\n<dt>Heap</dt><dd>")
	w.text(formatBytes(float64(rt.HeapObjectsBytes)))
	w.raw(` · `)
	w.uint(rt.Goroutines)
	w.raw(" goroutines</dd>\n</dl>\n")
	writeChart(w, &c.Latency)
	w.raw("\n</article>\n")
}

// writePluginCard writes one plugin's card on the overview. A disabled
// plugin's reason and a last error are left out when one of the alerts
// above already says them, and the last error when the reason quotes it.
func writePluginCard(w htmlWriter, d *pageData, p *PluginSummary, c *pluginCharts, alerts []Alert) {
	w.raw(`<article class="card plugin">
<header><a class="name" href="/plugins/`)
	w.pathSegment(p.Name)
	w.raw(`">`)
	w.text(p.Name)
	w.raw(`</a> <span class="muted small">`)
	w.text(p.Version)
	w.raw(`</span> `)
	writeBadge(w, "state", p.State)
	w.raw("</header>\n")
	if p.Description != "" {
		w.raw(`<p class="desc">`)
		w.text(p.Description)
		w.raw(`</p>`)
	}
	w.raw("\n<dl class=\"row\">\n<div><dt>Last run</dt><dd>")
	writeAgo(w, d, p.LastRun) // "never" for the zero time
	w.raw("</dd></div>\n<div><dt>Took</dt><dd>")
	w.text(formatSeconds(p.LastDurationSeconds))
	w.raw("</dd></div>\n<div><dt>Runs</dt><dd>")
	w.uint(p.Runs)
	w.raw("</dd></div>\n<div><dt>Errors</dt><dd")
	if p.Errors != 0 {
		w.raw(` class="bad"`)
	}
	w.raw(`>`)
	w.uint(p.Errors)
	w.raw("</dd></div>\n</dl>\n<div class=\"pair\">")
	writeChart(w, &c.CPU)
	writeChart(w, &c.Memory)
	w.raw("</div>\n")
	if !p.Enabled && p.DisabledReason != "" && !alertSays(alerts, p.Name, p.DisabledReason) {
		w.raw(`<p class="err small">`)
		w.text(p.DisabledReason)
		w.raw(`</p>`)
	}
	w.raw("\n")
	if showLastError(p) && !alertSays(alerts, p.Name, p.LastError) {
		w.raw(`<p class="err small"`)
		w.attr("title", p.LastError)
		w.raw(`>`)
		w.text(oneline.Clean(p.LastError, 320))
		w.raw(`</p>`)
	}
	w.raw("\n")
	if d.Admin {
		w.raw(`<form method="post" action="/plugins/`)
		w.pathSegment(p.Name)
		if p.Enabled {
			w.raw(`/disable`)
		} else {
			w.raw(`/enable`)
		}
		w.raw(`" class="actions">`)
		writeCSRFField(w, d)
		w.raw(`<input type="hidden" name="next" value="/"><button>`)
		if p.Enabled {
			w.raw(`Disable`)
		} else {
			w.raw(`Enable`)
		}
		w.raw(`</button></form>`)
	}
	w.raw("\n</article>\n")
}

// writeEventFeed writes the overview's card with the newest events.
func writeEventFeed(w htmlWriter, d *pageData, v *OverviewView) {
	w.raw("<article class=\"card wide\">\n<h2>Security events ")
	if n := v.EventStats.Unacked; n != 0 {
		writeEventCount(w, n, alarming(v.EventStats), " new")
	}
	w.raw("</h2>\n<ul class=\"feed\">\n")
	for i := range v.RecentEvents {
		e := &v.RecentEvents[i]
		w.raw(`<li`)
		if !e.Acked {
			w.raw(` class="unacked"`)
		}
		w.raw(`>`)
		writeBadge(w, "sev", e.Severity)
		w.raw(` <span class="msg">`)
		w.text(e.Message)
		w.raw(`</span> <span class="muted small">`)
		writeAgo(w, d, e.Time)
		if e.Plugin != "" {
			w.raw(` · `)
			w.text(e.Plugin)
		}
		w.raw("</span></li>\n")
	}
	if len(v.RecentEvents) == 0 {
		w.raw(`<li class="muted">No events.</li>`)
	}
	w.raw("\n</ul>\n<p><a href=\"/events\">All events →</a></p>\n</article>\n")
}

// commitAdds reports whether the commit tells more than the version: not
// when the version already holds it, as `git describe` versions
// ("7f813bc", "v1.2-3-g7f813bc-dirty") do.
func commitAdds(version, commit string) bool {
	short := shortCommit(commit)
	return short != "" && !strings.Contains(version, short) && (version == "" || !strings.HasPrefix(commit, version))
}

// alertSays reports whether an alert from source already shows msg.
func alertSays(alerts []Alert, source, msg string) bool {
	for _, a := range alerts {
		if a.Source == source && a.Message == msg {
			return true
		}
	}
	return false
}

// showLastError reports whether a plugin's last error adds to what its
// disabled reason says (the agent's reason quotes the last limit break).
func showLastError(p *PluginSummary) bool {
	if p.LastError == "" {
		return false
	}
	return p.Enabled || !strings.Contains(p.DisabledReason, p.LastError)
}

// orUnknown is s, or "unknown" when s is empty.
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// formatSecondsLong renders a long span given in seconds: "2 d 1 h".
func formatSecondsLong(s float64) string {
	return formatDuration(time.Duration(s * float64(time.Second)))
}
