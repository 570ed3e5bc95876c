package board

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// nlExchange sends the request msg (numbered seq) on the netlink socket
// fd and reads its reply up to NLMSG_DONE (for a dump) or the ACK,
// bounded by MaxFileSize bytes and nlTimeout. Messages numbered otherwise
// (replies to an earlier, timed-out request) are skipped. what names the
// protocol in errors.
func nlExchange(fd int, msg []byte, seq uint32, what string) ([]byte, error) {
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("board: %s: send: %w", what, err)
	}
	ne := binary.NativeEndian
	deadline := time.Now().Add(nlTimeout)
	var out []byte
	buf := make([]byte, 32<<10)
	for time.Now().Before(deadline) {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return nil, fmt.Errorf("board: %s: receive: %w", what, err)
		}
		for p := buf[:n]; len(p) >= nlmsgHeaderLen; {
			l := int(ne.Uint32(p[0:4]))
			if l < nlmsgHeaderLen || l > len(p) {
				return nil, fmt.Errorf("board: %s: %w: length %d", what, errNetlink, l)
			}
			typ, s := ne.Uint16(p[4:6]), ne.Uint32(p[8:12])
			m := p[:l]
			p = p[min(align4(l), len(p)):]
			if s != seq {
				continue
			}
			if len(out)+len(m) > MaxFileSize {
				return nil, fmt.Errorf("board: %s: %w (reply over %d bytes)", what, ErrTooLarge, MaxFileSize)
			}
			switch typ {
			case nlmsgError:
				if len(m) >= nlmsgHeaderLen+4 {
					if code := int32(ne.Uint32(m[16:20])); code != 0 {
						if -code == int32(unix.ENOENT) {
							return nil, errNetlinkENOENT
						}
						return nil, fmt.Errorf("board: %s: %w", what, unix.Errno(-code))
					}
				}
				return out, nil // the ACK ends a request that is not a dump
			case nlmsgDone:
				return append(out, m...), nil
			}
			out = append(out, m...)
		}
	}
	return nil, fmt.Errorf("board: %s: no reply within %v", what, nlTimeout)
}
