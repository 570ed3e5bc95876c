package web

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// pageCacheTTL is how long a rendered anonymous overview is reused. Under
// load (or a wall of phones on the LAN) the page is rendered at most once
// per TTL instead of once per request; an admin action invalidates it.
const pageCacheTTL = time.Second

// pageCache holds the latest anonymous rendering of one page, plain and
// gzipped.
type pageCache struct {
	mu       sync.Mutex
	html, gz []byte
	at       time.Time
	gen      uint64
}

// get returns the cached page if it is younger than the TTL and from the
// current generation.
func (c *pageCache) get(now time.Time, gen uint64) (html, gz []byte, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.html == nil || c.gen != gen || now.Sub(c.at) >= pageCacheTTL || now.Before(c.at) {
		return nil, nil, false
	}
	return c.html, c.gz, true
}

// put stores a fresh rendering. The slices are owned by the cache from now
// on and never modified, so readers may hand them to responses as is.
func (c *pageCache) put(now time.Time, gen uint64, html []byte) (gz []byte) {
	gz = fasthttp.AppendGzipBytesLevel(nil, html, fasthttp.CompressBestSpeed)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.html, c.gz, c.at, c.gen = html, gz, now, gen
	return gz
}

// pageGeneration counts state changes made through web; a cached page from
// an older generation is stale.
type pageGeneration struct{ n atomic.Uint64 }

func (g *pageGeneration) bump()        { g.n.Add(1) }
func (g *pageGeneration) load() uint64 { return g.n.Load() }

// writeCachedPage answers with a cached page, gzipped when the client
// accepts it (the compression handler leaves an encoded body alone).
func writeCachedPage(ctx *fasthttp.RequestCtx, html, gz []byte) {
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.Response.Header.Add("Vary", "Accept-Encoding")
	if ctx.Request.Header.HasAcceptEncoding("gzip") {
		ctx.Response.Header.SetContentEncoding("gzip")
		ctx.Response.SetBodyRaw(gz)
		return
	}
	ctx.Response.SetBodyRaw(html)
}
