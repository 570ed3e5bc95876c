// Package web serves heimnetz's LAN face: the server-rendered status pages,
// the JSON API under /api/v1/, the admin login and the Prometheus /metrics
// endpoint, all on fasthttp.
//
// The package knows nothing about plugins or storage. The agent hands it a
// [Backend], which answers questions about plugins, events and settings and
// performs admin actions; web owns everything that is about HTTP: routing,
// input validation and size limits, authentication, sessions, CSRF
// protection, rate limiting of logins, security headers, rendering, and the
// server's own metrics and charts.
//
// Read-only pages and the read-only API are open on the LAN unless the
// require_login_for_pages setting is on; /metrics and /healthz are always
// open. Every state-changing request needs an admin session (cookie plus a
// CSRF token) or the admin token as a Bearer header. See API.md for the
// routes.
//
// The pages are written by Go code through htmlWriter (html.go), not by
// html/template: the template engine's reflective method calls cost the
// router binary about 5 MB. Plugin and device strings reach a page only
// through its escaping methods; a test fails if either template package is
// imported again.
package web
