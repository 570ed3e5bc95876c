package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/bytebufferpool"
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// OverviewView is what the overview page and GET /api/v1/overview show.
type OverviewView struct {
	Overview
	Runtime      RuntimeStats    `json:"runtime"`
	Plugins      []PluginSummary `json:"plugins"`
	RecentEvents []Event         `json:"recent_events"`
	EventStats   EventStats      `json:"event_stats"`
}

// PluginView is what a plugin's page and GET /api/v1/plugins/{name} show.
type PluginView struct {
	PluginDetail
	History PluginHistory `json:"history"`
}

const recentEventsOnOverview = 5

func (s *Server) overviewView() OverviewView {
	v := OverviewView{Overview: s.b.Overview(), Runtime: readRuntimeStats(), Plugins: s.b.Plugins()}
	evs, st, err := s.b.Events(EventQuery{Limit: recentEventsOnOverview})
	if err == nil {
		v.RecentEvents, v.EventStats = evs, st
	}
	if v.Plugins == nil {
		v.Plugins = []PluginSummary{}
	}
	return v
}

func (s *Server) pluginView(name string) (PluginView, error) {
	d, err := s.b.Plugin(name)
	if err != nil {
		return PluginView{}, err
	}
	h, _ := s.history.plugin(name)
	return PluginView{PluginDetail: d, History: h}, nil
}

func (s *Server) apiOverview(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	writeJSON(ctx, fasthttp.StatusOK, s.overviewView())
}

func (s *Server) apiPlugins(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	ps := s.b.Plugins()
	if ps == nil {
		ps = []PluginSummary{}
	}
	writeJSON(ctx, fasthttp.StatusOK, struct {
		Plugins []PluginSummary `json:"plugins"`
	}{ps})
}

func (s *Server) apiPlugin(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	v, err := s.pluginView(m.name)
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	writeJSON(ctx, fasthttp.StatusOK, v)
}

// pluginAction runs one admin action on a plugin.
func (s *Server) pluginAction(name, action string) error {
	defer s.gen.bump()
	switch action {
	case "enable":
		return s.b.EnablePlugin(name)
	case "disable":
		return s.b.DisablePlugin(name)
	case "reload":
		return s.b.ReloadPlugin(name)
	case "clear":
		return s.b.ClearPluginData(name)
	case "remove":
		return s.b.RemovePlugin(name)
	}
	return inputErr("unknown action %q", oneline.Clean(action, maxArgLen))
}

func (s *Server) apiPluginAction(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "POST") || !s.noArgs(ctx, m.route) {
		return
	}
	a, ok := s.requireAdmin(ctx, m.route)
	if !ok {
		return
	}
	if err := s.pluginAction(m.name, m.action); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityInfo, "plugin "+m.name+": "+m.action)
	writeJSON(ctx, fasthttp.StatusOK, okResponse{OK: true})
}

type okResponse struct {
	OK bool `json:"ok"`
}

// readUpload returns the plugin package from an install request: the raw
// body, or the "package" file of a multipart form.
func (s *Server) readUpload(ctx *fasthttp.RequestCtx) ([]byte, *multipart.Form, error) {
	if len(ctx.Request.Header.MultipartFormBoundary()) == 0 {
		body := ctx.PostBody()
		if len(body) == 0 {
			return nil, nil, inputErr("empty body: send the plugin package")
		}
		return body, nil, nil
	}
	form, err := ctx.MultipartForm()
	if err != nil {
		return nil, nil, inputErr("malformed multipart form")
	}
	files := form.File["package"]
	if len(files) != 1 {
		return nil, form, inputErr("send exactly one file in the field \"package\"")
	}
	if files[0].Size > int64(s.cfg.MaxRequestBodySize) {
		return nil, form, inputErr("package larger than %d bytes", s.cfg.MaxRequestBodySize)
	}
	f, err := files[0].Open()
	if err != nil {
		return nil, form, inputErr("cannot read uploaded file")
	}
	defer f.Close()
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if _, err := io.Copy(buf, io.LimitReader(f, int64(s.cfg.MaxRequestBodySize)+1)); err != nil {
		return nil, form, inputErr("cannot read uploaded file")
	}
	return append([]byte(nil), buf.B...), form, nil
}

