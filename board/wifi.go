package board

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
)

// nl80211 commands and attributes used here, from the kernel's UAPI
// (linux/nl80211.h); their values are fixed by the ABI.
const (
	nl80211CmdGetInterface = 5
	nl80211CmdNewInterface = 7
	nl80211CmdGetStation   = 17
	nl80211CmdNewStation   = 19
	nl80211CmdGetSurvey    = 50
	nl80211CmdNewSurvey    = 51

	nl80211AttrWiphy        = 1
	nl80211AttrIfindex      = 3
	nl80211AttrIfname       = 4
	nl80211AttrIftype       = 5
	nl80211AttrMAC          = 6
	nl80211AttrStaInfo      = 21
	nl80211AttrWiphyFreq    = 38
	nl80211AttrSSID         = 52
	nl80211AttrSurveyInfo   = 84
	nl80211AttrTxPowerLevel = 98
	nl80211AttrChannelWidth = 159

	staInfoInactiveTime  = 1
	staInfoRxBytes       = 2
	staInfoTxBytes       = 3
	staInfoSignal        = 7
	staInfoTxBitrate     = 8
	staInfoRxPackets     = 9
	staInfoTxPackets     = 10
	staInfoTxRetries     = 11
	staInfoTxFailed      = 12
	staInfoSignalAvg     = 13
	staInfoRxBitrate     = 14
	staInfoConnectedTime = 16
	staInfoRxBytes64     = 23
	staInfoTxBytes64     = 24
	staInfoExpectedTput  = 27

	rateInfoBitrate   = 1
	rateInfoBitrate32 = 5

	surveyInfoFrequency = 1
	surveyInfoNoise     = 2
	surveyInfoInUse     = 3
)

// Bounds on the Wi-Fi readers: a router has two or three radios with a
// few virtual interfaces, and rarely more than a hundred stations.
const (
	maxWifiInterfaces = 64
	maxWifiStations   = 1024
)

// ErrNoWifi is returned by the Wi-Fi readers on a system without nl80211
// (no wireless driver loaded, or not Linux).
var ErrNoWifi = errors.New("no nl80211 (no Wi-Fi driver)")

// nl80211Request is one dump request: Cmd for every object, or for the
// interface IfIndex (named IfName) when it is not 0.
type nl80211Request struct {
	Cmd     uint8
	IfIndex uint32
	IfName  string
}

// fixtureName is the file below FixtureDir/nl80211 holding the reply.
func (r nl80211Request) fixtureName() string {
	switch r.Cmd {
	case nl80211CmdGetStation:
		return "stations-" + r.IfName + ".bin"
	case nl80211CmdGetSurvey:
		return "survey-" + r.IfName + ".bin"
	}
	return "interfaces.bin"
}

// WifiInterface is one wireless interface as nl80211 reports it
// (prometheus-node-exporter-lua's wifi_network_* labels and values).
type WifiInterface struct {
	Name    string `json:"name"`
	IfIndex uint32 `json:"ifindex"`
	// Phy is the radio, "phy0", "phy1", ...
	Phy string `json:"phy"`
	// Mode is the interface type: "ap", "station", "mesh point", "adhoc",
	// "monitor", ...
	Mode string `json:"mode"`
	MAC  string `json:"mac,omitempty"`
	// SSID is empty while the interface is not up or not associated.
	SSID         string `json:"ssid,omitempty"`
	FrequencyMHz uint32 `json:"frequency_mhz,omitempty"`
	Channel      int    `json:"channel,omitempty"`
	// ChannelWidthMHz is 20, 40, 80, 160, 320 (or 5, 10 for narrow
	// channels), 0 when unknown.
	ChannelWidthMHz int `json:"channel_width_mhz,omitempty"`
	// TxPowerDBm is the transmit power; nil when the driver does not say.
	TxPowerDBm *float64 `json:"txpower_dbm,omitempty"`
	// NoiseDBm is the noise floor of the channel in use, from the survey;
	// nil when the driver does not report it.
	NoiseDBm *int `json:"noise_dbm,omitempty"`
}

