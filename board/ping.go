package board

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"
)

// ICMP message types of an echo exchange (RFC 792, RFC 4443).
const (
	icmpEchoRequest4 = 8
	icmpEchoReply4   = 0
	icmpEchoRequest6 = 128
	icmpEchoReply6   = 129
)

// echoHeaderLen is the ICMP echo header: type, code, checksum, identifier
// and sequence number.
const echoHeaderLen = 8

// echoPayloadLen is what an echo request carries after its header: a
// marker the reply must repeat, so a stray reply is not counted.
const echoPayloadLen = 8

// MaxPingCount bounds the echo requests of one Ping.
const MaxPingCount = 100

var (
	// ErrNoICMPPermission is returned by Ping when the process may open
	// neither an unprivileged ICMP socket nor a raw one.
	ErrNoICMPPermission = errors.New("no permission to send ICMP: set net.ipv4.ping_group_range or run with CAP_NET_RAW")

	// errNotEchoReply is parseEchoReply's answer for any other message.
	errNotEchoReply = errors.New("not an echo reply")
)

// echoReply is what parseEchoReply takes from a reply.
type echoReply struct {
	ID, Seq uint16
	Payload []byte
}

// marshalEcho builds an echo request: the 8-byte header and payload, with
// the checksum filled in for ICMPv4 (the kernel computes ICMPv6's over
// the pseudo-header, and a ping socket recomputes both).
func marshalEcho(v6 bool, id, seq uint16, payload []byte) []byte {
	b := make([]byte, echoHeaderLen+len(payload))
	b[0] = icmpEchoRequest4
	if v6 {
		b[0] = icmpEchoRequest6
	}
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	copy(b[echoHeaderLen:], payload)
	if !v6 {
		binary.BigEndian.PutUint16(b[2:], icmpChecksum(b))
	}
	return b
}

// icmpChecksum is the Internet checksum (RFC 1071) of b.
func icmpChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// parseEchoReply reads an ICMP echo reply of the family v6 says. An IPv4
// packet may still carry its IP header (a raw socket on some kernels): a
// leading version nibble of 4 (never an ICMP type a reply has) is taken
// as one and skipped when its length is sane. Any other message, a
// truncated one included, is an error; the payload returned aliases b.
func parseEchoReply(b []byte, v6 bool) (echoReply, error) {
	if !v6 && len(b) > 0 && b[0]>>4 == 4 {
		ihl := int(b[0]&0x0f) * 4
		if len(b) < 20 || ihl < 20 || ihl > len(b) || b[9] != 1 { // protocol 1 is ICMP
			return echoReply{}, fmt.Errorf("ipv4 header of %d bytes not an ICMP packet's", len(b))
		}
		b = b[ihl:]
	}
	if len(b) < echoHeaderLen {
		return echoReply{}, fmt.Errorf("%d bytes, shorter than an echo header", len(b))
	}
	want := byte(icmpEchoReply4)
	if v6 {
		want = icmpEchoReply6
	}
	if b[0] != want || b[1] != 0 {
		return echoReply{}, fmt.Errorf("%w: type %d code %d", errNotEchoReply, b[0], b[1])
	}
	return echoReply{
		ID:      binary.BigEndian.Uint16(b[4:]),
		Seq:     binary.BigEndian.Uint16(b[6:]),
		Payload: b[echoHeaderLen:],
	}, nil
}

// PingResult is what one round of echo requests to one address gave.
type PingResult struct {
	// Address is the address the requests went to.
	Address string `json:"address"`
	// Sent and Received count the requests and their matching replies.
	Sent     int `json:"sent"`
	Received int `json:"received"`
	// RTTLast, RTTAvg, RTTMin and RTTMax are the round-trip times of the
	// replies received, in seconds; 0 when none came back.
	RTTLast float64 `json:"rtt_last_seconds"`
	RTTAvg  float64 `json:"rtt_avg_seconds"`
	RTTMin  float64 `json:"rtt_min_seconds"`
	RTTMax  float64 `json:"rtt_max_seconds"`
}

