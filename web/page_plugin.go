package web

import (
	"strings"

	"github.com/valyala/fasthttp"
)

func (s *Server) pluginPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m)
	if !ok {
		return
	}
	v, err := s.pluginView(m.name)
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	d := s.newPageData(a, v.Name, "")
	s.fillHeader(&d)
	d.Refresh = 15
	n := s.cfg.HistoryPoints
	window := "last " + formatWindow(len(v.History.CPUPercent), s.cfg.HistoryInterval.Seconds())
	c := pluginCharts{
		CPU:    newSparkline(v.History.CPUPercent, bigW, bigH, n, "CPU, "+window, cpuFullScale, pctText),
		Memory: newSparkline(v.History.MemoryBytes, bigW, bigH, n, "Live memory, "+window, 0, memText),
	}
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { writePlugin(w, d, &v, &c) })
}

// writePlugin writes a plugin's page: head with the admin actions, status,
// limits, use, recent runs, log, metrics and documentation.
func writePlugin(w htmlWriter, d *pageData, p *PluginView, c *pluginCharts) {
	w.raw("\n<section class=\"head\">\n<h1>")
	w.text(p.Name)
	w.raw(` <span class="muted small">`)
	w.text(p.Version)
	w.raw(`</span> `)
	writeBadge(w, "state", p.State)
	w.raw("</h1>\n")
	if p.Description != "" {
		w.raw(`<p class="desc">`)
		w.text(p.Description)
		w.raw(`</p>`)
	}
	w.raw("\n")
	if d.Admin {
		writePluginActions(w, d, p)
	}
	w.raw("\n</section>\n\n<section class=\"cards\">\n")
	writePluginStatus(w, d, p)
	writePluginLimits(w, p)
	w.raw("<article class=\"card\">\n<h2>Use</h2>\n")
	writeChart(w, &c.CPU)
	w.raw("\n")
	writeChart(w, &c.Memory)
	w.raw("\n</article>\n</section>\n\n<section class=\"cards\">\n")
	writePluginRuns(w, d, p)
	writePluginLog(w, p)
	writePluginMetrics(w, p)
	if p.Docs != "" {
		w.raw("<article class=\"card wide\">\n<h2>Documentation</h2>\n<div class=\"docs\">")
		w.lines(p.Docs)
		w.raw("</div>\n</article>")
	}
	w.raw("\n</section>\n")
}

// writePluginActions writes the admin's enable/disable, reload and clear
// forms.
func writePluginActions(w htmlWriter, d *pageData, p *PluginView) {
	w.raw("<div class=\"actions\">\n<form method=\"post\" action=\"/plugins/")
	w.pathSegment(p.Name)
	if p.Enabled {
		w.raw(`/disable">`)
	} else {
		w.raw(`/enable">`)
	}
	writeCSRFField(w, d)
	if p.Enabled {
		w.raw(`<button>Disable</button>`)
	} else {
		w.raw(`<button>Enable</button>`)
	}
	w.raw("</form>\n<form method=\"post\" action=\"/plugins/")
	w.pathSegment(p.Name)
	w.raw(`/reload">`)
	writeCSRFField(w, d)
	w.raw("<button>Reload</button></form>\n<form method=\"post\" action=\"/plugins/")
	w.pathSegment(p.Name)
	w.raw(`/clear" data-confirm="Delete all data stored by this plugin?">`)
	writeCSRFField(w, d)
	w.raw("<button class=\"danger\">Clear data</button></form>\n</div>")
}

// statusFields are the fields the status panel shows of its own, in lower
// case; an Extra entry of the same name is not shown again.
var statusFields = map[string]bool{
	"enabled": true, "interval": true, "last run": true, "runs": true, "errors": true,
	"stored": true, "series": true, "source": true, "memory": true, "leak": true,
}

