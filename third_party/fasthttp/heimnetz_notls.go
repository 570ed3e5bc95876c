//go:build !https

// heimnetz patch 4: fasthttp without TLS. Builds without the https tag do
// not import crypto/tls, crypto/x509, crypto/rsa or math/big, whose code and
// init-time tables would otherwise be linked into every program using
// fasthttp. heimnetz_tls.go holds the TLS code of the https build.

package fasthttp

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// ErrNoTLS is returned by everything that needs TLS in a build without the
// https tag: ServeTLS, ServeTLSEmbed, ListenAndServeTLS,
// ListenAndServeTLSEmbed (functions and Server methods), Server.AppendCert,
// Server.AppendCertEmbed, GenerateTestCertificate, and a client request to
// an https URL (HostClient and PipelineClient with IsTLS), which fails
// before dialing.
var ErrNoTLS = errors.New("fasthttp: TLS is not supported in this build (build with -tags https)")

// cryptoTLSConfig stands in for crypto/tls's Config, the type of the
// TLSConfig fields of Server, Client, HostClient and PipelineClient. It has
// no fields and nothing outside this package can make one, so without the
// https tag those fields can only be nil.
type cryptoTLSConfig struct{}

// tlsConn is a TLS connection matched by its methods. Without crypto/tls the
// connection state cannot be named, so Handshake alone marks a connection as
// TLS, as upstream's dialAddr already assumes; crypto/tls's *Conn and
// any type embedding it match.
type tlsConn interface {
	Handshake() error
}

// negotiatedProtocol returns "": the negotiated protocol lives in
// crypto/tls's ConnectionState, and Server.NextProto does not exist in this
// build.
func negotiatedProtocol(tlsConn) string {
	return ""
}

// ServeTLS returns ErrNoTLS: this build has no TLS. It does not close ln.
func (s *Server) ServeTLS(ln net.Listener, certFile, keyFile string) error {
	return fmt.Errorf("serve TLS with cert file %q: %w", certFile, ErrNoTLS)
}

// ServeTLSEmbed returns ErrNoTLS: this build has no TLS. It does not close
// ln.
func (s *Server) ServeTLSEmbed(ln net.Listener, certData, keyData []byte) error {
	return fmt.Errorf("serve TLS with embedded cert: %w", ErrNoTLS)
}

// AppendCert returns ErrNoTLS: this build has no TLS.
func (s *Server) AppendCert(certFile, keyFile string) error {
	return fmt.Errorf("append cert file %q: %w", certFile, ErrNoTLS)
}

// AppendCertEmbed returns ErrNoTLS: this build has no TLS.
func (s *Server) AppendCertEmbed(certData, keyData []byte) error {
	return fmt.Errorf("append embedded cert: %w", ErrNoTLS)
}

// GenerateTestCertificate returns ErrNoTLS: generating a certificate needs
// crypto/x509 and crypto/rsa, which this build leaves out.
func GenerateTestCertificate(host string) ([]byte, []byte, error) {
	return nil, nil, fmt.Errorf("generate test certificate for %q: %w", host, ErrNoTLS)
}

// newClientTLSConfig returns ErrNoTLS: there is no TLS to configure. A
// HostClient or PipelineClient for an https address (IsTLS) fails here,
// before it dials, so an https request is never sent in plain text.
func newClientTLSConfig(_ *cryptoTLSConfig, addr string) (*cryptoTLSConfig, error) {
	return nil, fmt.Errorf("connect to %q over https: %w", addr, ErrNoTLS)
}

// dialAddr dials addr like the https build's. It is not reached with isTLS,
// since newClientTLSConfig fails first; should it be, it returns ErrNoTLS
// without dialing.
func dialAddr(
	addr string, dial DialFunc, dialWithTimeout DialFuncWithTimeout, dialDualStack, isTLS bool,
	_ *cryptoTLSConfig, dialTimeout, _ time.Duration,
) (net.Conn, error) {
	if isTLS {
		return nil, fmt.Errorf("connect to %q over https: %w", addr, ErrNoTLS)
	}
	conn, err := callDialFunc(addr, dial, dialWithTimeout, dialDualStack, isTLS, dialTimeout)
	if err != nil {
		return nil, err
	}
	if conn == nil {
		return nil, errors.New("dialling unsuccessful: please report this bug")
	}
	return conn, nil
}
