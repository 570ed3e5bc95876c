package web

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// connGate bounds the server's connections: Config.Concurrency in all and
// Config.MaxConnsPerIP from one client address (an IPv6 client by its
// /64, which one host can fill with addresses). When all are taken, a new
// connection from an address holding fewer than the address holding the
// most displaces that address's longest-waiting connection that is not
// inside a handler — a half-open request still sending its header, or an
// idle keep-alive — instead of being refused. So a slowloris from a few
// addresses can hold most of the connections but never the last one a
// fresh client (the admin's browser, /healthz) needs; what it holds is cut
// after Config.HeaderTimeout in any case.
//
// A connection that is refused gets a short 503 (or 429 when its own
// address is at its limit) and is closed. The gate wraps the listener, so
// it sees connections before fasthttp does; fasthttp's own Concurrency and
// MaxConnsPerIP are left above it and never act.
type connGate struct {
	max, perIP int

	mu     sync.Mutex
	byAddr map[netip.Addr]map[*gatedConn]struct{}
	total  int

	// Connections shed, by reason: refused at the per-address limit,
	// refused with the server full, displaced by a newcomer.
	refusedPerIP, refusedFull, displaced atomic.Uint64

	// onRefuse, when set, hears of each connection refused at the
	// per-address limit, with the address (the server counts them into
	// its noise log). Set before the gate is used.
	onRefuse func(client string)
}

func newConnGate(max, perIP int) *connGate {
	return &connGate{max: max, perIP: perIP, byAddr: map[netip.Addr]map[*gatedConn]struct{}{}}
}

// gatedConn is a connection the gate admitted.
type gatedConn struct {
	net.Conn
	g      *connGate
	key    netip.Addr
	opened time.Time
	busy   atomic.Bool // inside a handler: never displaced
	once   sync.Once
}

// Close closes the connection and returns its place to the gate.
func (c *gatedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.g.leave(c) })
	return err
}

// CloseWrite half-closes the connection, for fasthttp's lingering close
// after an error (patches 6 and 7).
func (c *gatedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.New("web: connection cannot half-close")
}

// NetConn returns the wrapped connection.
func (c *gatedConn) NetConn() net.Conn { return c.Conn }

// gateKey is the address a connection counts against: the IP, or for IPv6
// its /64.
func gateKey(a net.Addr) netip.Addr {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	ip := ap.Addr().Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.Addr()
	}
	return ip
}

const (
	refuseFull  = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 37\r\n\r\n{\"error\":\"too many connections open\"}"
	refuseOneIP = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 46\r\n\r\n{\"error\":\"too many connections from your host\"}"
)

// admit registers c or refuses it; it returns the connection to serve, or
// nil. A displaced connection is closed outside the lock.
func (g *connGate) admit(c net.Conn, now time.Time) net.Conn {
	key := gateKey(c.RemoteAddr())
	gc := &gatedConn{Conn: c, g: g, key: key, opened: now}
	var victim *gatedConn
	refusal := ""
	g.mu.Lock()
	mine := len(g.byAddr[key])
	switch {
	case mine >= g.perIP:
		refusal = refuseOneIP
	case g.total >= g.max:
		victim = g.victimLocked(mine)
		if victim == nil {
			refusal = refuseFull
		} else {
			g.removeLocked(victim) // its Close will find it gone
		}
	}
	if refusal == "" {
		set := g.byAddr[key]
		if set == nil {
			set = map[*gatedConn]struct{}{}
			g.byAddr[key] = set
		}
		set[gc] = struct{}{}
		g.total++
	}
	g.mu.Unlock()
	if victim != nil {
		g.displaced.Add(1)
		victim.once.Do(func() {}) // already removed
		victim.Conn.Close()
	}
	if refusal != "" {
		if refusal == refuseOneIP {
			g.refusedPerIP.Add(1)
			if g.onRefuse != nil {
				g.onRefuse(key.String())
			}
		} else {
			g.refusedFull.Add(1)
		}
		c.SetWriteDeadline(now.Add(100 * time.Millisecond))
		c.Write([]byte(refusal))
		c.Close()
		return nil
	}
	return gc
}

// victimLocked picks the longest-open connection outside a handler of the
// address holding the most connections, if that address holds more than
// mine+1 (so that after the swap the newcomer's address still holds no
// more than it).
func (g *connGate) victimLocked(mine int) *gatedConn {
	var heaviest map[*gatedConn]struct{}
	for _, set := range g.byAddr {
		if len(set) > len(heaviest) {
			heaviest = set
		}
	}
	if len(heaviest) <= mine+1 {
		return nil
	}
	var v *gatedConn
	for c := range heaviest {
		if !c.busy.Load() && (v == nil || c.opened.Before(v.opened)) {
			v = c
		}
	}
	return v
}

func (g *connGate) removeLocked(c *gatedConn) {
	set := g.byAddr[c.key]
	if _, ok := set[c]; !ok {
		return
	}
	delete(set, c)
	if len(set) == 0 {
		delete(g.byAddr, c.key)
	}
	g.total--
}

func (g *connGate) leave(c *gatedConn) {
	g.mu.Lock()
	g.removeLocked(c)
	g.mu.Unlock()
}

// writeMetrics writes heimnetz_server_connections_shed_total in the
// Prometheus text format.
func (g *connGate) writeMetrics(w io.Writer) {
	fmt.Fprintf(w, "# HELP heimnetz_server_connections_shed_total Connections the server refused or cut to keep room for others, by reason.\n"+
		"# TYPE heimnetz_server_connections_shed_total counter\n"+
		"heimnetz_server_connections_shed_total{reason=\"per_ip_limit\"} %d\n"+
		"heimnetz_server_connections_shed_total{reason=\"server_full\"} %d\n"+
		"heimnetz_server_connections_shed_total{reason=\"displaced\"} %d\n",
		g.refusedPerIP.Load(), g.refusedFull.Load(), g.displaced.Load())
}

// open returns the number of admitted connections.
func (g *connGate) open() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total
}

// gatedListener admits each accepted connection through the gate.
type gatedListener struct {
	net.Listener
	g *connGate
}

// Accept returns the next admitted connection; refused ones are answered
// and closed without returning.
func (l gatedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if gc := l.g.admit(c, time.Now()); gc != nil {
			return gc, nil
		}
	}
}

// gatedOf finds the gate's wrapper under c (which a TLS connection wraps).
func gatedOf(c net.Conn) *gatedConn {
	for range 4 {
		switch v := c.(type) {
		case *gatedConn:
			return v
		case interface{ NetConn() net.Conn }:
			c = v.NetConn()
		default:
			return nil
		}
	}
	return nil
}
