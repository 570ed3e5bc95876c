package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	e := newTestEnv(t)
	r := e.get("/healthz")
	if r.code != 200 || r.body != "ok" {
		t.Fatalf("GET /healthz = %d %q, want 200 \"ok\"", r.code, r.body)
	}
	if r := e.do("POST", "/healthz", ""); r.code != 405 || r.header.Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST /healthz = %d Allow %q, want 405 \"GET, HEAD\"", r.code, r.header.Get("Allow"))
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newTestEnv(t)
	want := map[string]string{
		"Content-Security-Policy": contentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
	}
	cases := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/plugins/system"}, {"GET", "/events"}, {"GET", "/login"}, {"GET", "/settings"},
		{"GET", "/metrics"}, {"GET", "/healthz"}, {"GET", "/static/style.css"}, {"GET", "/api/v1/plugins"},
		{"GET", "/nope"}, {"GET", "/plugins/Bad_Name"}, {"POST", "/api/v1/plugins/system/disable"},
		{"DELETE", "/"}, {"GET", "/api/v1/events?limit=0"},
	}
	for _, c := range cases {
		r := e.do(c.method, c.path, "")
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s %s (%d): %s = %q, want %q", c.method, c.path, r.code, k, got, v)
			}
		}
	}
	if !strings.Contains(contentSecurityPolicy, "default-src 'none'") || strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Errorf("CSP not strict: %s", contentSecurityPolicy)
	}
}

func TestRoutesStatusAndType(t *testing.T) {
	e := newTestEnv(t)
	cases := []struct {
		method, path string
		code         int
		ctype        string
		contains     string
	}{
		{"GET", "/", 200, "text/html", "example-counter"},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/plugins/system", 200, "text/html", "Load, memory and uptime"},
		{"GET", "/plugins/missing", 404, "text/html", "not found"},
		{"GET", "/plugins/Bad_Name", 400, "text/html", "invalid plugin name"},
		{"GET", "/events", 200, "text/html", "Events"},
		{"GET", "/login", 200, "text/html", `type="password"`},
		{"GET", "/settings", 303, "", ""},
		{"GET", "/metrics", 200, "text/plain; version=0.0.4", "heimnetz_plugin_executions_total{plugin=\"system\"} 240"},
		{"GET", "/static/style.css", 200, "text/css", "prefers-color-scheme:dark"},
		{"GET", "/static/app.js", 200, "text/javascript", "data-refresh"},
		{"GET", "/static/icon.svg", 200, "image/svg+xml", "<svg"},
		{"GET", "/static/../backend.go", 404, "application/json", "not found"},
		{"GET", "/static/missing.css", 404, "application/json", "not found"},
		{"GET", "/api/v1/overview", 200, "application/json", `"hostname":"OpenWrt"`},
		{"GET", "/api/v1/plugins", 200, "application/json", `"name":"example-counter"`},
		{"GET", "/api/v1/plugins/net", 200, "application/json", `"permissions":["metrics","board"]`},
		{"GET", "/api/v1/plugins/missing", 404, "application/json", `{"error":"plugin \"missing\": not found"}`},
		{"GET", "/api/v1/plugins/%3Cscript%3E", 400, "application/json", "invalid plugin name"},
		{"GET", "/api/v1/plugins/system/frobnicate", 404, "application/json", `"error":"not found"`},
		{"GET", "/api/v1/events", 200, "application/json", `"events":[`},
		{"GET", "/api/v1/settings", 200, "application/json", `"log_level":"info"`},
		{"GET", "/api/v1/history", 200, "application/json", `"interval_seconds":15`},
		{"GET", "/api/v1/plugins/system/enable", 405, "application/json", "method not allowed"},
		{"POST", "/api/v1/plugins", 405, "application/json", "method not allowed"},
		{"GET", "/nope", 404, "application/json", `{"error":"not found"}`},
		{"GET", "/api/v1/plugins?x=1", 400, "application/json", `unknown parameter \"x\"`},
	}
	for _, c := range cases {
		r := e.do(c.method, c.path, "")
		if r.code != c.code {
			t.Errorf("%s %s = %d, want %d (%s)", c.method, c.path, r.code, c.code, r.body)
			continue
		}
		if ct := r.header.Get("Content-Type"); c.ctype != "" && !strings.HasPrefix(ct, c.ctype) {
			t.Errorf("%s %s Content-Type = %q, want %q", c.method, c.path, ct, c.ctype)
		}
		if !strings.Contains(r.body, c.contains) {
			t.Errorf("%s %s body lacks %q:\n%s", c.method, c.path, c.contains, clip(r.body, 400))
		}
	}
}

