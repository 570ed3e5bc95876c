package fasthttp

import (
	"errors"
	"io"
	"net"
	"time"
)

// errorLingerTimeout bounds how long a connection that was refused with an
// error response keeps reading what its client still sends before it is
// closed (heimnetz patch 6). A shorter Server.ReadTimeout bounds it too; a
// per-request ReadTimeout from HeaderReceived does not.
const errorLingerTimeout = 2 * time.Second

// closeWriter is a connection that can shut down its sending side alone, as
// *net.TCPConn, *net.UnixConn and *tls.Conn can.
type closeWriter interface {
	CloseWrite() error
}

// errNoCloseWrite is returned by closeWrite, and so by the per-IP wrappers'
// CloseWrite, for a connection that cannot half-close.
var errNoCloseWrite = errors.New("fasthttp: connection cannot close its write side")

// lingerAfterError closes c's sending side, which tells the client that the
// error response just written is all there is, and then reads and discards
// what the client still sends until it closes, the read fails, or
// errorLingerTimeout (or a shorter ReadTimeout) has passed.
//
// Without it the server closed a connection with the refused request's
// remaining bytes unread; the kernel then answers with a reset, and a client
// still uploading loses the error response it had not read yet (upstream
// issue #1348: browsers saw "connection aborted" instead of 413). HTTP/1.1
// asks servers to close in this staged way (RFC 9112, section 9.6); net/http
// half-closes similarly, then waits 500 ms without reading.
//
// A connection that cannot half-close (an in-memory pipe, a custom
// net.Conn) is closed at once, as before.
func (s *Server) lingerAfterError(c net.Conn) {
	if closeWrite(c) != nil {
		return
	}
	d := errorLingerTimeout
	if s.ReadTimeout > 0 && s.ReadTimeout < d {
		d = s.ReadTimeout
	}
	if c.SetReadDeadline(time.Now().Add(d)) != nil {
		return
	}
	_, _ = io.Copy(io.Discard, c)
}

// isTimeout tells whether err is a read that ran out of time.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// closeWrite shuts down c's sending side, or returns errNoCloseWrite when
// c cannot half-close.
func closeWrite(c net.Conn) error {
	if cw, ok := c.(closeWriter); ok {
		return cw.CloseWrite()
	}
	return errNoCloseWrite
}

// CloseWrite shuts down the wrapped connection's sending side, when it can.
func (c *perIPConn) CloseWrite() error { return closeWrite(c.Conn) }

// CloseWrite shuts down the wrapped TLS connection's sending side, when it
// can.
func (c *perIPTLSConn) CloseWrite() error { return closeWrite(c.tlsNetConn) }
