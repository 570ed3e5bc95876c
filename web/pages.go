package web

import (
	"github.com/valyala/fasthttp"
)

// The HTML pages are written by layout.go and the page_*.go files with
// htmlWriter (html.go); this file has what their handlers share.

// readPage is the common start of a read-only page: method, arguments and
// access. It answers and returns false when the request may not proceed.
func (s *Server) readPage(ctx *fasthttp.RequestCtx, m *match, args ...string) (auth, bool) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return auth{}, false
	}
	if err := checkArgs(ctx.QueryArgs(), append(args, "done")...); err != nil {
		s.inputFail(ctx, m.route, err)
		return auth{}, false
	}
	return s.requireRead(ctx, m.route)
}

// fillHeader adds the host name, version and unacked count shown in the
// header of pages that do not fetch the overview anyway.
func (s *Server) fillHeader(d *pageData) {
	ov := s.b.Overview()
	d.Host, d.Version = ov.Device.Hostname, ov.Agent.Version
	if _, st, err := s.b.Events(EventQuery{Limit: 1}); err == nil {
		d.Unacked, d.Alarm = st.Unacked, alarming(st)
	}
	d.Firing = firingCount(s.b.Alerts())
}
