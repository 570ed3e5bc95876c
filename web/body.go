package web

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"sync"

	"github.com/valyala/fasthttp"
)

// Request bodies are streamed (fasthttp's StreamRequestBody): fasthttp
// reads at most 8 KiB of a body before the handler runs, whatever
// Content-Length announces, and the body is read here, after routing, once
// it is known how much the route takes from this client:
//
//   - routes without a body take none: a body there is 413;
//   - the login routes take loginBodySize from anyone;
//   - every other route with a body needs admin credentials (the token, or
//     a session cookie) before a byte of it is read; without them the
//     handler sees an empty body and answers 401 as it always does;
//   - those routes take Config.MaxFormSize, the plugin upload routes
//     Config.MaxRequestBodySize.
//
// A body is read into a buffer that grows as bytes arrive, never to the
// announced length up front. Before reading, the request reserves its
// announced length (its route's limit for a chunked body) from a budget
// shared by all connections, Config.MaxBodyMemory, of which anonymous
// requests may hold at most a quarter (one address a sixteenth); a request
// that does not fit gets 503 with Retry-After and its connection is
// closed. The reservation is returned when the handler has finished. An
// anonymous body must arrive within HeaderTimeout of its header, one with
// credentials within ReadTimeout.

// loginBodySize is the most a login form or JSON body may be: a password
// of up to a few hundred bytes, the CSRF field and the next path.
const loginBodySize = 4 << 10

// errBodyTooLarge is a body over its route's limit.
var errBodyTooLarge = errors.New("request body too large")

// bodyBudget counts the body bytes reserved by requests being served.
// Requests without admin credentials share a quarter of it, and one client
// address (gateKey) may hold at most a quarter of that, so that slow
// anonymous bodies from a few addresses cannot take the room a login needs.
type bodyBudget struct {
	mu          sync.Mutex
	max         int // all requests
	anonMax     int // requests without admin credentials
	anonPerAddr int // those from one address
	used        int
	anonUsed    int
	anonByAddr  map[netip.Addr]int
}

func newBodyBudget(max int) *bodyBudget {
	return &bodyBudget{max: max, anonMax: max / 4, anonPerAddr: max / 16, anonByAddr: map[netip.Addr]int{}}
}

// reserve takes n bytes for a request from addr; false when they do not
// fit.
func (b *bodyBudget) reserve(n int, anon bool, addr netip.Addr) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.max || anon && (b.anonUsed+n > b.anonMax || b.anonByAddr[addr]+n > b.anonPerAddr) {
		return false
	}
	b.used += n
	if anon {
		b.anonUsed += n
		b.anonByAddr[addr] += n
	}
	return true
}

// release gives back what reserve took.
func (b *bodyBudget) release(n int, anon bool, addr netip.Addr) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	if anon {
		b.anonUsed -= n
		if b.anonByAddr[addr] -= n; b.anonByAddr[addr] <= 0 {
			delete(b.anonByAddr, addr)
		}
	}
}

// inUse returns the reserved bytes.
func (b *bodyBudget) inUse() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// bodyRule is how much body a route takes and whether only from an admin.
type bodyRule struct {
	limit     int
	adminOnly bool
}

func (s *Server) bodyRule(r route) bodyRule {
	switch r {
	case routeAPIInstall, routeInstallForm:
		return bodyRule{limit: s.cfg.MaxRequestBodySize, adminOnly: true}
	case routeLoginPage, routeAPILogin:
		return bodyRule{limit: loginBodySize}
	case routePluginForm, routeEventsAckForm, routeSettingsPage, routeLogoutForm,
		routeAPIPluginAction, routeAPIEventsAck, routeAPISettings, routeAPILogout:
		return bodyRule{limit: s.cfg.MaxFormSize, adminOnly: true}
	}
	return bodyRule{}
}

