package web

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/web/fixedgzip"
)

// MetricsRenderer is an optional interface of a Backend whose metrics are
// one rendering shared by the scrapes that come while it is current.
// /metrics then compresses each rendering once instead of on every
// request: only web's own few lines, made afresh for each request, are
// compressed per request. (Compressing the whole ~50 KB body per request
// put /metrics' p99 at 3.3× /healthz's under 1000 req/s.)
type MetricsRenderer interface {
	// MetricsText returns the current rendering, what WriteMetrics would
	// write. The caller must not modify it. While the rendering is
	// current every call returns the very same slice; a new rendering is
	// a new slice, so web tells them apart by identity.
	MetricsText() []byte
}

// metricsGzip caches the compressed form of the backend's current
// rendering.
type metricsGzip struct {
	mu   sync.Mutex // one compression at a time
	last atomic.Pointer[gzipRendering]
}

// gzipRendering is one rendering and its compressed form.
type gzipRendering struct {
	text   []byte
	prefix *fixedgzip.Prefix
}

// sameSlice reports whether a and b are the same slice (not merely equal).
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// prefix returns text compressed, from the cache while text is the
// rendering it holds.
func (c *metricsGzip) prefix(text []byte) *fixedgzip.Prefix {
	if r := c.last.Load(); r != nil && sameSlice(r.text, text) {
		return r.prefix
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.last.Load(); r != nil && sameSlice(r.text, text) {
		return r.prefix
	}
	r := &gzipRendering{text: text, prefix: fixedgzip.NewPrefix(text)}
	c.last.Store(r)
	return r.prefix
}

// serveRenderedMetrics answers /metrics for a MetricsRenderer: the
// backend's rendering first, then web's own families. A client that
// accepts gzip gets the cached compressed rendering with web's lines
// compressed on to it, one gzip member (fixedgzip.Prefix).
func (s *Server) serveRenderedMetrics(ctx *fasthttp.RequestCtx, mr MetricsRenderer) {
	text := mr.MetricsText()
	own := bytebufferpool.Get()
	defer bytebufferpool.Put(own)
	s.WriteServerMetrics(own)
	ctx.SetContentType(metricsContentType)
	addVaryAcceptEncoding(&ctx.Response.Header)
	if !requestAcceptsGzip(&ctx.Request.Header) {
		ctx.Response.ResetBody()
		ctx.Response.AppendBody(text)
		ctx.Response.AppendBody(own.B)
		return
	}
	buf := gzipScratch.Get().(*[]byte)
	*buf = s.metricsGzip.prefix(text).Append((*buf)[:0], own.B)
	ctx.SetBody(*buf)
	ctx.Response.Header.SetContentEncoding("gzip")
	if cap(*buf) <= 256<<10 {
		gzipScratch.Put(buf)
	}
}

// WriteServerMetrics writes web's own families (the heimnetz_server_*
// series of requests, latency, connections and sheds) to w: the lines
// /metrics serves with the backend's. The agent's push sends them with
// the rest, so a pushed router has the same series as a scraped one.
func (s *Server) WriteServerMetrics(w io.Writer) {
	s.metrics.write(w)
	s.gate.writeMetrics(w)
}