// WifiStation is one station associated with (or, in station mode, the
// access point of) a wireless interface.
type WifiStation struct {
	Interface string `json:"interface"`
	MAC       string `json:"mac"`
	// SignalDBm is the last signal strength; SignalAvgDBm its average.
	SignalDBm    *int `json:"signal_dbm,omitempty"`
	SignalAvgDBm *int `json:"signal_avg_dbm,omitempty"`
	// InactiveMs is the time since the station was last heard.
	InactiveMs       uint32 `json:"inactive_ms"`
	ConnectedSeconds uint32 `json:"connected_seconds"`
	RxBytes          uint64 `json:"rx_bytes"`
	TxBytes          uint64 `json:"tx_bytes"`
	RxPackets        uint32 `json:"rx_packets"`
	TxPackets        uint32 `json:"tx_packets"`
	TxRetries        uint32 `json:"tx_retries"`
	TxFailed         uint32 `json:"tx_failed"`
	// TxBitrateKbps and RxBitrateKbps are the last data rates.
	TxBitrateKbps uint32 `json:"tx_bitrate_kbps"`
	RxBitrateKbps uint32 `json:"rx_bitrate_kbps"`
	// ExpectedThroughputKbps is the driver's estimate, 0 when unknown.
	ExpectedThroughputKbps uint32 `json:"expected_throughput_kbps,omitempty"`
}

// nl80211Cached is b.nl80211 through the read cache: the wifi and
// wifi-stations plugins ask for the same dumps in one round.
func (b *Board) nl80211Cached(req nl80211Request) ([]byte, error) {
	if !b.live {
		return b.nl80211(req) // a fixture's files are cached by readFile
	}
	return b.cached("nl80211/"+req.fixtureName(), func() ([]byte, error) { return b.nl80211(req) })
}

// nlOrder is the byte order of the board's nl80211 replies: the host's
// for a live board, little-endian for fixture captures.
func (b *Board) nlOrder() binary.ByteOrder {
	if b.live {
		return binary.NativeEndian
	}
	return binary.LittleEndian
}

// WifiInterfaces asks nl80211 for every wireless interface, sorted as the
// kernel lists them, with the noise floor of each one's channel. Without
// nl80211 the error wraps ErrNoWifi (live) or matches fs.ErrNotExist
// (fixture). A survey that fails leaves NoiseDBm nil and is reported in
// err, while the interfaces are returned.
func (b *Board) WifiInterfaces() ([]WifiInterface, error) {
	ifs, err := b.wifiInterfaceList()
	if err != nil {
		return nil, err
	}
	var errs []error
	for i := range ifs {
		data, err := b.nl80211Cached(nl80211Request{Cmd: nl80211CmdGetSurvey, IfIndex: ifs[i].IfIndex, IfName: ifs[i].Name})
		if err == nil {
			ifs[i].NoiseDBm, err = parseSurveyNoise(data, b.nlOrder())
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("board: nl80211 survey of %s: %w", ifs[i].Name, err))
		}
	}
	return ifs, errors.Join(errs...)
}

// wifiInterfaceList asks nl80211 for the wireless interfaces, without
// their noise floor.
func (b *Board) wifiInterfaceList() ([]WifiInterface, error) {
	data, err := b.nl80211Cached(nl80211Request{Cmd: nl80211CmdGetInterface})
	if err != nil {
		return nil, err
	}
	ifs, err := parseWifiInterfaces(data, b.nlOrder())
	if err != nil {
		return nil, fmt.Errorf("board: nl80211 interfaces: %w", err)
	}
	return ifs, nil
}

