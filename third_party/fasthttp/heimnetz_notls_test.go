//go:build !https

package fasthttp

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests of heimnetz patch 4: fasthttp built without the https tag. They
// may import crypto/tls themselves; the package under test must not.

const noTLSMessage = "fasthttp: TLS is not supported in this build (build with -tags https)"

func TestNoTLSClientHTTPSFailsBeforeDialing(t *testing.T) {
	ps := startPlainServer(t, &Server{Handler: func(ctx *RequestCtx) { ctx.SetBodyString("plain") }})
	defer ps.stop()

	dials := 0
	countingDial := func(addr string) (net.Conn, error) {
		dials++
		return net.Dial("tcp4", addr)
	}
	tests := []struct {
		name string
		do   func(req *Request, resp *Response) error
	}{
		{"Client", (&Client{}).Do},
		{"Client with Dial", (&Client{Dial: countingDial}).Do},
		{"HostClient", (&HostClient{Addr: ps.addr, IsTLS: true}).Do},
		{"HostClient with Dial", (&HostClient{Addr: ps.addr, IsTLS: true, Dial: countingDial}).Do},
		{"PipelineClient", (&PipelineClient{Addr: ps.addr, IsTLS: true, Logger: &testLogger{}}).Do},
		{"package Do", Do},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var req Request
			var resp Response
			req.SetRequestURI("https://" + ps.addr + "/")
			err := tc.do(&req, &resp)
			if !errors.Is(err, ErrNoTLS) {
				t.Fatalf("Do(https) = %v, want ErrNoTLS", err)
			}
			if !strings.Contains(err.Error(), ps.addr) {
				t.Errorf("error %q does not name the address %s", err, ps.addr)
			}
			if resp.StatusCode() != StatusOK || len(resp.Body()) != 0 {
				t.Errorf("response was filled in: status %d, body %q", resp.StatusCode(), resp.Body())
			}
		})
	}
	if dials != 0 {
		t.Errorf("custom Dial called %d times for https, want 0", dials)
	}

	// A plain request afterwards proves the server is up and that the https
	// attempts never reached it.
	var req Request
	var resp Response
	req.SetRequestURI("http://" + ps.addr + "/")
	if err := (&Client{}).Do(&req, &resp); err != nil {
		t.Fatalf("plain request: %v", err)
	}
	if string(resp.Body()) != "plain" {
		t.Fatalf("plain request body = %q, want %q", resp.Body(), "plain")
	}
	if n := ps.accepted.Load(); n != 1 {
		t.Errorf("server accepted %d connections, want 1 (the plain request only)", n)
	}
}

func TestNoTLSServerAPIReturnsErrNoTLS(t *testing.T) {
	newListener := func(t *testing.T) net.Listener {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		t.Cleanup(func() { _ = ln.Close() })
		return ln
	}
	h := func(*RequestCtx) {}
	cert, key := []byte("cert"), []byte("key")
	tests := []struct {
		name string
		call func(t *testing.T) error
	}{
		{"ServeTLS", func(t *testing.T) error { return ServeTLS(newListener(t), "c.pem", "k.pem", h) }},
		{"ServeTLSEmbed", func(t *testing.T) error { return ServeTLSEmbed(newListener(t), cert, key, h) }},
		{"ListenAndServeTLS", func(*testing.T) error { return ListenAndServeTLS("127.0.0.1:0", "c.pem", "k.pem", h) }},
		{"ListenAndServeTLSEmbed", func(*testing.T) error { return ListenAndServeTLSEmbed("127.0.0.1:0", cert, key, h) }},
		{"Server.ServeTLS", func(t *testing.T) error { return (&Server{Handler: h}).ServeTLS(newListener(t), "", "") }},
		{"Server.ServeTLSEmbed", func(t *testing.T) error { return (&Server{Handler: h}).ServeTLSEmbed(newListener(t), nil, nil) }},
		{"Server.AppendCert", func(*testing.T) error { return (&Server{}).AppendCert("c.pem", "k.pem") }},
		{"Server.AppendCertEmbed", func(*testing.T) error { return (&Server{}).AppendCertEmbed(cert, key) }},
		{"GenerateTestCertificate", func(*testing.T) error {
			c, k, err := GenerateTestCertificate("localhost")
			if c != nil || k != nil {
				t.Errorf("GenerateTestCertificate returned %d/%d bytes", len(c), len(k))
			}
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t)
			if !errors.Is(err, ErrNoTLS) {
				t.Fatalf("got %v, want ErrNoTLS", err)
			}
			if !strings.HasSuffix(err.Error(), noTLSMessage) {
				t.Errorf("error %q does not end in %q", err, noTLSMessage)
			}
		})
	}
}

