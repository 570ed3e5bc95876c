package web

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

const (
	sessionCookie = "heimnetz_session"
	csrfHeader    = "X-CSRF-Token"
	csrfField     = "csrf"
	maxAuthHeader = 256

	// errAuthRequired is the 401 answer to a request without credentials.
	errAuthRequired = "authentication required"
)

type authKind uint8

const (
	authNone authKind = iota
	authSession
	authToken
)

// auth is who made a request.
type auth struct {
	kind   authKind
	sessID string
	sess   session
}

func (a auth) admin() bool { return a.kind != authNone }

// authenticate reads the Bearer token or the session cookie. A present but
// wrong Bearer token is reported (ok false) so it is answered with 401
// rather than silently treated as anonymous.
func (s *Server) authenticate(ctx *fasthttp.RequestCtx) (a auth, ok bool) {
	if h := ctx.Request.Header.Peek("Authorization"); len(h) > 0 {
		tok, found := bytes.CutPrefix(h, []byte("Bearer "))
		if !found || len(h) > maxAuthHeader || !s.creds.checkToken(string(bytes.TrimSpace(tok))) {
			s.noisy(ctx, EventTypeBadToken, SeverityWarning, "rejected API token from "+clientIP(ctx))
			return auth{}, false
		}
		return auth{kind: authToken}, true
	}
	if id := ctx.Request.Header.Cookie(sessionCookie); len(id) > 0 {
		if sess, found := s.sessions.lookup(string(id)); found {
			return auth{kind: authSession, sessID: string(id), sess: sess}, true
		}
	}
	return auth{}, true
}

// requireRead authenticates a read-only request; it answers and returns
// false when the request may not proceed.
func (s *Server) requireRead(ctx *fasthttp.RequestCtx, r route) (auth, bool) {
	a, ok := s.authenticate(ctx)
	if !ok {
		s.unauthorized(ctx, r, "invalid token")
		return a, false
	}
	if !a.admin() && s.settings.Load().PagesRequireLogin {
		s.unauthorized(ctx, r, errAuthRequired)
		return a, false
	}
	return a, true
}

// requireAdmin authenticates a state-changing request: the admin token, or
// an admin session with a same-origin request carrying the session's CSRF
// token (in the X-CSRF-Token header, or the csrf form field for pages).
func (s *Server) requireAdmin(ctx *fasthttp.RequestCtx, r route) (auth, bool) {
	a, ok := s.authenticate(ctx)
	if !ok {
		s.unauthorized(ctx, r, "invalid token")
		return a, false
	}
	switch a.kind {
	case authToken:
		return a, true
	case authNone:
		s.unauthorized(ctx, r, errAuthRequired)
		return a, false
	}
	got := ctx.Request.Header.Peek(csrfHeader)
	if len(got) == 0 && !r.isAPI() {
		got = ctx.PostArgs().Peek(csrfField)
		if len(got) == 0 {
			if mf, err := ctx.MultipartForm(); err == nil && len(mf.Value[csrfField]) > 0 {
				got = []byte(mf.Value[csrfField][0])
			}
		}
	}
	if !sameOrigin(ctx) || subtle.ConstantTimeCompare(got, []byte(a.sess.csrf)) != 1 {
		s.noisy(ctx, EventTypeCSRF, SeverityWarning, "rejected cross-site or tokenless request to "+r.String()+" from "+clientIP(ctx))
		s.fail(ctx, r, fasthttp.StatusForbidden, "CSRF check failed")
		return a, false
	}
	return a, true
}