func TestAdminRoutesNeedAuth(t *testing.T) {
	e := newTestEnv(t)
	routes := []struct{ method, path, body string }{
		{"POST", "/api/v1/plugins/system/enable", ""},
		{"POST", "/api/v1/plugins/system/disable", ""},
		{"POST", "/api/v1/plugins/system/reload", ""},
		{"POST", "/api/v1/plugins/system/clear", ""},
		{"POST", "/api/v1/plugins/install", "x"},
		{"POST", "/api/v1/events/ack", `{"seqs":[1]}`},
		{"PUT", "/api/v1/settings", `{"log_level":"debug"}`},
		{"POST", "/api/v1/logout", ""},
	}
	s := e.login()
	for _, rt := range routes {
		// No credentials: 401 with a Bearer challenge.
		r := e.do(rt.method, rt.path, rt.body)
		if r.code != 401 || r.header.Get("WWW-Authenticate") == "" || !strings.Contains(r.body, `"error":"authentication required"`) {
			t.Errorf("%s %s anonymous = %d %q, want 401 with challenge", rt.method, rt.path, r.code, r.body)
		}
		// A wrong token: 401.
		r = e.do(rt.method, rt.path, rt.body, "Authorization: Bearer hnt_wrong")
		if r.code != 401 || !strings.Contains(r.body, "invalid token") {
			t.Errorf("%s %s bad token = %d %q, want 401", rt.method, rt.path, r.code, r.body)
		}
		// A session without the CSRF token: 403.
		r = e.do(rt.method, rt.path, rt.body, "Cookie: "+s.cookie)
		if r.code != 403 || !strings.Contains(r.body, "CSRF") {
			t.Errorf("%s %s session without CSRF = %d %q, want 403", rt.method, rt.path, r.code, r.body)
		}
		// A session with a wrong CSRF token: 403.
		r = e.do(rt.method, rt.path, rt.body, "Cookie: "+s.cookie, "X-CSRF-Token: "+strings.Repeat("A", 43))
		if r.code != 403 {
			t.Errorf("%s %s wrong CSRF = %d, want 403", rt.method, rt.path, r.code)
		}
		// The right token from a foreign origin: 403.
		r = e.do(rt.method, rt.path, rt.body, "Cookie: "+s.cookie, "X-CSRF-Token: "+s.csrf, "Origin: http://evil.example")
		if r.code != 403 {
			t.Errorf("%s %s foreign Origin = %d, want 403", rt.method, rt.path, r.code)
		}
		r = e.do(rt.method, rt.path, rt.body, "Cookie: "+s.cookie, "X-CSRF-Token: "+s.csrf, "Sec-Fetch-Site: cross-site")
		if r.code != 403 {
			t.Errorf("%s %s Sec-Fetch-Site cross-site = %d, want 403", rt.method, rt.path, r.code)
		}
	}
	if calls := e.b.callLog(); len(calls) != 0 {
		t.Fatalf("backend actions ran without valid auth: %v", calls)
	}
	if n := len(e.b.eventsOfType(EventTypeCSRF)); n == 0 {
		t.Errorf("no %s security events recorded", EventTypeCSRF)
	}
	if n := len(e.b.eventsOfType(EventTypeBadToken)); n == 0 {
		t.Errorf("no %s security events recorded", EventTypeBadToken)
	}
}

func TestAdminActionsWithTokenAndSession(t *testing.T) {
	e := newTestEnv(t)
	s := e.login()
	origin := "Origin: " + e.url
	for _, c := range []struct {
		path string
		hdr  []string
		call string
	}{
		{"/api/v1/plugins/net/disable", []string{e.bearer()}, "disable net"},
		{"/api/v1/plugins/net/enable", []string{"Cookie: " + s.cookie, "X-CSRF-Token: " + s.csrf, origin, "Sec-Fetch-Site: same-origin"}, "enable net"},
		{"/api/v1/plugins/system/reload", []string{"Cookie: " + s.cookie, "X-CSRF-Token: " + s.csrf}, "reload system"},
		{"/api/v1/plugins/example-counter/clear", []string{e.bearer()}, "clear example-counter"},
	} {
		r := e.do("POST", c.path, "", c.hdr...)
		if r.code != 200 || r.body != "{\"ok\":true}\n" {
			t.Fatalf("POST %s = %d %q", c.path, r.code, r.body)
		}
		if calls := e.b.callLog(); calls[len(calls)-1] != c.call {
			t.Fatalf("POST %s: backend calls %v, want last %q", c.path, calls, c.call)
		}
	}
	var p PluginView
	e.get("/api/v1/plugins/example-counter").json(t, &p)
	if p.KVKeys != 0 || p.KVBytes != 0 {
		t.Errorf("after clear: kv_keys %d kv_bytes %d, want 0", p.KVKeys, p.KVBytes)
	}
	r := e.do("POST", "/api/v1/plugins/nosuch/enable", "", e.bearer())
	if r.code != 404 || !strings.Contains(r.body, "not found") {
		t.Errorf("enable unknown = %d %q, want 404", r.code, r.body)
	}
}