func (s *Server) apiInstall(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "POST") {
		return
	}
	args := ctx.QueryArgs()
	if err := checkArgs(args, "allow_unsigned", "allow_signer_change"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	var opts InstallOptions
	var err error
	if opts.AllowUnsigned, err = parseBool(args.Peek("allow_unsigned")); err != nil {
		s.inputFail(ctx, m.route, inputErr("allow_unsigned must be true or false"))
		return
	}
	if opts.AllowSignerChange, err = parseBool(args.Peek("allow_signer_change")); err != nil {
		s.inputFail(ctx, m.route, inputErr("allow_signer_change must be true or false"))
		return
	}
	a, ok := s.requireAdmin(ctx, m.route)
	if !ok {
		return
	}
	archive, _, err := s.readUpload(ctx)
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	name, err := s.b.InstallPlugin(archive, opts)
	s.gen.bump()
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityWarning, "plugin "+name+" installed")
	writeJSON(ctx, fasthttp.StatusCreated, struct {
		Name string `json:"name"`
	}{name})
}

func (s *Server) apiEvents(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return
	}
	q, err := parseEventQuery(ctx.QueryArgs())
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	evs, st, err := s.b.Events(q)
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	if evs == nil {
		evs = []Event{}
	}
	writeJSON(ctx, fasthttp.StatusOK, struct {
		Events []Event    `json:"events"`
		Stats  EventStats `json:"stats"`
	}{evs, st})
}

func (s *Server) apiEventsAck(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "POST") || !s.noArgs(ctx, m.route) {
		return
	}
	a, ok := s.requireAdmin(ctx, m.route)
	if !ok {
		return
	}
	var req ackRequest
	if err := decodeJSON(ctx.PostBody(), s.cfg.MaxFormSize, &req); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	if err := req.validate(); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	s.gen.bump()
	if err := s.b.AckEvents(req.Seqs); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	s.audit(ctx, a, SeverityInfo, "acknowledged "+strconv.Itoa(len(req.Seqs))+" events")
	writeJSON(ctx, fasthttp.StatusOK, okResponse{OK: true})
}

func (s *Server) apiSettings(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD, PUT") || !s.noArgs(ctx, m.route) {
		return
	}
	if ctx.IsGet() || ctx.IsHead() {
		if _, ok := s.requireRead(ctx, m.route); !ok {
			return
		}
		writeJSON(ctx, fasthttp.StatusOK, s.b.Settings())
		return
	}
	a, ok := s.requireAdmin(ctx, m.route)
	if !ok {
		return
	}
	req := settingsRequest{Settings: s.b.Settings()}
	if err := decodeJSON(ctx.PostBody(), s.cfg.MaxFormSize, &req); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	next, err := req.settings(ctx.PostBody())
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	if err := s.applySettings(ctx, a, next); err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	writeJSON(ctx, fasthttp.StatusOK, s.b.Settings())
}

// settingsRequest is a PUT /api/v1/settings body: the settings by their
// names, and for one release the names the API used before it took the
// config file's (require_login_for_pages, max_consecutive_failures). One
// setting named both ways in one body is an error.
type settingsRequest struct {
	Settings
	OldPagesRequireLogin   *bool `json:"require_login_for_pages"`
	OldBreaksBeforeDisable *int  `json:"max_consecutive_failures"`
}

// settings returns the request's settings with the old names applied;
// body is the request body r was decoded from.
func (r settingsRequest) settings(body []byte) (Settings, error) {
	var given struct {
		PagesRequireLogin   *json.RawMessage `json:"pages_require_login"`
		BreaksBeforeDisable *json.RawMessage `json:"breaks_before_disable"`
	}
	if err := json.Unmarshal(body, &given); err != nil {
		return r.Settings, inputErr("invalid JSON body")
	}
	s := r.Settings
	if r.OldPagesRequireLogin != nil {
		if given.PagesRequireLogin != nil {
			return s, inputErr("give pages_require_login or its old name require_login_for_pages, not both")
		}
		s.PagesRequireLogin = *r.OldPagesRequireLogin
	}
	if r.OldBreaksBeforeDisable != nil {
		if given.BreaksBeforeDisable != nil {
			return s, inputErr("give breaks_before_disable or its old name max_consecutive_failures, not both")
		}
		s.BreaksBeforeDisable = *r.OldBreaksBeforeDisable
	}
	return s, nil
}

