package core

import (
	"cmp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/board"
)

// TestNetworkView reads fixture boards into the Network view: a router
// with leases, Wi-Fi and conntrack, a router without Wi-Fi or leases, a
// PC, and an empty tree (every source missing: an empty view with its
// reasons, never a failure).
func TestNetworkView(t *testing.T) {
	now := time.Date(2024, 12, 5, 15, 0, 0, 0, time.UTC)
	type client struct {
		name, ip, mac, band string
		signal              int // 0: none
		rx                  uint64
		since               time.Time
	}
	cases := []struct {
		root          string
		wanIf, gw     string
		up            bool
		clients       []client
		radios        []string // "ssid band channel stations"
		accounting    bool
		problems      []string // fragments, in order
		emptyProblems bool
	}{
		{
			root: "openwrt-mt7621", wanIf: "wan", gw: "198.51.100.1", up: true,
			clients: []client{
				// IPv4 lease + station on 5 GHz (matched by MAC) + its IPv4 and
				// IPv6 flows (the IPv6 lease names the same host).
				{"laptop-anna", "192.168.1.23", "00:00:5e:00:53:a1", "5 GHz", -48, 3528144 + 12033122, now.Add(-14433 * time.Second)},
				{"Pixel'7", "fd12:3456:789a:3::e0", "", "", 0, 104, time.Time{}},
				{"Pixel-7", "192.168.3.101", "00:00:5e:00:53:b1", "", 0, 336, time.Time{}},
				{"printer", "192.168.1.2", "00:00:5e:00:53:a3", "2.4 GHz", -80, 0, now.Add(-72 * time.Hour)},
				{"", "192.168.1.47", "00:00:5e:00:53:a2", "2.4 GHz", -57, 347, now.Add(-7211 * time.Second)},
				{"", "fd12:3456:789a::91c", "", "", 0, 0, time.Time{}},
			},
			radios:        []string{"Heimnetz 2.4 GHz 6 2", "Heimnetz 5 GHz 36 1"},
			accounting:    true,
			emptyProblems: true,
		},
		{
			root: "openwrt-ath79", wanIf: "eth1", gw: "100.64.0.1", up: true,
			problems: []string{"DHCP leases: ", "per-client traffic: "},
		},
		{
			root: "debian-x86", wanIf: "enp1s0", gw: "192.0.2.1", up: true,
			problems: []string{"DHCP leases: ", "per-client traffic: "},
		},
		{
			root:     "", // an empty tree
			problems: []string{"uplink: ", "DHCP leases: ", "LAN prefixes: ", "per-client traffic: "},
		},
	}
	for _, c := range cases {
		t.Run(cmp.Or(c.root, "empty tree"), func(t *testing.T) {
			root := t.TempDir()
			if c.root != "" {
				root = "../../../board/testdata/" + c.root
			}
			bd, err := board.New(root)
			if err != nil {
				t.Fatal(err)
			}
			n := networkView(bd, now)
			if n.WAN.Interface != c.wanIf || n.WAN.Gateway != c.gw || n.WAN.Up != c.up || n.WAN.Probe != nil {
				t.Errorf("WAN = %+v, want %s via %s up=%v, no probe", n.WAN, c.wanIf, c.gw, c.up)
			}
			if len(n.Clients) != len(c.clients) {
				t.Errorf("%d clients, want %d: %+v", len(n.Clients), len(c.clients), n.Clients)
			}
			for i, w := range c.clients[:min(len(c.clients), len(n.Clients))] {
				g := n.Clients[i]
				signal := 0
				if g.SignalDBm != nil {
					signal = *g.SignalDBm
				}
				if g.Name != w.name || g.IP != w.ip || g.MAC != w.mac || g.Band != w.band || signal != w.signal || g.RxBytes != w.rx || !g.ConnectedSince.Equal(w.since) {
					t.Errorf("client %d = %+v (signal %d), want %+v", i, g, signal, w)
				}
			}
			var radios []string
			for _, r := range n.Radios {
				radios = append(radios, r.SSID+" "+r.Band+" "+strconv.Itoa(r.Channel)+" "+strconv.Itoa(r.Stations))
			}
			if strings.Join(radios, "|") != strings.Join(c.radios, "|") {
				t.Errorf("radios %q, want %q", radios, c.radios)
			}
			if n.Accounting != c.accounting {
				t.Errorf("accounting %v, want %v", n.Accounting, c.accounting)
			}
			if c.emptyProblems && len(n.Problems) != 0 {
				t.Errorf("problems %q, want none", n.Problems)
			}
			for _, p := range n.Problems {
				if strings.Contains(p, "Wi-Fi") {
					t.Errorf("no Wi-Fi is reported as a problem: %q", p)
				}
			}
			got := strings.Join(n.Problems, "\n")
			for _, want := range c.problems {
				i := strings.Index(got, want)
				if i < 0 {
					t.Errorf("problems lack %q:\n%s", want, strings.Join(n.Problems, "\n"))
					continue
				}
				got = got[i+len(want):]
			}
		})
	}
}

// TestNetworkCache checks that the view is read once per networkTTL and
// that callers cannot change the cached copy.
func TestNetworkCache(t *testing.T) {
	bd, err := board.New("../../../board/testdata/openwrt-mt7621")
	if err != nil {
		t.Fatal(err)
	}
	var c networkCache
	t0 := time.Date(2024, 12, 5, 15, 0, 0, 0, time.UTC)
	a := c.get(bd, t0)
	a.Clients[0].Name = "changed"
	b := c.get(bd, t0.Add(networkTTL-time.Second))
	if !b.Time.Equal(t0) || b.Clients[0].Name != "laptop-anna" {
		t.Errorf("within the TTL: time %v name %q, want the cached %v laptop-anna", b.Time, b.Clients[0].Name, t0)
	}
	if d := c.get(bd, t0.Add(networkTTL)); !d.Time.Equal(t0.Add(networkTTL)) {
		t.Errorf("after the TTL: time %v, want a fresh read", d.Time)
	}
}

// BenchmarkNetworkView is the cost of one uncached Network view of the
// openwrt-mt7621 fixture (the cache reuses it for networkTTL).
func BenchmarkNetworkView(b *testing.B) {
	bd, err := board.New("../../../board/testdata/openwrt-mt7621")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		networkView(bd, now)
	}
}

// TestNetworkShowsProbe: the Network view carries the WAN probe's last
// round once there is one, and none before.
func TestNetworkShowsProbe(t *testing.T) {
	h := newHarness(t, nil)
	if p := h.b.Network().WAN.Probe; p != nil {
		t.Fatalf("probe before any round: %+v", p)
	}
	h.m.board.SetWANProbe(board.WANProbe{Target: "192.0.2.1", LossRatio: 1.0 / 3, PingResult: board.PingResult{RTTAvg: 0.012}})
	p := h.b.Network().WAN.Probe
	if p == nil || p.Target != "192.0.2.1" || p.RTTSeconds != 0.012 || p.Loss != 1.0/3 {
		t.Errorf("probe %+v, want the last round's target, mean RTT and loss", p)
	}
}
