package board

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// appendOrder is a byte order that can also append.
type appendOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// nlAttr encodes one netlink attribute in order, padded to 4 bytes.
func nlAttr(order appendOrder, typ uint16, payload []byte) []byte {
	b := order.AppendUint16(nil, uint16(4+len(payload)))
	b = order.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// nlMsg encodes one generic netlink message of type typ with command cmd.
func nlMsg(order appendOrder, typ uint16, cmd uint8, attrs ...[]byte) []byte {
	var body []byte
	body = append(body, cmd, 1, 0, 0)
	for _, a := range attrs {
		body = append(body, a...)
	}
	h := order.AppendUint32(nil, uint32(16+len(body)))
	h = order.AppendUint16(h, typ)
	h = order.AppendUint16(h, 2) // NLM_F_MULTI
	h = order.AppendUint32(h, 1)
	h = order.AppendUint32(h, 77)
	return append(h, body...)
}

func nlDone(order appendOrder) []byte {
	return nlMsg(order, nlmsgDone, 0) // the kernel's has an int32 0 where this has the genl header: the same 4 bytes
}

func TestWifiBigEndian(t *testing.T) {
	be := binary.BigEndian
	u32 := func(v uint32) []byte { return be.AppendUint32(nil, v) }
	data := append(nlMsg(be, 0x1c, nl80211CmdNewInterface,
		nlAttr(be, nl80211AttrIfindex, u32(9)),
		nlAttr(be, nl80211AttrIfname, []byte("phy0-ap0\x00")),
		nlAttr(be, nl80211AttrWiphy, u32(0)),
		nlAttr(be, nl80211AttrIftype, u32(3)),
		nlAttr(be, nl80211AttrWiphyFreq, u32(2412)),
		nlAttr(be, nl80211AttrChannelWidth, u32(2)),
		nlAttr(be, nl80211AttrTxPowerLevel, u32(1700)),
		nlAttr(be, nl80211AttrSSID, []byte("Café")),
	), nlDone(be)...)
	got, err := parseWifiInterfaces(data, be)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "phy0-ap0" || got[0].IfIndex != 9 || got[0].Channel != 1 || got[0].ChannelWidthMHz != 40 ||
		*got[0].TxPowerDBm != 17 || got[0].SSID != "Café" || got[0].Mode != "ap" {
		t.Fatalf("got %+v", got)
	}

	sta := append(nlMsg(be, 0x1c, nl80211CmdNewStation,
		nlAttr(be, nl80211AttrMAC, []byte{0, 0, 0x5e, 0, 0x53, 1}),
		nlAttr(be, nl80211AttrStaInfo, append(append(
			nlAttr(be, staInfoSignal, []byte{0xc4}), // -60
			nlAttr(be, staInfoRxBytes, u32(1000))...),
			nlAttr(be, staInfoTxBitrate, nlAttr(be, rateInfoBitrate, be.AppendUint16(nil, 540)))...)),
	), nlDone(be)...)
	st, err := parseWifiStations(sta, be, "phy0-ap0", maxWifiStations)
	if err != nil || len(st) != 1 || *st[0].SignalDBm != -60 || st[0].RxBytes != 1000 || st[0].TxBitrateKbps != 54000 || st[0].MAC != "00:00:5e:00:53:01" {
		t.Fatalf("got %+v, %v", st, err)
	}
}

func TestNetlinkErrors(t *testing.T) {
	le := binary.LittleEndian
	good := fixtureFile(t, "openwrt-mt7621", FixtureDir+"/nl80211/interfaces.bin")
	errMsg := le.AppendUint32(nil, 36)
	errMsg = le.AppendUint16(errMsg, nlmsgError)
	errMsg = append(errMsg, make([]byte, 10)...)
	errMsg = le.AppendUint32(errMsg, uint32(0xffffffed)) // -19, ENODEV
	errMsg = append(errMsg, make([]byte, 16)...)
	for name, data := range map[string][]byte{
		"truncated":        good[:len(good)-30],
		"length past end":  append(le.AppendUint32(nil, 9999), good[4:]...),
		"length too small": append(le.AppendUint32(nil, 8), good[4:]...),
		"attribute past":   nlMsg(le, 0x22, nl80211CmdNewInterface, []byte{200, 0, 4, 0}),
		"kernel error":     errMsg,
	} {
		if _, err := parseWifiInterfaces(data, le); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	st := nlMsg(le, 0x22, nl80211CmdNewStation, nlAttr(le, nl80211AttrStaInfo, nil))
	if _, err := parseWifiStations(st, le, "x", 10); !errors.Is(err, errNetlink) {
		t.Errorf("station without MAC: %v, want errNetlink", err)
	}
}

func TestWifiStationBound(t *testing.T) {
	le := binary.LittleEndian
	var data []byte
	for i := range 20 {
		data = append(data, nlMsg(le, 0x22, nl80211CmdNewStation, nlAttr(le, nl80211AttrMAC, []byte{0, 0, 0x5e, 0, 0x53, byte(i)}))...)
	}
	st, err := parseWifiStations(data, le, "x", 5)
	if len(st) != 5 || !errors.Is(err, errNetlink) {
		t.Fatalf("%d stations, %v; want 5 and the bound named", len(st), err)
	}
}

func TestChannelOf(t *testing.T) {
	for mhz, want := range map[uint32]int{2412: 1, 2437: 6, 2472: 13, 2484: 14, 5180: 36, 5500: 100, 5825: 165, 5935: 2, 5955: 1, 6115: 33, 58320: 1, 1000: 0} {
		if got := channelOf(mhz); got != want {
			t.Errorf("channelOf(%d) = %d, want %d", mhz, got, want)
		}
	}
}

func FuzzNL80211(f *testing.F) {
	matches, _ := filepath.Glob(filepath.Join("testdata", "*", FixtureDir, "nl80211", "*.bin"))
	for _, m := range matches {
		if data, err := os.ReadFile(m); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			ifs, _ := parseWifiInterfaces(data, order)
			st, _ := parseWifiStations(data, order, "phy0-ap0", maxWifiStations)
			noise, _ := parseSurveyNoise(data, order)
			if len(ifs) > maxWifiInterfaces || len(st) > maxWifiStations {
				t.Fatalf("%d interfaces, %d stations past the bounds", len(ifs), len(st))
			}
			for _, i := range ifs {
				if !ValidInterfaceName(i.Name) {
					t.Fatalf("interface name %q", i.Name)
				}
			}
			if _, err := json.Marshal([]any{ifs, st, noise}); err != nil {
				t.Fatal(fmt.Errorf("does not encode: %w", err))
			}
		}
	})
}
