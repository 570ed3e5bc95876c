package fasthttp

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestStreamHandlerRunsBeforeBody checks heimnetz patch 8: with
// StreamRequestBody the handler runs as soon as the header is in, even when
// the client announces a large body and sends none of it (or only a few
// bytes), and it sees the bytes that arrived with the header.
func TestStreamHandlerRunsBeforeBody(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		sent string // body bytes sent with the header
	}{
		{"nothing sent", ""},
		{"a few bytes sent", "abc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			reached := make(chan int, 1)
			s := &Server{
				Handler: func(ctx *RequestCtx) {
					reached <- len(ctx.Request.body.B)
					ctx.Error("refused by its headers", StatusUnauthorized)
					ctx.SetConnectionClose()
				},
				StreamRequestBody: true,
				ReadTimeout:       5 * time.Second,
				Logger:            &testLogger{},
			}
			ps := startPlainServer(t, s)
			defer ps.stop()
			conn, err := net.Dial("tcp", ps.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n%s", c.sent)
			select {
			case n := <-reached:
				if n != len(c.sent) {
					t.Fatalf("handler saw %d prefetched bytes, want the %d that arrived", n, len(c.sent))
				}
			case <-time.After(2 * time.Second):
				t.Fatal("handler not reached within 2 s of the header: the server waits for body bytes")
			}
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != StatusUnauthorized || time.Since(start) > 2*time.Second {
				t.Fatalf("status %d after %v, want 401 at once", resp.StatusCode, time.Since(start))
			}
		})
	}
}
