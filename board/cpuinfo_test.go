package board

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCPUInfoFixtures(t *testing.T) {
	tests := []struct {
		root string
		want CPUInfo
	}{
		{"openwrt-mt7621", CPUInfo{Processors: 4, ModelName: "MIPS 1004Kc V2.15", ISA: "mips1 mips2 mips32r1 mips32r2",
			SystemType: "MediaTek MT7621 ver:1 eco:3", Machine: "Netgear R6350", BogoMIPS: 586.13}},
		{"openwrt-ath79", CPUInfo{Processors: 1, ModelName: "MIPS 74Kc V5.0", ISA: "mips1 mips2 mips32r1 mips32r2",
			SystemType: "Qualcomm Atheros QCA9558 ver 1 rev 0", Machine: "TP-Link Archer C7 v2", BogoMIPS: 358.80}},
		{"openwrt-filogic", CPUInfo{Processors: 4, VendorID: "0x41", Architecture: "8", BogoMIPS: 26}},
		{"debian-x86", CPUInfo{Processors: 4, ModelName: "Intel(R) Celeron(R) N5105 @ 2.00GHz", VendorID: "GenuineIntel",
			BogoMIPS: 3993.60, MHz: 2000}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).CPUInfo()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("CPUInfo() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseCPUInfo(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    CPUInfo
		wantErr bool
	}{
		{
			name: "raspberry pi 4, 64-bit kernel",
			in: "processor\t: 0\nBogoMIPS\t: 108.00\nCPU architecture: 8\n\nprocessor\t: 1\nBogoMIPS\t: 108.00\n\n" +
				"Hardware\t: BCM2835\nRevision\t: c03114\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n",
			want: CPUInfo{Processors: 2, Architecture: "8", Hardware: "BCM2835", Model: "Raspberry Pi 4 Model B Rev 1.4", BogoMIPS: 108},
		},
		{
			name: "armv7, old kernel",
			in: "Processor\t: ARMv7 Processor rev 0 (v7l)\nprocessor\t: 0\nBogoMIPS\t: 1594.16\n\n" +
				"Hardware\t: Qualcomm (Flattened Device Tree)\n",
			want: CPUInfo{Processors: 1, ModelName: "ARMv7 Processor rev 0 (v7l)", Hardware: "Qualcomm (Flattened Device Tree)", BogoMIPS: 1594.16},
		},
		{
			name: "armv7 with model name",
			in:   "processor\t: 0\nmodel name\t: ARMv7 Processor rev 1 (v7l)\nBogoMIPS\t: 50.00\nCPU architecture: 7\n",
			want: CPUInfo{Processors: 1, ModelName: "ARMv7 Processor rev 1 (v7l)", Architecture: "7", BogoMIPS: 50},
		},
		{name: "empty value", in: "processor : 0\npower management:\n", want: CPUInfo{Processors: 1}},
		{name: "empty file", in: "", want: CPUInfo{}},
		{name: "no colon", in: "processor 0\n", wantErr: true},
		{name: "bad index", in: "processor : zero\n", wantErr: true},
		{name: "bad bogomips", in: "processor : 0\nBogoMIPS : fast\n", wantErr: true},
		{name: "bad mhz", in: "cpu MHz : NaN\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCPUInfo(fileCPUInfo, []byte(tt.in))
			checkParseErr(t, fileCPUInfo, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("got %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func FuzzCPUInfo(f *testing.F) {
	addFixtureSeeds(f, fileCPUInfo)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCPUInfo(fileCPUInfo, data)
		checkParseErr(t, fileCPUInfo, err)
		if err != nil {
			return
		}
		if c.Processors < 0 {
			t.Fatalf("negative processor count %d", c.Processors)
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}

// TestCPUInfoKept: a /proc/cpuinfo without a changing field is parsed
// once per maxCPUInfoAge of the board's clock; one with "cpu MHz" (x86)
// at every call.
func TestCPUInfoKept(t *testing.T) {
	const mips = "system type\t\t: MediaTek MT7621 ver:1 eco:3\nprocessor\t\t: 0\ncpu model\t\t: MIPS 1004Kc V2.15\n"
	const x86 = "processor\t: 0\nmodel name\t: Celeron\ncpu MHz\t\t: 800.000\n"
	tests := []struct {
		name     string
		before   string
		after    string
		wait     time.Duration
		wantMHz  float64
		wantType string
	}{
		{"static fields kept", mips, strings.Replace(mips, "eco:3", "eco:4", 1), time.Minute, 0, "MediaTek MT7621 ver:1 eco:3"},
		{"read again when old", mips, strings.Replace(mips, "eco:3", "eco:4", 1), maxCPUInfoAge, 0, "MediaTek MT7621 ver:1 eco:4"},
		{"clock gone back", mips, strings.Replace(mips, "eco:3", "eco:4", 1), -time.Second, 0, "MediaTek MT7621 ver:1 eco:4"},
		{"frequency read every time", x86, strings.Replace(x86, "800.000", "2400.000", 1), 0, 2400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fstest.MapFS{fileCPUInfo: {Data: []byte(tt.before)}}
			b := NewFS(m)
			now := time.Unix(1000, 0)
			b.SetClock(func() time.Time { return now })
			if _, err := b.CPUInfo(); err != nil {
				t.Fatal(err)
			}
			m[fileCPUInfo] = &fstest.MapFile{Data: []byte(tt.after)}
			now = now.Add(tt.wait)
			if tt.wait >= 0 {
				now = now.Add(time.Second) // past the read cache's second
			}
			got, err := b.CPUInfo()
			if err != nil || got.MHz != tt.wantMHz || got.SystemType != tt.wantType {
				t.Fatalf("CPUInfo() = %+v, %v; want MHz %v, system type %q", got, err, tt.wantMHz, tt.wantType)
			}
		})
	}
}
