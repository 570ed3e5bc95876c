package web

import (
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// renderError answers with the HTML error page; msg, which may quote a
// client's or a plugin's text, is bounded and cleaned first.
func (s *Server) renderError(ctx *fasthttp.RequestCtx, code int, msg string) {
	msg = oneline.Clean(msg, maxMessage)
	a, _ := s.authenticate(ctx)
	status := fasthttp.StatusMessage(code)
	d := s.newPageData(a, status, "")
	ctx.Response.ResetBody()
	s.render(ctx, code, d, func(w htmlWriter, _ *pageData) { writeError(w, code, status, msg) })
}

// writeError writes the error page's content.
func writeError(w htmlWriter, code int, status, msg string) {
	w.raw("\n<section class=\"card\">\n<h1>")
	w.int(int64(code))
	w.raw(` `)
	w.text(status)
	w.raw("</h1>\n<p class=\"err\">")
	w.text(msg)
	w.raw("</p>\n<p><a href=\"/\">Back to the overview</a></p>\n</section>\n")
}
