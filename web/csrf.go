package web

import (
	"bytes"
	"net/url"

	"github.com/valyala/fasthttp"
)

// sameOrigin reports whether a state-changing request may have come from
// heimnetz's own pages. It rejects requests that a browser marks as
// cross-site (Sec-Fetch-Site) or whose Origin or Referer names another
// origin. A request without any of these headers (curl, old browsers, or
// Origin "null", which browsers send for pages with Referrer-Policy
// no-referrer) passes here and must still carry the CSRF token, which a
// foreign site cannot read.
func sameOrigin(ctx *fasthttp.RequestCtx) bool {
	h := &ctx.Request.Header
	if site := h.Peek("Sec-Fetch-Site"); len(site) > 0 {
		if !bytes.Equal(site, []byte("same-origin")) && !bytes.Equal(site, []byte("none")) {
			return false
		}
	}
	if origin := h.Peek("Origin"); len(origin) > 0 && !bytes.Equal(origin, []byte("null")) {
		return originMatches(string(origin), ctx)
	}
	if ref := h.Peek("Referer"); len(ref) > 0 {
		return originMatches(string(ref), ctx)
	}
	return true
}

// originMatches reports whether the scheme and host of u are this
// request's own.
func originMatches(u string, ctx *fasthttp.RequestCtx) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return false
	}
	scheme := "http"
	if ctx.IsTLS() {
		scheme = "https"
	}
	return p.Scheme == scheme && p.Host == string(ctx.Host())
}
