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

// TestHealthzWhileEveryHandlerSlotIsBusy: /healthz answers while strangers
// hold every handler slot (say, a burst of logins hashing wrong
// passwords), and a login waiting to hash gives its slot back.
func TestHealthzWhileEveryHandlerSlotIsBusy(t *testing.T) {
	srv, err := newServer(Config{AdminTokenHash: HashToken(NewToken()), Logger: slog.New(slog.DiscardHandler)}, newMemBackend(time.Now), minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for range cap(srv.handlers) {
		srv.handlers.enter()
	}
	done := make(chan int, 1)
	go func() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/healthz")
		ctx.Request.Header.SetMethod("GET")
		ctx.Request.Header.SetHost("10.0.0.1:9110")
		srv.Handler()(&ctx)
		done <- ctx.Response.StatusCode()
	}()
	if code := <-done; code != fasthttp.StatusOK {
		t.Fatalf("/healthz = %d with every handler slot busy, want 200", code)
	}
	for range cap(srv.handlers) {
		srv.handlers.leave()
	}

	// A login that waits for the password-hash slots holds no handler
	// slot meanwhile.
	for range cap(srv.loginSlots) {
		srv.loginSlots <- struct{}{}
	}
	waiting, entered := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(waiting)
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/login")
		ctx.Request.Header.SetMethod("POST")
		ctx.Request.Header.SetHost("10.0.0.1:9110")
		srv.handlers.enter() // as dispatch does
		close(entered)
		srv.login(&ctx, "wrong")
		srv.handlers.leave()
	}()
	<-entered
	for deadline := time.Now().Add(10 * time.Second); len(srv.handlers) != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("a login waiting for the password-hash slots still holds %d handler slot(s)", len(srv.handlers))
		}
	}
	for range cap(srv.loginSlots) {
		<-srv.loginSlots
	}
	<-waiting
}
