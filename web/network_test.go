package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// Network returns the fake's network: b.network when a test set one,
// else sampleNetwork.
func (b *memBackend) Network() Network {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.network == nil {
		return sampleNetwork(b.now())
	}
	n := *b.network
	n.Clients = slices.Clone(n.Clients)
	n.Radios = slices.Clone(n.Radios)
	return n
}

func intp(v int) *int           { return &v }
func floatp(v float64) *float64 { return &v }

// sampleNetwork is a small home network: a laptop on 5 GHz, a phone on
// 2.4 GHz with a weak signal, a wired printer and a device without a
// lease, behind an uplink that is up, with no probe configured.
func sampleNetwork(now time.Time) Network {
	return Network{
		Time: now,
		WAN: NetworkWAN{Interface: "wan", Gateway: "192.0.2.1", Up: true, OperState: "up",
			Addresses: []string{"192.0.2.77/24"}},
		Clients: []NetworkClient{
			{Name: "laptop-anna", IP: "192.168.1.23", MAC: "00:00:5e:00:53:a1", Interface: "phy1-ap0", Band: "5 GHz",
				SignalDBm: intp(-58), RxBytes: 5 << 20, TxBytes: 1 << 20, Flows: 12, ConnectedSince: now.Add(-2 * time.Hour)},
			{Name: "Pixel-7", IP: "192.168.3.101", MAC: "00:00:5e:00:53:b1", Interface: "phy0-ap0", Band: "2.4 GHz",
				SignalDBm: intp(-79), RxBytes: 300 << 10, TxBytes: 40 << 10, Flows: 3, ConnectedSince: now.Add(-20 * time.Minute)},
			{Name: "printer", IP: "192.168.1.2", MAC: "00:00:5e:00:53:a3", LeaseExpires: now.Add(90*time.Minute + 30*time.Second)},
			{IP: "192.168.1.47", MAC: "00:00:5e:00:53:a2", RxBytes: 1000, TxBytes: 500, Flows: 1},
		},
		Radios: []NetworkRadio{
			{Name: "phy0-ap0", Phy: "phy0", Mode: "ap", SSID: "Heimnetz", Channel: 6, FrequencyMHz: 2437, Band: "2.4 GHz",
				ChannelWidthMHz: 20, TxPowerDBm: floatp(20), NoiseDBm: intp(-92), Stations: 1},
			{Name: "phy1-ap0", Phy: "phy1", Mode: "ap", SSID: "Heimnetz", Channel: 36, FrequencyMHz: 5180, Band: "5 GHz",
				ChannelWidthMHz: 80, TxPowerDBm: floatp(23), NoiseDBm: intp(-95), Stations: 1},
		},
		Accounting: true,
	}
}

