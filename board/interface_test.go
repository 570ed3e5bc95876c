package board

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// ifaceString renders an Interface with its pointers dereferenced, for
// comparisons and failure messages.
func ifaceString(i Interface) string {
	s := fmt.Sprintf("%s %s mtu=%d mac=%s", i.Name, i.OperState, i.MTU, i.MAC)
	if i.Carrier != nil {
		s += fmt.Sprintf(" carrier=%d", map[bool]int{false: 0, true: 1}[*i.Carrier])
	}
	if i.SpeedMbps != nil {
		s += fmt.Sprintf(" speed=%d", *i.SpeedMbps)
	}
	return s
}

func TestInterfacesFixtures(t *testing.T) {
	tests := []struct {
		root string
		want []Interface
	}{
		{"openwrt-mt7621", []Interface{
			{Name: "br-lan", OperState: "up", Carrier: ptr(true), MTU: 1500, MAC: "00:00:5e:00:53:10"},
			{Name: "eth0", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](1000), MTU: 1504, MAC: "00:00:5e:00:53:10"},
			{Name: "lan1", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](1000), MTU: 1500, MAC: "00:00:5e:00:53:10"},
			{Name: "lan2", OperState: "lowerlayerdown", Carrier: ptr(false), MTU: 1500, MAC: "00:00:5e:00:53:10"},
			{Name: "lan3", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](100), MTU: 1500, MAC: "00:00:5e:00:53:10"},
			{Name: "lan4", OperState: "down", MTU: 1500, MAC: "00:00:5e:00:53:10"},
			{Name: "lo", OperState: "unknown", Carrier: ptr(true), MTU: 65536, MAC: "00:00:00:00:00:00"},
			{Name: "phy0-ap0", OperState: "up", Carrier: ptr(true), MTU: 1500, MAC: "00:00:5e:00:53:12"},
			{Name: "phy1-ap0", OperState: "up", Carrier: ptr(true), MTU: 1500, MAC: "00:00:5e:00:53:13"},
			{Name: "wan", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](1000), MTU: 1500, MAC: "00:00:5e:00:53:11"},
		}},
		{"debian-x86", []Interface{
			{Name: "docker0", OperState: "up", Carrier: ptr(true), MTU: 1500, MAC: "02:42:00:00:53:42"},
			{Name: "enp1s0", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](2500), MTU: 1500, MAC: "00:00:5e:00:53:40"},
			{Name: "enp2s0", OperState: "down", MTU: 1500, MAC: "00:00:5e:00:53:41"},
			{Name: "lo", OperState: "unknown", Carrier: ptr(true), MTU: 65536, MAC: "00:00:00:00:00:00"},
			{Name: "veth3f2a1b0", OperState: "up", Carrier: ptr(true), SpeedMbps: ptr[int64](10000), MTU: 1500, MAC: "02:00:5e:00:53:43"},
			{Name: "wg0", OperState: "unknown", Carrier: ptr(true), MTU: 1420},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).Interfaces()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d interfaces, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if g, w := ifaceString(got[i]), ifaceString(tt.want[i]); g != w {
					t.Errorf("got  %s\nwant %s", g, w)
				}
			}
		})
	}
}

func TestInterfaceByName(t *testing.T) {
	b := fixture(t, "openwrt-filogic")
	got, err := b.Interface("eth0")
	if err != nil {
		t.Fatal(err)
	}
	if want := "eth0 up mtu=1504 mac=00:00:5e:00:53:30 carrier=1 speed=2500"; ifaceString(got) != want {
		t.Fatalf("Interface(eth0) = %s, want %s", ifaceString(got), want)
	}
	if _, err := b.Interface("wlan9"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Interface(wlan9) error = %v, want fs.ErrNotExist", err)
	}
	for _, bad := range []string{"", ".", "..", "../../etc", "a/b", "eth0:1", "a b", "a\tb", "a\x00b", "\xffeth", "sixteen-chars-xx"} {
		if _, err := b.Interface(bad); !errors.Is(err, ErrBadName) {
			t.Errorf("Interface(%q) error = %v, want ErrBadName", bad, err)
		}
	}
}

func TestInterfaceBadAttributes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // "" for success, else a part of the error
		got   string
	}{
		{
			name:  "old kernel unknown speed",
			files: map[string]string{"operstate": "down\n", "speed": "65535\n", "carrier": "0\n", "mtu": "1500\n"},
			got:   "x down mtu=1500 mac= carrier=0",
		},
		{
			name:  "unsigned unknown speed",
			files: map[string]string{"operstate": "up\n", "speed": "4294967295\n", "mtu": "1500\n"},
			got:   "x up mtu=1500 mac=",
		},
		{name: "no operstate", files: map[string]string{"mtu": "1500\n"}, want: "/sys/class/net/x/operstate"},
		{name: "bad carrier", files: map[string]string{"operstate": "up\n", "carrier": "2\n"}, want: "carrier"},
		{name: "bad speed", files: map[string]string{"operstate": "up\n", "speed": "fast\n"}, want: "speed"},
		{name: "bad mtu", files: map[string]string{"operstate": "up\n", "mtu": "-1\n"}, want: "mtu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tt.files {
				files["sys/class/net/x/"+k] = v
			}
			got, err := mapFS(files).Interface("x")
			if tt.want == "" {
				if err != nil || ifaceString(got) != tt.got {
					t.Fatalf("got %s, %v; want %s", ifaceString(got), err, tt.got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestInterfacesPartial(t *testing.T) {
	b := mapFS(map[string]string{
		"sys/class/net/good/operstate":  "up\n",
		"sys/class/net/bad/carrier":     "x\n",
		"sys/class/net/bad/operstate":   "up\n",
		"sys/class/net/bonding_masters": "\n",
	})
	got, err := b.Interfaces()
	if len(got) != 1 || got[0].Name != "good" {
		t.Fatalf("Interfaces() = %+v, want only good", got)
	}
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "/sys/class/net/bad/carrier") {
		t.Fatalf("error = %v, want a malformed /sys/class/net/bad/carrier", err)
	}
}

func FuzzLinkAttributes(f *testing.F) {
	for _, s := range []string{"1000\n", "-1\n", "0\n", "1\n", "65535", "4294967295", "\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "sys/class/net/x/speed"
		v, known, err := parseSpeed(file, data)
		checkParseErr(t, file, err)
		if known && v < 0 {
			t.Fatalf("negative speed %d reported as known", v)
		}
		c, err := parseCarrier(file, data)
		checkParseErr(t, file, err)
		if err == nil && c != (strings.TrimSpace(string(data)) == "1") {
			t.Fatalf("carrier %v from %q", c, data)
		}
	})
}

func FuzzValidInterfaceName(f *testing.F) {
	for _, s := range []string{"eth0", "br-lan", "..", "a/b", "phy0-ap0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !ValidInterfaceName(name) {
			return
		}
		if !fs.ValidPath("sys/class/net/" + name + "/operstate") {
			t.Fatalf("valid name %q makes an invalid path", name)
		}
	})
}