// writePluginStatus writes the status panel: each fact once, a disabled
// plugin's reason beside "Enabled", the last error only when the reason
// does not quote it.
func writePluginStatus(w htmlWriter, d *pageData, p *PluginView) {
	w.raw("<article class=\"card\">\n<h2>Status</h2>\n<dl>\n<dt>Enabled</dt><dd>")
	if p.Enabled {
		w.raw(`yes`)
	} else {
		w.raw(`no`)
		if p.DisabledReason != "" {
			w.raw(` — `)
			w.text(p.DisabledReason)
		}
	}
	w.raw("</dd>\n<dt>Interval</dt><dd>")
	w.text(formatSeconds(p.IntervalSeconds))
	w.raw("</dd>\n<dt>Last run</dt><dd>")
	if p.LastRun.IsZero() {
		w.raw(`never`)
	} else {
		writeAgo(w, d, p.LastRun)
		w.raw(`, took `)
		w.text(formatSeconds(p.LastDurationSeconds))
	}
	w.raw("</dd>\n<dt>Runs</dt><dd>")
	w.uint(p.Runs)
	w.raw(` · `)
	w.uint(p.Errors)
	w.raw(" errors</dd>\n<dt>Stored</dt><dd>")
	w.int(int64(p.KVKeys))
	w.raw(` keys · `)
	w.text(formatBytes(float64(p.KVBytes)))
	w.raw("</dd>\n<dt>Series</dt><dd>")
	w.int(int64(p.Series))
	w.raw("</dd>\n")
	writePluginMemory(w, d, &p.Memory)
	if p.Source != "" {
		w.raw(`<dt>Source</dt><dd><code>`)
		w.text(p.Source)
		w.raw(`</code></dd>`)
	}
	w.raw("\n")
	for _, kv := range p.Extra {
		if statusFields[strings.ToLower(kv.Key)] {
			continue // the panel shows it already
		}
		w.raw(`<dt>`)
		w.text(kv.Key)
		w.raw(`</dt><dd>`)
		w.text(kv.Value)
		w.raw(`</dd>`)
	}
	w.raw("\n</dl>\n")
	if showLastError(&p.PluginSummary) {
		w.raw(`<p class="err">`)
		w.text(p.LastError)
		w.raw(`</p>`)
	}
	w.raw("\n</article>\n")
}

// writePluginMemory writes the status panel's memory and leak rows: the
// live figure (what a recount found reachable, without garbage) beside
// the peak of the recent runs, and the leak detector's verdict.
func writePluginMemory(w htmlWriter, d *pageData, m *PluginMemory) {
	w.raw(`<dt>Memory</dt><dd>`)
	w.text(formatBytes(float64(m.LiveBytes)))
	w.raw(` live · peak `)
	w.text(formatBytes(float64(m.PeakBytes)))
	w.raw(` <span class="muted small">(live: what the plugin still holds after a recount, garbage excluded; peak: the most held during its recent runs, as its memory limit counts)</span></dd>
<dt>Leak</dt><dd>`)
	switch {
	case m.Leaking:
		w.raw(`<span class="err">growing `)
		w.text(formatBytes(m.GrowthBytesPerRun))
		w.raw(` per run over `)
		w.int(int64(m.GrowthRuns))
		w.raw(` runs</span>`)
		if !m.LeakingSince.IsZero() {
			w.raw(`, flagged `)
			writeAgo(w, d, m.LeakingSince)
		}
	case m.GrowthRuns == 0:
		w.raw(`<span class="muted">not judged yet (too few runs since the plugin was loaded)</span>`)
	default:
		w.raw(`none over the last `)
		w.int(int64(m.GrowthRuns))
		w.raw(` runs`)
		if m.GrowthBytesPerRun > 0 {
			w.raw(` (`)
			w.text(formatBytes(m.GrowthBytesPerRun))
			w.raw(` per run, below the threshold)`)
		}
	}
	w.raw("</dd>\n")
}

