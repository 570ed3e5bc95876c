package web

import (
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// renderError answers with the HTML error page; msg, which may quote a
// client's or a plugin's text, is bounded and cleaned first.
func (s *Server) renderError(ctx *fasthttp.RequestCtx, code int, msg string) {
	s.renderErrorFrom(ctx, routeNotFound, code, msg)
}

// backLinks lead from the error page of a form back to the page the form
// is on, so that the owner can fix what the message names and try again.
var backLinks = map[route]struct{ href, label markup }{
	routeInstallForm:   {"/settings", "Back to the settings"},
	routeSettingsPage:  {"/settings", "Back to the settings"},
	routeEventsAckForm: {"/events", "Back to the events"},
}

// renderErrorFrom is renderError for a request to route r.
func (s *Server) renderErrorFrom(ctx *fasthttp.RequestCtx, r route, code int, msg string) {
	msg = oneline.Clean(msg, maxMessage)
	a, _ := s.authenticate(ctx)
	status := fasthttp.StatusMessage(code)
	d := s.newPageData(a, status, "")
	ctx.Response.ResetBody()
	back, ok := backLinks[r]
	if !ok {
		back.href, back.label = "/", "Back to the overview"
	}
	s.render(ctx, code, d, func(w htmlWriter, _ *pageData) { writeError(w, code, status, msg, back.href, back.label) })
}

// writeError writes the error page's content.
func writeError(w htmlWriter, code int, status, msg string, backHref, backLabel markup) {
	w.raw("\n<section class=\"card\">\n<h1>")
	w.int(int64(code))
	w.raw(` `)
	w.text(status)
	w.raw("</h1>\n<p class=\"err\">")
	w.text(msg)
	w.raw("</p>\n<p><a href=\"")
	w.raw(backHref)
	w.raw(`">`)
	w.raw(backLabel)
	w.raw("</a></p>\n</section>\n")
}
