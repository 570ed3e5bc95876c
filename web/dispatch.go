package web

import (
	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"
)

// route checks the request's size limits and path parameters and calls the
// route's handler.
func (s *Server) route(ctx *fasthttp.RequestCtx) {
	m := routeOf(ctx)
	if !s.checkHost(ctx, m.route) {
		return
	}
	// Refusals before the body is read close the connection after the
	// answer rather than wait for a body nobody will read.
	if len(ctx.Path()) > maxPathLen || len(ctx.URI().QueryString()) > maxQueryLen {
		s.bodyRefused(ctx, m.route, fasthttp.StatusRequestURITooLong, "request URI too long")
		return
	}
	if m.bad != "" {
		s.bodyRefused(ctx, m.route, fasthttp.StatusBadRequest, m.bad)
		return
	}
	release, ok := s.readBody(ctx, m)
	if !ok {
		return
	}
	defer release()
	if m.route == routeHealthz {
		// Outside the handler slots: a watchdog's or monitor's probe
		// must answer while strangers keep every slot busy (it is cheap:
		// the backend answers from state it keeps).
		s.healthz(ctx, m)
		return
	}
	s.handlers.enter()
	defer s.handlers.leave()
	switch m.route {
	case routeMetrics:
		s.serveMetrics(ctx, m)
	case routeStatic:
		s.serveStatic(ctx, m)
	case routeOverview:
		s.overviewPage(ctx, m)
	case routePluginPage:
		s.pluginPage(ctx, m)
	case routePluginForm:
		s.pluginForm(ctx, m)
	case routeInstallForm:
		s.installForm(ctx, m)
	case routeEventsPage:
		s.eventsPage(ctx, m)
	case routeEventsAckForm:
		s.eventsAckForm(ctx, m)
	case routeSettingsPage:
		s.settingsPage(ctx, m)
	case routeLoginPage:
		s.loginPage(ctx, m)
	case routeLogoutForm:
		s.logoutForm(ctx, m)
	case routeAPIOverview:
		s.apiOverview(ctx, m)
	case routeAPIPlugins:
		s.apiPlugins(ctx, m)
	case routeAPIPlugin:
		s.apiPlugin(ctx, m)
	case routeAPIPluginAction:
		s.apiPluginAction(ctx, m)
	case routeAPIInstall:
		s.apiInstall(ctx, m)
	case routeAPIEvents:
		s.apiEvents(ctx, m)
	case routeAPIEventsAck:
		s.apiEventsAck(ctx, m)
	case routeAPISettings:
		s.apiSettings(ctx, m)
	case routeAPIHistory:
		s.apiHistory(ctx, m)
	case routeAPILogin:
		s.apiLogin(ctx, m)
	case routeAPILogout:
		s.apiLogout(ctx, m)
	case routeDocs:
		s.docsPage(ctx, m)
	case routeNetworkPage:
		s.networkPage(ctx, m)
	case routeAPINetwork:
		s.apiNetwork(ctx, m)
	case routeAlertsPage:
		s.alertsPage(ctx, m)
	case routeAPIAlerts:
		s.apiAlerts(ctx, m)
	default:
		s.fail(ctx, routeNotFound, fasthttp.StatusNotFound, "not found")
	}
}

// metricsContentType is the Prometheus text exposition format 0.0.4.
const metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

func (s *Server) serveMetrics(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return
	}
	if mr, ok := s.b.(MetricsRenderer); ok {
		s.serveRenderedMetrics(ctx, mr)
		return
	}
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	s.WriteServerMetrics(buf)
	s.b.WriteMetrics(buf)
	ctx.SetContentType(metricsContentType)
	ctx.SetBody(buf.B)
}
