package board

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenICMPPermission: the ping socket refused (ping_group_range) and
// the raw one too (no CAP_NET_RAW) is ErrNoICMPPermission, whose text
// tells the owner what to change; another failure keeps both reasons.
func TestOpenICMPPermission(t *testing.T) {
	var types []int
	refuse := func(rawErr error) func(domain, typ, proto int) (int, error) {
		return func(domain, typ, proto int) (int, error) {
			types = append(types, typ&^unix.SOCK_CLOEXEC)
			if typ&^unix.SOCK_CLOEXEC == unix.SOCK_DGRAM {
				return -1, unix.EACCES
			}
			return -1, rawErr
		}
	}
	for _, v6 := range []bool{false, true} {
		types = nil
		_, err := openICMPWith(refuse(unix.EPERM), v6)
		if !errors.Is(err, ErrNoICMPPermission) {
			t.Errorf("v6=%v: error %v, want ErrNoICMPPermission", v6, err)
		}
		if len(types) != 2 || types[0] != unix.SOCK_DGRAM || types[1] != unix.SOCK_RAW {
			t.Errorf("v6=%v: tried socket types %v, want the ping socket, then the raw one", v6, types)
		}
	}
	_, err := openICMPWith(refuse(unix.EAFNOSUPPORT), true)
	if err == nil || errors.Is(err, ErrNoICMPPermission) || !errors.Is(err, unix.EAFNOSUPPORT) {
		t.Errorf("no IPv6: error %v, want EAFNOSUPPORT", err)
	}
}
