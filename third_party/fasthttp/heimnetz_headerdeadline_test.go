package fasthttp

import (
	"io"
	"net"
	"testing"
	"time"
)

// TestFirstRequestDeadlineFromAccept checks heimnetz patch 10: with
// ReduceMemoryUsage, a new connection's ReadTimeout runs from the accept
// through the whole first header; sending the first byte just before it
// runs out no longer restarts it.
func TestFirstRequestDeadlineFromAccept(t *testing.T) {
	t.Parallel()
	const readTimeout = 400 * time.Millisecond
	for _, reduce := range []bool{false, true} {
		s := &Server{
			Handler:           func(*RequestCtx) {},
			ReadTimeout:       readTimeout,
			ReduceMemoryUsage: reduce,
			Logger:            &testLogger{},
		}
		ps := startPlainServer(t, s)
		conn, err := net.Dial("tcp", ps.addr)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		time.Sleep(readTimeout * 3 / 4)
		conn.Write([]byte("G"))
		// Dribble the rest of a header that never ends.
		go func() {
			for range 20 {
				time.Sleep(50 * time.Millisecond)
				if _, err := conn.Write([]byte("E")); err != nil {
					return
				}
			}
		}()
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		io.Copy(io.Discard, conn)
		held := time.Since(start)
		conn.Close()
		ps.stop()
		if held > readTimeout+150*time.Millisecond {
			t.Errorf("ReduceMemoryUsage=%v: connection held %v, want about ReadTimeout (%v) from the accept", reduce, held, readTimeout)
		}
	}
}
