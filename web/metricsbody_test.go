package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
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
