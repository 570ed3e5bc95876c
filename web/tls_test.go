//go:build https

package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTLSSelfSigned: with TLS on, the first start writes an ECDSA P-256
// certificate for the listen address into the data dir, the server speaks
// HTTPS with it, and the session cookie is Secure. A second start reuses it.
func TestTLSSelfSigned(t *testing.T) {
	dir := t.TempDir()
	hash, _ := hashPasswordIter(testPassword, minIterations)
	cfg := Config{Addr: "127.0.0.1:0", DataDir: dir, TLS: true, TLSHosts: []string{"router.lan"},
		AdminPasswordHash: hash, AdminTokenHash: HashToken(NewToken()), Logger: newTestLogger(&syncBuffer{})}
	srv, err := newServer(cfg, newMemBackend(time.Now), minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := os.ReadFile(filepath.Join(dir, "tls", "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if cert.PublicKeyAlgorithm != x509.ECDSA || !slices.Contains(cert.DNSNames, "router.lan") || !slices.Contains(cert.DNSNames, "localhost") {
		t.Fatalf("certificate: %v %v %v", cert.PublicKeyAlgorithm, cert.DNSNames, cert.IPAddresses)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "tls", "key.pem")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v", fi.Mode().Perm())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve = %v", err)
		}
	}()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	url := "https://" + ln.Addr().String()
	resp, err := client.Post(url+"/api/v1/login", "application/json", strings.NewReader(`{"password":"`+testPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := sessionCookieFrom(resp.Header)
	if resp.StatusCode != 200 || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("HTTPS login = %d cookie %+v, want Secure HttpOnly SameSite=Strict", resp.StatusCode, c)
	}
	// A second start loads the same certificate.
	if _, err := newServer(cfg, newMemBackend(time.Now), minIterations, time.Now); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "tls", "cert.pem"))
	if string(again) != string(pemBytes) {
		t.Fatal("certificate regenerated on second start")
	}
}
