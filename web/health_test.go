package web

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// sickBackend is the fake backend with a health of its own.
type sickBackend struct {
	*memBackend
	err error
}

func (b *sickBackend) Health() error { return b.err }

// reasonsBackend names each failing check.
type reasonsBackend struct {
	*sickBackend
	reasons []string
}

func (b *reasonsBackend) HealthReasons() []string { return b.reasons }

func TestHealthzReportsBackendHealth(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		reasons []string // nil: the backend has no HealthReasons
		code    int
		body    string
	}{
		{"healthy", nil, nil, 200, "ok"},
		{"healthy with reasons", nil, []string{}, 200, "ok"},
		{"store failing", errors.New("store cannot write: snapshots to flash are failing"), nil, 503,
			`{"status":"unhealthy","error":"store cannot write: snapshots to flash are failing","reasons":["store cannot write: snapshots to flash are failing"]}`},
		{"two checks failing", nil, []string{`scheduler stalled: plugin "net" 1m0s overdue (bound 34s)`, "memory past its limit: 30.0 MiB used, memory_limit 24.0 MiB"}, 503,
			`{"status":"unhealthy","error":"scheduler stalled: plugin \"net\" 1m0s overdue (bound 34s); memory past its limit: 30.0 MiB used, memory_limit 24.0 MiB",` +
				`"reasons":["scheduler stalled: plugin \"net\" 1m0s overdue (bound 34s)","memory past its limit: 30.0 MiB used, memory_limit 24.0 MiB"]}`},
	}
	for _, tc := range tests {
		var b Backend = &sickBackend{memBackend: newMemBackend(time.Now), err: tc.err}
		if tc.reasons != nil {
			b = &reasonsBackend{sickBackend: b.(*sickBackend), reasons: tc.reasons}
		}
		srv, err := newServer(Config{AdminTokenHash: HashToken(NewToken()), Logger: slog.New(slog.DiscardHandler)}, b, minIterations, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/healthz")
		ctx.Request.Header.SetMethod("GET")
		ctx.Request.Header.SetHost("10.0.0.1:9110")
		srv.Handler()(&ctx)
		if got := string(ctx.Response.Body()); ctx.Response.StatusCode() != tc.code || got != tc.body && got != tc.body+"\n" {
			t.Errorf("%s: /healthz = %d %q, want %d %q", tc.name, ctx.Response.StatusCode(), got, tc.code, tc.body)
		}
	}
}
