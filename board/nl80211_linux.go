package board

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// nlTimeout bounds how long one nl80211 dump may take.
const nlTimeout = time.Second

// nlSeq numbers requests so replies to an earlier, timed-out request are
// not taken for this one's.
var nlSeq atomic.Uint32

// nl80211Dump sends one dump request to the kernel's nl80211 family over
// a fresh generic netlink socket and returns the reply's bytes, at most
// MaxFileSize of them. Without nl80211 (no wireless driver) it returns an
// error wrapping ErrNoWifi.
func nl80211Dump(req nl80211Request) ([]byte, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
	if err != nil {
		return nil, fmt.Errorf("board: nl80211: socket: %w", err)
	}
	defer unix.Close(fd)
	tv := unix.NsecToTimeval(nlTimeout.Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return nil, fmt.Errorf("board: nl80211: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("board: nl80211: bind: %w", err)
	}
	family, err := nlFamilyID(fd, "nl80211")
	if err != nil {
		return nil, err
	}
	var attrs []byte
	if req.IfIndex != 0 {
		attrs = nlAppendAttr(attrs, nl80211AttrIfindex, binary.NativeEndian.AppendUint32(nil, req.IfIndex))
	}
	return nlRequest(fd, family, req.Cmd, unix.NLM_F_DUMP, attrs)
}

// nlFamilyID asks the generic netlink controller for a family's id.
func nlFamilyID(fd int, name string) (uint16, error) {
	attrs := nlAppendAttr(nil, unix.CTRL_ATTR_FAMILY_NAME, append([]byte(name), 0))
	data, err := nlRequest(fd, unix.GENL_ID_CTRL, unix.CTRL_CMD_GETFAMILY, 0, attrs)
	if err != nil {
		if errors.Is(err, errNetlinkENOENT) {
			return 0, fmt.Errorf("board: %w", ErrNoWifi)
		}
		return 0, err
	}
	msgs, err := parseGenlMessages(data, binary.NativeEndian)
	if err != nil {
		return 0, fmt.Errorf("board: nl80211: family: %w", err)
	}
	for _, m := range msgs {
		a, err := decodeAttrs(m.attrs, binary.NativeEndian)
		if err != nil {
			return 0, fmt.Errorf("board: nl80211: family: %w", err)
		}
		if id, ok := a.u16(unix.CTRL_ATTR_FAMILY_ID); ok {
			return id, nil
		}
	}
	return 0, fmt.Errorf("board: %w", ErrNoWifi)
}

// errNetlinkENOENT marks a request the kernel answered with ENOENT.
var errNetlinkENOENT = errors.New("netlink: no such object")

// nlRequest sends one generic netlink request and reads its reply up to
// NLMSG_DONE (for a dump) or the first message, bounded by MaxFileSize
// bytes and nlTimeout.
func nlRequest(fd int, family uint16, cmd uint8, flags uint16, attrs []byte) ([]byte, error) {
	seq := nlSeq.Add(1)
	msg := make([]byte, nlmsgHeaderLen+genlHeaderLen, nlmsgHeaderLen+genlHeaderLen+len(attrs))
	msg = append(msg, attrs...)
	ne := binary.NativeEndian
	ne.PutUint32(msg[0:4], uint32(len(msg)))
	ne.PutUint16(msg[4:6], family)
	ne.PutUint16(msg[6:8], unix.NLM_F_REQUEST|unix.NLM_F_ACK|flags)
	ne.PutUint32(msg[8:12], seq)
	msg[16] = cmd
	msg[17] = 1 // version
	return nlExchange(fd, msg, seq, "nl80211")
}

// nlAppendAttr appends one attribute, padded to 4 bytes.
func nlAppendAttr(b []byte, typ uint16, payload []byte) []byte {
	ne := binary.NativeEndian
	b = ne.AppendUint16(b, uint16(nlattrHeaderLen+len(payload)))
	b = ne.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