func writePluginLimits(w htmlWriter, p *PluginView) {
	w.raw("<article class=\"card\">\n<h2>Limits</h2>\n<ul class=\"limits\">\n")
	for _, l := range p.Limits {
		w.raw(`<li><div class="lrow"><b>`)
		w.text(l.Name)
		w.raw(`</b><span>`)
		w.text(formatLimit(l))
		w.raw(`</span></div>`)
		writeMeter(w, limitPercent(l))
		w.raw("</li>\n")
	}
	if len(p.Limits) == 0 {
		w.raw(`<li class="muted">No limits reported.</li>`)
	}
	w.raw("\n</ul>\n<h3>Permissions</h3>\n<p>")
	for _, perm := range p.Permissions {
		w.raw(`<span class="chip">`)
		w.text(perm)
		w.raw(`</span> `)
	}
	if len(p.Permissions) == 0 {
		w.raw(`<span class="muted">none</span>`)
	}
	w.raw("</p>\n</article>\n")
}

func writePluginRuns(w htmlWriter, d *pageData, p *PluginView) {
	w.raw(`<article class="card wide">
<h2>Recent runs</h2>
<div class="scroll"><table class="runs">
<thead><tr><th>When</th><th>Took</th><th class="opt num">Instructions</th><th class="num">Memory</th><th>Result</th></tr></thead>
<tbody>`)
	for _, r := range p.RecentRuns {
		w.raw(`<tr><td class="nowrap">`)
		writeAgo(w, d, r.Time)
		w.raw(`</td><td class="nowrap">`)
		w.text(formatSeconds(r.DurationSeconds))
		w.raw(`</td><td class="opt num">`)
		w.uint(r.Instructions)
		w.raw(`</td><td class="num nowrap">`)
		w.text(formatBytes(float64(r.MemoryBytes)))
		w.raw(`</td><td class="msg">`)
		if r.Error != "" {
			w.raw(`<span class="err">`)
			w.text(r.Error)
			w.raw(`</span>`)
		} else {
			w.raw(`ok`)
		}
		w.raw("</td></tr>\n")
	}
	if len(p.RecentRuns) == 0 {
		w.raw(`<tr><td colspan="5" class="muted">No runs yet.</td></tr>`)
	}
	w.raw("</tbody>\n</table></div>\n</article>\n")
}

func writePluginLog(w htmlWriter, p *PluginView) {
	w.raw("<article class=\"card wide\">\n<h2>Log</h2>\n<ol class=\"log\">")
	for _, l := range p.Logs {
		w.raw(`<li class="lvl-`)
		w.text(l.Level)
		w.raw(`"><span class="muted">`)
		w.stamp(l.Time, "15:04:05")
		w.raw(`</span> <b>`)
		w.text(l.Level)
		w.raw(`</b> `)
		w.text(l.Message)
		w.raw("</li>\n")
	}
	if len(p.Logs) == 0 {
		w.raw(`<li class="muted">No log lines.</li>`)
	}
	w.raw("</ol>\n</article>\n")
}

func writePluginMetrics(w htmlWriter, p *PluginView) {
	w.raw("<article class=\"card wide\">\n<h2>Metrics</h2>\n<div class=\"scroll\"><table>\n<tbody>")
	for _, m := range p.Metrics {
		w.raw(`<tr><td><code>`)
		w.text(m.Name)
		if len(m.Labels) > 0 {
			w.raw(`{`)
			for i, l := range m.Labels {
				if i > 0 {
					w.raw(`,`)
				}
				w.text(l.Key)
				w.raw(`="`)
				w.text(l.Value)
				w.raw(`"`)
			}
			w.raw(`}`)
		}
		w.raw(`</code></td><td class="num">`)
		w.text(formatNumber(m.Value))
		w.raw(`</td><td class="muted small">`)
		w.text(m.Type)
		w.raw("</td></tr>\n")
	}
	if len(p.Metrics) == 0 {
		w.raw(`<tr><td class="muted">No series.</td></tr>`)
	}
	w.raw("</tbody>\n</table></div>\n</article>\n")
}
