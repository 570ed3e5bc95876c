package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = errors.New("web: server closed")

const (
	maxPathLen  = 256
	maxQueryLen = 1024
)

// Server is the LAN web server. Create it with New; it is safe for
// concurrent use.
type Server struct {
	cfg     Config
	b       Backend
	log     *slog.Logger
	srv     *fasthttp.Server
	handler fasthttp.RequestHandler
	now     func() time.Time

	creds        *credentials
	sessions     *sessionStore
	logins       *rateLimiter // per client address
	loginsGlobal *rateLimiter // all clients together: bounds PBKDF2 work
	loginSlots   chan struct{}
	noise        *noiseLog    // counts what anyone can cause into summaries
	handlers     handlerSlots // requests inside a handler (handlerslots.go)
	settings     atomic.Pointer[Settings]
	hosts        *hostCheck
	gate         *connGate
	metricsGzip  metricsGzip // /metrics' compressed rendering (metricsbody.go)
	bodies       *bodyBudget

	overviewCache pageCache
	gen           pageGeneration

	metrics *serverMetrics
	history *history
	clients *clientHistory
	tlsWrap func(net.Listener) net.Listener // nil: plain HTTP

	mu             sync.Mutex
	ln             net.Listener
	closed         bool
	samplerStarted bool
	stopOnce       sync.Once
	stop           chan struct{}
	wg             sync.WaitGroup
}

// New checks cfg, resolves the admin credentials (generating and logging
// them once when none exist yet) and, with cfg.TLS, loads or creates the
// self-signed certificate. It does not listen yet.
func New(cfg Config, b Backend) (*Server, error) {
	return newServer(cfg, b, PasswordIterations, time.Now)
}

func newServer(cfg Config, b Backend, iterations int, now func() time.Time) (*Server, error) {
	if b == nil {
		return nil, errors.New("web: nil Backend")
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	creds, gen, err := loadCredentials(cfg, iterations)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if gen.password != "" {
		cfg.Logger.Warn("web: generated admin password; it is shown only this once, store it now", "password", gen.password)
	}
	if gen.token != "" {
		cfg.Logger.Warn("web: generated admin API token (Authorization: Bearer); it is shown only this once, store it now", "token", gen.token)
	}
	s := &Server{
		cfg:          cfg,
		b:            b,
		log:          cfg.Logger,
		now:          now,
		creds:        creds,
		sessions:     newSessionStore(cfg.MaxSessions, cfg.SessionIdle, cfg.SessionMax, now),
		logins:       newRateLimiter(cfg.LoginBurst, cfg.LoginRefill, 4096, now),
		loginsGlobal: newRateLimiter(4*cfg.LoginBurst, cfg.LoginRefill/4, 1, now),
		loginSlots:   make(chan struct{}, 2),
		handlers:     newHandlerSlots(),
		hosts:        newHostCheck(cfg.Addr, cfg.Hostnames, now),
		gate:         newConnGate(cfg.Concurrency, cfg.MaxConnsPerIP),
		bodies:       newBodyBudget(cfg.MaxBodyMemory),
		metrics:      newServerMetrics(),
		history:      newHistory(cfg.HistoryPoints, cfg.HistoryInterval),
		clients:      newClientHistory(min(cfg.HistoryPoints, clientPoints), cfg.HistoryInterval),
		stop:         make(chan struct{}),
	}
	s.noise = newNoiseLog(noiseWindow, now, noiseEmitter(b))
	s.gate.onRefuse = func(client string) {
		s.noise.add(EventTypeConnRefused, SeverityWarning, client, "connection from "+client+" refused: too many open from it")
	}
	for _, what := range gen.changed {
		b.SecurityEvent(EventTypeAdminAction, SeverityWarning, what+" changed in the configuration since the last start")
	}
	st := b.Settings()
	s.settings.Store(&st)
	if cfg.TLS {
		if s.tlsWrap, err = httpsListener(cfg); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	s.handler = func(ctx *fasthttp.RequestCtx) {
		s.route(ctx)
		compressResponse(ctx)
	}
	s.srv = &fasthttp.Server{
		Handler:      s.serveHTTP,
		ErrorHandler: s.serveError,
		ConnState:    s.connState,
		Name:         "heimnetz",
		// The gate (conngate.go) bounds connections before fasthttp sees
		// them; fasthttp's own limit stays above it and never acts.
		Concurrency:     cfg.Concurrency + 64,
		ReadBufferSize:  cfg.ReadBufferSize,
		WriteBufferSize: 4 << 10,
		// fasthttp's ReadTimeout covers the wait for a request's first byte
		// and then its header; HeaderReceived gives a body its own time.
		ReadTimeout:    cfg.HeaderTimeout,
		WriteTimeout:   cfg.WriteTimeout,
		IdleTimeout:    cfg.IdleTimeout,
		HeaderReceived: s.headerReceived,
		// Bodies are read by readBody (body.go) after routing, never
		// buffered by their announced length.
		StreamRequestBody:            true,
		MaxRequestBodySize:           cfg.MaxRequestBodySize,
		ReduceMemoryUsage:            cfg.ReduceMemoryUsage,
		DisablePreParseMultipartForm: true,
		NoDefaultServerHeader:        true,
		SecureErrorLogMessage:        true,
		CloseOnShutdown:              true,
		Logger:                       quietLogger{s: cfg.Logger},
	}
	return s, nil
}

// Serve serves HTTP (or HTTPS with Config.TLS) on ln until Shutdown. It
// returns ErrServerClosed after Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	ln = gatedListener{Listener: ln, g: s.gate}
	if s.tlsWrap != nil {
		ln = s.tlsWrap(ln)
	}
	s.ln = ln
	s.mu.Unlock()
	s.startSampler()
	err := s.srv.Serve(ln)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrServerClosed
	}
	return err
}

