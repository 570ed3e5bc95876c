package board

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestDeviceFixtures(t *testing.T) {
	tests := []struct {
		root string
		want Device
	}{
		{"openwrt-mt7621", Device{OS: OSOpenWrt, Distribution: "OpenWrt", Description: "OpenWrt 23.05.3 r23809-234f1a2efa",
			Release: "23.05.3", Revision: "r23809-234f1a2efa", Target: "ramips/mt7621", PackageArch: "mipsel_24kc",
			Model: "Netgear R6350", ModelSource: "/etc/board.json", BoardID: "netgear,r6350", CPUModel: "MIPS 1004Kc V2.15",
			CPUs: 4, Kernel: "5.15.150", Hostname: "OpenWrt"}},
		{"openwrt-ath79", Device{OS: OSOpenWrt, Distribution: "OpenWrt", Description: "OpenWrt 23.05.3 r23809-234f1a2efa",
			Release: "23.05.3", Revision: "r23809-234f1a2efa", Target: "ath79/generic", PackageArch: "mips_24kc",
			Model: "TP-Link Archer C7 v2", ModelSource: "/etc/board.json", BoardID: "tplink,archer-c7-v2", CPUModel: "MIPS 74Kc V5.0",
			CPUs: 1, Kernel: "5.15.150", Hostname: "archer"}},
		{"openwrt-filogic", Device{OS: OSOpenWrt, Distribution: "OpenWrt", Description: "OpenWrt 23.05.3 r23809-234f1a2efa",
			Release: "23.05.3", Revision: "r23809-234f1a2efa", Target: "mediatek/filogic", PackageArch: "aarch64_cortex-a53",
			Model: "Bananapi BPI-R3", ModelSource: "/etc/board.json", BoardID: "bananapi,bpi-r3",
			CPUs: 4, Kernel: "5.15.150", Hostname: "bpi-r3"}},
		{"debian-x86", Device{OS: OSLinux, Distribution: "Debian GNU/Linux", Description: "Debian GNU/Linux 12 (bookworm)",
			Release: "12", Model: "Intel(R) Celeron(R) N5105 @ 2.00GHz", ModelSource: "/proc/cpuinfo",
			CPUModel: "Intel(R) Celeron(R) N5105 @ 2.00GHz", CPUs: 4, Kernel: "6.1.0-18-amd64", Hostname: "gateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).Device()
			if err != nil {
				t.Fatal(err)
			}
			tt.want.GoArch = runtime.GOARCH
			if got != tt.want {
				t.Fatalf("Device() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDeviceModelFallback walks the model and board id sources in order.
func TestDeviceModelFallback(t *testing.T) {
	proc := map[string]string{
		fileHostname:      "h\n",
		fileKernelRelease: "6.6.30\n",
	}
	const boardJSON = `{"model":{"id":"vendor,board","name":"Vendor Board"}}`
	const boardJSONNoName = `{"model":{"id":"vendor,board"}}`
	const mipsInfo = "system type\t\t: Atheros AR9330 rev 1\nmachine\t\t\t: TP-Link TL-MR3020\nprocessor\t\t: 0\ncpu model\t\t: MIPS 24Kc V7.4\n"
	const rpiInfo = "processor\t: 0\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n"
	const armInfo = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 5 (v7l)\nHardware\t: Generic DT based system\n"
	const arm64Info = "processor\t: 0\nBogoMIPS\t: 26.00\n"
	tests := []struct {
		name              string
		files             map[string]string
		model, src, board string
	}{
		{"board.json first", map[string]string{fileBoardJSON: boardJSON, fileSysinfoModel: "Other\n", fileSysinfoBoard: "other,id\n", fileCPUInfo: mipsInfo},
			"Vendor Board", "/etc/board.json", "vendor,board"},
		{"board.json without name", map[string]string{fileBoardJSON: boardJSONNoName, fileSysinfoModel: "Sysinfo Model\n", fileCPUInfo: mipsInfo},
			"Sysinfo Model", "/tmp/sysinfo/model", "vendor,board"},
		{"sysinfo", map[string]string{fileSysinfoModel: "Sysinfo Model\n", fileSysinfoBoard: "sys,board\n", fileCPUInfo: mipsInfo},
			"Sysinfo Model", "/tmp/sysinfo/model", "sys,board"},
		{"empty sysinfo model", map[string]string{fileSysinfoModel: "\n", fileCPUInfo: mipsInfo},
			"TP-Link TL-MR3020", "/proc/cpuinfo", ""},
		{"mips machine", map[string]string{fileCPUInfo: mipsInfo}, "TP-Link TL-MR3020", "/proc/cpuinfo", ""},
		{"arm Model before Hardware", map[string]string{fileCPUInfo: rpiInfo}, "Raspberry Pi 4 Model B Rev 1.4", "/proc/cpuinfo", ""},
		{"arm Hardware before model name", map[string]string{fileCPUInfo: armInfo}, "Generic DT based system", "/proc/cpuinfo", ""},
		{"nothing", map[string]string{fileCPUInfo: arm64Info}, UnknownModel, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range proc {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			d, err := mapFS(files).Device()
			if err != nil {
				t.Fatal(err)
			}
			if d.Model != tt.model || d.ModelSource != tt.src || d.BoardID != tt.board {
				t.Fatalf("model %q from %q, board %q; want %q from %q, board %q",
					d.Model, d.ModelSource, d.BoardID, tt.model, tt.src, tt.board)
			}
			if d.OS != OSLinux || d.Kernel != "6.6.30" || d.Hostname != "h" {
				t.Fatalf("OS %q kernel %q hostname %q", d.OS, d.Kernel, d.Hostname)
			}
		})
	}
}

func TestDevicePartialErrors(t *testing.T) {
	b := mapFS(map[string]string{
		fileOpenWrtRelease: "DISTRIB_ID='OpenWrt\n",
		fileBoardJSON:      "{",
		fileSysinfoModel:   "Fallback Model\n",
		fileCPUInfo:        "processor : 0\n",
		fileHostname:       "OpenWrt\n",
	})
	d, err := b.Device()
	if d.OS != OSOpenWrt || d.Model != "Fallback Model" || d.Hostname != "OpenWrt" || d.CPUs != 1 {
		t.Fatalf("Device() = %+v; want OpenWrt, the sysinfo model, the hostname and 1 CPU", d)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("error = %v, want malformed files reported", err)
	}
	for _, name := range []string{"/etc/openwrt_release:1", "/etc/board.json", "/proc/sys/kernel/osrelease"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

// TestDeviceLiveKernelNames: on the live root, Device's kernel release
// and host name (from uname(2)) are what /proc/sys/kernel says.
func TestDeviceLiveKernelNames(t *testing.T) {
	release, err1 := os.ReadFile("/proc/sys/kernel/osrelease")
	host, err2 := os.ReadFile("/proc/sys/kernel/hostname")
	if err1 != nil || err2 != nil {
		t.Skipf("no /proc/sys/kernel here: %v, %v", err1, err2)
	}
	b, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d, _ := b.Device()
	if d.Kernel != strings.TrimSpace(string(release)) || d.Hostname != strings.TrimSpace(string(host)) {
		t.Fatalf("Device kernel %q hostname %q; /proc/sys/kernel says %q %q", d.Kernel, d.Hostname, release, host)
	}
}
