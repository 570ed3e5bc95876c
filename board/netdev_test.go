package board

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

func TestNetDevFixtures(t *testing.T) {
	tests := []struct {
		root  string
		names []string
		check NetDevStats // one full line to compare
	}{
		{
			root:  "openwrt-mt7621",
			names: []string{"lo", "eth0", "lan1", "lan2", "lan3", "lan4", "wan", "br-lan", "phy0-ap0", "phy1-ap0"},
			check: NetDevStats{Name: "wan", RxBytes: 86944211334, RxPackets: 67998101, RxDrop: 112, RxMulticast: 48830,
				TxBytes: 8411907612, TxPackets: 8988112},
		},
		{
			root:  "openwrt-ath79",
			names: []string{"lo", "eth0", "eth1", "br-lan", "phy0-ap0", "phy1-ap0"},
			check: NetDevStats{Name: "phy0-ap0", RxBytes: 91022311, RxPackets: 402111, TxBytes: 812332001, TxPackets: 733012, TxDrop: 21},
		},
		{
			root:  "openwrt-filogic",
			names: []string{"lo", "eth0", "eth1", "lan1", "lan2", "lan3", "lan4", "sfp2", "wan", "br-lan", "phy0-ap0", "phy1-ap0"},
			check: NetDevStats{Name: "eth0", RxBytes: 18446744073, RxPackets: 15320111, TxBytes: 2210331902, TxPackets: 9001233},
		},
		{
			root:  "debian-x86",
			names: []string{"lo", "enp1s0", "enp2s0", "docker0", "veth3f2a1b0", "wg0"},
			check: NetDevStats{Name: "veth3f2a1b0", RxBytes: 40112331, RxPackets: 221033, TxBytes: 931022113, TxPackets: 412331},
		},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).NetDev()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.names) {
				t.Fatalf("%d interfaces, want %d", len(got), len(tt.names))
			}
			found := false
			for i, s := range got {
				if s.Name != tt.names[i] {
					t.Errorf("interface %d is %q, want %q", i, s.Name, tt.names[i])
				}
				if s.Name == tt.check.Name {
					found = true
					if s != tt.check {
						t.Errorf("%s = %+v,\nwant %+v", s.Name, s, tt.check)
					}
				}
			}
			if !found {
				t.Errorf("no %s", tt.check.Name)
			}
		})
	}
}

func TestParseNetDev(t *testing.T) {
	const header = "Inter-|   Receive                                                |  Transmit\n" +
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	tests := []struct {
		name    string
		in      string
		want    []NetDevStats
		wantErr bool
	}{
		{
			name: "no space after colon",
			in:   header + "  eth0:123 4 0 0 0 0 0 0 567 8 0 0 0 0 0 0\n",
			want: []NetDevStats{{Name: "eth0", RxBytes: 123, RxPackets: 4, TxBytes: 567, TxPackets: 8}},
		},
		{
			name: "every counter distinct",
			in:   header + "wlan0-1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
			want: []NetDevStats{{Name: "wlan0-1", RxBytes: 1, RxPackets: 2, RxErrs: 3, RxDrop: 4, RxFIFO: 5, RxFrame: 6,
				RxCompressed: 7, RxMulticast: 8, TxBytes: 9, TxPackets: 10, TxErrs: 11, TxDrop: 12, TxFIFO: 13,
				TxColls: 14, TxCarrier: 15, TxCompressed: 16}},
		},
		{
			name: "odd names and max counter",
			in: header + "br-lan.10: 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" +
				"wg@äöü: 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			want: []NetDevStats{{Name: "br-lan.10", RxBytes: math.MaxUint64}, {Name: "wg@äöü", RxBytes: 1}},
		},
		{name: "header only", in: header, want: nil},
		{name: "tab separated", in: "\teth0:\t1\t2\t0\t0\t0\t0\t0\t0\t3\t4\t0\t0\t0\t0\t0\t0\n",
			want: []NetDevStats{{Name: "eth0", RxBytes: 1, RxPackets: 2, TxBytes: 3, TxPackets: 4}}},
		{name: "counter overflow", in: header + "eth0: 18446744073709551616 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", wantErr: true},
		{name: "too few", in: header + "eth0: 1 2 3\n", wantErr: true},
		{name: "too many", in: header + "eth0: 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", wantErr: true},
		{name: "negative", in: header + "eth0: -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", wantErr: true},
		{name: "no name", in: header + ": 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", wantErr: true},
		{name: "garbage line", in: header + "hello\n", wantErr: true},
		{name: "repeated", in: "a: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\na: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNetDev(fileNetDev, []byte(tt.in))
			checkParseErr(t, fileNetDev, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d interfaces %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %+v,\nwant %+v", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestNetDevErrorLine(t *testing.T) {
	in := "Inter-|\n face |\n lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\neth0: 1 x 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	_, err := parseNetDev(fileNetDev, []byte(in))
	want := `board: /proc/net/dev:4: malformed: eth0: counter 2: "x": invalid syntax`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestNetDevDelta(t *testing.T) {
	prev := NetDevStats{Name: "wan", RxBytes: 100, TxBytes: math.MaxUint32 - 9, RxPackets: 1 << 40, TxPackets: 5}
	cur := NetDevStats{Name: "wan", RxBytes: 350, TxBytes: 20, RxPackets: 7, TxPackets: 5}
	d := cur.Delta(prev)
	want := NetDevStats{Name: "wan", RxBytes: 250, TxBytes: 30, RxPackets: 7, TxPackets: 0}
	if d != want {
		t.Fatalf("Delta = %+v,\nwant %+v", d, want)
	}
}

func FuzzNetDev(f *testing.F) {
	addFixtureSeeds(f, fileNetDev)
	f.Add([]byte("eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stats, err := parseNetDev(fileNetDev, data)
		checkParseErr(t, fileNetDev, err)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range stats {
			if s.Name == "" || seen[s.Name] {
				t.Fatalf("empty or repeated name %q", s.Name)
			}
			seen[s.Name] = true
			if z := s.Delta(s); z != (NetDevStats{Name: s.Name}) {
				t.Fatalf("Delta of itself = %+v", z)
			}
		}
		if _, err := json.Marshal(stats); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}

func BenchmarkParseNetDev(b *testing.B) {
	b.Run("mt7621", func(b *testing.B) {
		data := fixtureFile(b, "openwrt-mt7621", fileNetDev)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseNetDev(fileNetDev, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("500-interfaces", func(b *testing.B) {
		data := fixtureFile(b, "openwrt-mt7621", fileNetDev)
		for i := range 500 {
			data = fmt.Appendf(data, "wlan%d-%d: %d 1 0 0 0 0 0 0 %d 2 0 0 0 0 0 0\n", i/8, i%8, i*1000, i*77)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseNetDev(fileNetDev, data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
