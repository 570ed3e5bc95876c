package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestErrorResponseReachesUploadingClient checks heimnetz patch 6: a client
// that is still sending a request the server refused reads the error
// response instead of a connection reset. Each client writes its whole
// request (1 MiB of body, far more than the socket buffers hold once the
// server stops reading) before it reads anything, the order in which a
// reset loses the answer.
func TestErrorResponseReachesUploadingClient(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("x"), 1<<20)
	cases := []struct {
		name          string
		maxConnsPerIP int
		request       []byte
		status        int
	}{
		{
			name:    "body over MaxRequestBodySize",
			request: append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"), body...),
			status:  StatusRequestEntityTooLarge,
		},
		{
			name:          "body over MaxRequestBodySize, per-IP limit",
			maxConnsPerIP: 4,
			request:       append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"), body...),
			status:        StatusRequestEntityTooLarge,
		},
		{
			name:    "chunked body over MaxRequestBodySize",
			request: append(append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n"), body...), "\r\n0\r\n\r\n"...),
			status:  StatusRequestEntityTooLarge,
		},
		{
			name:    "header over ReadBufferSize",
			request: append([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Big: "), append(body, "\r\n\r\n"...)...),
			status:  StatusRequestHeaderFieldsTooLarge,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := &Server{
				Handler: func(ctx *RequestCtx) {
					t.Errorf("handler reached for %s", ctx.Path())
				},
				MaxRequestBodySize: 4 << 10,
				ReadBufferSize:     4 << 10,
				MaxConnsPerIP:      c.maxConnsPerIP,
				ErrorHandler:       tooLargeErrorHandler,
				Logger:             &testLogger{},
			}
			addr := serveLoopback(t, s)
			for round := range 5 {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := conn.Write(c.request); err != nil {
					conn.Close()
					t.Fatalf("round %d: writing the request: %v", round, err)
				}
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					conn.Close()
					t.Fatalf("round %d: reading the answer: %v", round, err)
				}
				resp.Body.Close()
				conn.Close()
				if resp.StatusCode != c.status {
					t.Fatalf("round %d: status %d, want %d", round, resp.StatusCode, c.status)
				}
				if !resp.Close {
					t.Fatalf("round %d: answer without Connection: close", round)
				}
			}
		})
	}
}

// TestErrorLingerIsBounded checks that a client which keeps sending after
// its request was refused cannot hold the connection open: the server
// closes it once ReadTimeout (shorter than errorLingerTimeout) has passed.
func TestErrorLingerIsBounded(t *testing.T) {
	t.Parallel()
	s := &Server{
		Handler:            func(*RequestCtx) {},
		MaxRequestBodySize: 1 << 10,
		ReadTimeout:        300 * time.Millisecond,
		ErrorHandler:       tooLargeErrorHandler,
		Logger:             &testLogger{},
	}
	addr := serveLoopback(t, s)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	// Keep sending, slowly, until the server closes the connection.
	stopped := make(chan error, 1)
	go func() {
		chunk := bytes.Repeat([]byte("y"), 512)
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := conn.Write(chunk); err != nil {
				stopped <- err
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		stopped <- errors.New("the server still read after 30 s")
	}()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	if err := <-stopped; err != nil && strings.Contains(err.Error(), "still read") {
		t.Fatal(err)
	}
}

// TestErrorLingerWithoutHalfClose checks that a connection which cannot
// half-close, such as an in-memory pipe, is closed right after the error
// response, as before the patch.
func TestErrorLingerWithoutHalfClose(t *testing.T) {
	t.Parallel()
	s := &Server{
		Handler:            func(*RequestCtx) {},
		MaxRequestBodySize: 1 << 10,
		ErrorHandler:       tooLargeErrorHandler,
		Logger:             &testLogger{},
	}
	server, client := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.ServeConn(server) }()
	go func() {
		client.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"))
	}()
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, _ := io.ReadAll(client)
	if !bytes.HasPrefix(answer, []byte("HTTP/1.1 413 ")) {
		t.Fatalf("answer %q", answer)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ServeConn did not return")
	}
}

// serveLoopback serves s on a free loopback port until the test ends and
// returns the address.
func serveLoopback(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln) //nolint:errcheck
	}()
	t.Cleanup(func() {
		s.Shutdown() //nolint:errcheck
		<-done
	})
	return ln.Addr().String()
}

// tooLargeErrorHandler answers a body over MaxRequestBodySize with 413, as
// applications do (the default handler answers 400), and everything else
// as the default handler does.
func tooLargeErrorHandler(ctx *RequestCtx, err error) {
	if errors.Is(err, ErrBodyTooLarge) {
		ctx.Error("Request body too large", StatusRequestEntityTooLarge)
		return
	}
	defaultErrorHandler(ctx, err)
}
