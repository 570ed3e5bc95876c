package board

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"strings"
)

const (
	fileRoute     = "proc/net/route"
	fileIPv6Route = "proc/net/ipv6_route"
	// fileFixtureByteOrder says "big" in a fixture tree captured on a
	// big-endian machine (ath79), whose /proc/net/route and netlink
	// replies are in that order.
	fileFixtureByteOrder = FixtureDir + "/byteorder"
)

// maxRoutes bounds how many routes are read from each table.
const maxRoutes = 4096

// Route flags (linux/route.h).
const (
	rtfUp      = 0x1
	rtfGateway = 0x2
	rtfReject  = 0x200
)

// Route is one route of the main table.
type Route struct {
	Interface string `json:"interface"`
	// Prefix is the destination, e.g. "0.0.0.0/0" or "192.168.1.0/24".
	Prefix string `json:"prefix"`
	// Gateway is the next hop, empty for a directly connected prefix.
	Gateway string `json:"gateway,omitempty"`
	Metric  uint32 `json:"metric"`
}

// hostOrder is the byte order /proc/net/route's hex numbers are in. A
// fixture tree's is a property of the tree, read once: a live Board
// knows its own without reading anything.
func (b *Board) hostOrder() binary.ByteOrder {
	if b.live {
		return binary.NativeEndian
	}
	b.fixtureOrder.once.Do(func() {
		b.fixtureOrder.order = binary.LittleEndian
		if s, err := b.readAttribute(fileFixtureByteOrder); err == nil && s == "big" {
			b.fixtureOrder.order = binary.BigEndian
		}
	})
	return b.fixtureOrder.order
}

// Routes reads the IPv4 (/proc/net/route) and IPv6 (/proc/net/ipv6_route)
// routes that are up and not reject routes, at most maxRoutes of each.
// Both files are read; an error of one does not hide the other's routes.
// A missing ipv6_route (IPv6 disabled) is no error.
func (b *Board) Routes() (v4, v6 []Route, err error) {
	v4, v6, err = b.routes()
	return slices.Clone(v4), slices.Clone(v6), err
}

// routeSet is routes' result.
type routeSet struct {
	v4, v6 []Route
}

// routes is Routes parsed once a second for all its readers
// (cachedValue): the slices are shared and must not be changed.
func (b *Board) routes() (v4, v6 []Route, err error) {
	s, err := cachedValue(b, "routes", func() (routeSet, error) {
		v4, v6, err := b.parseRouteFiles()
		return routeSet{v4, v6}, err
	})
	return s.v4, s.v6, err
}

// parseRouteFiles reads and parses both route tables.
func (b *Board) parseRouteFiles() (v4, v6 []Route, err error) {
	var err4, err6 error
	data, err4 := b.readFile(fileRoute)
	if err4 == nil {
		v4, err4 = parseRoutes(fileRoute, data, b.hostOrder())
	}
	data, err6 = b.readFile(fileIPv6Route)
	if err6 == nil {
		v6, err6 = parseIPv6Routes(fileIPv6Route, data)
	} else if isNotExist(err6) {
		err6 = nil // a kernel without IPv6
	}
	if err4 != nil {
		return v4, v6, err4
	}
	return v4, v6, err6
}

