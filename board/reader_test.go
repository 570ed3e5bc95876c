package board

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// readerResult is one reader's value and error in a readers golden file.
type readerResult struct {
	Value any    `json:"value"`
	Error string `json:"error,omitempty"`
}

// fixedNow is the clock of golden tests: 2024-12-05 14:00:00 CET.
var fixedNow = time.Date(2024, 12, 5, 14, 0, 0, 0, time.FixedZone("CET", 3600))

// readAll calls every reader the board host module offers beyond the
// Snapshot sections.
func readAll(b *Board) map[string]readerResult {
	b.now = func() time.Time { return fixedNow }
	out := map[string]readerResult{}
	put := func(name string, v any, err error) {
		r := readerResult{Value: v}
		if err != nil {
			r.Error = err.Error()
		}
		out[name] = r
	}
	v1, err := b.CPUTimes()
	put("cpu_times", v1, err)
	v2, err := b.InterfaceStats()
	put("interfaces", v2, err)
	v3, err := b.NetStats()
	put("netstat", v3, err)
	v4, err := b.Conntrack()
	put("conntrack", v4, err)
	v5, err := b.FileFD()
	put("filefd", v5, err)
	v6, err := b.Filesystems()
	put("filesystems", v6, err)
	v7, err := b.Hwmon()
	put("hwmon", v7, err)
	v8, err := b.Entropy()
	put("entropy", v8, err)
	put("time", b.Clock(), nil)
	v9, err := b.Uname()
	put("uname", v9, err)
	v10, err := b.OpenWrtRelease()
	put("openwrt_release", v10, err)
	v11, err := b.DHCPLeases()
	put("dhcp_leases", v11, err)
	lan, lanErr := b.LANPrefixes()
	put("lan_prefixes", lan, lanErr)
	v12, err := b.ClientTraffic(lan)
	put("client_traffic", v12, err)
	v13, err := b.WAN()
	put("wan", v13, err)
	v14, err := b.WifiInterfaces()
	put("wifi_interfaces", v14, err)
	v15, err := b.WifiStations()
	put("wifi_stations", v15, err)
	return out
}

func TestReadersGolden(t *testing.T) {
	for _, root := range fixtures {
		t.Run(root, func(t *testing.T) {
			got, err := json.MarshalIndent(readAll(fixture(t, root)), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", root+".readers.golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestReadersGolden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("readers of %s differ from %s (run with -update after checking the change):\n%s",
					root, path, firstDifference(got, want))
			}
		})
	}
}
