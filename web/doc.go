// Package web serves heimnetz's LAN face: the server-rendered status pages,
// the JSON API under /api/v1/, the admin login and the Prometheus /metrics
// endpoint, all on fasthttp.
//
// The package knows nothing about plugins or storage. The agent hands it a
// [Backend], which answers questions about plugins, events, settings and
// the home network (uplink, LAN devices, radios) and performs admin
// actions; web owns everything that is about HTTP: routing,
// input validation and size limits, authentication, sessions, CSRF
// protection, rate limiting of logins, security headers, rendering, and the
// server's own metrics and charts.
//
// Read-only pages and the read-only API are open on the LAN unless the
// pages_require_login setting is on; /metrics and /healthz are always
// open. Every state-changing request needs an admin session (cookie plus a
// CSRF token) or the admin token as a Bearer header. See API.md for the
// routes.
//
// # Strangers on the LAN
//
// Anyone on the LAN can open connections, so nothing a client without
// credentials sends may cost more than a small, fixed amount (issue 13):
//
//   - Bodies (body.go) are streamed: fasthttp hands over the request as
//     soon as its header is in (fasthttp patch 8), and readBody decides from
//     the route, Content-Length and credentials what to read. Routes without
//     a body take none, login takes 4 KiB, other form and JSON routes
//     MaxFormSize (64 KiB) and the plugin upload MaxRequestBodySize (1 MiB),
//     both only from a request carrying the admin token or a live session:
//     without them the body is never read and the handler answers 401 from
//     the headers. A body is read into a buffer that grows as bytes arrive,
//     after reserving its announced length from MaxBodyMemory (4 MiB for all
//     connections; requests without credentials a quarter of it, one
//     address a sixteenth); a request that does not fit gets 503 with
//     Retry-After. An anonymous body must arrive within HeaderTimeout of
//     its header, the admin's within ReadTimeout (10 s). Refusals close the
//     connection after a lingering close, so an uploading client reads them
//     (fasthttp patch 7), and an idle keep-alive connection holds no read
//     buffer (patch 9).
//   - HeaderTimeout (3 s) bounds the whole request header, not each byte,
//     counted from the accept on a new connection (fasthttp patch 10) and
//     from the first byte after an idle keep-alive wait: a half-open or
//     slowloris connection lives at most 3 s.
//   - The connection gate (conngate.go) admits Concurrency (1024)
//     connections, MaxConnsPerIP (512) from one address or IPv6 /64. When
//     full, a newcomer from an address holding fewer displaces the oldest
//     connection of the address holding the most that is not inside a
//     handler, so a flood from a few addresses never takes the slot a fresh
//     client or the admin needs.
//   - Handler slots (handlerslots.go): at most 2 × GOMAXPROCS requests (at
//     least 4) run their handler at once, the rest wait parked, so 1000
//     busy connections leave the Go scheduler's run queue short and the
//     plugins' goroutines keep their schedule (agent/stress_test.go).
//   - The Host header must name this agent (host.go): localhost, the
//     listen host, Config.Hostnames (the agent adds the router's host name),
//     the address the request arrived on or an IP of one of the machine's
//     interfaces. Anything else is 421 with a JSON error, so a web page the
//     owner visits cannot use DNS rebinding to read the API or the pages.
//     /healthz and /metrics are exempt: Prometheus scrapes under whatever
//     name the owner gave its target (a DNS name, a tunnel's localhost, a
//     proxy), /healthz says only "ok", and both are readable by any LAN
//     client directly and change nothing; a rebinding page gains no more
//     than a device on the LAN already has.
//
// Measured on the agent binary (agent/webload_test.go, 2 shared cores):
// 300 connections announcing 1 MiB and sending nothing grew its peak RSS by
// 3.5 MiB (before: 129 MiB within 1.5 s, 322 MiB peak); 1,200 slowloris
// connections from four addresses, cut and reopened about 4,300 times in
// 6 s, left a fresh client's /healthz answered in at most 28 ms and the
// admin's API request in 17 ms.
//
// The pages are written by Go code through htmlWriter (html.go), not by
// html/template: the template engine's reflective method calls cost the
// router binary about 5 MB. Plugin and device strings reach a page only
// through its escaping methods; a test fails if either template package is
// imported again.
package web
