package web

import (
	"strings"

	"github.com/valyala/fasthttp"
)

// HealthChecker is an optional part of a Backend. A Backend that has it is
// asked on every GET /healthz whether the agent is healthy; an error makes
// /healthz answer 503 with the error's text as its JSON reason. /healthz is
// open to the LAN, so the text must say what is wrong without paths or
// other details (those go to the log and the security events).
type HealthChecker interface {
	// Health returns nil while the agent is healthy. It must answer
	// quickly: it does not wait for a store commit or snapshot.
	Health() error
}

// HealthReasoner is an optional part of a HealthChecker that names each
// failing check on its own, so /healthz can list them.
type HealthReasoner interface {
	// HealthReasons returns one short reason per failing check (no
	// paths), or none while the agent is healthy.
	HealthReasons() []string
}

// healthResponse is the body of an unhealthy /healthz: "error" as every
// error answer has it (the reasons joined), and the reasons one by one.
type healthResponse struct {
	Status  string   `json:"status"`
	Error   string   `json:"error"`
	Reasons []string `json:"reasons"`
}

func (s *Server) healthz(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return
	}
	var reasons []string
	switch hc := s.b.(type) {
	case HealthReasoner:
		reasons = hc.HealthReasons()
	case HealthChecker:
		if err := hc.Health(); err != nil {
			reasons = []string{err.Error()}
		}
	}
	if len(reasons) > 0 {
		writeJSON(ctx, fasthttp.StatusServiceUnavailable, healthResponse{Status: "unhealthy", Error: strings.Join(reasons, "; "), Reasons: reasons})
		return
	}
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetBodyString("ok")
}
