package core

import (
	"cmp"
	"errors"
	"io/fs"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/web"
)

// networkTTL is how long the Network view is reused: the page reloads and
// the chart sampler asks every 15 s, a reload storm reads the board once.
const networkTTL = 5 * time.Second

// maxNetworkClients bounds the clients the view lists (the readers each
// allow 1024): a page of a few hundred devices stays readable and small.
const maxNetworkClients = 256

// networkCache keeps the newest Network view for networkTTL. Callers
// that arrive while it is read wait for that read instead of starting
// their own.
type networkCache struct {
	mu sync.Mutex
	at time.Time
	n  web.Network
}

// get returns the cached view, reading bd when it is older than
// networkTTL.
func (c *networkCache) get(bd *board.Board, now time.Time) web.Network {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() || now.Sub(c.at) >= networkTTL || now.Before(c.at) {
		c.n, c.at = networkView(bd, now), now
	}
	n := c.n
	n.Clients = slices.Clone(n.Clients)
	n.Radios = slices.Clone(n.Radios)
	n.Problems = slices.Clone(n.Problems)
	n.WAN.Addresses = slices.Clone(n.WAN.Addresses)
	return n
}

// Network reads the board directly (no plugin is involved): the uplink,
// the DHCP leases, the Wi-Fi interfaces and stations, and the per-client
// conntrack sums, cached for networkTTL.
func (b *backend) Network() web.Network {
	n := b.net.get(b.m.board, b.m.clock.Now())
	// The probe's last round is kept by the board and cheap to read: not
	// cached with the rest, so the page shows each round as it ends.
	if p, err := b.m.board.WANProbe(); err == nil && p.Target != "" {
		n.WAN.Probe = &web.WANProbe{Target: p.Target, RTTSeconds: p.RTTAvg, Loss: p.LossRatio}
	}
	return n
}

