package web

import (
	"strconv"

	"github.com/valyala/fasthttp"
)

// clientChartPoints bounds the points of a client's sparkline: a page with
// dozens of devices stays small.
const clientChartPoints = 24

// networkPage serves /network: the uplink, the radios and every LAN
// client with a sparkline of its traffic.
func (s *Server) networkPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m)
	if !ok {
		return
	}
	n := s.b.Network()
	s.clients.fillRates(&n)
	d := s.newPageData(a, "Network", "network")
	s.fillHeader(&d)
	d.Refresh = 15
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { s.writeNetwork(w, d, &n) })
}

// apiNetwork serves GET /api/v1/network.
func (s *Server) apiNetwork(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") || !s.noArgs(ctx, m.route) {
		return
	}
	if _, ok := s.requireRead(ctx, m.route); !ok {
		return
	}
	n := s.b.Network()
	s.clients.fillRates(&n)
	if n.Clients == nil {
		n.Clients = []NetworkClient{}
	}
	if n.Radios == nil {
		n.Radios = []NetworkRadio{}
	}
	if n.Problems == nil {
		n.Problems = []string{}
	}
	if n.WAN.Addresses == nil {
		n.WAN.Addresses = []string{}
	}
	writeJSON(ctx, fasthttp.StatusOK, n)
}

// writeNetwork writes the Network page's content.
func (s *Server) writeNetwork(w htmlWriter, d *pageData, n *Network) {
	w.raw("\n<section class=\"cards\">\n")
	writeWANCard(w, &n.WAN)
	writeRadiosCard(w, n.Radios)
	w.raw("</section>\n\n<section>\n<h2 class=\"section\">Devices <span class=\"muted small\">")
	w.int(int64(len(n.Clients)))
	w.raw("</span></h2>\n")
	if len(n.Clients) == 0 {
		w.raw("<p class=\"card muted\">No devices seen: no DHCP leases, Wi-Fi stations or tracked connections from the LAN.</p>\n")
	} else {
		if !n.Accounting {
			w.raw("<p class=\"muted small\">Traffic is not counted: conntrack accounting is off (sysctl net.netfilter.nf_conntrack_acct=1 turns it on).</p>\n")
		}
		w.raw("<ul class=\"clients\">\n")
		for i := range n.Clients {
			s.writeClient(w, d, &n.Clients[i])
		}
		w.raw("</ul>\n")
	}
	w.raw("</section>\n")
	if len(n.Problems) > 0 {
		w.raw("<section>\n<details class=\"small muted\"><summary>Not read (")
		w.int(int64(len(n.Problems)))
		w.raw(")</summary>\n<ul>\n")
		for _, p := range n.Problems {
			w.raw(`<li class="msg">`)
			w.text(p)
			w.raw("</li>\n")
		}
		w.raw("</ul></details>\n</section>\n")
	}
}

// writeWANCard writes the uplink's state and the probe's figures.
func writeWANCard(w htmlWriter, wan *NetworkWAN) {
	w.raw("<article class=\"card\">\n<h2>Internet ")
	writeUpDown(w, wan)
	w.raw("</h2>\n<dl>\n<dt>Uplink</dt><dd>")
	if wan.Interface == "" {
		w.raw("no default route")
	} else {
		w.text(wan.Interface)
		if wan.Gateway != "" {
			w.raw(` via `)
			w.text(wan.Gateway)
		}
	}
	w.raw("</dd>\n")
	if len(wan.Addresses) > 0 {
		w.raw("<dt>Address</dt><dd>")
		for i, a := range wan.Addresses {
			if i > 0 {
				w.raw(`<br>`)
			}
			w.text(a)
		}
		w.raw("</dd>\n")
	}
	w.raw("<dt>Latency</dt><dd>")
	if p := wan.Probe; p == nil {
		w.raw(`<span class="muted">no probe configured</span>`)
	} else {
		if p.Loss < 1 {
			w.text(formatSeconds(p.RTTSeconds))
		} else {
			w.raw(`no answer`)
		}
		w.raw(` · `)
		w.text(formatPercent(100 * p.Loss))
		w.raw(` loss <span class="muted small">to `)
		w.text(p.Target)
		w.raw(`</span>`)
	}
	w.raw("</dd>\n</dl>\n</article>\n")
}

// writeUpDown writes the uplink's badge: up, down or none.
func writeUpDown(w htmlWriter, wan *NetworkWAN) {
	switch {
	case wan.Up:
		w.raw(`<span class="badge state-running">up</span>`)
	case wan.Interface == "":
		w.raw(`<span class="badge state-disabled">no uplink</span>`)
	default:
		w.raw(`<span class="badge state-failed">down</span>`)
	}
}