// ListenAndServe listens on Config.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("web: listen: %w", err)
	}
	return s.Serve(ln)
}

// Shutdown stops accepting connections, waits for running requests to
// finish (or ctx to end) and stops the chart sampler.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	ln := s.ln
	s.mu.Unlock()
	s.stopOnce.Do(func() { close(s.stop) })
	err := s.srv.ShutdownWithContext(ctx)
	if ln != nil {
		ln.Close() // in case Shutdown raced with Serve registering it
	}
	s.wg.Wait()
	s.noise.flush(true) // the counts of the last window are not lost
	return err
}

// Addr returns the address being served, or Config.Addr before Serve.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.cfg.Addr
}

// Handler returns the request handler, for serving on a listener the caller
// manages (tests, or embedding). It includes compression and metrics.
func (s *Server) Handler() fasthttp.RequestHandler { return s.serveHTTP }

func (s *Server) connState(_ net.Conn, st fasthttp.ConnState) {
	switch st {
	case fasthttp.StateNew:
		s.metrics.activeConns.Add(1)
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		s.metrics.activeConns.Add(-1)
	}
}

// headerReceived gives a request body its read deadline: ReadTimeout from
// the end of the header for a request with admin credentials (a plugin
// upload may be slow), HeaderTimeout for anyone else (a login form
// arrives with its header).
func (s *Server) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	cl := h.ContentLength()
	if cl == 0 || cl < -1 {
		return fasthttp.RequestConfig{}
	}
	if s.credentialedHeader(h) {
		return fasthttp.RequestConfig{ReadTimeout: s.cfg.ReadTimeout}
	}
	return fasthttp.RequestConfig{ReadTimeout: s.cfg.HeaderTimeout}
}

// serveHTTP wraps every request: security headers, panic recovery,
// compression and the request metrics.
func (s *Server) serveHTTP(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	if gc := gatedOf(ctx.Conn()); gc != nil {
		gc.busy.Store(true)
		defer gc.busy.Store(false)
	}
	m := matchPath(string(ctx.Path()))
	ctx.SetUserValue(matchKey, &m)
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("web: handler panic", "route", m.route.String(), "panic", p, "stack", string(debug.Stack()))
			ctx.Response.Reset()
			setSecurityHeaders(ctx)
			s.fail(ctx, m.route, fasthttp.StatusInternalServerError, "internal error")
		}
		s.metrics.observe(m.route, ctx.Response.StatusCode(), time.Since(start))
	}()
	setSecurityHeaders(ctx)
	s.handler(ctx)
}

// serveError answers requests fasthttp could not parse or accept.
func (s *Server) serveError(ctx *fasthttp.RequestCtx, err error) {
	setSecurityHeaders(ctx)
	code, msg := fasthttp.StatusBadRequest, "malformed request"
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		code, msg = fasthttp.StatusRequestEntityTooLarge, "request body too large"
	case errors.As(err, &small):
		code, msg = fasthttp.StatusRequestHeaderFieldsTooLarge, "request headers too large"
	case isTimeout(err):
		code, msg = fasthttp.StatusRequestTimeout, "request timeout"
	}
	writeJSONError(ctx, code, msg)
	s.metrics.observe(routeNotFound, code, 0)
	s.noisy(ctx, EventTypeBadRequest, SeverityInfo, msg+" from "+clientIP(ctx))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

type matchKeyType struct{}

var matchKey = matchKeyType{}

func routeOf(ctx *fasthttp.RequestCtx) *match {
	if m, ok := ctx.UserValue(matchKey).(*match); ok {
		return m
	}
	m := matchPath(string(ctx.Path()))
	return &m
}

// quietLogger sends fasthttp's own log lines (per-IP and concurrency limits
// reached) to slog at debug level.
type quietLogger struct{ s *slog.Logger }

func (l quietLogger) Printf(format string, args ...any) {
	l.s.Debug("web: fasthttp: " + fmt.Sprintf(format, args...))
}
