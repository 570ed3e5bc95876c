package web

import (
	"bytes"
	"sync"

	"github.com/heimnetz/heimnetz/web/fixedgzip"
	"github.com/valyala/fasthttp"
)

// gzipMinSize is the smallest body worth compressing: below it the gzip
// header and trailer (18 bytes) and the CPU time buy little or nothing.
const gzipMinSize = 256

// appendGzip appends the gzip encoding of src to dst and returns the
// extended slice. It uses fixedgzip, which needs a pooled 16 KB table and
// nothing else: general-purpose encoders hold 260 KB to 1.2 MB per call or
// per pooled writer, which fragmented a 32-bit router's heap into a second
// 4 MiB arena when /metrics was scraped with gzip every second (see the
// fixedgzip package comment for the measurements).
func appendGzip(dst, src []byte) []byte { return fixedgzip.Append(dst, src) }

// gzipScratch pools the buffers compressResponse encodes into before the
// response copies them into its own body buffer.
var gzipScratch = sync.Pool{New: func() any { return new([]byte) }}

// compressResponse gzips the response body in place when the client
// accepts gzip and the body is compressible text of at least gzipMinSize
// bytes. Bodies that already carry a Content-Encoding, streams, and
// binary types (archives, images other than SVG) are left alone.
// Every response that could be compressed says Vary: Accept-Encoding,
// whether or not this client got it compressed, so caches keep them apart.
func compressResponse(ctx *fasthttp.RequestCtx) {
	resp := &ctx.Response
	if len(resp.Header.ContentEncoding()) > 0 || resp.IsBodyStream() {
		return
	}
	body := resp.Body()
	if len(body) < gzipMinSize || !compressibleType(resp.Header.ContentType()) {
		return
	}
	addVaryAcceptEncoding(&resp.Header)
	if !requestAcceptsGzip(&ctx.Request.Header) {
		return
	}
	buf := gzipScratch.Get().(*[]byte)
	*buf = appendGzip((*buf)[:0], body)
	resp.SetBody(*buf)
	resp.Header.SetContentEncoding("gzip")
	if cap(*buf) <= 256<<10 {
		gzipScratch.Put(buf)
	}
}

// addVaryAcceptEncoding adds Vary: Accept-Encoding unless a Vary header
// already names it.
func addVaryAcceptEncoding(h *fasthttp.ResponseHeader) {
	for _, v := range h.PeekAll("Vary") {
		for _, f := range bytes.Split(v, []byte{','}) {
			if asciiEqualFold(bytes.TrimSpace(f), "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// requestAcceptsGzip reports whether the request's Accept-Encoding allows
// gzip; the list may be split over several header lines (RFC 9110 §5.3).
func requestAcceptsGzip(h *fasthttp.RequestHeader) bool {
	lines := h.PeekAll("Accept-Encoding")
	if len(lines) == 1 {
		return acceptsGzip(lines[0])
	}
	return acceptsGzip(bytes.Join(lines, []byte{','}))
}

// compressibleType reports whether a body of this media type is text that
// gzip shrinks.
func compressibleType(contentType []byte) bool {
	if i := bytes.IndexByte(contentType, ';'); i >= 0 {
		contentType = contentType[:i]
	}
	contentType = bytes.TrimSpace(contentType)
	if len(contentType) >= 5 && asciiEqualFold(contentType[:5], "text/") {
		return true
	}
	for _, t := range [...]string{"application/json", "application/javascript", "application/xml", "image/svg+xml", "application/sarif+json"} {
		if asciiEqualFold(contentType, t) {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header value (RFC 9110
// §12.5.3) allows gzip: listed as gzip, x-gzip or * with a non-zero
// quality. An explicit "gzip;q=0" refuses it even when * is allowed.
func acceptsGzip(header []byte) bool {
	star := false
	for len(header) > 0 {
		var item []byte
		if i := bytes.IndexByte(header, ','); i >= 0 {
			item, header = header[:i], header[i+1:]
		} else {
			item, header = header, nil
		}
		coding, params, _ := bytes.Cut(item, []byte{';'})
		coding = bytes.TrimSpace(coding)
		ok := !zeroQuality(params)
		switch {
		case asciiEqualFold(coding, "gzip"), asciiEqualFold(coding, "x-gzip"):
			return ok
		case len(coding) == 1 && coding[0] == '*':
			star = ok
		}
	}
	return star
}

// zeroQuality reports whether the parameters of one Accept-Encoding item
// carry q=0 (also written 0.0, 0.00, 0.000).
func zeroQuality(params []byte) bool {
	for len(params) > 0 {
		var p []byte
		if i := bytes.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, nil
		}
		name, value, found := bytes.Cut(bytes.TrimSpace(p), []byte{'='})
		if !found || !asciiEqualFold(bytes.TrimSpace(name), "q") {
			continue
		}
		value = bytes.TrimSpace(value)
		if len(value) == 0 || value[0] != '0' {
			return false
		}
		rest := value[1:]
		if len(rest) > 0 {
			if rest[0] != '.' {
				return false
			}
			rest = rest[1:]
		}
		for _, c := range rest {
			if c != '0' {
				return false
			}
		}
		return true
	}
	return false
}

// asciiEqualFold reports whether b equals s, ignoring ASCII case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}
