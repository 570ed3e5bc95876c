package web

import (
	"time"

	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"
)

// pageData is what the layout around every page shows.
type pageData struct {
	Title   string
	Nav     string // which navigation entry is current
	Host    string
	Version string
	Now     time.Time
	Admin   bool
	CSRF    string
	Unacked int  // unacknowledged events
	Alarm   bool // some of them are warnings or worse: the count shows red
	Firing  int  // built-in alerts firing now
	Refresh int  // seconds between automatic reloads; 0 none
	Flash   string
}

// bodyWriter writes a page's own content into the layout.
type bodyWriter func(w htmlWriter, d *pageData)

// flashMessages are the fixed notices a redirect after a form may ask for
// with ?done=; nothing from the request is echoed.
var flashMessages = map[string]string{
	"enable":   "Plugin enabled.",
	"disable":  "Plugin disabled.",
	"reload":   "Plugin reloaded.",
	"clear":    "Plugin data cleared.",
	"install":  "Plugin installed.",
	"ack":      "Events acknowledged.",
	"saved":    "Settings saved.",
	"loggedin": "Logged in.",
	"logout":   "Logged out.",
}

// dateTimeLayout is how the pages show a full timestamp.
const dateTimeLayout = "2006-01-02 15:04:05 MST"

// newPageData fills the fields every page shows.
func (s *Server) newPageData(a auth, title, nav string) pageData {
	return pageData{
		Title: title,
		Nav:   nav,
		Now:   s.now(),
		Admin: a.admin(),
		CSRF:  a.sess.csrf,
	}
}