// icmpConn is an open ICMP socket of one family. dgram is true for an
// unprivileged ping socket (the kernel sets the identifier and hands over
// only the replies to it), false for a raw one (every ICMP message
// arrives).
type icmpConn struct {
	net.PacketConn
	dgram bool
}

// dest returns the address to send to over c.
func (c icmpConn) dest(a netip.Addr) net.Addr {
	if c.dgram {
		return &net.UDPAddr{IP: a.AsSlice(), Zone: a.Zone()}
	}
	return &net.IPAddr{IP: a.AsSlice(), Zone: a.Zone()}
}

// Ping sends count echo requests to addr one after another, each waiting
// up to timeout for its reply, and reports how many came back and how
// fast. It opens an unprivileged ICMP socket where net.ipv4.ping_group_range
// allows it, else a raw socket (CAP_NET_RAW), else returns an error
// wrapping ErrNoICMPPermission. A request without a reply, or one the
// kernel refuses to send (no route), is loss, not an error; ctx ends the
// round early with what was measured so far.
func Ping(ctx context.Context, addr netip.Addr, count int, timeout time.Duration) (PingResult, error) {
	addr = addr.Unmap()
	res := PingResult{Address: addr.String()}
	if !addr.IsValid() {
		return res, errors.New("ping: no address")
	}
	if count < 1 || count > MaxPingCount || timeout <= 0 {
		return res, fmt.Errorf("ping: count %d (1..%d) and timeout %v (> 0)", count, MaxPingCount, timeout)
	}
	conn, err := openICMP(addr.Is6())
	if err != nil {
		return res, fmt.Errorf("ping %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	id := uint16(os.Getpid()) ^ uint16(time.Now().UnixNano()>>10)
	var marker [echoPayloadLen]byte
	binary.BigEndian.PutUint64(marker[:], uint64(time.Now().UnixNano()))
	buf := make([]byte, 1500)
	var total float64
	for seq := uint16(1); int(seq) <= count && ctx.Err() == nil; seq++ {
		msg := marshalEcho(addr.Is6(), id, seq, marker[:])
		start := time.Now()
		res.Sent++
		if _, err := conn.WriteTo(msg, conn.dest(addr)); err != nil {
			// Wait out the timeout as for a lost reply, so a round takes
			// as long with the route gone as with the replies gone.
			select {
			case <-ctx.Done():
			case <-time.After(timeout):
			}
			continue
		}
		if err := conn.SetReadDeadline(start.Add(timeout)); err != nil {
			return res, fmt.Errorf("ping %s: %w", addr, err)
		}
		if rtt, ok := awaitReply(conn, addr, id, seq, marker[:], buf, start); ok {
			s := rtt.Seconds()
			res.Received++
			res.RTTLast = s
			total += s
			if res.Received == 1 || s < res.RTTMin {
				res.RTTMin = s
			}
			res.RTTMax = max(res.RTTMax, s)
		}
	}
	if res.Received > 0 {
		res.RTTAvg = total / float64(res.Received)
	}
	return res, nil
}

// awaitReply reads until the reply to request seq arrives or the read
// deadline passes, skipping any other message.
func awaitReply(conn icmpConn, addr netip.Addr, id, seq uint16, marker, buf []byte, start time.Time) (time.Duration, bool) {
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			return 0, false
		}
		if !sameAddr(from, addr) {
			continue
		}
		r, err := parseEchoReply(buf[:n], addr.Is6())
		if err != nil || r.Seq != seq || (!conn.dgram && r.ID != id) ||
			len(r.Payload) < len(marker) || string(r.Payload[:len(marker)]) != string(marker) {
			continue
		}
		return time.Since(start), true
	}
}

// sameAddr reports whether the sender from is a.
func sameAddr(from net.Addr, a netip.Addr) bool {
	var ip net.IP
	switch f := from.(type) {
	case *net.UDPAddr:
		ip = f.IP
	case *net.IPAddr:
		ip = f.IP
	default:
		return false
	}
	got, ok := netip.AddrFromSlice(ip)
	return ok && got.Unmap() == a.WithZone("")
}
