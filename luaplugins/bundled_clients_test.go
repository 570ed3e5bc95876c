package luaplugins

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/board"
)

// The bundled plugins that read the clients module (wifi-stations,
// dhcp-leases, nat-traffic): their output in each client identity
// setting, as clients come and go, and at the bounds they keep to.

// fewerStations is a board whose Wi-Fi stations after the first read are
// the first n of the fixture's: the others have left.
type fewerStations struct {
	*board.Board
	reads, n int
}

func (b *fewerStations) WifiStations() ([]board.WifiStation, error) {
	ss, err := b.Board.WifiStations()
	if b.reads++; b.reads > 1 {
		ss = ss[:b.n]
	}
	return ss, err
}

// TestBundledWifiStationsIdentity runs wifi-stations in the three client
// identity settings: the mac label is the MAC, its keyed hash (the value
// TestClientIdentity fixes), or absent with only the counts exported.
func TestBundledWifiStationsIdentity(t *testing.T) {
	for _, tt := range []struct {
		name   string
		id     Identity
		laptop string // the 5 GHz laptop's signal series
		series int
	}{
		{"exposed", Identity{Expose: true}, "wifi_station_signal_dbm{ifname=phy1-ap0,mac=00:00:5e:00:53:a1} -47", 2 + 3*9},
		{"hashed", Identity{Key: []byte("heimnetz-test-key")}, "wifi_station_signal_dbm{ifname=phy1-ap0,mac=h:a5a789023675} -47", 2 + 3*9},
		{"removed", Identity{}, "", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := runBundled(t, "wifi-stations", bundledFixture(t, "wifi-stations"), tt.id, 2)
			got := seriesText(p)
			if len(got) != tt.series || tt.laptop != "" && !slices.Contains(got, tt.laptop) ||
				!slices.Contains(got, "wifi_stations{ifname=phy0-ap0} 2") {
				t.Errorf("got %d series, want %d with %q:\n%s", len(got), tt.series, tt.laptop, strings.Join(got, "\n"))
			}
			for _, s := range got {
				if strings.Contains(s, "mac=00:") && !tt.id.Expose {
					t.Errorf("a MAC address in %s", s)
				}
			}
		})
	}
}

// TestBundledWifiStationsLeave: the series of a station that left are
// deleted and the counts follow.
func TestBundledWifiStationsLeave(t *testing.T) {
	b := &fewerStations{Board: bundledFixture(t, "wifi-stations"), n: 2}
	p, _ := runBundled(t, "wifi-stations", b, Identity{Expose: true}, 2)
	got := strings.Join(seriesText(p), "\n")
	if strings.Contains(got, "00:00:5e:00:53:a1") || !strings.Contains(got, "wifi_stations{ifname=phy1-ap0} 0") ||
		!strings.Contains(got, "wifi_station_transmit_bytes_total{ifname=phy0-ap0,mac=00:00:5e:00:53:a2} 921033441") || p.Metrics().Series() != 2+2*9 {
		t.Errorf("after the laptop left (%d series):\n%s", p.Metrics().Series(), got)
	}
}

// manyStations is a board with n stations on the first interface, made
// from the fixture's first.
type manyStations struct {
	*board.Board
	n int
}

func (b *manyStations) WifiStations() ([]board.WifiStation, error) {
	ss, err := b.Board.WifiStations()
	if err != nil {
		return nil, err
	}
	out := make([]board.WifiStation, b.n)
	for i := range out {
		out[i] = ss[0]
		out[i].MAC = fmt.Sprintf("00:00:5e:00:54:%02x", i)
	}
	return out, nil
}

// TestBundledWifiStationsAtItsBound: with more stations than it gives
// series to, wifi-stations runs under half its manifest's limits (which
// are sized for this case) and its series limit, and counts them all.
func TestBundledWifiStationsAtItsBound(t *testing.T) {
	src := halfLimits(t, "wifi-stations")
	p, stats := runSource(t, src, &manyStations{Board: bundledFixture(t, "wifi-stations"), n: 60}, Identity{Key: []byte("k")}, 5)
	lim := src.Manifest.Limits
	var instr, mem int64
	for _, st := range stats {
		instr, mem = max(instr, st.Instructions), max(mem, st.PeakMemory)
	}
	t.Logf("60 stations: %d series, %d instructions (half limit %d), %d bytes peak (half limit %d)", p.Metrics().Series(), instr, lim.Instructions, mem, lim.Memory)
	if got := seriesText(p); !slices.Contains(got, "wifi_stations{ifname=phy0-ap0} 60") || p.Metrics().Series() != 2+40*9 {
		t.Errorf("%d series", p.Metrics().Series())
	}
}

