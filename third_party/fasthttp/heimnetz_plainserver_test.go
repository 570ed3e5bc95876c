package fasthttp

import (
	"net"
	"sync/atomic"
	"testing"
)

// plainServer serves a Server on a loopback listener and counts the connections it
// accepts. Its stop function shuts the server down.
type plainServer struct {
	addr     string
	accepted atomic.Int64
	stop     func()
}

func startPlainServer(t *testing.T, s *Server) *plainServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ps := &plainServer{addr: ln.Addr().String()}
	s.ConnState = func(_ net.Conn, st ConnState) {
		if st == StateNew {
			ps.accepted.Add(1)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	ps.stop = func() {
		if err := s.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
	return ps
}