// TestNoTLSServeTLSLeavesListenerOpen checks that ServeTLS, like upstream's
// on its error path, does not take ownership of the listener.
func TestNoTLSServeTLSLeavesListenerOpen(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	if err := (&Server{}).ServeTLS(ln, "c.pem", "k.pem"); !errors.Is(err, ErrNoTLS) {
		t.Fatalf("ServeTLS = %v, want ErrNoTLS", err)
	}
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial after ServeTLS: %v", err)
	}
	c.Close()
}

// testTLSConfig returns a server configuration with a fresh self-signed
// ECDSA certificate for 127.0.0.1.
func testTLSConfig(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// embeddingListener wraps the connections of a TLS listener in a type that
// embeds *tls.Conn, as upstream's tlsConnection comment describes.
type embeddingListener struct{ net.Listener }

type embeddedTLSConn struct{ *tls.Conn }

func (l embeddingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return embeddedTLSConn{c.(*tls.Conn)}, nil
}

// TestNoTLSIsTLS checks that IsTLS and the request scheme follow the
// connection: false on plain ones, true on a TLS connection the caller
// wrapped itself (bare or embedded, with or without the per-IP limit's
// wrapper), which the server matches by its Handshake method.
func TestNoTLSIsTLS(t *testing.T) {
	serverConf := testTLSConfig(t)
	tests := []struct {
		name          string
		wrap          func(net.Listener) net.Listener
		maxConnsPerIP int
		wantTLS       bool
	}{
		{"plain", nil, 0, false},
		{"plain, per-IP limit", nil, 4, false},
		{"tls.NewListener", func(ln net.Listener) net.Listener { return tls.NewListener(ln, serverConf) }, 0, true},
		{"tls.NewListener, per-IP limit", func(ln net.Listener) net.Listener { return tls.NewListener(ln, serverConf) }, 4, true},
		{"embedded *tls.Conn, per-IP limit", func(ln net.Listener) net.Listener {
			return embeddingListener{tls.NewListener(ln, serverConf)}
		}, 4, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatalf("listen: %v", err)
			}
			addr := ln.Addr().String()
			if tc.wrap != nil {
				ln = tc.wrap(ln)
			}
			s := &Server{
				MaxConnsPerIP: tc.maxConnsPerIP,
				ReadTimeout:   5 * time.Second,
				Handler: func(ctx *RequestCtx) {
					if ctx.IsTLS() {
						ctx.SetBodyString("tls " + string(ctx.URI().Scheme()))
					} else {
						ctx.SetBodyString("plain " + string(ctx.URI().Scheme()))
					}
				},
			}
			done := make(chan error, 1)
			go func() { done <- s.Serve(ln) }()
			defer func() {
				if err := s.Shutdown(); err != nil {
					t.Errorf("shutdown: %v", err)
				}
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
			}()

			var conn net.Conn
			if tc.wantTLS {
				conn, err = tls.Dial("tcp4", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // self-signed test certificate
			} else {
				conn, err = net.Dial("tcp4", addr)
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer conn.Close()
			if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
				t.Fatalf("set deadline: %v", err)
			}
			if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
				t.Fatalf("write request: %v", err)
			}
			var resp Response
			if err := resp.Read(bufio.NewReader(conn)); err != nil {
				t.Fatalf("read response: %v", err)
			}
			want := "plain http"
			if tc.wantTLS {
				want = "tls https"
			}
			if got := string(resp.Body()); got != want {
				t.Errorf("handler saw %q, want %q", got, want)
			}
		})
	}
}

// TestNoTLSServerHandshakeTimeout checks that a TLS connection the caller
// wrapped is still dropped after ReadTimeout when its client never sends a
// ClientHello (getNextProto runs the handshake under that deadline).
func TestNoTLSServerHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	var handled sync.WaitGroup
	s := &Server{
		ReadTimeout: 100 * time.Millisecond,
		Handler:     func(*RequestCtx) { handled.Add(1) },
		Logger:      &testLogger{},
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(tls.NewListener(ln, testTLSConfig(t))) }()
	defer func() {
		if err := s.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatalf("set deadline: %v", err)
	}
	start := time.Now()
	n, err := conn.Read(make([]byte, 1))
	if !errors.Is(err, io.EOF) {
		t.Fatalf("read from a silent TLS client's connection = %d bytes, %v; want EOF from the server closing it", n, err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("server closed the connection after %v, want about ReadTimeout", d)
	}
}