// TestBundledDHCPLeasesIdentity runs dhcp-leases in the three client
// identity settings.
func TestBundledDHCPLeasesIdentity(t *testing.T) {
	for _, tt := range []struct {
		name  string
		id    Identity
		anna  string // the laptop's IPv4 lease
		annaV string // its DHCPv6 lease
	}{
		{"exposed", Identity{Expose: true},
			"heimnetz_dhcp_lease_info{family=ipv4,hostname=laptop-anna,ip=192.168.1.23,mac=00:00:5e:00:53:a1,source=dnsmasq} 1",
			"heimnetz_dhcp_lease_info{family=ipv6,hostname=laptop-anna,ip=fd12:3456:789a::4a,source=odhcpd} 1"},
		{"hashed", Identity{Key: []byte("heimnetz-test-key")},
			"heimnetz_dhcp_lease_info{family=ipv4,ip=192.168.1.23,mac=h:a5a789023675,source=dnsmasq} 1",
			"heimnetz_dhcp_lease_info{family=ipv6,ip=fd12:3456:789a::4a,source=odhcpd} 1"},
		{"removed", Identity{},
			"heimnetz_dhcp_lease_info{family=ipv4,ip=192.168.1.23,source=dnsmasq} 1",
			"heimnetz_dhcp_lease_info{family=ipv6,ip=fd12:3456:789a::4a,source=odhcpd} 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := runBundled(t, "dhcp-leases", bundledFixture(t, "dhcp-leases"), tt.id, 2)
			got := seriesText(p)
			if len(got) != 2+7 || !slices.Contains(got, tt.anna) || !slices.Contains(got, tt.annaV) ||
				!slices.Contains(got, "heimnetz_dhcp_leases{family=ipv4} 4") || !slices.Contains(got, "heimnetz_dhcp_leases{family=ipv6} 3") {
				t.Errorf("got %d series, want 9 with\n%s\n%s:\n%s", len(got), tt.anna, tt.annaV, strings.Join(got, "\n"))
			}
			for _, s := range got {
				if !tt.id.Expose && (strings.Contains(s, "mac=00:") || strings.Contains(s, "hostname=")) {
					t.Errorf("an identity in %s", s)
				}
			}
		})
	}
}

// fewerLeases is a board whose leases after the first read are the
// first n of the fixture's.
type fewerLeases struct {
	*board.Board
	reads, n int
}

func (b *fewerLeases) DHCPLeases() ([]board.Lease, error) {
	ls, err := b.Board.DHCPLeases()
	if b.reads++; b.reads > 1 {
		ls = ls[:b.n]
	}
	return ls, err
}

// TestBundledDHCPLeasesEnd: an ended lease's series is deleted.
func TestBundledDHCPLeasesEnd(t *testing.T) {
	p, _ := runBundled(t, "dhcp-leases", &fewerLeases{Board: bundledFixture(t, "dhcp-leases"), n: 3}, Identity{Key: []byte("k")}, 2)
	got := strings.Join(seriesText(p), "\n")
	if p.Metrics().Series() != 2+3 || strings.Contains(got, "192.168.3.101") || !strings.Contains(got, "heimnetz_dhcp_leases{family=ipv6} 0") {
		t.Errorf("after four leases ended:\n%s", got)
	}
}

// manyLeases is a board with n IPv4 leases made from the fixture's first.
type manyLeases struct {
	*board.Board
	n int
}

func (b *manyLeases) DHCPLeases() ([]board.Lease, error) {
	ls, err := b.Board.DHCPLeases()
	if err != nil {
		return nil, err
	}
	out := make([]board.Lease, b.n)
	for i := range out {
		out[i] = ls[0]
		out[i].IP = fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)
		out[i].MAC = fmt.Sprintf("00:00:5e:00:%02x:%02x", i/256, i%256)
	}
	return out, nil
}

// TestBundledDHCPLeasesAtItsBound: with the board's most leases (1024),
// dhcp-leases exports 200 and counts all under half its manifest's
// limits.
func TestBundledDHCPLeasesAtItsBound(t *testing.T) {
	src := halfLimits(t, "dhcp-leases")
	p, stats := runSource(t, src, &manyLeases{Board: bundledFixture(t, "dhcp-leases"), n: 1024}, Identity{Key: []byte("k")}, 5)
	lim := src.Manifest.Limits
	var instr, mem int64
	for _, st := range stats {
		instr, mem = max(instr, st.Instructions), max(mem, st.PeakMemory)
	}
	t.Logf("1024 leases: %d series, %d instructions (half limit %d), %d bytes peak (half limit %d)", p.Metrics().Series(), instr, lim.Instructions, mem, lim.Memory)
	if got := seriesText(p); !slices.Contains(got, "heimnetz_dhcp_leases{family=ipv4} 1024") || p.Metrics().Series() != 2+200 {
		t.Errorf("%d series", p.Metrics().Series())
	}
}

// manyClients is a board whose conntrack table has n LAN clients.
type manyClients struct {
	*board.Board
	n, reads int
}

func (b *manyClients) ClientTraffic(lan []netip.Prefix) (board.Traffic, error) {
	t := board.Traffic{Accounting: true}
	b.reads++
	for i := range b.n {
		t.Clients = append(t.Clients, board.ClientTraffic{IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1),
			TxBytes: uint64(i * b.reads), RxBytes: uint64(1000 * i), Flows: 1})
	}
	return t, nil
}

// TestBundledNATTrafficAtItsBound: with the board's most clients (1024),
// nat-traffic gives series to the 64 busiest under half its limits, and
// drops those that fall out of the 64.
func TestBundledNATTrafficAtItsBound(t *testing.T) {
	src := halfLimits(t, "nat-traffic")
	p, stats := runSource(t, src, &manyClients{Board: bundledFixture(t, "nat-traffic"), n: 1024}, Identity{}, 5)
	lim := src.Manifest.Limits
	var instr, mem int64
	for _, st := range stats {
		instr, mem = max(instr, st.Instructions), max(mem, st.PeakMemory)
	}
	t.Logf("1024 clients: %d series, %d instructions (half limit %d), %d bytes peak (half limit %d)", p.Metrics().Series(), instr, lim.Instructions, mem, lim.Memory)
	got := seriesText(p)
	if p.Metrics().Series() != 1+64*4 || !slices.Contains(got, "heimnetz_client_flows{ip=10.0.4.24} 1") || slices.Contains(got, "heimnetz_client_flows{ip=10.0.0.1} 1") {
		t.Errorf("%d series:\n%s", len(got), strings.Join(got, "\n"))
	}
}
