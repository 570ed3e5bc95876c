package board

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/netip"
	"slices"
	"strconv"
)

const fileConntrack = "proc/net/nf_conntrack"

// Bounds on ClientTraffic: how much of the conntrack table it reads (8 MiB
// is about 30,000 flows, more than a router's default nf_conntrack_max of
// 16,384), the longest line it parses, and how many clients it reports.
const (
	maxConntrackBytes = 8 << 20
	maxConntrackLine  = 4096
	maxClients        = 1024
)

// ClientTraffic is what one LAN address sent and received through the
// flows conntrack is tracking now (the flows that ended are gone, so the
// sums can go down): the per-client view of prometheus-node-exporter-lua's
// node_nat_traffic.
type ClientTraffic struct {
	// IP is the LAN address that opened the flows.
	IP string `json:"ip"`
	// TxBytes and TxPackets count the original direction (from the
	// client), RxBytes and RxPackets the reply direction.
	TxBytes   uint64 `json:"tx_bytes"`
	RxBytes   uint64 `json:"rx_bytes"`
	TxPackets uint64 `json:"tx_packets"`
	RxPackets uint64 `json:"rx_packets"`
	// Flows is the number of tracked flows the client opened.
	Flows uint64 `json:"flows"`
}

// Traffic is the result of ClientTraffic.
type Traffic struct {
	// Clients is sorted by address, at most maxClients of them.
	Clients []ClientTraffic `json:"clients"`
	// Flows counts every flow read, LAN or not.
	Flows uint64 `json:"flows"`
	// Accounting is false when no flow carried byte counters: the kernel's
	// net.netfilter.nf_conntrack_acct is off, and the sums are all 0.
	Accounting bool `json:"accounting"`
	// Truncated is true when the table was longer than the reader reads,
	// or had more clients than it reports.
	Truncated bool `json:"truncated"`
	// Skipped counts lines that could not be parsed.
	Skipped uint64 `json:"skipped"`
}

// ClientTraffic reads /proc/net/nf_conntrack and sums each flow's counters
// under the address that opened it (the original direction's source) when
// that address is in one of the prefixes lan. It reads at most
// maxConntrackBytes and reports at most maxClients clients (Truncated says
// so). Lines it cannot parse are counted in Skipped, not fatal: newer
// kernels may add fields.
func (b *Board) ClientTraffic(lan []netip.Prefix) (Traffic, error) {
	f, err := b.open(fileConntrack)
	if err != nil {
		return Traffic{Clients: []ClientTraffic{}}, fileError(fileConntrack, err)
	}
	defer f.Close()
	t, err := parseConntrack(io.LimitReader(f, maxConntrackBytes+1), lan)
	if err != nil {
		return t, fileError(fileConntrack, err)
	}
	return t, nil
}

