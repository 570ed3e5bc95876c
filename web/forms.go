package web

import (
	"net/url"
	"strconv"

	"github.com/valyala/fasthttp"
)

// The form handlers serve the pages' POST forms. Each answers with a 303
// redirect to a page (Post/Redirect/Get) so that a reload does not repeat
// the action, or with the HTML error page.

func (s *Server) postForm(ctx *fasthttp.RequestCtx, m *match) (auth, bool) {
	if !allowMethods(s, ctx, m.route, "POST") || !s.noArgs(ctx, m.route) {
		return auth{}, false
	}
	return s.requireAdmin(ctx, m.route)
}

func (s *Server) pluginForm(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.postForm(ctx, m)
	if !ok {
		return
	}
	if err := checkArgs(ctx.PostArgs(), csrfField, "next"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	if err := s.pluginAction(m.name, m.action); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityInfo, "plugin "+m.name+": "+m.action)
	next := "/plugins/" + m.name
	if n := string(ctx.PostArgs().Peek("next")); n == "/" {
		next = "/"
	}
	redirect(ctx, next+"?done="+m.action)
}

func (s *Server) installForm(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.postForm(ctx, m)
	if !ok {
		return
	}
	archive, form, err := s.readUpload(ctx)
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	var opts InstallOptions
	if form != nil {
		opts.AllowUnsigned = len(form.Value["allow_unsigned"]) > 0 && form.Value["allow_unsigned"][0] == "on"
		opts.AllowSignerChange = len(form.Value["allow_signer_change"]) > 0 && form.Value["allow_signer_change"][0] == "on"
	}
	name, err := s.b.InstallPlugin(archive, opts)
	s.gen.bump()
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityWarning, "plugin "+name+" installed")
	if !validPluginName(name) {
		redirect(ctx, "/?done=install")
		return
	}
	redirect(ctx, "/plugins/"+name+"?done=install")
}

func (s *Server) eventsAckForm(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.postForm(ctx, m)
	if !ok {
		return
	}
	seqs, err := parseAckForm(ctx.PostArgs())
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	s.gen.bump()
	if err := s.b.AckEvents(seqs); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityInfo, "acknowledged "+strconv.Itoa(len(seqs))+" events")
	redirect(ctx, "/events?done=ack")
}

func (s *Server) settingsForm(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.postForm(ctx, m)
	if !ok {
		return
	}
	next, err := parseSettingsForm(ctx.PostArgs(), s.b.Settings())
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	if err := s.applySettings(ctx, a, next); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	redirect(ctx, "/settings?done=saved")
}

func (s *Server) loginForm(ctx *fasthttp.RequestCtx, m *match) {
	if !s.noArgs(ctx, m.route) {
		return
	}
	if !sameOrigin(ctx) {
		s.noisy(ctx, EventTypeCSRF, SeverityWarning, "rejected cross-site login from "+clientIP(ctx))
		s.fail(ctx, m.route, fasthttp.StatusForbidden, "cross-site request rejected")
		return
	}
	args := ctx.PostArgs()
	if err := checkArgs(args, "password", "next"); err != nil && args.Len() > 0 {
		s.inputFail(ctx, m.route, err)
		return
	}
	next := safeNext(string(args.Peek("next")))
	_, res, wait := s.login(ctx, string(args.Peek("password")))
	d := s.newPageData(auth{}, "Log in", "login")
	switch res {
	case loginOK:
		redirect(ctx, next+queryJoin(next)+"done=loggedin")
		return
	case loginLimited:
		ctx.Response.Header.Set("Retry-After", retryAfter(wait))
		s.renderLogin(ctx, fasthttp.StatusTooManyRequests, d, loginView{Next: next, Error: "Too many attempts. Wait " + retryAfter(wait) + " s and try again."})
	default:
		s.renderLogin(ctx, fasthttp.StatusUnauthorized, d, loginView{Next: next, Error: "Wrong password."})
	}
}

func queryJoin(path string) string {
	if u, err := url.Parse(path); err == nil && u.RawQuery != "" {
		return "&"
	}
	return "?"
}

func (s *Server) logoutForm(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.postForm(ctx, m)
	if !ok {
		return
	}
	s.logout(ctx, a)
	redirect(ctx, "/?done=logout")
}
