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

func TestHealthzReportsBackendHealth(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		body string
	}{
		{"healthy", nil, 200, "ok"},
		{"store failing", errors.New("store cannot write: snapshots to flash are failing"), 503,
			`{"error":"store cannot write: snapshots to flash are failing"}`},
	}
	for _, tc := range tests {
		b := &sickBackend{memBackend: newMemBackend(time.Now), err: tc.err}
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
