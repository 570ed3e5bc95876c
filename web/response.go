package web

import (
	"encoding/json"
	"errors"

	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// contentSecurityPolicy allows only the server's own stylesheet, script and
// images (plus data: images); no inline script or style, no framing, no
// foreign form targets.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// setSecurityHeaders sets the headers every response carries.
func setSecurityHeaders(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

const jsonContentType = "application/json; charset=utf-8"

// writeJSON answers with v as JSON and the given status.
func writeJSON(ctx *fasthttp.RequestCtx, code int, v any) {
	ctx.SetStatusCode(code)
	ctx.SetContentType(jsonContentType)
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		ctx.ResetBody()
		ctx.SetStatusCode(fasthttp.StatusInternalServerError)
		ctx.SetBodyString(`{"error":"cannot encode response"}` + "\n")
		return
	}
	// Plugin and client strings leave as one clean line each, whatever
	// the backend holds (see cleanJSON).
	ctx.Write(cleanJSON(buf.B))
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
}

// writeJSONError answers with {"error": msg}.
func writeJSONError(ctx *fasthttp.RequestCtx, code int, msg string) {
	ctx.Response.ResetBody()
	writeJSON(ctx, code, apiError{Error: oneline.Clean(msg, maxMessage)})
}

// fail answers an error in the form the route speaks: JSON for the API,
// a small HTML page otherwise.
func (s *Server) fail(ctx *fasthttp.RequestCtx, r route, code int, msg string) {
	if r.isAPI() {
		writeJSONError(ctx, code, msg)
		return
	}
	s.renderErrorFrom(ctx, r, code, msg)
}

// backendErrorStatus maps a Backend error to an HTTP status.
func backendErrorStatus(err error) int {
	switch {
	case errors.Is(err, ErrNotFound):
		return fasthttp.StatusNotFound
	case errors.Is(err, ErrInvalid):
		return fasthttp.StatusBadRequest
	case errors.Is(err, ErrConflict), errors.Is(err, ErrConfig):
		return fasthttp.StatusConflict
	default:
		return fasthttp.StatusInternalServerError
	}
}

// methodNotAllowed answers 405 with the Allow header.
func (s *Server) methodNotAllowed(ctx *fasthttp.RequestCtx, r route, allow string) {
	ctx.Response.Header.Set("Allow", allow)
	s.fail(ctx, r, fasthttp.StatusMethodNotAllowed, "method not allowed")
}
