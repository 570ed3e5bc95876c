package board

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

const (
	// fileDnsmasqLeases is where OpenWrt's dnsmasq keeps its leases;
	// fileDnsmasqLeasesDebian is Debian's default.
	fileDnsmasqLeases       = "tmp/dhcp.leases"
	fileDnsmasqLeasesDebian = "var/lib/misc/dnsmasq.leases"
	// fileOdhcpdLeases is odhcpd's lease state file on OpenWrt (UCI
	// dhcp.odhcpd.leasefile).
	fileOdhcpdLeases = "tmp/hosts/odhcpd"
)

// maxLeases bounds how many leases DHCPLeases returns; a home router has
// tens.
const maxLeases = 1024

// maxHostname is the longest DNS name.
const maxHostname = 253

// Lease is one DHCP lease, from dnsmasq (IPv4 and DHCPv6) or odhcpd
// (DHCPv6 and, on newer OpenWrt, IPv4). It identifies a person's device:
// plugins get it only with the "clients" permission.
type Lease struct {
	// Source is "dnsmasq" or "odhcpd".
	Source string `json:"source"`
	// Family is "ipv4" or "ipv6".
	Family string `json:"family"`
	// IP is the leased address; Addresses holds every address of an
	// odhcpd IPv6 lease (with prefix length), IP being the first.
	IP        string   `json:"ip"`
	Addresses []string `json:"addresses,omitempty"`
	// MAC is the client's hardware address (IPv4 leases).
	MAC string `json:"mac,omitempty"`
	// Hostname is the name the client sent, empty when none.
	Hostname string `json:"hostname,omitempty"`
	// ClientID is dnsmasq's client identifier or the DHCPv6 DUID, as hex
	// pairs; empty when none.
	ClientID string `json:"client_id,omitempty"`
	// IAID is the DHCPv6 identity association id.
	IAID string `json:"iaid,omitempty"`
	// Interface is the LAN interface (odhcpd only).
	Interface string `json:"interface,omitempty"`
	// Expires is the end of the lease in seconds since the epoch; 0 means
	// it never expires.
	Expires int64 `json:"expires"`
}

// DHCPLeases reads dnsmasq's lease file (/tmp/dhcp.leases, else
// /var/lib/misc/dnsmasq.leases) and odhcpd's (/tmp/hosts/odhcpd), at most
// maxLeases leases in all. A source that is missing is left out and named
// in err (matching fs.ErrNotExist) while the other's leases are returned.
//
// Both files are kept parsed until they change (stableRead); the result
// is the caller's own.
func (b *Board) DHCPLeases() ([]Lease, error) {
	var errs []error
	dn, err := stableRead(b, fileDnsmasqLeases, 0, func(data []byte) ([]Lease, error) {
		return parseDnsmasqLeases(fileDnsmasqLeases, data, maxLeases)
	})
	if isNotExist(err) {
		// Debian's file is used when it could be read, even if it is
		// malformed; otherwise OpenWrt's absence is the reason given.
		deb, err2 := stableRead(b, fileDnsmasqLeasesDebian, 0, func(data []byte) ([]Lease, error) {
			return parseDnsmasqLeases(fileDnsmasqLeasesDebian, data, maxLeases)
		})
		if err2 == nil || errors.Is(err2, ErrMalformed) {
			dn, err = deb, err2
		}
	}
	if err != nil {
		errs = append(errs, err)
	}
	// odhcpd's leases are bounded by what dnsmasq's left; the bound is
	// the variant, so its parse is kept per bound.
	room := maxLeases - len(dn)
	od, err := stableRead(b, fileOdhcpdLeases, room, func(data []byte) ([]Lease, error) {
		return parseOdhcpdLeases(fileOdhcpdLeases, data, room)
	})
	if err != nil {
		errs = append(errs, err)
	}
	var out []Lease
	if len(dn)+len(od) > 0 {
		out = make([]Lease, 0, len(dn)+len(od))
		for _, ls := range [][]Lease{dn, od} {
			for _, l := range ls {
				l.Addresses = slices.Clone(l.Addresses)
				out = append(out, l)
			}
		}
	}
	return out, errors.Join(errs...)
}

// errTooMany is wrapped when a bounded reader stops early.
var errTooMany = errors.New("too many entries")