func TestReadOnlyPagesBehindLoginSetting(t *testing.T) {
	e := newTestEnv(t)
	r := e.do("PUT", "/api/v1/settings", `{"pages_require_login":true}`, e.bearer())
	if r.code != 200 || !strings.Contains(r.body, `"pages_require_login":true`) {
		t.Fatalf("PUT settings = %d %s", r.code, r.body)
	}
	for _, p := range []string{"/api/v1/plugins", "/api/v1/overview", "/api/v1/events", "/api/v1/plugins/net", "/api/v1/history"} {
		if r := e.get(p); r.code != 401 {
			t.Errorf("GET %s anonymous = %d, want 401", p, r.code)
		}
		if r := e.get(p, e.bearer()); r.code != 200 {
			t.Errorf("GET %s with token = %d, want 200", p, r.code)
		}
	}
	for _, p := range []string{"/", "/events", "/plugins/net"} {
		r := e.get(p)
		if r.code != 303 || r.header.Get("Location") != "/login?next="+p {
			t.Errorf("GET %s anonymous = %d Location %q, want 303 to login", p, r.code, r.header.Get("Location"))
		}
	}
	s := e.login()
	if r := e.get("/", "Cookie: "+s.cookie); r.code != 200 || !strings.Contains(r.body, "Log out") {
		t.Errorf("GET / with session = %d", r.code)
	}
	for _, p := range []string{"/metrics", "/healthz", "/login", "/static/style.css"} {
		if r := e.get(p); r.code != 200 {
			t.Errorf("GET %s anonymous with login required = %d, want 200 (always open)", p, r.code)
		}
	}
}

func TestMethodsAllowedHeader(t *testing.T) {
	e := newTestEnv(t)
	r := e.do("DELETE", "/api/v1/settings", "")
	if r.code != 405 || r.header.Get("Allow") != "GET, HEAD, PUT" {
		t.Fatalf("DELETE settings = %d Allow %q", r.code, r.header.Get("Allow"))
	}
	allowed := strings.Split(r.header.Get("Allow"), ", ")
	if !slices.Contains(allowed, http.MethodPut) {
		t.Fatalf("Allow lacks PUT: %v", allowed)
	}
}

// TestAnonymousOverviewCacheInvalidated: the anonymous overview is cached
// for a second, but an admin action shows at once.
func TestAnonymousOverviewCacheInvalidated(t *testing.T) {
	e := newTestEnv(t)
	disabledBadge := `<a class="name" href="/plugins/net">net</a> <span class="muted small">1.0.0</span> <span class="badge state-disabled">disabled</span>`
	if r := e.get("/"); strings.Contains(r.body, disabledBadge) {
		t.Fatal("net disabled before the test")
	}
	e.b.mu.Lock()
	e.b.plugins["net"].Description = "changed behind web's back"
	e.b.mu.Unlock()
	if r := e.get("/"); strings.Contains(r.body, "changed behind") {
		t.Fatal("second view within the TTL was rendered anew, not cached")
	}
	if r := e.do("POST", "/api/v1/plugins/net/disable", "", e.bearer()); r.code != 200 {
		t.Fatalf("disable = %d", r.code)
	}
	r := e.get("/")
	if !strings.Contains(r.body, disabledBadge) || !strings.Contains(r.body, "changed behind") {
		t.Fatalf("overview after disable still cached:\n%s", clip(r.body, 3000))
	}
	gz := e.get("/", "Accept-Encoding: gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || !strings.Contains(gz.header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("cached gzip: encoding %q vary %q", gz.header.Get("Content-Encoding"), gz.header.Get("Vary"))
	}
}