// credentialed reports whether the request carries the admin token or a
// live session cookie. It only decides whether a body is worth reading:
// the handler authenticates the request properly (and reports a bad token).
func (s *Server) credentialed(ctx *fasthttp.RequestCtx) bool {
	return s.credentialedHeader(&ctx.Request.Header)
}

func (s *Server) credentialedHeader(rh *fasthttp.RequestHeader) bool {
	if h := rh.Peek("Authorization"); len(h) > 0 {
		tok, found := bytes.CutPrefix(h, []byte("Bearer "))
		return found && len(h) <= maxAuthHeader && s.creds.checkToken(string(bytes.TrimSpace(tok)))
	}
	if id := rh.Cookie(sessionCookie); len(id) > 0 {
		_, found := s.sessions.lookup(string(id))
		return found
	}
	return false
}

// readBody reads the request body under its route's rule and the shared
// budget, or answers and returns false. On success the caller must call
// the returned release once the handler is done.
func (s *Server) readBody(ctx *fasthttp.RequestCtx, m *match) (release func(), ok bool) {
	stream := ctx.RequestBodyStream()
	if stream == nil {
		return func() {}, true
	}
	announced := ctx.Request.Header.ContentLength() // -1: chunked
	if announced == 0 {
		return func() {}, true
	}
	rule := s.bodyRule(m.route)
	anon := !s.credentialed(ctx)
	if rule.adminOnly && anon {
		// Not read: the handler answers 401 (or the login redirect) from
		// the headers, and fasthttp drains or closes (patch 7).
		ctx.Request.SetBodyRaw(nil)
		ctx.SetConnectionClose()
		return func() {}, true
	}
	if announced > rule.limit {
		s.bodyRefused(ctx, m.route, fasthttp.StatusRequestEntityTooLarge, errBodyTooLarge.Error())
		return nil, false
	}
	n := announced
	if n < 0 {
		n = rule.limit
	}
	addr := gateKey(ctx.RemoteAddr())
	if !s.bodies.reserve(n, anon, addr) {
		ctx.Response.Header.Set("Retry-After", "2")
		s.bodyRefused(ctx, m.route, fasthttp.StatusServiceUnavailable, "server busy: too many request bodies in flight, retry later")
		return nil, false
	}
	release = func() { s.bodies.release(n, anon, addr) }
	body, err := readLimited(stream, n, rule.limit)
	if err != nil {
		release()
		code, msg := fasthttp.StatusBadRequest, "request body cut off"
		switch {
		case errors.Is(err, errBodyTooLarge):
			code, msg = fasthttp.StatusRequestEntityTooLarge, errBodyTooLarge.Error()
		case isTimeout(err):
			code, msg = fasthttp.StatusRequestTimeout, "request timeout"
		}
		s.bodyRefused(ctx, m.route, code, msg)
		return nil, false
	}
	ctx.Request.SetBodyRaw(body)
	return release, true
}

// bodyRefused answers a request whose body was not (fully) read and closes
// its connection after the answer.
func (s *Server) bodyRefused(ctx *fasthttp.RequestCtx, r route, code int, msg string) {
	s.noisy(ctx, EventTypeBadRequest, SeverityInfo, "refused request to "+r.String()+" from "+clientIP(ctx)+": "+msg)
	s.fail(ctx, r, code, msg)
	ctx.SetConnectionClose()
}

// readLimited reads r to its end into a buffer that starts small and
// doubles as bytes arrive, up to want+1 bytes (want is the announced length,
// or the limit for a chunked body); more than limit bytes, or more than
// want, is errBodyTooLarge.
func readLimited(r io.Reader, want, limit int) ([]byte, error) {
	ceiling := want + 1
	buf := make([]byte, 0, min(want, 4<<10)+1)
	for {
		if len(buf) == cap(buf) {
			if cap(buf) >= ceiling {
				return nil, errBodyTooLarge
			}
			grown := make([]byte, len(buf), min(2*cap(buf), ceiling))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > limit {
			return nil, errBodyTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