// parseDnsmasqLeases parses dnsmasq's lease file, at most max leases:
//
//	1733401234 3c:22:fb:12:34:56 192.168.1.23 laptop 01:3c:22:fb:12:34:56
//	duid 00:01:00:01:2c:5e:1f:00:3c:22:fb:00:00:01
//	1733401234 1104893 fd12:3456:789a::23 laptop 00:01:00:01:...
//
// "*" stands for no hostname or client id; IPv6 lines follow the "duid"
// line that gives the server's DUID, and their second field is the IAID
// ("T" in front for a temporary address).
func parseDnsmasqLeases(file string, data []byte, max int) ([]Lease, error) {
	var out []Lease
	v6 := false
	for n, line := range lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if f[0] == "duid" {
			v6 = true
			continue
		}
		if len(f) != 5 {
			return out, malformed(file, n, "want 5 fields, got %d", len(f))
		}
		if len(out) >= max {
			return out, malformed(file, n, "%w: more than %d leases", errTooMany, maxLeases)
		}
		exp, err := parseInt(f[0])
		if err != nil || exp < 0 {
			return out, malformed(file, n, "expiry %q", f[0])
		}
		ip, err := netip.ParseAddr(f[2])
		if err != nil {
			return out, malformed(file, n, "address: %w", err)
		}
		l := Lease{Source: "dnsmasq", IP: ip.String(), Expires: exp, Hostname: leaseHostname(f[3]), ClientID: starEmpty(f[4])}
		if v6 || ip.Is6() && !ip.Is4In6() {
			l.Family, l.IAID = "ipv6", strings.Clone(f[1])
		} else {
			l.Family, l.MAC = "ipv4", ownLower(f[1])
		}
		out = append(out, l)
	}
	return out, nil
}

// parseOdhcpdLeases parses the "#" lines of odhcpd's state file, at most
// max leases; the hosts lines between them repeat the same facts and are
// skipped:
//
//	# br-lan 000100012c5e1f003c22fb000001 5b2d8a1f laptop 1733405000 4a 128 fd12:3456:789a::4a/128
//	# br-lan 3c:22:fb:12:34:56 ipv4 laptop 1733405000 c0a8012a 32 192.168.1.42/32
//
// The hostname is "-" when there is none and escapes odd bytes as \xNN;
// the expiry is -1 for a lease that never ends and 0 for an expired one
// (left out).
func parseOdhcpdLeases(file string, data []byte, max int) ([]Lease, error) {
	var out []Lease
	for n, line := range lines(string(data)) {
		rest, ok := strings.CutPrefix(line, "# ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 7 {
			return out, malformed(file, n, "want at least 7 fields, got %d", len(f))
		}
		exp, err := parseInt(f[4])
		if err != nil || exp < -1 {
			return out, malformed(file, n, "expiry %q", f[4])
		}
		if exp == 0 {
			continue
		}
		if exp == -1 {
			exp = 0
		}
		if len(out) >= max {
			return out, malformed(file, n, "%w: more than %d leases", errTooMany, maxLeases)
		}
		if !ValidInterfaceName(f[0]) {
			return out, malformed(file, n, "interface %q", f[0])
		}
		l := Lease{Source: "odhcpd", Interface: strings.Clone(f[0]), Expires: exp, Hostname: leaseHostname(unescapeHex(f[3]))}
		if f[2] == "ipv4" {
			l.Family, l.MAC = "ipv4", ownLower(f[1])
		} else {
			l.Family, l.ClientID, l.IAID = "ipv6", hexPairs(f[1]), strings.Clone(f[2])
		}
		for _, a := range f[7:] {
			p, err := netip.ParsePrefix(a)
			if err != nil {
				return out, malformed(file, n, "address: %w", err)
			}
			l.Addresses = append(l.Addresses, p.String())
		}
		if len(l.Addresses) == 0 {
			continue // a lease whose addresses all lapsed
		}
		l.IP, _, _ = strings.Cut(l.Addresses[0], "/")
		if l.Family == "ipv4" {
			l.Addresses = nil
		}
		out = append(out, l)
	}
	return out, nil
}

// ownLower is strings.ToLower(s) in memory of its own: ToLower gives s
// back when it has no upper case, and a lease, which the board keeps
// until its file changes and a plugin may keep longer, must not hold on
// to the text of the whole file.
func ownLower(s string) string {
	l := strings.ToLower(s)
	if l == s {
		return strings.Clone(s)
	}
	return l
}

// leaseHostname maps "*" and "-" to "" and makes what the client sent
// safe to show: at most maxHostname bytes of valid UTF-8 without control
// characters, in memory of its own (see ownLower).
func leaseHostname(s string) string {
	if s == "*" || s == "-" {
		return ""
	}
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
	if len(s) > maxHostname {
		s = strings.ToValidUTF8(s[:maxHostname], "")
	}
	return strings.Clone(s)
}

// starEmpty maps "*" to "".
func starEmpty(s string) string {
	if s == "*" {
		return ""
	}
	return strings.Clone(s)
}

// unescapeHex undoes odhcpd's \xNN escapes.
func unescapeHex(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hexPairs writes a hex string such as a DUID as colon-separated pairs,
// the way dnsmasq writes client ids.
func hexPairs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(s[i:min(i+2, len(s))])
	}
	return strings.ToLower(b.String())
}
