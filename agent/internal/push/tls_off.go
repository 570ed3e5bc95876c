//go:build !https

package push

import "github.com/valyala/fasthttp"

// TLSBuilt reports whether this build can push to https URLs. The router
// build leaves TLS out for its size (crypto/tls and x509 cost about
// 0.8 MB on MIPS); build with -tags https to have it.
const TLSBuilt = false

// tlsOptions are empty without TLS.
type tlsOptions struct{}

func (tlsOptions) apply(*fasthttp.Client) {}
