package board

import (
	"errors"
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// openICMP opens an unprivileged ICMP ("ping") socket of the family, or a
// raw one where ping_group_range leaves the process's group out.
func openICMP(v6 bool) (icmpConn, error) { return openICMPWith(unix.Socket, v6) }

// openICMPWith is openICMP over the socket call socket; tests replace it.
func openICMPWith(socket func(domain, typ, proto int) (int, error), v6 bool) (icmpConn, error) {
	family, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if v6 {
		family, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	dgram := true
	fd, err := socket(family, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		dgram = false
		var err2 error
		fd, err2 = socket(family, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
		if err2 != nil {
			if errors.Is(err2, unix.EPERM) || errors.Is(err2, unix.EACCES) {
				return icmpConn{}, ErrNoICMPPermission
			}
			return icmpConn{}, fmt.Errorf("icmp socket: %w (ping socket: %v)", err2, err)
		}
	}
	f := os.NewFile(uintptr(fd), "icmp")
	c, err := net.FilePacketConn(f)
	f.Close() // FilePacketConn made its own copy of the descriptor
	if err != nil {
		return icmpConn{}, fmt.Errorf("icmp socket: %w", err)
	}
	return icmpConn{PacketConn: c, dgram: dgram}, nil
}
