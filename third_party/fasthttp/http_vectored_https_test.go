//go:build https

package fasthttp

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"
)

func TestResponseVectoredWriteSkippedForTLS(t *testing.T) {
	t.Parallel()

	// A TLS connection must keep the buffered path: net.Buffers would fall back
	// to writing the pieces one at a time, which costs an extra record.
	cert, priv, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatalf("certificate: %v", err)
	}
	pair, err := tls.X509KeyPair(cert, priv)
	if err != nil {
		t.Fatalf("key pair: %v", err)
	}

	body := bytes.Repeat([]byte("t"), 40000)
	s := &Server{
		Handler:         func(ctx *RequestCtx) { ctx.Response.SetBodyRaw(body) },
		WriteBufferSize: 4096,
		TLSConfig:       &tls.Config{Certificates: []tls.Certificate{pair}},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	go s.ServeTLS(ln, "", "") //nolint:errcheck
	defer s.Shutdown()        //nolint:errcheck

	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("tls dial: %v", err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(testTimeout(10 * time.Second))); err != nil {
		t.Fatalf("deadline: %v", err)
	}
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")); err != nil {
		t.Fatalf("write: %v", err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if _, gotBody, ok := bytes.Cut(got, []byte("\r\n\r\n")); !ok || !bytes.Equal(gotBody, body) {
		t.Fatalf("tls body mismatch: got %d bytes, want %d", len(got), len(body))
	}
}