// render writes the layout with body into the response with status code.
func (s *Server) render(ctx *fasthttp.RequestCtx, code int, d pageData, body bodyWriter) {
	if flash := string(ctx.QueryArgs().Peek("done")); flash != "" {
		d.Flash = flashMessages[flash]
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	writeLayout(htmlWriter{b: buf}, &d, body)
	ctx.SetStatusCode(code)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(buf.B)
}

// writeLayout writes the document around body: head, header with the
// navigation, flash notice and footer.
func writeLayout(w htmlWriter, d *pageData, body bodyWriter) {
	w.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>`)
	w.text(d.Title)
	w.raw(` · heimnetz`)
	if d.Host != "" {
		w.raw(` · `)
		w.text(d.Host)
	}
	w.raw(`</title>
<link rel="stylesheet" href="/static/style.css?v=`)
	w.text(staticVersion)
	w.raw(`">
<link rel="icon" href="/static/icon.svg?v=`)
	w.text(staticVersion)
	w.raw(`" type="image/svg+xml">
<script src="/static/app.js?v=`)
	w.text(staticVersion)
	w.raw(`" defer></script>
</head>
<body`)
	if d.Refresh != 0 {
		w.raw(` data-refresh="`)
		w.int(int64(d.Refresh))
		w.raw(`"`)
	}
	w.raw(`>
<header class="top">
<a class="brand" href="/"><img src="/static/icon.svg?v=`)
	w.text(staticVersion)
	w.raw(`" alt="" width="22" height="22">heimnetz`)
	if d.Host != "" {
		w.raw(`<span class="host">`)
		w.text(d.Host)
		w.raw(`</span>`)
	}
	w.raw("</a>\n<nav>\n<a href=\"/\"")
	writeCurrent(w, d.Nav == "overview")
	w.raw(">Overview</a>\n<a href=\"/network\"")
	writeCurrent(w, d.Nav == "network")
	w.raw(">Network</a>\n<a href=\"/alerts\"")
	writeCurrent(w, d.Nav == "alerts")
	w.raw(`>Alerts`)
	if d.Firing != 0 {
		w.raw(` `)
		writeEventCount(w, d.Firing, true, "")
	}
	w.raw("</a>\n<a href=\"/events\"")
	writeCurrent(w, d.Nav == "events")
	w.raw(`>Events`)
	if d.Unacked != 0 {
		w.raw(` `)
		writeEventCount(w, d.Unacked, d.Alarm, "")
	}
	w.raw("</a>\n<a href=\"/docs\"")
	writeCurrent(w, d.Nav == "docs")
	w.raw(">Docs</a>\n")
	if d.Admin {
		w.raw(`<a href="/settings"`)
		writeCurrent(w, d.Nav == "settings")
		w.raw(">Settings</a>\n<form method=\"post\" action=\"/logout\" class=\"inline\">")
		writeCSRFField(w, d)
		w.raw("<button class=\"link\">Log out</button></form>\n")
	} else {
		w.raw(`<a href="/login"`)
		writeCurrent(w, d.Nav == "login")
		w.raw(`>Log in</a>`)
	}
	w.raw("\n</nav>\n</header>\n<main>\n")
	if d.Flash != "" {
		w.raw(`<p class="flash" role="status">`)
		w.text(d.Flash)
		w.raw(`</p>`)
	}
	w.raw("\n")
	body(w, d)
	w.raw("\n</main>\n<footer>heimnetz ")
	w.text(d.Version)
	w.raw(` · `)
	w.stamp(d.Now, dateTimeLayout)
	w.raw("</footer>\n</body>\n</html>\n")
}

// writeEventCount writes the count of unacknowledged events, red only when
// alarm says a warning or worse is among them (an agent start is news,
// not an alarm), with an optional suffix (" new").
func writeEventCount(w htmlWriter, n int, alarm bool, suffix markup) {
	w.raw(`<span class="count`)
	if alarm {
		w.raw(` alarm`)
	}
	w.raw(`">`)
	w.int(int64(n))
	w.raw(suffix)
	w.raw(`</span>`)
}

// alarming reports whether unacknowledged events include a warning or
// worse.
func alarming(st EventStats) bool {
	return st.UnackedWarning+st.UnackedHigh+st.UnackedCritical > 0
}

// writeCurrent marks the current navigation entry.
func writeCurrent(w htmlWriter, current bool) {
	if current {
		w.raw(` aria-current="page"`)
	}
}

// writeCSRFField writes the hidden CSRF token field every POST form has.
func writeCSRFField(w htmlWriter, d *pageData) {
	w.raw(`<input type="hidden" name="csrf" value="`)
	w.text(d.CSRF)
	w.raw(`">`)
}

// writeSpark writes a sparkline as inline SVG; its points are numbers only.
func writeSpark(w htmlWriter, sp *sparkline) {
	if sp.Empty {
		w.raw(`<span class="muted small">collecting…</span>`)
		return
	}
	w.raw(`<svg class="spark`)
	if sp.Area != "" {
		w.raw(` big`)
	}
	w.raw(`" viewBox="0 0 `)
	w.int(int64(sp.Width))
	w.raw(` `)
	w.int(int64(sp.Height))
	w.raw(`" width="`)
	w.int(int64(sp.Width))
	w.raw(`" height="`)
	w.int(int64(sp.Height))
	w.raw(`" preserveAspectRatio="none" role="img"`)
	w.attr("aria-label", sp.Label)
	w.raw(`>`)
	if sp.Area != "" {
		w.raw(`<polygon class="area"`)
		w.attr("points", sp.Area)
		w.raw(`/>`)
	}
	w.raw(`<polyline class="line"`)
	w.attr("points", sp.Line)
	w.raw(`/></svg>`)
}

// writeChart writes a captioned sparkline with its newest and peak value;
// a chart still collecting shows no value, since a lone first sample of a
// rate is a placeholder, not a measurement.
func writeChart(w htmlWriter, sp *sparkline) {
	w.raw(`<figure class="chart"><figcaption><span>`)
	w.text(sp.Label)
	w.raw(`</span>`)
	if !sp.Empty {
		w.raw(`<b>`)
		w.text(sp.Last)
		w.raw(`</b>`)
	}
	w.raw(`</figcaption>`)
	writeSpark(w, sp)
	if !sp.Empty {
		w.raw(`<span class="muted small">peak `)
		w.text(sp.Peak)
		w.raw(`</span>`)
	}
	w.raw(`</figure>`)
}

// writeBadge writes a state or severity badge: kind is "state" or "sev".
func writeBadge(w htmlWriter, kind markup, value string) {
	w.raw(`<span class="badge `)
	w.raw(kind)
	w.raw(`-`)
	w.text(value)
	w.raw(`">`)
	w.text(value)
	w.raw(`</span>`)
}

// writePluginLink writes a link to a plugin's page, or nothing for no
// plugin.
func writePluginLink(w htmlWriter, name string) {
	if name == "" {
		return
	}
	w.raw(`<a href="/plugins/`)
	w.pathSegment(name)
	w.raw(`">`)
	w.text(name)
	w.raw(`</a>`)
}

// writeMeter writes a horizontal bar for a percentage, 0..100.
func writeMeter(w htmlWriter, pct float64) {
	w.raw(`<svg class="meter" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="`)
	w.fixed(pct, 0)
	w.raw(` percent"><rect class="meter-bg" width="100" height="6" rx="3"/><rect class="meter-fg`)
	switch {
	case pct >= 90:
		w.raw(` hot`)
	case pct >= 70:
		w.raw(` warm`)
	}
	w.raw(`" width="`)
	w.fixed(pct, 1)
	w.raw(`" height="6" rx="3"/></svg>`)
}

// writeAgo writes how long before the page's time t was.
func writeAgo(w htmlWriter, d *pageData, t time.Time) {
	w.text(formatAgo(d.Now, t))
}
