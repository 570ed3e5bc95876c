package web

import (
	"github.com/valyala/fasthttp"
)

// alertsPage serves /alerts: the agent's built-in alerts, firing ones on
// top as banners, then every alert with its state.
func (s *Server) alertsPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m)
	if !ok {
		return
	}
	sts := s.b.Alerts()
	d := s.newPageData(a, "Alerts", "alerts")
	s.fillHeader(&d)
	d.Refresh = 15
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { writeAlerts(w, d, sts) })
}

// apiAlerts serves GET /api/v1/alerts.
func (s *Server) apiAlerts(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	sts := s.b.Alerts()
	if sts == nil {
		sts = []AlertStatus{}
	}
	writeJSON(ctx, fasthttp.StatusOK, struct {
		Alerts []AlertStatus `json:"alerts"`
	}{sts})
}

// firingCount is how many of sts fire.
func firingCount(sts []AlertStatus) int {
	n := 0
	for _, a := range sts {
		if a.State == AlertFiring {
			n++
		}
	}
	return n
}

// writeAlerts writes the alerts page: a banner per firing alert, then a
// table of every alert (on a phone, one block per alert).
func writeAlerts(w htmlWriter, d *pageData, sts []AlertStatus) {
	firing := firingCount(sts)
	w.raw("\n<h1>Alerts <span class=\"muted small\">")
	w.int(int64(firing))
	w.raw(" firing</span></h1>\n")
	if firing > 0 {
		w.raw("<section class=\"alerts\" aria-label=\"Firing alerts\">\n")
		for i := range sts {
			a := &sts[i]
			if a.State != AlertFiring {
				continue
			}
			w.raw(`<div class="alert sev-`)
			w.text(a.Severity)
			w.raw(`"><b>`)
			w.text(a.Name)
			w.raw(`</b> `)
			w.text(a.Summary)
			w.raw(` <span class="muted small">since `)
			writeAgo(w, d, a.Since)
			w.raw("</span></div>\n")
		}
		w.raw("</section>\n")
	} else {
		w.raw("<p class=\"muted\">Nothing is wrong that the agent checks for.</p>\n")
	}
	w.raw("<div class=\"scroll\">\n<table class=\"events alerts-table\">\n<thead><tr><th>State</th><th>Since</th><th>Alert</th><th>Severity</th><th>Plugin</th><th>Summary</th></tr></thead>\n<tbody>\n")
	for i := range sts {
		a := &sts[i]
		w.raw(`<tr><td>`)
		writeBadge(w, "state", a.State)
		w.raw(`</td><td class="nowrap" title="`)
		w.stamp(a.Since, dateTimeLayout)
		w.raw(`">`)
		writeAgo(w, d, a.Since)
		w.raw(`</td><td><code>`)
		w.text(a.Name)
		w.raw(`</code></td><td>`)
		writeBadge(w, "sev", a.Severity)
		w.raw(`</td><td>`)
		writePluginLink(w, a.Labels["plugin"])
		w.raw(`</td><td class="msg">`)
		w.text(a.Summary)
		w.raw("</td></tr>\n")
	}
	if len(sts) == 0 {
		w.raw("<tr><td colspan=\"6\" class=\"muted\">No alerts evaluated yet.</td></tr>\n")
	}
	w.raw("</tbody>\n</table>\n</div>\n<p class=\"muted small\">Thresholds: the <code>alerts</code> section of the agent's config (UCI <code>config alerts 'alerts'</code>). Changes are security events of type <a href=\"/events?type=alert\">alert</a>; firing alerts are <code>heimnetz_alert</code> in <a href=\"/metrics\">/metrics</a>.</p>\n")
}
