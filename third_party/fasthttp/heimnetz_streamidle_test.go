package fasthttp

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"testing"
)

// TestStreamIdleConnReleasesReader checks heimnetz patch 9: with
// StreamRequestBody and ReduceMemoryUsage, a keep-alive connection waiting
// for its next request does not hold its read buffer. 100 idle connections
// with a 64 KiB buffer each held 6.4 MiB of heap before the patch.
func TestStreamIdleConnReleasesReader(t *testing.T) {
	const conns, bufSize = 100, 64 << 10
	s := &Server{
		Handler:           func(ctx *RequestCtx) { ctx.SetBodyString("ok") },
		StreamRequestBody: true,
		ReduceMemoryUsage: true,
		ReadBufferSize:    bufSize,
		Logger:            &testLogger{},
	}
	ps := startPlainServer(t, s)
	defer ps.stop()
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := range conns {
		c, err := net.Dial("tcp", ps.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// Half with a streamed body, half without.
		if i%2 == 0 {
			fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
		} else {
			fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("request %d: %v %v", i, resp, err)
		}
		resp.Body.Close()
	}
	grown := int64(heap()) - int64(before)
	t.Logf("heap grew by %d KiB for %d idle connections", grown>>10, conns)
	if grown > conns*bufSize/4 {
		t.Fatalf("heap grew by %d KiB for %d idle connections: their %d KiB read buffers are held", grown>>10, conns, bufSize>>10)
	}
}