// applySettings validates and stores new settings and refreshes the copy
// web keeps for its own decisions.
func (s *Server) applySettings(ctx *fasthttp.RequestCtx, a auth, next Settings) error {
	if err := validateSettings(next); err != nil {
		return err
	}
	s.gen.bump()
	if err := s.b.UpdateSettings(next); err != nil {
		return err
	}
	st := s.b.Settings()
	s.settings.Store(&st)
	s.audit(ctx, a, SeverityInfo, "settings changed")
	return nil
}

func (s *Server) apiHistory(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	writeJSON(ctx, fasthttp.StatusOK, s.history.snapshot())
}

// loginResponse is the body of a successful POST /api/v1/login.
type loginResponse struct {
	CSRFToken string    `json:"csrf_token"`
	Expires   time.Time `json:"expires"`
}

func (s *Server) apiLogin(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "POST") || !s.noArgs(ctx, m.route) {
		return
	}
	if !sameOrigin(ctx) {
		s.noisy(ctx, EventTypeCSRF, SeverityWarning, "rejected cross-site login from "+clientIP(ctx))
		writeJSONError(ctx, fasthttp.StatusForbidden, "cross-site request rejected")
		return
	}
	var req loginRequest
	if err := decodeJSON(ctx.PostBody(), s.cfg.MaxFormSize, &req); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	sess, res, wait := s.login(ctx, req.Password)
	switch res {
	case loginLimited:
		ctx.Response.Header.Set("Retry-After", retryAfter(wait))
		writeJSONError(ctx, fasthttp.StatusTooManyRequests, "too many login attempts")
	case loginBad:
		writeJSONError(ctx, fasthttp.StatusUnauthorized, "wrong password")
	default:
		writeJSON(ctx, fasthttp.StatusOK, loginResponse{CSRFToken: sess.csrf, Expires: s.sessions.expiry(sess)})
	}
}

func (s *Server) apiLogout(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "POST") || !s.noArgs(ctx, m.route) {
		return
	}
	a, ok := s.requireAdmin(ctx, m.route)
	if !ok {
		return
	}
	s.logout(ctx, a)
	writeJSON(ctx, fasthttp.StatusOK, okResponse{OK: true})
}

// allowMethods answers 405 unless the request's method is in allow (a
// comma-separated list as sent in the Allow header).
func allowMethods(s *Server, ctx *fasthttp.RequestCtx, r route, allow string) bool {
	method := string(ctx.Method())
	for _, m := range strings.Split(allow, ", ") {
		if m == method {
			return true
		}
	}
	s.methodNotAllowed(ctx, r, allow)
	return false
}

// noArgs rejects any query arguments.
func (s *Server) noArgs(ctx *fasthttp.RequestCtx, r route) bool {
	if err := checkArgs(ctx.QueryArgs()); err != nil {
		s.inputFail(ctx, r, err)
		return false
	}
	return true
}

func (s *Server) inputFail(ctx *fasthttp.RequestCtx, r route, err error) {
	msg := err.Error()
	if after, ok := cutInputPrefix(msg); ok {
		msg = after
	}
	s.noisy(ctx, EventTypeBadRequest, SeverityInfo, "refused "+string(ctx.Method())+" "+r.String()+" from "+clientIP(ctx)+": "+msg)
	s.fail(ctx, r, fasthttp.StatusBadRequest, msg)
}

func cutInputPrefix(msg string) (string, bool) {
	p := errInput.Error() + ": "
	if len(msg) >= len(p) && msg[:len(p)] == p {
		return msg[len(p):], true
	}
	return msg, false
}

// backendFail answers a Backend (or input) error with the fitting status.
func (s *Server) backendFail(ctx *fasthttp.RequestCtx, r route, err error) {
	if errors.Is(err, errInput) {
		s.inputFail(ctx, r, err)
		return
	}
	code := backendErrorStatus(err)
	msg := err.Error()
	switch {
	case code == fasthttp.StatusInternalServerError:
		s.log.Error("web: backend error", "route", r.String(), "err", err)
	case errors.Is(err, ErrConfig):
		s.log.Warn("web: refused by the agent's configuration", "route", r.String(), "err", err)
	}
	s.fail(ctx, r, code, msg)
}