// unauthorized answers 401 for the API and sends a browser to the login page.
func (s *Server) unauthorized(ctx *fasthttp.RequestCtx, r route, msg string) {
	if msg == errAuthRequired && (r.isAPI() || !(ctx.IsGet() || ctx.IsHead())) {
		// A browser sent to the login page is not news; an API client or
		// a form post without credentials is counted (a bad token was
		// counted as bad_token already).
		s.noisy(ctx, EventTypeUnauthorized, SeverityWarning, msg+": "+string(ctx.Method())+" "+r.String()+" from "+clientIP(ctx))
	}
	if r.isAPI() {
		ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="heimnetz"`)
		writeJSONError(ctx, fasthttp.StatusUnauthorized, msg)
		return
	}
	next := "/"
	if ctx.IsGet() || ctx.IsHead() {
		next = string(ctx.Path())
	}
	redirect(ctx, "/login?next="+next)
}

// redirect answers 303 See Other to a local path.
func redirect(ctx *fasthttp.RequestCtx, path string) {
	ctx.Response.Header.Set("Location", path)
	ctx.SetStatusCode(fasthttp.StatusSeeOther)
}

// safeNext returns p if it is a local page path to return to after login,
// else "/".
func safeNext(p string) string {
	if len(p) == 0 || len(p) > maxPathLen || p[0] != '/' || strings.HasPrefix(p, "//") {
		return "/"
	}
	m := matchPath(p)
	switch m.route {
	case routeOverview, routeEventsPage, routeSettingsPage, routePluginPage, routeAlertsPage:
		if m.bad == "" {
			return p
		}
	}
	return "/"
}

// errLogin is the outcome of a failed login.
type loginResult uint8

const (
	loginOK loginResult = iota
	loginBad
	loginLimited
)

// login checks a password under the rate limits and, when it is right,
// starts a session and sets its cookie. retry is set when limited.
func (s *Server) login(ctx *fasthttp.RequestCtx, password string) (session, loginResult, time.Duration) {
	ip := clientIP(ctx)
	okIP, wait := s.logins.allow(ip)
	okAll, waitAll := s.loginsGlobal.allow("")
	if !okIP || !okAll {
		s.noisy(ctx, EventTypeLoginRateLimited, SeverityWarning, "login attempts from "+ip+" rate-limited")
		return session{}, loginLimited, max(wait, waitAll)
	}
	// The password hash is seconds of CPU on a router and loginSlots
	// already bounds how many run at once: while it waits and hashes, the
	// request gives its handler slot back, so a burst of wrong passwords
	// cannot hold every slot and queue the admin's pages and /metrics
	// behind it.
	s.handlers.leave()
	s.loginSlots <- struct{}{}
	good := s.creds.checkPassword(password)
	<-s.loginSlots
	s.handlers.enter()
	if !good {
		s.noisy(ctx, EventTypeLoginFailed, SeverityWarning, "failed admin login from "+ip)
		return session{}, loginBad, 0
	}
	id, sess := s.sessions.create()
	s.setSessionCookie(ctx, id, s.cfg.SessionMax)
	s.auditAs(ctx, EventTypeLogin, auth{kind: authSession, sessID: id, sess: sess}, SeverityInfo, "logged in")
	return sess, loginOK, 0
}

// logout ends the request's session, if any, and clears the cookie.
func (s *Server) logout(ctx *fasthttp.RequestCtx, a auth) {
	s.audit(ctx, a, SeverityInfo, "logged out")
	if a.kind == authSession {
		s.sessions.delete(a.sessID)
	}
	s.setSessionCookie(ctx, "", -1)
}

func (s *Server) setSessionCookie(ctx *fasthttp.RequestCtx, value string, maxAge time.Duration) {
	c := fasthttp.AcquireCookie()
	defer fasthttp.ReleaseCookie(c)
	c.SetKey(sessionCookie)
	c.SetValue(value)
	c.SetPath("/")
	c.SetHTTPOnly(true)
	c.SetSameSite(fasthttp.CookieSameSiteStrictMode)
	c.SetSecure(ctx.IsTLS())
	if maxAge < 0 {
		c.SetMaxAge(-1)
	} else {
		c.SetMaxAge(int(maxAge / time.Second))
	}
	ctx.Response.Header.SetCookie(c)
}

// audit records an admin action: every one is its own event, never rate
// limited, naming what was done, by whom (the admin token or a session,
// by a short tag of its ID that is not the cookie) and from where.
func (s *Server) audit(ctx *fasthttp.RequestCtx, a auth, severity, what string) {
	s.auditAs(ctx, EventTypeAdminAction, a, severity, what)
}

// auditAs is audit with another event type (a login).
func (s *Server) auditAs(ctx *fasthttp.RequestCtx, typ string, a auth, severity, what string) {
	s.b.SecurityEvent(typ, severity, oneline.Clean(what+" by "+a.who()+" from "+clientIP(ctx), maxMessage))
}

// noisy records an event that any client can cause as often as it likes
// (failed logins, bad tokens, refused requests): the noise log reports the
// first per client and window and counts the rest into a summary.
func (s *Server) noisy(ctx *fasthttp.RequestCtx, typ, severity, msg string) {
	s.noise.add(typ, severity, clientIP(ctx), oneline.Clean(msg, maxMessage))
}

// who names the admin behind a request for the audit trail.
func (a auth) who() string {
	switch a.kind {
	case authToken:
		return "admin token"
	case authSession:
		sum := sha256.Sum256([]byte(a.sessID))
		return "admin session " + hex.EncodeToString(sum[:4])
	}
	return "anonymous"
}

// clientIP is the peer address; heimnetz is served directly, not behind a
// proxy, so forwarding headers are ignored.
func clientIP(ctx *fasthttp.RequestCtx) string {
	return ctx.RemoteIP().String()
}

// retryAfter formats a wait as whole seconds for the Retry-After header.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}
