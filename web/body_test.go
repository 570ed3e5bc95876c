package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// rawRequest writes head (and body) on a new connection and returns the
// connection and the answer, read within a second: the server must answer
// from the headers, without waiting for a body that is never sent.
func rawRequest(t *testing.T, e *testEnv, head, body string) (net.Conn, *http.Response) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, head+body)
	c.SetReadDeadline(time.Now().Add(time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%q: no answer within 1 s: %v", strings.SplitN(head, "\r\n", 2)[0], err)
	}
	resp.Body.Close()
	return c, resp
}

// TestBodyRules: a body is refused by its route's rule from the headers
// alone, before any of it is sent (issue 13, class 5).
func TestBodyRules(t *testing.T) {
	e := newTestEnv(t)
	auth := e.bearer() + "\r\n"
	for _, c := range []struct {
		name, head string
		code       int
	}{
		{"anonymous upload announcing 1 MiB", "POST /api/v1/plugins/install HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n", 401},
		{"anonymous upload form announcing 1 MiB", "POST /plugins/install HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n", 303},
		{"admin upload over MaxRequestBodySize", "POST /api/v1/plugins/install HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Length: 1048577\r\n\r\n", 413},
		{"login over 4 KiB", "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4097\r\n\r\n", 413},
		{"admin JSON over MaxFormSize", "PUT /api/v1/settings HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Length: 65537\r\n\r\n", 413},
		{"body on a route without one", "GET /api/v1/plugins HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n", 413},
		{"anonymous ack announcing 64 KiB", "POST /api/v1/events/ack HTTP/1.1\r\nHost: localhost\r\nContent-Length: 65536\r\n\r\n", 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, resp := rawRequest(t, e, c.head, "")
			if resp.StatusCode != c.code || !resp.Close {
				t.Fatalf("status %d close %v, want %d and Connection: close", resp.StatusCode, resp.Close, c.code)
			}
		})
	}
	if calls := e.b.callLog(); len(calls) != 0 {
		t.Fatalf("refused requests reached the backend: %v", calls)
	}
	// A chunked body over its route's limit is cut off at the limit.
	chunk := strings.Repeat("a", 5000)
	_, resp := rawRequest(t, e, "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(chunk), chunk))
	if resp.StatusCode != 413 {
		t.Fatalf("chunked login of 5000 bytes: %d, want 413", resp.StatusCode)
	}
	// And a body within its limit is read and served, chunked or not.
	if r := e.do("POST", "/api/v1/events/ack", `{"seqs":[1]}`, e.bearer()); r.code == 413 || r.code == 401 {
		t.Fatalf("small admin body: %d %s", r.code, r.body)
	}
	_, resp = rawRequest(t, e, "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", "e\r\n{\"password\":1}\r\n0\r\n\r\n")
	if resp.StatusCode != 400 {
		t.Fatalf("chunked login body: %d, want 400 (read, then refused as JSON)", resp.StatusCode)
	}
}

