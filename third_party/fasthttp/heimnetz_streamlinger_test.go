package fasthttp

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestStreamRefusalReachesUploadingClient checks heimnetz patch 7: with
// StreamRequestBody, a handler that refuses a request by its headers and
// leaves the streamed body unread still gets its answer to a client that
// writes the whole body (8 MiB, more than loopback socket buffers hold) before reading, instead of a reset.
func TestStreamRefusalReachesUploadingClient(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("x"), 8<<20)
	for _, c := range []struct {
		name    string
		request []byte
	}{
		{"Content-Length", append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 8388608\r\n\r\n"), body...)},
		{"chunked", append(append([]byte("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800000\r\n"), body...), "\r\n0\r\n\r\n"...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := &Server{
				Handler: func(ctx *RequestCtx) {
					ctx.Error("refused by its headers", StatusRequestEntityTooLarge)
					ctx.SetConnectionClose()
				},
				StreamRequestBody: true,
				ReadBufferSize:    4 << 10,
				Logger:            &testLogger{},
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
				conn.Close()
				if err != nil {
					t.Fatalf("round %d: reading the answer: %v", round, err)
				}
				resp.Body.Close()
				if resp.StatusCode != StatusRequestEntityTooLarge || !resp.Close {
					t.Fatalf("round %d: status %d close %v, want 413 with Connection: close", round, resp.StatusCode, resp.Close)
				}
			}
		})
	}
}