// writeRadiosCard writes the Wi-Fi interfaces, or says there are none.
func writeRadiosCard(w htmlWriter, radios []NetworkRadio) {
	w.raw("<article class=\"card\">\n<h2>Wi-Fi</h2>\n")
	if len(radios) == 0 {
		w.raw("<p class=\"muted\">No Wi-Fi on this router (no wireless interfaces reported).</p>\n</article>\n")
		return
	}
	w.raw("<ul class=\"radios\">\n")
	for i := range radios {
		r := &radios[i]
		w.raw(`<li><b>`)
		if r.SSID != "" {
			w.text(r.SSID)
		} else {
			w.raw(`<span class="muted">no SSID</span>`)
		}
		w.raw(`</b> <span class="muted small">`)
		w.text(r.Name)
		if r.Mode != "" && r.Mode != "ap" {
			w.raw(` · `)
			w.text(r.Mode)
		}
		w.raw("</span>\n<dl class=\"row\">")
		writeRowFact(w, "Band", r.Band)
		if r.Channel != 0 {
			ch := strconv.Itoa(r.Channel)
			if r.ChannelWidthMHz != 0 {
				ch += " · " + strconv.Itoa(r.ChannelWidthMHz) + unitSep + "MHz"
			}
			writeRowFact(w, "Channel", ch)
		}
		if r.TxPowerDBm != nil {
			writeRowFact(w, "Tx power", strconv.FormatFloat(*r.TxPowerDBm, 'f', -1, 64)+unitSep+"dBm")
		}
		if r.NoiseDBm != nil {
			writeRowFact(w, "Noise", strconv.Itoa(*r.NoiseDBm)+unitSep+"dBm")
		}
		writeRowFact(w, "Devices", strconv.Itoa(r.Stations))
		w.raw("</dl></li>\n")
	}
	w.raw("</ul>\n</article>\n")
}

// writeRowFact writes one fact of a dl.row; an empty value is left out.
func writeRowFact(w htmlWriter, name markup, value string) {
	if value == "" {
		return
	}
	w.raw(`<div><dt>`)
	w.raw(name)
	w.raw(`</dt><dd>`)
	w.text(value)
	w.raw(`</dd></div>`)
}

// writeClient writes one LAN device as a stacked row: who, where, how
// well, how much.
func (s *Server) writeClient(w htmlWriter, d *pageData, c *NetworkClient) {
	w.raw(`<li class="client"><div class="who"><b>`)
	switch {
	case c.Name != "":
		w.text(c.Name)
	case c.IP != "":
		w.text(c.IP)
	default:
		w.text(c.MAC)
	}
	w.raw(`</b><span class="muted small">`)
	sep := false
	for _, v := range []string{c.IP, c.MAC} {
		if v == "" || (v == c.IP && c.Name == "") || (v == c.MAC && c.Name == "" && c.IP == "") {
			continue
		}
		if sep {
			w.raw(` · `)
		}
		w.text(v)
		sep = true
	}
	w.raw("</span></div>\n<dl class=\"row\">")
	if c.Band != "" || c.SignalDBm != nil {
		link := c.Band
		if c.SignalDBm != nil {
			if link != "" {
				link += " · "
			}
			link += strconv.Itoa(*c.SignalDBm) + unitSep + "dBm"
		}
		w.raw(`<div><dt>Wi-Fi</dt><dd class="`)
		w.raw(signalClass(c.SignalDBm))
		w.raw(`">`)
		w.text(link)
		w.raw(`</dd></div>`)
	} else {
		writeRowFact(w, "Link", "wired or unknown")
	}
	switch {
	case !c.ConnectedSince.IsZero():
		writeRowFact(w, "Connected", formatDuration(d.Now.Sub(c.ConnectedSince)))
	case c.LeaseExpires.After(d.Now):
		// dnsmasq keeps no lease start; its end tells the device is current.
		writeRowFact(w, "Lease ends in", formatDuration(c.LeaseExpires.Sub(d.Now)))
	}
	w.raw("</dl>\n<div class=\"pair\">")
	h, _ := s.clients.client(c)
	writeChart(w, ptr(newSparkline(h.RxBytesPerSecond, sparkW, sparkH, clientChartPoints, "Down", 0, rateText)))
	writeChart(w, ptr(newSparkline(h.TxBytesPerSecond, sparkW, sparkH, clientChartPoints, "Up", 0, rateText)))
	w.raw("</div></li>\n")
}

func ptr[T any](v T) *T { return &v }

// signalClass colours a signal: good above -67 dBm (enough for calls and
// video), weak below -75 dBm.
func signalClass(dbm *int) markup {
	switch {
	case dbm == nil:
		return ""
	case *dbm >= -67:
		return "sig-good"
	case *dbm >= -75:
		return "sig-fair"
	}
	return "sig-weak"
}

// writeNetworkSummary writes the overview's compact Network card: the
// uplink's state, how many devices and radios, and the link to /network.
func writeNetworkSummary(w htmlWriter, n *Network) {
	wireless := 0
	for i := range n.Clients {
		if n.Clients[i].Band != "" || n.Clients[i].SignalDBm != nil {
			wireless++
		}
	}
	w.raw("<article class=\"card netsum\">\n<h2><a href=\"/network\">Network →</a></h2>\n<dl>\n<dt>Internet</dt><dd>")
	writeUpDown(w, &n.WAN)
	if p := n.WAN.Probe; p != nil && p.Loss < 1 {
		w.raw(` `)
		w.text(formatSeconds(p.RTTSeconds))
	}
	w.raw("</dd>\n<dt>Devices</dt><dd>")
	w.int(int64(len(n.Clients)))
	if wireless > 0 {
		w.raw(` · `)
		w.int(int64(wireless))
		w.raw(` on Wi-Fi`)
	}
	w.raw("</dd>\n<dt>Wi-Fi</dt><dd>")
	if len(n.Radios) == 0 {
		w.raw(`<span class="muted">no Wi-Fi</span>`)
	} else {
		for i := range n.Radios {
			if i > 0 {
				w.raw(` · `)
			}
			r := &n.Radios[i]
			if r.SSID != "" {
				w.text(r.SSID)
			} else {
				w.text(r.Name)
			}
			if r.Band != "" {
				w.raw(` <span class="muted small">`)
				w.text(r.Band)
				w.raw(`</span>`)
			}
		}
	}
	w.raw("</dd>\n</dl>\n</article>\n")
}
