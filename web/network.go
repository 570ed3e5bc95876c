package web

import "time"

// Network is what the Network page and GET /api/v1/network show: the
// uplink, the devices on the LAN and the Wi-Fi radios. It names people's
// devices (host names, MAC addresses), so web shows it only to readers the
// pages_require_login setting lets in; /metrics never carries it.
type Network struct {
	// Time is when the backend read the board.
	Time    time.Time       `json:"time,omitzero"`
	WAN     NetworkWAN      `json:"wan"`
	Clients []NetworkClient `json:"clients"`
	Radios  []NetworkRadio  `json:"radios"`
	// Accounting is false when conntrack keeps no byte counters
	// (net.netfilter.nf_conntrack_acct=0): client traffic is then 0.
	Accounting bool `json:"accounting"`
	// Problems are the sources that could not be read, one line each
	// ("no DHCP leases: open /tmp/dhcp.leases: no such file"); a missing
	// source empties its part of the view, it is never an error.
	Problems []string `json:"problems"`
}

// NetworkWAN is the uplink: the default route's interface and its state,
// and the ICMP probe's figures when the owner configured one.
type NetworkWAN struct {
	// Interface is the default route's interface, empty when there is no
	// default route (then Up is false).
	Interface string   `json:"interface"`
	Gateway   string   `json:"gateway,omitempty"`
	Up        bool     `json:"up"`
	OperState string   `json:"operstate,omitempty"`
	Addresses []string `json:"addresses"`
	// Probe is nil while no probe target is configured.
	Probe *WANProbe `json:"probe"`
}

// WANProbe is the ICMP echo probe's latest figures.
type WANProbe struct {
	Target string `json:"target"`
	// RTTSeconds is the mean round-trip time of the answered echoes; 0
	// when none was answered.
	RTTSeconds float64 `json:"rtt_seconds"`
	// Loss is the share of echoes lost, 0..1.
	Loss float64 `json:"loss"`
}

// NetworkClient is one device on the LAN, from its DHCP lease, its Wi-Fi
// association (matched by MAC) and its tracked flows (matched by IP).
// Fields a source did not give are empty or zero.
type NetworkClient struct {
	// Name is the host name from the DHCP lease.
	Name string `json:"name"`
	IP   string `json:"ip"`
	MAC  string `json:"mac"`
	// Interface is the wireless interface the station is associated
	// with; empty for a wired (or unseen) client.
	Interface string `json:"interface,omitempty"`
	// Band is "2.4 GHz", "5 GHz" or "6 GHz" for a wireless client.
	Band      string `json:"band,omitempty"`
	SignalDBm *int   `json:"signal_dbm,omitempty"`
	// RxBytes and TxBytes sum the client's tracked flows (the router's
	// view: Rx is what the client received). They can go down as flows
	// end.
	RxBytes uint64 `json:"rx_bytes"`
	TxBytes uint64 `json:"tx_bytes"`
	Flows   uint64 `json:"flows"`
	// RxBytesPerSecond and TxBytesPerSecond are web's newest history
	// sample of the client's rate; the backend leaves them 0.
	RxBytesPerSecond float64 `json:"rx_bytes_per_second"`
	TxBytesPerSecond float64 `json:"tx_bytes_per_second"`
	// ConnectedSince is when the Wi-Fi association began; zero for a
	// wired client (dnsmasq's lease file keeps only the expiry).
	ConnectedSince time.Time `json:"connected_since,omitzero"`
	// LeaseExpires is the end of the DHCP lease; zero for none or an
	// infinite one.
	LeaseExpires time.Time `json:"lease_expires,omitzero"`
}

// NetworkRadio is one wireless interface.
type NetworkRadio struct {
	Name string `json:"name"`
	Phy  string `json:"phy"`
	Mode string `json:"mode"`
	// SSID is empty while the interface is down.
	SSID            string   `json:"ssid"`
	Channel         int      `json:"channel,omitempty"`
	FrequencyMHz    uint32   `json:"frequency_mhz,omitempty"`
	Band            string   `json:"band,omitempty"`
	ChannelWidthMHz int      `json:"channel_width_mhz,omitempty"`
	TxPowerDBm      *float64 `json:"txpower_dbm,omitempty"`
	NoiseDBm        *int     `json:"noise_dbm,omitempty"`
	Stations        int      `json:"stations"`
}

// BandOf names the Wi-Fi band of a frequency in MHz, "" when it is none.
func BandOf(mhz uint32) string {
	switch {
	case mhz >= 2400 && mhz < 2500:
		return "2.4 GHz"
	case mhz >= 5150 && mhz < 5935:
		return "5 GHz"
	case mhz >= 5935 && mhz < 7200:
		return "6 GHz"
	case mhz >= 57000 && mhz < 72000:
		return "60 GHz"
	}
	return ""
}
