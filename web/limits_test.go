package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSlowClientCutOff: a client that sends its request header one byte at
// a time is disconnected by ReadTimeout while still sending.
func TestSlowClientCutOff(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ReadTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	req := "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 200) + "\r\n\r\n"
	var writeErr error
	for i := 0; i < len(req) && writeErr == nil; i++ {
		_, writeErr = conn.Write([]byte{req[i]})
		time.Sleep(20 * time.Millisecond) // the point: a client this slow must be cut off
		if time.Since(start) > 3*time.Second {
			break
		}
	}
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	data, _ := io.ReadAll(conn)
	elapsed := time.Since(start)
	if writeErr == nil || elapsed > 2*time.Second {
		t.Fatalf("slow client not cut off: write error %v after %v", writeErr, elapsed)
	}
	if strings.Contains(string(data), "200 OK") {
		t.Fatalf("slow client was served: %q", data)
	}
}

func TestSizeLimits(t *testing.T) {
	e := newTestEnv(t, func(c *Config) {
		c.MaxFormSize = 1 << 10
		c.MaxRequestBodySize = 4 << 10
		c.ReadBufferSize = 2 << 10
	})
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		hdr    []string
		code   int
	}{
		{"JSON body over MaxFormSize", "PUT", "/api/v1/settings", `{"log_level":"` + strings.Repeat("a", 2<<10) + `"}`, []string{e.bearer()}, 413},
		{"body over MaxRequestBodySize", "POST", "/api/v1/plugins/install", strings.Repeat("a", 8<<10), []string{e.bearer()}, 413},
		{"install up to MaxRequestBodySize reaches the backend", "POST", "/api/v1/plugins/install", strings.Repeat("a", 3<<10), []string{e.bearer()}, 400},
		{"header over ReadBufferSize", "GET", "/", "", []string{"X-Big: " + strings.Repeat("a", 4<<10)}, 431},
		{"path too long", "GET", "/plugins/" + strings.Repeat("a", 300), "", nil, 414},
		{"query too long", "GET", "/events?type=" + strings.Repeat("a", 1100), "", nil, 414},
		{"oversized bearer token", "GET", "/api/v1/plugins", "", []string{"Authorization: Bearer " + strings.Repeat("a", 300)}, 401},
	}
	for _, c := range cases {
		// The server answers some of these before it has read the whole
		// request; do fails the test if the answer is lost to a reset
		// (fasthttp patch 6 prevents that).
		r := e.do(c.method, c.path, c.body, c.hdr...)
		if r.code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, r.code, clip(r.body, 200), c.code)
		}
		if c.code >= 400 && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") && !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", c.name, r.header.Get("Content-Type"))
		}
	}
	if calls := e.b.callLog(); len(calls) != 0 {
		t.Fatalf("oversized requests reached the backend: %v", calls)
	}
}

func TestMaxConnsPerIP(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxConnsPerIP = 2 })
	addr := strings.TrimPrefix(e.url, "http://")
	var conns []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	// Make sure both are accepted before the third arrives.
	for _, c := range conns {
		c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("first connections: %v %v", resp, err)
		}
	}
	third, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	third.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
	third.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(third), nil)
	if err == nil && resp.StatusCode == 200 {
		t.Fatal("third connection from one address was served")
	}
}

func TestGracefulShutdown(t *testing.T) {
	b := newMemBackend(time.Now)
	hash, _ := hashPasswordIter(testPassword, minIterations)
	srv, err := newServer(Config{AdminPasswordHash: hash, AdminTokenHash: HashToken(NewToken()), HistoryInterval: 10 * time.Millisecond}, b, minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
	}
	if srv.Addr() != ln.Addr().String() {
		t.Fatalf("Addr() = %q, want %q", srv.Addr(), ln.Addr())
	}
	// The sampler runs every 10 ms: wait for two samples, then stop.
	for deadline := time.Now().Add(5 * time.Second); len(srv.history.snapshot().Load1) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the sampler took %d samples in 5s at a 10 ms interval", len(srv.history.snapshot().Load1))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-done; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve = %v, want ErrServerClosed", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Fatal("still serving after Shutdown")
	}
	if err := srv.Serve(ln); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Shutdown = %v", err)
	}
}
