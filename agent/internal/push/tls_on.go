//go:build https

package push

// TLSBuilt reports whether this build can push to https URLs (build tag
// https); the server's certificate is checked against the system's roots.
const TLSBuilt = true