// parseConntrack reads conntrack lines such as
//
//	ipv4     2 tcp      6 7439 ESTABLISHED src=192.168.1.23 dst=142.250.185.78 sport=51234 dport=443 packets=12 bytes=980 src=142.250.185.78 dst=203.0.113.7 sport=443 dport=51234 packets=23 bytes=34567 [ASSURED] mark=0 zone=0 use=2
//
// from r until EOF or maxConntrackBytes.
func parseConntrack(r io.Reader, lan []netip.Prefix) (Traffic, error) {
	t := Traffic{Clients: []ClientTraffic{}}
	byIP := make(map[netip.Addr]*ClientTraffic)
	br := bufio.NewReaderSize(r, maxConntrackLine)
	read := 0
	for {
		line, err := br.ReadSlice('\n')
		read += len(line)
		if read > maxConntrackBytes {
			t.Truncated = true
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			t.Skipped++
			for errors.Is(err, bufio.ErrBufferFull) { // skip the rest of the line
				line, err = br.ReadSlice('\n')
				read += len(line)
			}
			if err != nil && err != io.EOF {
				return t, err
			}
			if err == io.EOF {
				break
			}
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			flow, ok := parseConntrackLine(line)
			switch {
			case !ok:
				t.Skipped++
			default:
				t.Flows++
				if flow.acct {
					t.Accounting = true
				}
				if !inPrefixes(flow.src, lan) {
					break
				}
				c := byIP[flow.src]
				if c == nil {
					if len(byIP) == maxClients {
						t.Truncated = true
						break
					}
					c = &ClientTraffic{IP: flow.src.String()}
					byIP[flow.src] = c
				}
				c.Flows++
				c.TxBytes += flow.bytes[0]
				c.RxBytes += flow.bytes[1]
				c.TxPackets += flow.packets[0]
				c.RxPackets += flow.packets[1]
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return t, err
		}
	}
	addrs := make([]netip.Addr, 0, len(byIP))
	for a := range byIP {
		addrs = append(addrs, a)
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	for _, a := range addrs {
		t.Clients = append(t.Clients, *byIP[a])
	}
	return t, nil
}

// conntrackFlow is what parseConntrackLine keeps of one flow; index 0 is
// the original direction, 1 the reply.
type conntrackFlow struct {
	src     netip.Addr
	bytes   [2]uint64
	packets [2]uint64
	acct    bool
}

// parseConntrackLine picks the first src= and the two packets=/bytes=
// pairs out of one line; ok is false when it has no valid src=.
func parseConntrackLine(line []byte) (conntrackFlow, bool) {
	var (
		fl         conntrackFlow
		haveSrc    bool
		nb, np     int
		fieldCount int
	)
	for len(line) > 0 {
		i := bytes.IndexAny(line, " \t\n")
		var tok []byte
		if i < 0 {
			tok, line = line, nil
		} else {
			tok, line = line[:i], line[i+1:]
		}
		if len(tok) == 0 {
			continue
		}
		fieldCount++
		if fieldCount == 1 && !bytes.Equal(tok, []byte("ipv4")) && !bytes.Equal(tok, []byte("ipv6")) {
			return fl, false
		}
		k, v, found := bytes.Cut(tok, []byte("="))
		if !found {
			continue
		}
		switch string(k) {
		case "src":
			if !haveSrc {
				a, err := netip.ParseAddr(string(v))
				if err != nil {
					return fl, false
				}
				fl.src, haveSrc = a.Unmap(), true
			}
		case "bytes":
			if nb < 2 {
				n, err := strconv.ParseUint(string(v), 10, 64)
				if err != nil {
					return fl, false
				}
				fl.bytes[nb] = n
				nb++
				fl.acct = true
			}
		case "packets":
			if np < 2 {
				n, err := strconv.ParseUint(string(v), 10, 64)
				if err != nil {
					return fl, false
				}
				fl.packets[np] = n
				np++
			}
		}
	}
	return fl, haveSrc
}

// inPrefixes reports whether a is in one of ps.
func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// privatePrefixes are the LAN ranges LANPrefixes falls back on: RFC 1918
// and RFC 4193 unique local addresses.
var privatePrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
}

// LANPrefixes returns the prefixes routed directly (without a gateway) to
// an interface that carries no default route: the LAN, guest and other
// local networks, IPv4 and IPv6 (link-local and multicast left out). When
// the routing tables cannot be read or give none, it returns the private
// ranges (10/8, 172.16/12, 192.168/16, fc00::/7) and the reason in err.
func (b *Board) LANPrefixes() ([]netip.Prefix, error) {
	v4, v6, err := b.routes() // shared: read, never changed
	wan := map[string]bool{}
	for r := range routeSeq(v4, v6) {
		if r.Prefix == "0.0.0.0/0" || r.Prefix == "::/0" {
			wan[r.Interface] = true
		}
	}
	var out []netip.Prefix
	for r := range routeSeq(v4, v6) {
		if r.Gateway != "" || wan[r.Interface] || r.Interface == "lo" {
			continue
		}
		p, perr := netip.ParsePrefix(r.Prefix)
		if perr != nil || p.Bits() == 0 || p.Addr().IsLinkLocalUnicast() || p.Addr().IsMulticast() || p.Addr().IsLoopback() {
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		if err == nil {
			err = fmt.Errorf("board: no directly connected non-WAN routes")
		}
		return slices.Clone(privatePrefixes), err
	}
	return out, nil
}

// routeSeq yields the routes of v4 and then of v6.
func routeSeq(v4, v6 []Route) iter.Seq[Route] {
	return func(yield func(Route) bool) {
		for _, rs := range [2][]Route{v4, v6} {
			for _, r := range rs {
				if !yield(r) {
					return
				}
			}
		}
	}
}
