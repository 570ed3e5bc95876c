package web

import (
	"embed"
	"fmt"
	"html/template"
	"sort"
	"time"

	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	sets map[string]*template.Template
}

var pageNames = []string{"overview", "plugin", "events", "settings", "login", "error"}

func newPages() (*pages, error) {
	p := &pages{sets: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// now is replaced in tests that need stable "ago" texts.
var templateNow = time.Now

var templateFuncs = template.FuncMap{
	"bytes":     func(v any) string { return formatBytes(toFloat(v)) },
	"secs":      formatSeconds,
	"dur":       func(s float64) string { return formatDuration(time.Duration(s * float64(time.Second))) },
	"ago":       func(t time.Time) string { return formatAgo(templateNow(), t) },
	"since":     func(t time.Time) string { return formatDuration(templateNow().Sub(t)) },
	"num":       formatNumber,
	"clip":      clip,
	"short":     shortCommit,
	"memUsed":   memUsed,
	"memPct":    memPercent,
	"limitText": formatLimit,
	"limitPct":  limitPercent,
}

// pageData is what every page template gets; Body is the page's own view.
type pageData struct {
	Title         string
	Nav           string
	Host          string
	Version       string
	StaticVersion string
	Now           time.Time
	Admin         bool
	CSRF          string
	Unacked       int
	Refresh       int // seconds between automatic reloads; 0 none
	Flash         string
	Body          any
	Charts        any
	Severities    []string
	Levels        []string
}

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

// newPageData fills the fields every page shows.
func (s *Server) newPageData(a auth, title, nav string) pageData {
	d := pageData{
		Title:         title,
		Nav:           nav,
		StaticVersion: staticVersion,
		Now:           s.now(),
		Admin:         a.admin(),
		CSRF:          a.sess.csrf,
	}
	return d
}

// render executes page into the response with status code.
func (s *Server) render(ctx *fasthttp.RequestCtx, code int, page string, d pageData) {
	t, ok := s.pages.sets[page]
	if !ok {
		writeJSONError(ctx, fasthttp.StatusInternalServerError, "missing page template")
		return
	}
	if flash := string(ctx.QueryArgs().Peek("done")); flash != "" {
		d.Flash = flashMessages[flash]
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", d); err != nil {
		s.log.Error("web: render page", "page", page, "err", err)
		writeJSONError(ctx, fasthttp.StatusInternalServerError, "cannot render page")
		return
	}
	ctx.SetStatusCode(code)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(buf.B)
}

// errorView is the body of the error page.
type errorView struct {
	Code    int
	Status  string
	Message string
}

// renderError answers with the HTML error page.
func (s *Server) renderError(ctx *fasthttp.RequestCtx, code int, msg string) {
	a, _ := s.authenticate(ctx)
	d := s.newPageData(a, fasthttp.StatusMessage(code), "")
	d.Body = errorView{Code: code, Status: fasthttp.StatusMessage(code), Message: msg}
	ctx.Response.ResetBody()
	s.render(ctx, code, "error", d)
}

// readPage is the common start of a read-only page: method, arguments and
// access. It answers and returns false when the request may not proceed.
func (s *Server) readPage(ctx *fasthttp.RequestCtx, m *match, args ...string) (auth, bool) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return auth{}, false
	}
	if err := checkArgs(ctx.QueryArgs(), append(args, "done")...); err != nil {
		s.inputFail(ctx, m.route, err)
		return auth{}, false
	}
	return s.requireRead(ctx, m.route)
}

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

func pctText(v float64) string  { return fmt.Sprintf("%.1f %%", v) }
func loadText(v float64) string { return fmt.Sprintf("%.2f", v) }
func msText(v float64) string   { return formatSeconds(v) }
func rateText(v float64) string { return formatBytes(v) + "/s" }
func memText(v float64) string  { return formatBytes(v) }

