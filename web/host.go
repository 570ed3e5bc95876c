package web

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// hostCheck decides whether a request's Host header names this agent. It
// is the defence against DNS rebinding: a web page the owner visits can
// point its own name at the router's address, but its requests then carry
// that name in Host, which is none of the names below.
//
// A Host is accepted when, without its port and any trailing dot, it is
// "localhost", a configured name (Config.Hostnames, the listen address's
// host), the address the connection arrived on, or an IP literal of one of
// the machine's interfaces (IPv6 in brackets). A request without a Host
// (HTTP/1.0) cannot come from a browser and is accepted.
type hostCheck struct {
	names map[string]bool // lower case, no trailing dot

	mu      sync.Mutex
	addrs   map[netip.Addr]bool
	checked time.Time
	refresh time.Duration
	list    func() ([]net.Addr, error)
	now     func() time.Time
}

func newHostCheck(listen string, names []string, now func() time.Time) *hostCheck {
	h := &hostCheck{names: map[string]bool{"localhost": true}, refresh: 10 * time.Second, list: net.InterfaceAddrs, now: now}
	for _, n := range names {
		if n = normalHost(n); n != "" {
			h.names[n] = true
		}
	}
	if host, _, err := net.SplitHostPort(listen); err == nil && host != "" {
		h.names[normalHost(host)] = true
	}
	return h
}

// normalHost lower-cases a host name and drops one trailing dot.
func normalHost(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// hostPart returns the host of a Host header value: "router.lan:9110" →
// "router.lan", "[fe80::1]:9110" → "fe80::1". ok is false for a value that
// is not a host (an unclosed bracket, a bare IPv6 address without them).
func hostPart(h string) (host string, ok bool) {
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", false
		}
		rest := h[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return "", false
		}
		return h[1:end], true
	}
	switch strings.Count(h, ":") {
	case 0:
		return h, true
	case 1:
		return h[:strings.IndexByte(h, ':')], true
	}
	return "", false
}

// allowed reports whether host (the Host header) names this agent for a
// request that arrived on local.
func (h *hostCheck) allowed(host []byte, local net.Addr) bool {
	if len(host) == 0 {
		return true
	}
	name, ok := hostPart(string(host))
	if !ok {
		return false
	}
	name = normalHost(name)
	if h.names[name] {
		return true
	}
	ip, err := netip.ParseAddr(name)
	if err != nil || ip.Zone() != "" {
		return false
	}
	ip = ip.Unmap()
	if ip.IsLoopback() {
		return true
	}
	if ta, ok := local.(*net.TCPAddr); ok {
		if la, ok := netip.AddrFromSlice(ta.IP); ok && la.Unmap() == ip {
			return true
		}
	}
	return h.isInterfaceAddr(ip)
}

// isInterfaceAddr looks ip up among the interfaces' addresses, reading them
// again (at most every refresh) when it is not there: DHCP may have changed
// them since.
func (h *hostCheck) isInterfaceAddr(ip netip.Addr) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.addrs[ip] {
		return true
	}
	now := h.now()
	if h.addrs != nil && now.Sub(h.checked) < h.refresh {
		return false
	}
	h.checked = now
	h.addrs = map[netip.Addr]bool{}
	list, err := h.list()
	if err != nil {
		return false
	}
	for _, a := range list {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			h.addrs[p.Addr().Unmap()] = true
		} else if ad, err := netip.ParseAddr(a.String()); err == nil {
			h.addrs[ad.Unmap()] = true
		}
	}
	return h.addrs[ip]
}

// hostExempt reports whether route r is served whatever the Host header
// says. /healthz answers "ok" and nothing else. /metrics is scraped by
// Prometheus under whatever target name the owner chose (a DNS name, an
// SSH tunnel's localhost:port, a proxy), and refusing it would fail the
// scrape silently; what it shows is what any LAN client may read anyway,
// and it changes nothing.
func hostExempt(r route) bool { return r == routeMetrics || r == routeHealthz }

// checkHost answers 421 Misdirected Request (JSON) and returns false when
// the request's Host does not name this agent and the route is not exempt.
func (s *Server) checkHost(ctx *fasthttp.RequestCtx, r route) bool {
	if hostExempt(r) || s.hosts.allowed(ctx.Request.Header.Host(), ctx.LocalAddr()) {
		return true
	}
	writeJSONError(ctx, fasthttp.StatusMisdirectedRequest, "misdirected request: the Host header does not name this agent (add the name to the hostnames setting)")
	ctx.SetConnectionClose()
	// A foreign Host is what DNS rebinding sends: counted like every
	// refused request.
	s.noisy(ctx, EventTypeBadRequest, SeverityWarning, "refused request for host "+strconv.Quote(string(ctx.Request.Header.Host()))+" to "+r.String()+" from "+clientIP(ctx))
	return false
}
