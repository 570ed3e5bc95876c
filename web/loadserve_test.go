package web

import (
	"context"
	"net"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestServeForLoad is not a test: scripts/load/run.sh runs it (from a
// compiled test binary) as the load target when the agent does not build,
// serving the in-memory test backend on HEIMNETZ_LOAD_ADDR until SIGTERM or
// ten minutes. Without that variable it skips.
func TestServeForLoad(t *testing.T) {
	addr := os.Getenv("HEIMNETZ_LOAD_ADDR")
	if addr == "" {
		t.Skip("HEIMNETZ_LOAD_ADDR not set; this only serves for scripts/load/run.sh")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	e := newTestEnv(t) // for the backend and history filler only
	fillDemoHistory(e)
	hash, _ := hashPasswordIter(testPassword, minIterations)
	// wrk connects from one address: let it use every connection.
	srv, err := newServer(Config{AdminPasswordHash: hash, AdminTokenHash: HashToken(NewToken()), Logger: newTestLogger(os.Stderr), MaxConnsPerIP: 1024}, e.b, minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv.history = e.srv.history
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		srv.Shutdown(sctx)
	}()
	t.Logf("serving the test backend on %s", ln.Addr())
	srv.Serve(ln)
}