// WifiStations asks nl80211 for the stations of every wireless interface,
// at most maxWifiStations in all. Errors are as for WifiInterfaces; an
// interface whose stations cannot be read is reported in err.
func (b *Board) WifiStations() ([]WifiStation, error) {
	ifs, err := b.wifiInterfaceList()
	if err != nil {
		return nil, err
	}
	var (
		out  []WifiStation
		errs []error
	)
	for _, ifc := range ifs {
		data, err := b.nl80211Cached(nl80211Request{Cmd: nl80211CmdGetStation, IfIndex: ifc.IfIndex, IfName: ifc.Name})
		if err != nil {
			errs = append(errs, fmt.Errorf("board: nl80211 stations of %s: %w", ifc.Name, err))
			continue
		}
		st, err := parseWifiStations(data, b.nlOrder(), ifc.Name, maxWifiStations-len(out))
		if err != nil {
			errs = append(errs, fmt.Errorf("board: nl80211 stations of %s: %w", ifc.Name, err))
		}
		out = append(out, st...)
	}
	return out, errors.Join(errs...)
}

// ifTypes names nl80211's interface types (enum nl80211_iftype).
var ifTypes = []string{"unspecified", "adhoc", "station", "ap", "ap vlan", "wds", "monitor", "mesh point",
	"p2p client", "p2p go", "p2p device", "ocb", "nan"}

// parseWifiInterfaces decodes a NL80211_CMD_GET_INTERFACE dump reply.
// Interfaces without a valid name are skipped.
func parseWifiInterfaces(data []byte, order binary.ByteOrder) ([]WifiInterface, error) {
	msgs, err := parseGenlMessages(data, order)
	if err != nil {
		return nil, err
	}
	var out []WifiInterface
	for _, m := range msgs {
		if m.cmd != nl80211CmdNewInterface {
			continue
		}
		a, err := decodeAttrs(m.attrs, order)
		if err != nil {
			return nil, err
		}
		ifc := WifiInterface{Name: a.str(nl80211AttrIfname)}
		if !ValidInterfaceName(ifc.Name) {
			continue
		}
		if len(out) == maxWifiInterfaces {
			return out, fmt.Errorf("%w: more than %d interfaces", errNetlink, maxWifiInterfaces)
		}
		ifc.IfIndex, _ = a.u32(nl80211AttrIfindex)
		if phy, ok := a.u32(nl80211AttrWiphy); ok {
			ifc.Phy = fmt.Sprintf("phy%d", phy)
		}
		if t, ok := a.u32(nl80211AttrIftype); ok {
			if int(t) < len(ifTypes) {
				ifc.Mode = ifTypes[t]
			} else {
				ifc.Mode = fmt.Sprintf("type %d", t)
			}
		}
		if mac := a.bytes(nl80211AttrMAC); len(mac) == 6 {
			ifc.MAC = net.HardwareAddr(mac).String()
		}
		ifc.SSID = string(a.bytes(nl80211AttrSSID))
		if f, ok := a.u32(nl80211AttrWiphyFreq); ok {
			ifc.FrequencyMHz = f
			ifc.Channel = channelOf(f)
		}
		if w, ok := a.u32(nl80211AttrChannelWidth); ok {
			ifc.ChannelWidthMHz = channelWidthMHz(w)
		}
		if p, ok := a.u32(nl80211AttrTxPowerLevel); ok {
			dbm := float64(int32(p)) / 100 // mBm
			ifc.TxPowerDBm = &dbm
		}
		out = append(out, ifc)
	}
	return out, nil
}