// TestNetworkPage loads /network and the overview over the fake's
// networks: the sample, an empty one (no leases, no Wi-Fi, no uplink, as
// on a host that is not a router), a probe's figures and hostile names.
func TestNetworkPage(t *testing.T) {
	u := func(s string) string { return strings.ReplaceAll(s, "~", unitSep) }
	cases := []struct {
		name    string
		network func(now time.Time) *Network // nil: the sample
		path    string
		want    []string
		wantNot []string
	}{
		{
			name: "sample network",
			path: "/network",
			want: []string{
				`<a href="/network" aria-current="page">Network</a>`,
				`<span class="badge state-running">up</span>`, "wan via 192.0.2.1", "192.0.2.77/24",
				`<span class="muted">no probe configured</span>`,
				"<b>laptop-anna</b>", "192.168.1.23 · 00:00:5e:00:53:a1",
				`<dd class="sig-good">5 GHz · -58~dBm</dd>`, `<dd class="sig-weak">2.4 GHz · -79~dBm</dd>`,
				"<dt>Connected</dt><dd>2~h", "<b>192.168.1.47</b>", "<dt>Link</dt><dd>wired or unknown</dd>", "<dt>Lease ends in</dt><dd>1~h 30~min</dd>",
				"<b>Heimnetz</b>", "<dt>Channel</dt><dd>36 · 80~MHz</dd>", "<dt>Noise</dt><dd>-95~dBm</dd>", "<dt>Tx power</dt><dd>23~dBm</dd>",
				`Devices <span class="muted small">4</span>`,
			},
			wantNot: []string{"No Wi-Fi", "No devices seen", "accounting is off", "Not read"},
		},
		{
			name: "empty network: no leases, no Wi-Fi, no uplink",
			network: func(time.Time) *Network {
				return &Network{Problems: []string{"no DHCP leases: open /tmp/dhcp.leases: no such file"}}
			},
			path: "/network",
			want: []string{
				"No Wi-Fi on this router", "No devices seen", `<span class="badge state-disabled">no uplink</span>`,
				"no default route", "no probe configured", "Not read (1)", "/tmp/dhcp.leases: no such file",
			},
			wantNot: []string{`class="clients"`, `class="radios"`},
		},
		{
			name: "probe figures and a down uplink",
			network: func(now time.Time) *Network {
				n := sampleNetwork(now)
				n.WAN.Up, n.WAN.OperState = false, "down"
				n.WAN.Probe = &WANProbe{Target: "192.0.2.1", RTTSeconds: 0.0123, Loss: 0.25}
				n.Accounting = false
				return &n
			},
			path: "/network",
			want: []string{`<span class="badge state-failed">down</span>`, "12.3~ms · 25.0~% loss", "to 192.0.2.1", "accounting is off"},
		},
		{
			name: "hostile names are escaped",
			network: func(now time.Time) *Network {
				n := sampleNetwork(now)
				n.Clients[0].Name = `<script>alert(1)</script>`
				n.Radios[0].SSID = `"><img src=x>`
				return &n
			},
			path:    "/network",
			want:    []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x&gt;"},
			wantNot: []string{"<script>alert", `"><img src=x`},
		},
		{
			name: "overview summary card links to the page",
			path: "/",
			want: []string{`<h2><a href="/network">Network →</a></h2>`, "<dt>Devices</dt><dd>4 · 2 on Wi-Fi</dd>",
				"Heimnetz <span class=\"muted small\">2.4 GHz</span>", "<h2>Interfaces</h2>"},
		},
		{
			name:    "overview summary of an empty network",
			network: func(time.Time) *Network { return &Network{} },
			path:    "/",
			want:    []string{`<dt>Wi-Fi</dt><dd><span class="muted">no Wi-Fi</span></dd>`, "<dt>Devices</dt><dd>0</dd>", "no uplink"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			if c.network != nil {
				e.b.mu.Lock()
				e.b.network = c.network(time.Now())
				e.b.mu.Unlock()
			}
			r := e.get(c.path)
			if r.code != 200 {
				t.Fatalf("GET %s = %d", c.path, r.code)
			}
			for _, w := range c.want {
				if !strings.Contains(r.body, u(w)) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(r.body, u(w)) {
					t.Errorf("holds %q", w)
				}
			}
			if t.Failed() {
				t.Logf("page:\n%s", r.body)
			}
		})
	}
}

// TestNetworkSparklines checks that two history samples give each client
// a rate and a drawn sparkline on the page and in the API.
func TestNetworkSparklines(t *testing.T) {
	e := newTestEnv(t)
	now := time.Now()
	n := sampleNetwork(now)
	e.srv.clients.add(now, &n)
	n.Clients[0].RxBytes += 150_000
	n.Clients[0].TxBytes += 15_000
	e.srv.clients.add(now.Add(15*time.Second), &n)
	r := e.get("/network")
	if !strings.Contains(r.body, `<figcaption><span>Down</span><b>9.8`+unitSep+`KiB/s</b>`) {
		t.Errorf("laptop's down rate missing:\n%s", r.body)
	}
	if got := strings.Count(r.body, `<svg class="spark"`); got != 2*len(n.Clients) {
		t.Errorf("%d sparklines, want %d", got, 2*len(n.Clients))
	}
	var api Network
	e.get("/api/v1/network").json(t, &api)
	if got := api.Clients[0].RxBytesPerSecond; got != 10_000 {
		t.Errorf("API rx rate %v, want 10000", got)
	}
}