// parseRoutes parses /proc/net/route, whose addresses are the raw 32-bit
// values printed as hex in the host's byte order:
//
//	Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
//	wan	00000000	0100A8C0	0003	0	0	0	00000000	0	0	0
func parseRoutes(file string, data []byte, order binary.ByteOrder) ([]Route, error) {
	var out []Route
	var fb [12]string
	for n, line := range lines(string(data)) {
		f := appendFields(fb[:0], line)
		if len(f) == 0 || n == 1 && f[0] == "Iface" {
			continue
		}
		if len(f) != 11 {
			return out, malformed(file, n, "want 11 fields, got %d", len(f))
		}
		if len(out) == maxRoutes {
			return out, malformed(file, n, "%w: more than %d routes", errTooMany, maxRoutes)
		}
		dst, err1 := hexAddr4(f[1], order)
		gw, err2 := hexAddr4(f[2], order)
		mask, err3 := hexAddr4(f[7], order)
		flags, err4 := hexUint(f[3], 4)
		metric, err5 := parseUint(f[6])
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil || metric > 1<<32-1 {
			return out, malformed(file, n, "bad number in %q", line)
		}
		if flags&rtfUp == 0 || flags&rtfReject != 0 || !ValidInterfaceName(f[0]) {
			continue
		}
		bits := maskBits(mask.As4())
		if bits < 0 {
			return out, malformed(file, n, "mask %s is not a prefix", mask)
		}
		r := Route{Interface: strings.Clone(f[0]), Prefix: netip.PrefixFrom(dst, bits).Masked().String(), Metric: uint32(metric)}
		if flags&rtfGateway != 0 {
			r.Gateway = gw.String()
		}
		out = append(out, r)
	}
	return out, nil
}

// parseIPv6Routes parses /proc/net/ipv6_route, whose addresses are in
// network order:
//
//	DEST(32 hex) PLEN SRC SPLEN NEXTHOP METRIC REFCNT USE FLAGS IFACE
func parseIPv6Routes(file string, data []byte) ([]Route, error) {
	var out []Route
	var fb [11]string
	for n, line := range lines(string(data)) {
		f := appendFields(fb[:0], line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 10 {
			return out, malformed(file, n, "want 10 fields, got %d", len(f))
		}
		if len(out) == maxRoutes {
			return out, malformed(file, n, "%w: more than %d routes", errTooMany, maxRoutes)
		}
		dst, err1 := hexAddr6(f[0])
		plen, err2 := hexUint(f[1], 2)
		gw, err3 := hexAddr6(f[4])
		metric, err4 := hexUint(f[5], 8)
		flags, err5 := hexUint(f[8], 8)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil || plen > 128 {
			return out, malformed(file, n, "bad number in %q", line)
		}
		if flags&rtfUp == 0 || flags&rtfReject != 0 || f[9] == "lo" || !ValidInterfaceName(f[9]) {
			continue
		}
		r := Route{Interface: strings.Clone(f[9]), Prefix: netip.PrefixFrom(dst, int(plen)).Masked().String(), Metric: uint32(metric)}
		if flags&rtfGateway != 0 || !gw.IsUnspecified() {
			r.Gateway = gw.String()
		}
		out = append(out, r)
	}
	return out, nil
}

// hexAddr4 decodes an IPv4 address printed as a 32-bit hex number.
func hexAddr4(s string, order binary.ByteOrder) (netip.Addr, error) {
	v, err := hexUint(s, 8)
	if err != nil {
		return netip.Addr{}, err
	}
	var a [4]byte
	order.PutUint32(a[:], uint32(v))
	return netip.AddrFrom4(a), nil
}

// hexAddr6 decodes 32 hex digits.
func hexAddr6(s string) (netip.Addr, error) {
	var a [16]byte
	if len(s) != 32 {
		return netip.Addr{}, errNotHex
	}
	if _, err := hex.Decode(a[:], []byte(s)); err != nil {
		return netip.Addr{}, err
	}
	return netip.AddrFrom16(a), nil
}

// errNotHex rejects a hex field of the wrong width.
var errNotHex = errors.New("not a hex number of the expected width")

// hexUint parses exactly width hex digits.
func hexUint(s string, width int) (uint64, error) {
	if len(s) != width {
		return 0, errNotHex
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, errNotHex
		}
		v = v<<4 | uint64(d)
	}
	return v, nil
}

// maskBits returns the prefix length of a netmask, -1 when it is not
// contiguous.
func maskBits(m [4]byte) int {
	v := binary.BigEndian.Uint32(m[:])
	bits := 0
	for v&(1<<31) != 0 {
		bits++
		v <<= 1
	}
	if v != 0 {
		return -1
	}
	return bits
}
