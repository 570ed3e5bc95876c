//go:build !linux

package board

// openICMP reports ErrNotSupported: the probe's sockets are Linux's.
func openICMP(v6 bool) (icmpConn, error) { return icmpConn{}, ErrNotSupported }