// TestNetworkAPI checks GET /api/v1/network: the fields, empty lists as
// [] (not null) and the methods and arguments it refuses.
func TestNetworkAPI(t *testing.T) {
	e := newTestEnv(t)
	var n Network
	r := e.get("/api/v1/network")
	r.json(t, &n)
	if r.code != 200 || len(n.Clients) != 4 || n.Clients[0].Name != "laptop-anna" || *n.Clients[0].SignalDBm != -58 ||
		len(n.Radios) != 2 || n.Radios[1].Band != "5 GHz" || !n.WAN.Up || n.WAN.Probe != nil {
		t.Fatalf("GET /api/v1/network = %d %+v", r.code, n)
	}
	if !strings.Contains(r.body, `"probe":null`) {
		t.Errorf("no probe is not null: %s", r.body)
	}
	e.b.mu.Lock()
	e.b.network = &Network{}
	e.b.mu.Unlock()
	r = e.get("/api/v1/network")
	for _, want := range []string{`"clients":[]`, `"radios":[]`, `"problems":[]`, `"addresses":[]`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("empty network lacks %s: %s", want, r.body)
		}
	}
	if r := e.do("POST", "/api/v1/network", ""); r.code != 405 {
		t.Errorf("POST = %d, want 405", r.code)
	}
	if r := e.get("/api/v1/network?x=1"); r.code != 400 {
		t.Errorf("unknown argument = %d, want 400", r.code)
	}
}

// TestNetworkBehindLogin checks that names and MACs stay behind the
// pages_require_login setting, as the other pages do.
func TestNetworkBehindLogin(t *testing.T) {
	e := newTestEnv(t)
	st := e.b.Settings()
	st.PagesRequireLogin = true
	e.srv.settings.Store(&st)
	for _, path := range []string{"/network", "/api/v1/network"} {
		r := e.get(path)
		if r.code == 200 || strings.Contains(r.body, "laptop-anna") || strings.Contains(r.body, "00:00:5e") {
			t.Errorf("GET %s without login = %d, shows clients", path, r.code)
		}
	}
	r := e.get("/api/v1/network", "Authorization: Bearer "+e.token)
	if r.code != 200 || !strings.Contains(r.body, "laptop-anna") {
		t.Errorf("GET /api/v1/network with token = %d", r.code)
	}
}

// TestClientHistoryBounded checks the per-client history's bound: past
// maxHistoryClients the client seen longest ago is dropped, a client
// unseen for the whole window is dropped, and rates never go negative.
func TestClientHistoryBounded(t *testing.T) {
	h := newClientHistory(4, 15*time.Second)
	t0 := time.Unix(1_700_000_000, 0)
	many := Network{}
	for i := range maxHistoryClients {
		many.Clients = append(many.Clients, NetworkClient{IP: fmt.Sprintf("192.168.1.%d", i+2), RxBytes: 1000})
	}
	h.add(t0, &many)
	newcomer := Network{Clients: []NetworkClient{many.Clients[1], {MAC: "00:00:5e:00:53:ff", RxBytes: 10}}}
	newcomer.Clients[0].RxBytes = 400 // flows ended: the sum went down
	h.add(t0.Add(15*time.Second), &newcomer)
	if got := h.len(); got != maxHistoryClients {
		t.Fatalf("%d clients tracked, want %d", got, maxHistoryClients)
	}
	if _, ok := h.client(&many.Clients[0]); ok {
		t.Errorf("the oldest client was kept")
	}
	if c, ok := h.client(&many.Clients[1]); !ok || c.RxBytesPerSecond[1] != 0 {
		t.Errorf("client whose sum went down: %+v %v, want rate 0", c, ok)
	}
	if _, ok := h.client(&newcomer.Clients[1]); !ok {
		t.Errorf("newcomer not tracked")
	}
	for i := 2; i < 8; i++ {
		h.add(t0.Add(time.Duration(i)*15*time.Second), &newcomer)
	}
	if got := h.len(); got != 2 {
		t.Errorf("%d clients tracked after the others left, want 2", got)
	}
}

func TestBandOf(t *testing.T) {
	cases := []struct {
		mhz  uint32
		want string
	}{{2412, "2.4 GHz"}, {2484, "2.4 GHz"}, {5180, "5 GHz"}, {5825, "5 GHz"}, {5955, "6 GHz"}, {58320, "60 GHz"}, {0, ""}, {900, ""}}
	for _, c := range cases {
		if got := BandOf(c.mhz); got != c.want {
			t.Errorf("BandOf(%d) = %q, want %q", c.mhz, got, c.want)
		}
	}
}

