package luaplugins

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/board"
)

// rotatingStations is a board whose Wi-Fi stations change on every read:
// n stations on the fixture's first station's interface, one leaving and
// a new MAC arriving per read, so n+reads-1 distinct stations pass through.
type rotatingStations struct {
	*board.Board
	n, reads int
}

func (b *rotatingStations) WifiStations() ([]board.WifiStation, error) {
	ss, err := b.Board.WifiStations()
	if err != nil {
		return nil, err
	}
	out := make([]board.WifiStation, b.n)
	for i := range out {
		id := b.reads + i
		out[i] = ss[0]
		out[i].MAC = fmt.Sprintf("00:00:5e:%02x:%02x:%02x", id>>16&0xff, id>>8&0xff, id&0xff)
	}
	b.reads++
	return out, nil
}

// TestBundledWifiStationsChurn runs wifi-stations 1000 times on an access
// point where a station leaves and a new one arrives every run, recounting
// after every run: its live memory must not grow with the stations it has
// seen (gopher-lua patch 15; before it, every station ever seen stayed as
// a key of the plugin's `known` table: 81,309 bytes live at run 100,
// 167,709 at run 1000, about 96 bytes a station, until the 2 MiB cap would
// have disabled it; with it 72,498 and 73,038).
func TestBundledWifiStationsChurn(t *testing.T) {
	const runs = 1000
	b := &rotatingStations{Board: bundledFixture(t, "wifi-stations"), n: 5}
	p, _, err := Load(bundledSource(t, "wifi-stations"), Env{Board: b, Identity: Identity{Key: []byte("k")},
		RequireCollect: true, LiveEvery: 1, Log: LogFunc(func(string, string, string) {})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	p.host.Now = func() time.Time { return now } // runs 30 s apart: no read-rate limit
	var live [runs + 1]int64
	for run := 1; run <= runs; run++ {
		now = now.Add(30 * time.Second)
		st, err := p.Collect()
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		live[run] = st.LiveMemory
		// A station the plugin forgot while it stayed would have its
		// counter added again from zero: each must be the fixture's total.
		for _, s := range seriesText(p) {
			if strings.HasPrefix(s, "wifi_station_transmit_bytes_total{") && !strings.HasSuffix(s, "} 921033441") {
				t.Fatalf("run %d: counter added twice: %s", run, s)
			}
		}
	}
	t.Logf("live memory at runs 10, 100, 500, 1000: %d, %d, %d, %d bytes", live[10], live[100], live[500], live[runs])
	if got := p.Metrics().Series(); got != 2+5*9 {
		t.Errorf("%d series, want %d", got, 2+5*9)
	}
	if g := live[runs] - live[100]; g > 4096 || g < -4096 {
		t.Errorf("live memory went from %d at run 100 to %d at run %d", live[100], live[runs], runs)
	}
}
