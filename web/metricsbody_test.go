package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/web/fixedgzip"
)

// renderingBackend is memBackend with a shared rendering, as the agent's
// core keeps one: the same slice until render makes a new one.
type renderingBackend struct {
	*memBackend
	mu   sync.Mutex
	text []byte
}

func (b *renderingBackend) MetricsText() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.text
}

func (b *renderingBackend) render(text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.text = []byte(text)
}

// scrape sends GET /metrics straight to the handler and returns the
// response's body as sent and decoded, and its Content-Encoding.
func scrape(t *testing.T, h fasthttp.RequestHandler, acceptGzip bool) (raw []byte, text, encoding string) {
	t.Helper()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("http://127.0.0.1/metrics")
	ctx.Request.Header.SetHost("127.0.0.1")
	if acceptGzip {
		ctx.Request.Header.Set("Accept-Encoding", "gzip")
	}
	h(&ctx)
	if ctx.Response.StatusCode() != 200 {
		t.Fatalf("GET /metrics = %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	if !strings.Contains(string(ctx.Response.Header.Peek("Vary")), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
	raw = bytes.Clone(ctx.Response.Body())
	encoding = string(ctx.Response.Header.ContentEncoding())
	if encoding != "gzip" {
		return raw, string(raw), encoding
	}
	r, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	r.Multistream(false)
	dec, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return raw, string(dec), encoding
}

// TestMetricsRenderingCompressedOnce checks /metrics over a backend with a
// shared rendering: gzip and plain scrapes carry the rendering byte for
// byte, then web's own families; the compressed rendering is made once
// per rendering and its bytes are those a fresh compression gives; a new
// rendering is served, compressed afresh, from the next scrape on.
func TestMetricsRenderingCompressedOnce(t *testing.T) {
	b := &renderingBackend{memBackend: newMemBackend(time.Now)}
	b.render("# HELP a_total A.\n# TYPE a_total counter\n" + strings.Repeat("a_total{x=\"0123456789\"} 1\n", 400))
	srv, err := newServer(Config{Logger: slog.New(slog.DiscardHandler)}, b, minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	for round, text := range []string{string(b.MetricsText()), "# HELP b B.\n# TYPE b gauge\nb 2\n"} {
		if round > 0 {
			b.render(text)
		}
		var firstPrefix *fixedgzip.Prefix
		for i := range 3 {
			raw, got, enc := scrape(t, h, true)
			if enc != "gzip" {
				t.Fatalf("round %d scrape %d: Content-Encoding %q, want gzip", round, i, enc)
			}
			if !strings.HasPrefix(got, text) || !strings.Contains(got[len(text):], "# TYPE heimnetz_server_active_connections gauge\n") {
				t.Fatalf("round %d scrape %d: body does not start with the rendering and go on with web's families:\n%.300s", round, i, got)
			}
			// The rendering's compressed bytes are a fresh compression's.
			fresh := fixedgzip.NewPrefix([]byte(text)).Append(nil, []byte(got[len(text):]))
			if !bytes.Equal(raw, fresh) {
				t.Fatalf("round %d scrape %d: gzip body differs from a fresh compression of what it decodes to", round, i)
			}
			p := srv.metricsGzip.last.Load()
			if p == nil || !sameSlice(p.text, b.MetricsText()) {
				t.Fatalf("round %d scrape %d: the cache does not hold the current rendering", round, i)
			}
			if firstPrefix == nil {
				firstPrefix = p.prefix
			} else if p.prefix != firstPrefix {
				t.Fatalf("round %d scrape %d: the rendering was compressed again", round, i)
			}
			_, plain, enc := scrape(t, h, false)
			if enc != "" || !strings.HasPrefix(plain, text) {
				t.Fatalf("round %d: plain scrape (encoding %q) does not start with the rendering", round, enc)
			}
		}
	}
	_, got, _ := scrape(t, h, true)
	checkWithPromtool(t, got)
}

// writingBackend serves the same rendering through WriteMetrics alone,
// as a backend without a shared rendering does: web compresses the whole
// body on every gzip scrape.
type writingBackend struct {
	*memBackend
	text []byte
}

func (b *writingBackend) WriteMetrics(w io.Writer) { w.Write(b.text) }

// agentSizedRendering is about what the agent renders with every bundled
// plugin on (1,270 lines, 79 KB): mostly per-plugin agent series and node_*
// series with varying values.
func agentSizedRendering() []byte {
	var b bytes.Buffer
	plugins := []string{"conntrack", "cpu", "dhcp-leases", "entropy", "filefd", "filesystem", "hwmon", "loadavg", "meminfo", "nat-traffic", "netclass", "netdev", "netstat", "openwrt", "stat", "thermal", "time", "uname", "wan", "wifi", "wifi-stations"}
	v := uint64(88172645463325252)
	next := func() uint64 { v ^= v << 13; v ^= v >> 7; v ^= v << 17; return v % 10_000_000 }
	for _, fam := range []string{"heimnetz_plugin_executions_total", "heimnetz_plugin_memory_usage_bytes", "heimnetz_plugin_kv_bytes", "heimnetz_plugin_series", "heimnetz_plugin_metric_bytes", "heimnetz_plugin_cpu_seconds_total"} {
		fmt.Fprintf(&b, "# HELP %s Agent metric.\n# TYPE %s gauge\n", fam, fam)
		for _, p := range plugins {
			for _, r := range []string{"ok", "error", "limit", "skipped"} {
				fmt.Fprintf(&b, "%s{plugin=%q,result=%q} %d\n", fam, p, r, next())
			}
		}
	}
	for _, fam := range []string{"node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_network_receive_packets_total", "node_network_transmit_packets_total", "node_cpu_seconds_total"} {
		fmt.Fprintf(&b, "# HELP %s Node metric.\n# TYPE %s counter\n", fam, fam)
		for i := range 150 {
			fmt.Fprintf(&b, "%s{device=\"eth%d\",plugin=\"netdev\"} %d\n", fam, i, next())
		}
	}
	return b.Bytes()
}

// BenchmarkMetricsScrape is the server's work for one /metrics request
// with an agent-sized rendering, beside /healthz: gzip from the shared
// compressed rendering (rendered-gzip), gzip of the whole body per
// request as before (whole-gzip), and no compression (rendered-plain).
func BenchmarkMetricsScrape(b *testing.B) {
	text := agentSizedRendering()
	run := func(b *testing.B, be Backend, path, enc string) {
		srv, err := newServer(Config{Logger: slog.New(slog.DiscardHandler)}, be, minIterations, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		h := srv.Handler()
		var req fasthttp.Request
		req.SetRequestURI(path)
		req.Header.SetHost("127.0.0.1")
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
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
		b.ReportMetric(float64(size), "bytes/response")
	}
	mem := newMemBackend(time.Now)
	b.Run("healthz", func(b *testing.B) { run(b, mem, "/healthz", "gzip") })
	b.Run("rendered-gzip", func(b *testing.B) {
		run(b, &renderingBackend{memBackend: mem, text: text}, "/metrics", "gzip")
	})
	b.Run("whole-gzip", func(b *testing.B) { run(b, &writingBackend{memBackend: mem, text: text}, "/metrics", "gzip") })
	b.Run("rendered-plain", func(b *testing.B) {
		run(b, &renderingBackend{memBackend: mem, text: text}, "/metrics", "")
	})
}
