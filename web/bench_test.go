package web

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func benchServer(b *testing.B) (*Server, *memBackend) {
	b.Helper()
	mb := newMemBackend(time.Now)
	hash, _ := hashPasswordIter(testPassword, minIterations)
	srv, err := newServer(Config{AdminPasswordHash: hash, AdminTokenHash: HashToken(NewToken()), Logger: newTestLogger(&syncBuffer{})}, mb, minIterations, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 240 {
		mb.mu.Lock()
		for _, p := range mb.plugins {
			p.CPUSeconds += 0.01 * float64(i%7)
		}
		mb.overview.Interfaces[0].RxBytes += uint64(1000 * (i % 13))
		mb.mu.Unlock()
		srv.history.add(sampleInput{now: time.Now().Add(time.Duration(i-240) * 15 * time.Second), overview: mb.Overview(), plugins: mb.Plugins()})
	}
	return srv, mb
}

// benchHandler serves one GET in memory and returns the response size.
func benchHandler(b *testing.B, path, acceptEncoding string) {
	srv, _ := benchServer(b)
	h := srv.Handler()
	var req fasthttp.Request
	req.SetRequestURI(path)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	var ctx fasthttp.RequestCtx
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		ctx.Init(&req, remote, nil)
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
		size = len(ctx.Response.Body())
	}
	b.ReportMetric(float64(size), "bytes/page")
}

func BenchmarkOverviewPage(b *testing.B)     { benchHandler(b, "/?done=x", "") }
func BenchmarkOverviewCached(b *testing.B)   { benchHandler(b, "/", "gzip") }
func BenchmarkOverviewPageGzip(b *testing.B) { benchHandler(b, "/?done=x", "gzip") }
func BenchmarkPluginPage(b *testing.B)       { benchHandler(b, "/plugins/net", "") }
func BenchmarkMetrics(b *testing.B)          { benchHandler(b, "/metrics", "") }
func BenchmarkAPIPlugins(b *testing.B)       { benchHandler(b, "/api/v1/plugins", "") }

// BenchmarkOverviewFirstByte measures the time from sending GET / on a
// keep-alive loopback connection to the first byte of the answer, as a
// browser on the LAN sees it (without the network).
func BenchmarkOverviewFirstByte(b *testing.B) { benchFirstByte(b, "/") }

// BenchmarkOverviewFirstByteUncached renders the page on every request
// (a query argument bypasses the anonymous page cache).
func BenchmarkOverviewFirstByteUncached(b *testing.B) { benchFirstByte(b, "/?done=ack") }

func benchFirstByte(b *testing.B, path string) {
	srv, _ := benchServer(b)
	srv.samplerStarted = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Shutdown(b.Context())
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReaderSize(conn, 64<<10)
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: gzip\r\n\r\n")
	var ttfb time.Duration
	for b.Loop() {
		start := time.Now()
		conn.Write(req)
		if _, err := br.Peek(1); err != nil {
			b.Fatal(err)
		}
		ttfb += time.Since(start)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Encoding"), "gzip") {
			b.Fatalf("status %d encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
	b.ReportMetric(float64(ttfb.Microseconds())/float64(b.N), "µs-first-byte")
}