// TestNetworkPageWeight checks that a busy network's page stays light:
// maxHistoryClients devices with full histories, and more devices than
// that without.
func TestNetworkPageWeight(t *testing.T) {
	e := newTestEnv(t)
	now := time.Now()
	n := Network{WAN: NetworkWAN{Interface: "wan", Up: true}, Accounting: true, Radios: sampleNetwork(now).Radios}
	for i := range 100 {
		n.Clients = append(n.Clients, NetworkClient{Name: fmt.Sprintf("device-%02d.lan", i), IP: fmt.Sprintf("192.168.1.%d", i+2),
			MAC: fmt.Sprintf("00:00:5e:00:53:%02x", i), Band: "5 GHz", SignalDBm: intp(-60 - i%30), ConnectedSince: now.Add(-time.Hour)})
	}
	for s := range clientPoints {
		for i := range n.Clients {
			n.Clients[i].RxBytes += uint64((i + 1) * (s%7 + 1) * 12345)
			n.Clients[i].TxBytes += uint64((i + 1) * (s%5 + 1) * 1234)
		}
		e.srv.clients.add(now.Add(time.Duration(s-clientPoints)*15*time.Second), &n)
	}
	e.b.mu.Lock()
	e.b.network = &n
	e.b.mu.Unlock()
	r := e.get("/network")
	gz := e.get("/network", "Accept-Encoding: gzip")
	t.Logf("/network with %d devices (%d with history): %d bytes, %d gzipped", len(n.Clients), e.srv.clients.len(), len(r.body), len(gz.body))
	if got := e.srv.clients.len(); got != maxHistoryClients {
		t.Errorf("%d clients in the history, want %d", got, maxHistoryClients)
	}
	// The first maxHistoryClients devices kept their whole history; the
	// rest, never tracked, show no chart rather than evicting others.
	if got := strings.Count(r.body, `<svg class="spark"`); got != 2*maxHistoryClients {
		t.Errorf("%d sparklines, want %d", got, 2*maxHistoryClients)
	}
	if h, _ := e.srv.clients.client(&n.Clients[0]); len(h.RxBytesPerSecond) != clientPoints {
		t.Errorf("first device has %d points, want %d", len(h.RxBytesPerSecond), clientPoints)
	}
	if len(r.body) > 128<<10 || gz.header.Get("Content-Encoding") != "gzip" || len(gz.body) > 30<<10 {
		t.Errorf("/network is %d bytes, %d gzipped (%q), want ≤ 128 KiB and gzip ≤ 30 KiB", len(r.body), len(gz.body), gz.header.Get("Content-Encoding"))
	}
	for _, bad := range []string{"style=", "<script>", "onclick", "http://", "https://"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("/network holds %q", bad)
		}
	}
}

// TestNetworkHostileStrings pushes hostilePayload through every string of
// the network view (host names and SSIDs come from clients and
// neighbours) and checks the page, the overview and the API.
func TestNetworkHostileStrings(t *testing.T) {
	e := newTestEnv(t)
	n := sampleNetwork(time.Now())
	h := hostilePayload
	n.WAN.Interface, n.WAN.Gateway, n.WAN.Addresses = h, h, []string{h}
	n.WAN.Probe = &WANProbe{Target: h, RTTSeconds: 0.01}
	n.Problems = []string{h}
	for i := range n.Clients {
		c := &n.Clients[i]
		c.Name, c.IP, c.MAC, c.Interface, c.Band = h, h, h, h, h
	}
	n.Clients = append(n.Clients, NetworkClient{MAC: h}, NetworkClient{IP: h})
	for i := range n.Radios {
		r := &n.Radios[i]
		r.Name, r.Phy, r.Mode, r.SSID, r.Band = h, h, h, h, h
	}
	e.b.mu.Lock()
	e.b.network = &n
	e.b.mu.Unlock()
	e.srv.clients.add(time.Now(), &n)
	for _, path := range []string{"/network", "/"} {
		r := e.get(path)
		if r.code != 200 || !strings.Contains(r.body, escapedPayload) {
			t.Errorf("GET %s = %d, lacks the escaped payload", path, r.code)
		}
		for _, f := range hostileFragments {
			if strings.Contains(r.body, f) {
				t.Errorf("GET %s holds %q", path, f)
			}
		}
	}
	api := e.get("/api/v1/network")
	for _, f := range hostileJSONFragments {
		if strings.Contains(api.body, f) {
			t.Errorf("GET /api/v1/network holds %q", f)
		}
	}
	var back Network
	api.json(t, &back)
	const script = "<script>alert(1)</script>" // the JSON's own escapes decoded
	if !strings.HasPrefix(back.Clients[0].Name, script) || !strings.HasPrefix(back.Radios[0].SSID, script) {
		t.Errorf("API did not round-trip the names: %q %q", back.Clients[0].Name, back.Radios[0].SSID)
	}
}
