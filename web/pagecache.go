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

// refreshGrace is how long one request may take to refresh an expired
// page before another request tries.
const refreshGrace = 5 * time.Second

// pageCache holds the latest anonymous rendering of one page, plain and
// gzipped. When it expires, one request renders it anew while the others
// keep getting the expired copy, so that a crowd of requests does not
// render (and query the backend) all at once.
type pageCache struct {
	mu         sync.Mutex
	html, gz   []byte
	at         time.Time
	gen        uint64
	refreshing time.Time // when the current refresh began; zero if none
}

// get returns the cached page if it is from the current generation and
// either younger than the TTL or being refreshed by another request. When
// it returns ok false the caller renders the page and calls put.
func (c *pageCache) get(now time.Time, gen uint64) (html, gz []byte, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.html == nil || c.gen != gen {
		return nil, nil, false
	}
	if age := now.Sub(c.at); age >= 0 && age < pageCacheTTL {
		return c.html, c.gz, true
	}
	if !c.refreshing.IsZero() && now.Sub(c.refreshing) < refreshGrace {
		return c.html, c.gz, true
	}
	c.refreshing = now
	return nil, nil, false
}

// put stores a fresh rendering. The slices are owned by the cache from now
// on and never modified, so readers may hand them to responses as is.
func (c *pageCache) put(now time.Time, gen uint64, html []byte) (gz []byte) {
	gz = appendGzip(nil, html)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.html, c.gz, c.at, c.gen, c.refreshing = html, gz, now, gen, time.Time{}
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
	if requestAcceptsGzip(&ctx.Request.Header) {
		ctx.Response.Header.SetContentEncoding("gzip")
		ctx.Response.SetBodyRaw(gz)
		return
	}
	ctx.Response.SetBodyRaw(html)
}
