package web

import (
	"strings"
)

// route names the handler a request path maps to; it is also the bounded
// "route" label of the server metrics.
type route uint8

const (
	routeNotFound route = iota
	routeOverview
	routePluginPage
	routePluginForm
	routeInstallForm
	routeEventsPage
	routeEventsAckForm
	routeSettingsPage
	routeLoginPage
	routeLogoutForm
	routeNetworkPage
	routeAlertsPage
	routeDocs
	routeStatic
	routeMetrics
	routeHealthz
	routeAPIOverview
	routeAPIPlugins
	routeAPIPlugin
	routeAPIPluginAction
	routeAPIInstall
	routeAPIEvents
	routeAPIEventsAck
	routeAPISettings
	routeAPIHistory
	routeAPILogin
	routeAPILogout
	routeAPINetwork
	routeAPIAlerts
	numRoutes
)

var routeNames = [numRoutes]string{
	routeNotFound:        "not_found",
	routeOverview:        "overview",
	routePluginPage:      "plugin_page",
	routePluginForm:      "plugin_form",
	routeInstallForm:     "install_form",
	routeEventsPage:      "events_page",
	routeEventsAckForm:   "events_ack_form",
	routeSettingsPage:    "settings_page",
	routeLoginPage:       "login_page",
	routeLogoutForm:      "logout_form",
	routeNetworkPage:     "network_page",
	routeStatic:          "static",
	routeMetrics:         "metrics",
	routeHealthz:         "healthz",
	routeAPIOverview:     "api_overview",
	routeAPIPlugins:      "api_plugins",
	routeAPIPlugin:       "api_plugin",
	routeAPIPluginAction: "api_plugin_action",
	routeAPIInstall:      "api_install",
	routeAPIEvents:       "api_events",
	routeAPIEventsAck:    "api_events_ack",
	routeAPISettings:     "api_settings",
	routeAPIHistory:      "api_history",
	routeAPILogin:        "api_login",
	routeAPILogout:       "api_logout",
	routeDocs:            "docs",
	routeAPINetwork:      "api_network",
	routeAlertsPage:      "alerts_page",
	routeAPIAlerts:       "api_alerts",
}

func (r route) String() string {
	if r < numRoutes {
		return routeNames[r]
	}
	return "not_found"
}

// isAPI reports whether errors on r are answered as JSON: every route
// from routeAPIOverview on is, so pages (routeDocs among them) must come
// before it.
func (r route) isAPI() bool {
	return r >= routeAPIOverview || r == routeMetrics || r == routeHealthz || r == routeNotFound
}

// validPluginName reports whether s is a well-formed plugin name, the
// design.md contract [a-z][a-z0-9-]{0,31}.
func validPluginName(s string) bool { return lowerIdent(s, 32, "-") }

// lowerIdent reports whether s is a lower-case letter followed by lower-case
// letters, digits or bytes of punct, at most maxLen bytes in all. (A
// regular expression with a counted repetition such as {0,63} compiles to
// tens of KB of program; this is the same test without it.)
func lowerIdent(s string, maxLen int, punct string) bool {
	if len(s) == 0 || len(s) > maxLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte(punct, c) >= 0) {
			return false
		}
	}
	return true
}

// pluginActions are the admin actions on one plugin.
var pluginActions = map[string]bool{"enable": true, "disable": true, "reload": true, "clear": true, "remove": true}

// match is the result of routing a path.
type match struct {
	route  route
	name   string // plugin name, if the route has one
	action string // plugin action, if the route has one
	file   string // static file name
	bad    string // non-empty: the path parameter is malformed (400)
}

// matchPath maps a normalized request path to a route and its parameters.
// Methods are checked by the handlers.
func matchPath(path string) match {
	switch path {
	case "/":
		return match{route: routeOverview}
	case "/events":
		return match{route: routeEventsPage}
	case "/events/ack":
		return match{route: routeEventsAckForm}
	case "/settings":
		return match{route: routeSettingsPage}
	case "/login":
		return match{route: routeLoginPage}
	case "/logout":
		return match{route: routeLogoutForm}
	case "/metrics":
		return match{route: routeMetrics}
	case "/healthz":
		return match{route: routeHealthz}
	case "/docs":
		return match{route: routeDocs}
	case "/network":
		return match{route: routeNetworkPage}
	case "/api/v1/network":
		return match{route: routeAPINetwork}
	case "/alerts":
		return match{route: routeAlertsPage}
	case "/api/v1/alerts":
		return match{route: routeAPIAlerts}
	case "/plugins/install":
		return match{route: routeInstallForm}
	case "/api/v1/overview":
		return match{route: routeAPIOverview}
	case "/api/v1/plugins":
		return match{route: routeAPIPlugins}
	case "/api/v1/plugins/install":
		return match{route: routeAPIInstall}
	case "/api/v1/events":
		return match{route: routeAPIEvents}
	case "/api/v1/events/ack":
		return match{route: routeAPIEventsAck}
	case "/api/v1/settings":
		return match{route: routeAPISettings}
	case "/api/v1/history":
		return match{route: routeAPIHistory}
	case "/api/v1/login":
		return match{route: routeAPILogin}
	case "/api/v1/logout":
		return match{route: routeAPILogout}
	}
	if rest, ok := strings.CutPrefix(path, "/static/"); ok {
		return match{route: routeStatic, file: rest}
	}
	if rest, ok := strings.CutPrefix(path, "/api/v1/plugins/"); ok {
		return matchPlugin(rest, routeAPIPlugin, routeAPIPluginAction)
	}
	if rest, ok := strings.CutPrefix(path, "/plugins/"); ok {
		return matchPlugin(rest, routePluginPage, routePluginForm)
	}
	return match{route: routeNotFound}
}

func matchPlugin(rest string, page, action route) match {
	name, act, hasAct := strings.Cut(rest, "/")
	m := match{route: page, name: name}
	if hasAct {
		if !pluginActions[act] {
			return match{route: routeNotFound}
		}
		m.route, m.action = action, act
	}
	if !validPluginName(name) {
		m.bad = "invalid plugin name: want [a-z][a-z0-9-]{0,31}"
	}
	return m
}
