//go:build !https

package web

import (
	"errors"
	"net"
)

// HTTPSBuilt reports whether this build can serve HTTPS. The router build
// leaves HTTPS out to stay within the flash budget (its certificate code
// costs ~460 KB on MIPS), as OpenWrt keeps LuCI's TLS in a separate
// package; build with -tags https (make build TAGS=https) to have it.
const HTTPSBuilt = false

// ErrNoHTTPS is returned by New when Config.TLS is set in a build without
// HTTPS.
var ErrNoHTTPS = errors.New("HTTPS is not part of this build; rebuild with -tags https (make build TAGS=https)")

func httpsListener(Config) (func(net.Listener) net.Listener, error) {
	return nil, ErrNoHTTPS
}