func (s *Server) overviewCharts(v OverviewView) overviewCharts {
	h := s.history.snapshot()
	mins := fmt.Sprintf("last %d min", int(float64(h.Points)*h.IntervalSeconds/60))
	c := overviewCharts{
		Load:    newSparkline(h.Load1, bigW, bigH, overviewPoints, "Load, "+mins, loadText),
		Latency: newSparkline(h.LatencyMeanSeconds, bigW, bigH, overviewPoints, "Request latency, "+mins, msText),
		Plugins: make(map[string]pluginCharts, len(v.Plugins)),
	}
	for _, p := range v.Plugins {
		ph := h.Plugins[p.Name]
		c.Plugins[p.Name] = pluginCharts{
			CPU:    newSparkline(ph.CPUPercent, sparkW, sparkH, overviewPoints, "CPU", pctText),
			Memory: newSparkline(ph.MemoryBytes, sparkW, sparkH, overviewPoints, "Memory", memText),
		}
	}
	for _, it := range v.Interfaces {
		ih := h.Interfaces[it.Name]
		c.Interfaces = append(c.Interfaces, ifaceCharts{
			Name: it.Name, RxTotal: it.RxBytes, TxTotal: it.TxBytes,
			Rx: newSparkline(ih.RxBytesPerSecond, sparkW, sparkH, overviewPoints, "Down", rateText),
			Tx: newSparkline(ih.TxBytesPerSecond, sparkW, sparkH, overviewPoints, "Up", rateText),
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
	d.Host, d.Version, d.Unacked = v.Device.Hostname, v.Agent.Version, v.EventStats.Unacked
	d.Refresh = 15
	d.Body, d.Charts = v, s.overviewCharts(v)
	s.render(ctx, fasthttp.StatusOK, "overview", d)
	if cacheable && ctx.Response.StatusCode() == fasthttp.StatusOK {
		html := append([]byte(nil), ctx.Response.Body()...)
		gz := s.overviewCache.put(now, gen, html)
		writeCachedPage(ctx, html, gz)
	}
}

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
	mins := fmt.Sprintf("last %d min", int(float64(n)*s.cfg.HistoryInterval.Seconds()/60))
	d.Body = v
	d.Charts = pluginCharts{
		CPU:    newSparkline(v.History.CPUPercent, bigW, bigH, n, "CPU, "+mins, pctText),
		Memory: newSparkline(v.History.MemoryBytes, bigW, bigH, n, "Memory, "+mins, memText),
	}
	s.render(ctx, fasthttp.StatusOK, "plugin", d)
}

// fillHeader adds the host name, version and unacked count shown in the
// header of pages that do not fetch the overview anyway.
func (s *Server) fillHeader(d *pageData) {
	ov := s.b.Overview()
	d.Host, d.Version = ov.Device.Hostname, ov.Agent.Version
	if _, st, err := s.b.Events(EventQuery{Limit: 1}); err == nil {
		d.Unacked = st.Unacked
	}
}

// eventsView is the body of the events page.
type eventsView struct {
	Admin      bool
	Events     []Event
	Stats      EventStats
	Query      EventQuery
	Severities []string
	Older      string
}

func (s *Server) eventsPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m, "limit", "before", "severity", "type", "plugin", "unacked")
	if !ok {
		return
	}
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	ctx.QueryArgs().CopyTo(args)
	args.Del("done")
	q, err := parseEventQuery(args)
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	evs, st, err := s.b.Events(q)
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	d := s.newPageData(a, "Events", "events")
	s.fillHeader(&d)
	v := eventsView{Admin: a.admin(), Events: evs, Stats: st, Query: q, Severities: []string{SeverityInfo, SeverityWarning, SeverityCritical}}
	if len(evs) == q.Limit && evs[len(evs)-1].Seq > 1 {
		older := fasthttp.AcquireArgs()
		defer fasthttp.ReleaseArgs(older)
		args.CopyTo(older)
		older.Set("before", fmt.Sprint(evs[len(evs)-1].Seq))
		v.Older = "/events?" + older.String()
	}
	d.Body = v
	s.render(ctx, fasthttp.StatusOK, "events", d)
}

func (s *Server) settingsPage(ctx *fasthttp.RequestCtx, m *match) {
	if ctx.IsPost() {
		s.settingsForm(ctx, m)
		return
	}
	if !allowMethods(s, ctx, m.route, "GET, HEAD, POST") {
		return
	}
	if err := checkArgs(ctx.QueryArgs(), "done"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	a, ok := s.authenticate(ctx)
	if !ok || !a.admin() {
		s.unauthorized(ctx, m.route, "authentication required")
		return
	}
	d := s.newPageData(a, "Settings", "settings")
	s.fillHeader(&d)
	d.Body = s.b.Settings()
	d.Levels = []string{"debug", "info", "warn", "error"}
	s.render(ctx, fasthttp.StatusOK, "settings", d)
}

// loginView is the body of the login page.
type loginView struct {
	Next  string
	Error string
}

func (s *Server) loginPage(ctx *fasthttp.RequestCtx, m *match) {
	if ctx.IsPost() {
		s.loginForm(ctx, m)
		return
	}
	if !allowMethods(s, ctx, m.route, "GET, HEAD, POST") {
		return
	}
	if err := checkArgs(ctx.QueryArgs(), "next", "done"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	a, _ := s.authenticate(ctx)
	d := s.newPageData(a, "Log in", "login")
	d.Body = loginView{Next: safeNext(string(ctx.QueryArgs().Peek("next")))}
	s.render(ctx, fasthttp.StatusOK, "login", d)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
