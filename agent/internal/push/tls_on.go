//go:build https

package push

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/valyala/fasthttp"
)

// TLSBuilt reports whether this build can push to https URLs (build tag
// https); the server's certificate is checked against the system's roots.
const TLSBuilt = true

// tlsOptions are the TLS settings of a pusher's client: roots nil are the
// system's (tests set their own).
type tlsOptions struct {
	roots *x509.CertPool
}

func (o tlsOptions) apply(c *fasthttp.Client) {
	c.TLSConfig = &tls.Config{RootCAs: o.roots, MinVersion: tls.VersionTLS12}
}