// networkView reads bd into the Network view at time now. A client is
// keyed by MAC where a lease or station gives one (a station is matched
// to its lease by MAC) and by IP otherwise (tracked flows are matched to
// a lease by IP). A source that cannot be read is named in Problems;
// having no Wi-Fi at all is not a problem, the radios are just empty.
func networkView(bd *board.Board, now time.Time) web.Network {
	n := web.Network{Time: now, Clients: []web.NetworkClient{}, Radios: []web.NetworkRadio{}, Problems: []string{}}
	problem := func(what string, err error) {
		if err != nil {
			n.Problems = append(n.Problems, what+": "+err.Error())
		}
	}

	wan, err := bd.WAN()
	problem("uplink", err)
	n.WAN = web.NetworkWAN{Interface: cmp.Or(wan.Interface, wan.Interface6), Gateway: cmp.Or(wan.Gateway, wan.Gateway6),
		Up: wan.Up, OperState: wan.OperState, Addresses: wan.Addresses}
	if n.WAN.Addresses == nil {
		n.WAN.Addresses = []string{}
	}

	var (
		byMAC = map[string]int{}
		byIP  = map[string]int{}
		names = map[string]int{}
		full  bool
	)
	add := func(c web.NetworkClient) int {
		if len(n.Clients) >= maxNetworkClients {
			full = true
			return -1
		}
		n.Clients = append(n.Clients, c)
		i := len(n.Clients) - 1
		if c.MAC != "" {
			byMAC[c.MAC] = i
		}
		if c.IP != "" {
			byIP[c.IP] = i
		}
		if _, ok := names[strings.ToLower(c.Name)]; c.Name != "" && !ok {
			names[strings.ToLower(c.Name)] = i
		}
		return i
	}

	leases, err := bd.DHCPLeases()
	problem("DHCP leases", err)
	for _, l := range leases { // IPv4 leases first: they carry the MAC
		if l.Family != "ipv4" {
			continue
		}
		c := web.NetworkClient{Name: l.Hostname, IP: l.IP, MAC: l.MAC}
		if l.Expires > 0 {
			c.LeaseExpires = time.Unix(l.Expires, 0).UTC()
		}
		if i, ok := byMAC[l.MAC]; ok && l.MAC != "" {
			n.Clients[i].Name = cmp.Or(n.Clients[i].Name, c.Name) // a second IPv4 lease of one device
			continue
		}
		add(c)
	}
	for _, l := range leases { // DHCPv6: a device already listed by name gets its flows, not a row
		if _, ok := byIP[l.IP]; l.Family != "ipv6" || ok {
			continue
		}
		if i, ok := names[strings.ToLower(l.Hostname)]; ok && l.Hostname != "" {
			byIP[l.IP] = i
			continue
		}
		c := web.NetworkClient{Name: l.Hostname, IP: l.IP}
		if l.Expires > 0 {
			c.LeaseExpires = time.Unix(l.Expires, 0).UTC()
		}
		add(c)
	}

	ifs, err := bd.WifiInterfaces()
	if !noWifi(err) {
		problem("Wi-Fi interfaces", err)
	}
	band := map[string]string{}
	radio := map[string]int{}
	for _, w := range ifs {
		band[w.Name] = web.BandOf(w.FrequencyMHz)
		radio[w.Name] = len(n.Radios)
		n.Radios = append(n.Radios, web.NetworkRadio{Name: w.Name, Phy: w.Phy, Mode: w.Mode, SSID: w.SSID,
			Channel: w.Channel, FrequencyMHz: w.FrequencyMHz, Band: band[w.Name], ChannelWidthMHz: w.ChannelWidthMHz,
			TxPowerDBm: w.TxPowerDBm, NoiseDBm: w.NoiseDBm})
	}
	if len(ifs) > 0 {
		stations, err := bd.WifiStations()
		problem("Wi-Fi stations", err)
		for _, st := range stations {
			if r, ok := radio[st.Interface]; ok {
				n.Radios[r].Stations++
			}
			i, ok := byMAC[st.MAC]
			if !ok {
				if i = add(web.NetworkClient{MAC: st.MAC}); i < 0 {
					continue
				}
			}
			c := &n.Clients[i]
			c.Interface, c.Band = st.Interface, band[st.Interface]
			c.SignalDBm = st.SignalDBm
			if st.SignalAvgDBm != nil {
				c.SignalDBm = st.SignalAvgDBm
			}
			c.ConnectedSince = now.Add(-time.Duration(st.ConnectedSeconds) * time.Second).Truncate(time.Second)
		}
	}

	lan, err := bd.LANPrefixes()
	problem("LAN prefixes", err)
	tr, err := bd.ClientTraffic(lan)
	problem("per-client traffic", err)
	n.Accounting = tr.Accounting
	for _, ct := range tr.Clients {
		i, ok := byIP[ct.IP]
		if !ok {
			if i = add(web.NetworkClient{IP: ct.IP}); i < 0 {
				continue
			}
		}
		c := &n.Clients[i]
		c.RxBytes += ct.RxBytes // a device's IPv4 and IPv6 flows add up
		c.TxBytes += ct.TxBytes
		c.Flows += ct.Flows
	}
	if full {
		n.Problems = append(n.Problems, "clients: more than "+strconv.Itoa(maxNetworkClients)+" devices; the rest are not listed")
	}

	slices.SortStableFunc(n.Clients, func(a, b web.NetworkClient) int {
		if (a.Name == "") != (b.Name == "") {
			if a.Name == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return compareIP(a.IP, b.IP)
	})
	return n
}

// noWifi reports whether err only says the board has no Wi-Fi (no
// nl80211 driver, or a fixture without captures).
func noWifi(err error) bool {
	return errors.Is(err, board.ErrNoWifi) || errors.Is(err, fs.ErrNotExist)
}

// compareIP orders addresses numerically (IPv4 before IPv6), and what is
// not an address after them by its text.
func compareIP(a, b string) int {
	pa, errA := netip.ParseAddr(a)
	pb, errB := netip.ParseAddr(b)
	switch {
	case errA == nil && errB == nil:
		return pa.Compare(pb)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}