// parseWifiStations decodes a NL80211_CMD_GET_STATION dump reply for the
// interface ifname, keeping at most max stations.
func parseWifiStations(data []byte, order binary.ByteOrder, ifname string, max int) ([]WifiStation, error) {
	msgs, err := parseGenlMessages(data, order)
	if err != nil {
		return nil, err
	}
	var out []WifiStation
	for _, m := range msgs {
		if m.cmd != nl80211CmdNewStation {
			continue
		}
		if len(out) >= max {
			return out, fmt.Errorf("%w: more than %d stations", errNetlink, maxWifiStations)
		}
		a, err := decodeAttrs(m.attrs, order)
		if err != nil {
			return nil, err
		}
		mac := a.bytes(nl80211AttrMAC)
		if len(mac) != 6 {
			return nil, fmt.Errorf("%w: station without a MAC address", errNetlink)
		}
		info, err := a.nested(nl80211AttrStaInfo)
		if err != nil {
			return nil, err
		}
		s := WifiStation{Interface: ifname, MAC: net.HardwareAddr(mac).String()}
		if v, ok := info.u8(staInfoSignal); ok {
			dbm := int(int8(v))
			s.SignalDBm = &dbm
		}
		if v, ok := info.u8(staInfoSignalAvg); ok {
			dbm := int(int8(v))
			s.SignalAvgDBm = &dbm
		}
		s.InactiveMs, _ = info.u32(staInfoInactiveTime)
		s.ConnectedSeconds, _ = info.u32(staInfoConnectedTime)
		if v, ok := info.u64(staInfoRxBytes64); ok {
			s.RxBytes = v
		} else if v, ok := info.u32(staInfoRxBytes); ok {
			s.RxBytes = uint64(v)
		}
		if v, ok := info.u64(staInfoTxBytes64); ok {
			s.TxBytes = v
		} else if v, ok := info.u32(staInfoTxBytes); ok {
			s.TxBytes = uint64(v)
		}
		s.RxPackets, _ = info.u32(staInfoRxPackets)
		s.TxPackets, _ = info.u32(staInfoTxPackets)
		s.TxRetries, _ = info.u32(staInfoTxRetries)
		s.TxFailed, _ = info.u32(staInfoTxFailed)
		s.ExpectedThroughputKbps, _ = info.u32(staInfoExpectedTput)
		if s.TxBitrateKbps, err = bitrateKbps(info, staInfoTxBitrate); err != nil {
			return nil, err
		}
		if s.RxBitrateKbps, err = bitrateKbps(info, staInfoRxBitrate); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// bitrateKbps reads a nested rate info attribute (in units of 100 kbit/s).
func bitrateKbps(info nlAttrs, t uint16) (uint32, error) {
	r, err := info.nested(t)
	if err != nil {
		return 0, err
	}
	if v, ok := r.u32(rateInfoBitrate32); ok {
		return v * 100, nil
	}
	v, _ := r.u16(rateInfoBitrate)
	return uint32(v) * 100, nil
}

// parseSurveyNoise returns the noise of the channel in use from a
// NL80211_CMD_GET_SURVEY dump reply, nil when no entry is in use or it
// has no noise.
func parseSurveyNoise(data []byte, order binary.ByteOrder) (*int, error) {
	msgs, err := parseGenlMessages(data, order)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if m.cmd != nl80211CmdNewSurvey {
			continue
		}
		a, err := decodeAttrs(m.attrs, order)
		if err != nil {
			return nil, err
		}
		info, err := a.nested(nl80211AttrSurveyInfo)
		if err != nil {
			return nil, err
		}
		if _, inUse := info.get(surveyInfoInUse); !inUse {
			continue
		}
		if v, ok := info.u8(surveyInfoNoise); ok {
			dbm := int(int8(v))
			return &dbm, nil
		}
	}
	return nil, nil
}

// channelOf converts a centre frequency in MHz to its channel number, 0
// when it is in no band this knows.
func channelOf(mhz uint32) int {
	f := int(mhz)
	switch {
	case f == 2484:
		return 14
	case f >= 2412 && f < 2484:
		return (f - 2407) / 5
	case f == 5935:
		return 2
	case f > 5950 && f <= 7115:
		return (f - 5950) / 5
	case f >= 4910 && f <= 5895:
		return (f - 5000) / 5
	case f >= 58320 && f <= 70200:
		return (f - 56160) / 2160
	}
	return 0
}

// channelWidthMHz converts enum nl80211_chan_width to MHz.
func channelWidthMHz(w uint32) int {
	switch w {
	case 0, 1: // 20 MHz without and with HT
		return 20
	case 2:
		return 40
	case 3:
		return 80
	case 4, 5: // 80+80, 160
		return 160
	case 6:
		return 5
	case 7:
		return 10
	case 13:
		return 320
	}
	return 0
}
