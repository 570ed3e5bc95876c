package web

import "github.com/valyala/fasthttp"

// docsPolicy is the Content-Security-Policy of /docs: the reference is
// one generated page with its CSS inline and no scripts.
const docsPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// docsPage serves the host API and plugin reference (`heimnetz docs
// --format html`), behind login when the pages are.
func (s *Server) docsPage(ctx *fasthttp.RequestCtx, m *match) {
	if _, ok := s.readPage(ctx, m); !ok {
		return
	}
	ctx.Response.Header.Set("Content-Security-Policy", docsPolicy)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetBody(s.b.Docs())
}