// TestBodyBudget: bodies announced but not sent hold the shared budget;
// beyond it requests get 503 with Retry-After, anonymous ones already at a
// quarter of it, and what they held is returned when they end.
func TestBodyBudget(t *testing.T) {
	e := newTestEnv(t, func(c *Config) {
		c.MaxBodyMemory = 64 << 10
		c.MaxRequestBodySize = 16 << 10
		c.MaxFormSize = 4 << 10
	})
	auth := e.bearer() + "\r\n"
	upload := "POST /api/v1/plugins/install HTTP/1.1\r\nHost: localhost\r\n" + auth + "Content-Length: 16384\r\n\r\n"
	var held []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, upload)
		held = append(held, c)
	}
	waitFor(t, func() bool { return e.srv.bodies.inUse() == 64<<10 }, "four uploads to reserve the budget")
	_, resp := rawRequest(t, e, upload, "")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("upload beyond the budget: %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for _, c := range held {
		c.Close()
	}
	waitFor(t, func() bool { return e.srv.bodies.inUse() == 0 }, "closed uploads to return the budget")

	login := "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"
	// One address may hold a sixteenth of the budget (4 KiB here) in
	// anonymous bodies, all of them a quarter (16 KiB).
	holdLogin := func(src string) {
		c, err := dialSource(src, strings.TrimPrefix(e.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, login)
	}
	holdLogin("127.0.0.1")
	waitFor(t, func() bool { return e.srv.bodies.inUse() == 4<<10 }, "a login to reserve its body")
	_, resp = rawRequest(t, e, login, "")
	if resp.StatusCode != 503 {
		t.Fatalf("second anonymous body from one address beyond its share: %d, want 503", resp.StatusCode)
	}
	if canListen("127.0.0.2") {
		for i := 2; i <= 4; i++ {
			holdLogin(fmt.Sprintf("127.0.0.%d", i))
		}
		waitFor(t, func() bool { return e.srv.bodies.inUse() == 16<<10 }, "four logins to reserve the anonymous quarter")
		c, err := dialSource("127.0.0.5", strings.TrimPrefix(e.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, login)
		c.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 503 {
			t.Fatalf("anonymous body beyond a quarter of the budget: %v %v, want 503", resp, err)
		}
	}
	_, resp = rawRequest(t, e, "PUT /api/v1/settings HTTP/1.1\r\nHost: localhost\r\n"+auth+"Content-Length: 20\r\n\r\n", `{"log_level":"info"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("admin request while anonymous bodies hold their quarter: %d, want 200", resp.StatusCode)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestReadLimited: the buffer grows with the bytes that arrive and never
// past the announced length, whatever the reader's chunking.
func TestReadLimited(t *testing.T) {
	for _, c := range []struct {
		name        string
		data        int
		want, limit int
		err         error
		maxCap      int
	}{
		{"small", 10, 10, 100, nil, 11},
		{"exact limit", 100, 100, 100, nil, 101},
		{"announced 1 MiB, 100 bytes arrive", 100, 1 << 20, 1 << 20, io.ErrUnexpectedEOF, 4<<10 + 1},
		{"chunked over limit", 5000, 4096, 4096, errBodyTooLarge, 4097},
		{"large", 300 << 10, 300 << 10, 1 << 20, nil, 300<<10 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r io.Reader = iotest.HalfReader(bytes.NewReader(bytes.Repeat([]byte("x"), c.data)))
			if c.err == io.ErrUnexpectedEOF {
				r = io.MultiReader(r, iotest.ErrReader(io.ErrUnexpectedEOF))
			}
			got, err := readLimited(r, c.want, c.limit)
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if err == nil && (len(got) != c.data || cap(got) > c.maxCap) {
				t.Fatalf("len %d cap %d, want len %d cap ≤ %d", len(got), cap(got), c.data, c.maxCap)
			}
		})
	}
}

// TestAnonymousBodyDeadline: a body without credentials must follow its
// header within HeaderTimeout; the admin's gets ReadTimeout.
func TestAnonymousBodyDeadline(t *testing.T) {
	e := newTestEnv(t, func(c *Config) {
		c.HeaderTimeout = 300 * time.Millisecond
		c.ReadTimeout = 5 * time.Second
	})
	for _, c := range []struct {
		name, hdr string
		cut       bool
	}{
		{"anonymous login", "", true},
		{"admin settings", e.bearer() + "\r\n", false},
	} {
		path := "/api/v1/login"
		if c.hdr != "" {
			path = "/api/v1/settings"
		}
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		method := "POST"
		if c.hdr != "" {
			method = "PUT"
		}
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{", method, path, c.hdr)
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(1500 * time.Millisecond))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		switch {
		case c.cut && (err != nil || resp.StatusCode != 408):
			t.Errorf("%s: %v %v after %v, want 408 within the header timeout", c.name, resp, err, time.Since(start))
		case !c.cut && err == nil:
			t.Errorf("%s: answered %d after %v, want it still waiting for its body", c.name, resp.StatusCode, time.Since(start))
		}
	}
}
