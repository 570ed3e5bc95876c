package web

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeConn is a connection from a given remote address that records Close.
type fakeConn struct {
	net.Conn
	remote net.Addr
	closed bool
	wrote  string
}

func (c *fakeConn) RemoteAddr() net.Addr             { return c.remote }
func (c *fakeConn) Close() error                     { c.closed = true; return nil }
func (c *fakeConn) Write(p []byte) (int, error)      { c.wrote += string(p); return len(p), nil }
func (c *fakeConn) SetWriteDeadline(time.Time) error { return nil }
func from(ip string) *fakeConn {
	return &fakeConn{remote: &net.TCPAddr{IP: net.ParseIP(ip), Port: 1234}}
}

// TestConnGate: the per-address limit, displacement of the heaviest
// address's oldest idle connection by a newcomer with fewer, refusal when
// no displacement is fair, busy connections never displaced, IPv6 counted
// by /64, and places returned on Close.
func TestConnGate(t *testing.T) {
	g := newConnGate(4, 3)
	now := time.Unix(0, 0)
	admit := func(c *fakeConn) *gatedConn {
		now = now.Add(time.Second)
		if gc := g.admit(c, now); gc != nil {
			return gc.(*gatedConn)
		}
		return nil
	}
	var a []*gatedConn
	var raw []*fakeConn
	for range 3 {
		c := from("10.0.0.2")
		raw = append(raw, c)
		a = append(a, admit(c))
	}
	over := from("10.0.0.2")
	if admit(over) != nil || !strings.Contains(over.wrote, "429") || !over.closed {
		t.Fatalf("4th connection from one address: %q closed %v, want 429 and closed", over.wrote, over.closed)
	}
	b := admit(from("10.0.0.3"))
	if b == nil || g.open() != 4 {
		t.Fatalf("second address not admitted, %d open", g.open())
	}
	// Full. A third address displaces 10.0.0.2's oldest idle connection.
	a[0].busy.Store(true)
	if admit(from("10.0.0.4")) == nil {
		t.Fatal("newcomer refused while the heaviest address holds 3")
	}
	if raw[0].closed || !raw[1].closed || raw[2].closed {
		t.Fatalf("displaced %v %v %v; want only the oldest idle one (the second)", raw[0].closed, raw[1].closed, raw[2].closed)
	}
	// Now 10.0.0.2 holds 2 (one busy), the others 1 each: 2 > 0+1, so a
	// newcomer displaces its idle one.
	if admit(from("10.0.0.5")) == nil || !raw[2].closed {
		t.Fatal("newcomer refused while an address holds 2")
	}
	// Every address holds 1 now (10.0.0.2's is busy anyway): refused.
	full := from("10.0.0.6")
	if admit(full) != nil || !strings.Contains(full.wrote, "503") {
		t.Fatalf("connection with no fair victim: %q, want 503", full.wrote)
	}
	if g.open() != 4 {
		t.Fatalf("%d open, want 4", g.open())
	}
	if g.refusedPerIP.Load() != 1 || g.refusedFull.Load() != 1 || g.displaced.Load() != 2 {
		t.Fatalf("shed counters per-IP %d full %d displaced %d, want 1 1 2", g.refusedPerIP.Load(), g.refusedFull.Load(), g.displaced.Load())
	}
	b.Close()
	b.Close()
	if g.open() != 3 {
		t.Fatalf("%d open after a double Close, want 3", g.open())
	}
	// IPv6 addresses of one /64 count as one client.
	g6 := newConnGate(10, 2)
	g6.admit(from("fd00::1"), now)
	g6.admit(from("fd00::2"), now)
	if c := from("fd00::ffff:1"); g6.admit(c, now) != nil {
		t.Fatal("third connection from one IPv6 /64 admitted")
	}
	if g6.admit(from("fd00:0:0:1::1"), now) == nil {
		t.Fatal("another /64 refused")
	}
}

// TestSlowlorisLeavesRoom: connections from a few addresses that send
// their headers byte by byte fill the server, yet a fresh client and the
// admin are served at once, and the flood is cut by the header deadline.
func TestSlowlorisLeavesRoom(t *testing.T) {
	if !canListen("127.0.0.2") {
		t.Skip("no 127.0.0.2 on this machine")
	}
	e := newTestEnv(t, func(c *Config) {
		c.Concurrency = 16
		c.MaxConnsPerIP = 8
		c.HeaderTimeout = 500 * time.Millisecond
	})
	addr := strings.TrimPrefix(e.url, "http://")
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	for i := range 16 {
		c, err := dialSource(fmt.Sprintf("127.0.0.%d", 2+i%2), addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n")
		flood = append(flood, c)
	}
	waitFor(t, func() bool { return e.srv.gate.open() == 16 }, "the flood to fill the gate")
	for _, src := range []string{"127.0.0.1", "127.0.0.4"} {
		start := time.Now()
		c, err := dialSource(src, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /api/v1/plugins HTTP/1.1\r\nHost: localhost\r\n"+e.bearer()+"\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("fresh client %s during the flood: %v %v", src, resp, err)
		}
		resp.Body.Close()
		t.Logf("fresh client %s served in %v", src, time.Since(start))
	}
	// The header deadline cuts every flood connection 500 ms after its
	// accept.
	start := time.Now()
	for _, c := range flood {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		io.Copy(io.Discard, c)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("flood connections still open %v later, want cut within 500 ms of their accept", d)
	}
}

func canListen(ip string) bool {
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func dialSource(src, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	return d.Dial("tcp", addr)
}
