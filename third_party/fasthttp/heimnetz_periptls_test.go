//go:build https

package fasthttp

import (
	"crypto/tls"
	"net"
	"testing"
)

// TestPerIPConnKeepsTLS checks heimnetz patch 3: a TLS connection, bare or
// embedded in another type, is wrapped so that it still answers the TLS
// methods, and a plain one is not.
func TestPerIPConnKeepsTLS(t *testing.T) {
	server, client := net.Pipe()
	defer server.Close()
	defer client.Close()
	var counter perIPConnCounter
	tlsConn := tls.Server(server, &tls.Config{})
	tests := []struct {
		name    string
		conn    net.Conn
		wantTLS bool
	}{
		{"tls.Conn", tlsConn, true},
		{"embedded tls.Conn", struct{ *tls.Conn }{tlsConn}, true},
		{"plain", server, false},
	}
	for _, tc := range tests {
		var key perIPKey
		counter.Register(key)
		c := newPerIPConn(tc.conn, key, &counter)
		_, isTLS := c.(*perIPTLSConn)
		if isTLS != tc.wantTLS {
			t.Errorf("%s: got %T, want TLS wrapper %v", tc.name, c, tc.wantTLS)
		}
		ctx := &RequestCtx{c: c}
		if ctx.IsTLS() != tc.wantTLS {
			t.Errorf("%s: IsTLS() = %v, want %v", tc.name, ctx.IsTLS(), tc.wantTLS)
		}
		if tc.wantTLS && ctx.TLSConnectionState() == nil {
			t.Errorf("%s: no TLS connection state through the wrapper", tc.name)
		}
		_ = c.Close()
	}
	if n := len(counter.m); n != 0 {
		t.Errorf("closing the wrappers left %d per-IP entries", n)
	}
}
