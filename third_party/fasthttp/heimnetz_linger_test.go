package fasthttp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
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
	upload := append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"), body...)
	cases := []struct {
		name          string
		maxConnsPerIP int
		request       []byte
		status        int
	}{
		{
			name:    "body over MaxRequestBodySize",
			request: upload,
			status:  StatusRequestEntityTooLarge,
		},
		{
			name:          "body over MaxRequestBodySize, per-IP limit",
			maxConnsPerIP: 4,
			request:       upload,
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
			ps := startPlainServer(t, s)
			defer ps.stop()
			for round := range 5 {
				conn, err := net.Dial("tcp", ps.addr)
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

// TestLingerAfterError checks the close itself: the sending side is shut
// first, reads go on until the client closes, and the read deadline is
// errorLingerTimeout or the shorter ReadTimeout.
func TestLingerAfterError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		readTimeout time.Duration
		want        time.Duration
	}{
		{"no ReadTimeout", 0, errorLingerTimeout},
		{"shorter ReadTimeout", 300 * time.Millisecond, 300 * time.Millisecond},
		{"longer ReadTimeout", time.Minute, errorLingerTimeout},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := &halfCloseConn{plainConn: plainConn{pending: 3}}
			s := &Server{ReadTimeout: c.readTimeout}
			before := time.Now()
			s.lingerAfterError(conn)
			after := time.Now()
			if conn.closeWrites != 1 {
				t.Fatalf("CloseWrite called %d times, want 1", conn.closeWrites)
			}
			if conn.reads != 4 {
				t.Fatalf("%d reads, want the 3 pending and the one that saw EOF", conn.reads)
			}
			if conn.readDeadline.Before(before.Add(c.want)) || conn.readDeadline.After(after.Add(c.want)) {
				t.Fatalf("read deadline %v after the call, want %v", conn.readDeadline.Sub(before), c.want)
			}
		})
	}
	t.Run("CloseWrite fails", func(t *testing.T) {
		conn := &halfCloseConn{plainConn: plainConn{pending: 3}, closeWriteErr: errors.New("not connected")}
		(&Server{}).lingerAfterError(conn)
		if conn.reads != 0 || !conn.readDeadline.IsZero() {
			t.Fatalf("%d reads and a deadline after a failed CloseWrite", conn.reads)
		}
	})
	t.Run("connection cannot half-close", func(t *testing.T) {
		conn := &plainConn{}
		(&Server{}).lingerAfterError(conn)
		if conn.reads != 0 {
			t.Fatalf("%d reads on a connection without CloseWrite", conn.reads)
		}
	})
	t.Run("per-IP wrapper", func(t *testing.T) {
		inner := &halfCloseConn{}
		if err := (&perIPConn{Conn: inner}).CloseWrite(); err != nil || inner.closeWrites != 1 {
			t.Fatalf("CloseWrite through the wrapper: %v, %d calls", err, inner.closeWrites)
		}
		if err := (&perIPConn{Conn: &plainConn{}}).CloseWrite(); !errors.Is(err, errNoCloseWrite) {
			t.Fatalf("CloseWrite on a wrapped pipe: %v, want errNoCloseWrite", err)
		}
	})
}

// TestErrorLingerOnlyAfterRefusal checks which connections the server
// lingers on: those it refused while the client may still be sending, not
// slow clients, not finished keep-alive connections.
func TestErrorLingerOnlyAfterRefusal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		client  string // sent before the client reads the answer
		status  int    // of the answer; 0 for none
		lingers bool
	}{
		{"body over MaxRequestBodySize", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", StatusRequestEntityTooLarge, true},
		{"body denied by ContinueHandler", "POST /deny HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n", StatusExpectationFailed, true},
		{"nothing sent within ReadTimeout", "", StatusRequestTimeout, false},
		// Upstream answers a header cut off by ReadTimeout with 400.
		{"header cut off by ReadTimeout", "GET / HTTP/1.1\r\nHost: x\r\n", StatusBadRequest, false},
		{"served request, then the client closes", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", StatusOK, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := &Server{
				Handler:            func(*RequestCtx) {},
				ContinueHandler:    func(h *RequestHeader) bool { return string(h.RequestURI()) != "/deny" },
				MaxRequestBodySize: 1 << 10,
				ReadTimeout:        200 * time.Millisecond,
				ErrorHandler:       tooLargeErrorHandler,
				Logger:             &testLogger{},
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			served := make(chan *countingConn, 1)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					served <- nil
					return
				}
				cc := &countingConn{TCPConn: c.(*net.TCPConn)}
				s.ServeConn(cc) //nolint:errcheck
				cc.Close()
				served <- cc
			}()
			client, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			client.Write([]byte(c.client))
			client.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(client), nil)
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			client.Close()
			cc := <-served
			if cc == nil {
				t.Fatal("accept failed")
			}
			if got := cc.closeWrites.Load() > 0; got != c.lingers {
				t.Fatalf("lingered: %v, want %v", got, c.lingers)
			}
		})
	}
}

// halfCloseConn is a connection that can half-close and has pending bytes
// to read before EOF.
type halfCloseConn struct {
	plainConn
	closeWrites   int
	closeWriteErr error
}

func (c *halfCloseConn) CloseWrite() error {
	c.closeWrites++
	return c.closeWriteErr
}

// plainConn is a net.Conn without CloseWrite, like an in-memory pipe. It
// returns one byte per Read while pending lasts, then EOF.
type plainConn struct {
	net.Conn     // nil: only the methods below are called
	pending      int
	reads        int
	readDeadline time.Time
}

func (c *plainConn) Read(p []byte) (int, error) {
	c.reads++
	if c.pending == 0 {
		return 0, io.EOF
	}
	c.pending--
	p[0] = 'x'
	return 1, nil
}

func (c *plainConn) SetReadDeadline(d time.Time) error {
	c.readDeadline = d
	return nil
}

// countingConn is a TCP connection that counts its CloseWrite calls.
type countingConn struct {
	*net.TCPConn
	closeWrites atomic.Int32
}

func (c *countingConn) CloseWrite() error {
	c.closeWrites.Add(1)
	return c.TCPConn.CloseWrite()
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
