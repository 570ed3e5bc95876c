package board

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// rtnlLinkDump asks the kernel for every interface with one RTM_GETLINK
// dump over a fresh rtnetlink socket and returns the reply's bytes, at
// most MaxFileSize of them. The request asks for no extended information
// (no VF or bridge details), so the reply holds about 1.5 KB per link.
func rtnlLinkDump() ([]byte, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("board: rtnetlink: socket: %w", err)
	}
	defer unix.Close(fd)
	tv := unix.NsecToTimeval(nlTimeout.Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return nil, fmt.Errorf("board: rtnetlink: %w", err)
	}
	seq := nlSeq.Add(1)
	ne := binary.NativeEndian
	msg := make([]byte, nlmsgHeaderLen+ifinfomsgLen)
	ne.PutUint32(msg[0:4], uint32(len(msg)))
	ne.PutUint16(msg[4:6], unix.RTM_GETLINK)
	ne.PutUint16(msg[6:8], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	ne.PutUint32(msg[8:12], seq)
	msg[nlmsgHeaderLen] = unix.AF_UNSPEC
	return nlExchange(fd, msg, seq, "rtnetlink")
}
