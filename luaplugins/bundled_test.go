package luaplugins

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
)

// bundledSource returns the bundled plugin name as ReadBundled reads it.
func bundledSource(t *testing.T, name string) *Source {
	t.Helper()
	srcs, errs := ReadBundled(NewRegistry(), limits.Ceilings())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, s := range srcs {
		if s.Name() == name {
			return s
		}
	}
	t.Fatalf("no bundled plugin %q", name)
	return nil
}

// bundledFixture returns the board a bundled plugin's tests run against:
// its testdata/, else the MT7621 fixture of board/testdata.
func bundledFixture(t *testing.T, name string) *board.Board {
	t.Helper()
	dir := filepath.Join("bundled", name, "testdata")
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join("..", "board", "testdata", "openwrt-mt7621")
	}
	b, err := board.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// runBundled loads the bundled plugin name over b, runs collect() times
// times and returns the plugin (closed at the end of the test) and the
// stats of the load and of each call.
func runBundled(t *testing.T, name string, b Board, id Identity, times int) (*Plugin, []*Stats) {
	t.Helper()
	p, load, err := Load(bundledSource(t, name), Env{Board: b, Identity: id, RequireCollect: true, Log: LogFunc(func(string, string, string) {})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	stats := []*Stats{load}
	for i := 0; i < times; i++ {
		st, err := p.Collect()
		if err != nil {
			t.Fatalf("%s: collect %d: %v", name, i+1, err)
		}
		stats = append(stats, st)
	}
	return p, stats
}

// seriesText returns the plugin's series as text lines, name{labels} value.
func seriesText(p *Plugin) []string {
	var out []string
	for _, s := range p.Metrics().Snapshot() {
		var b strings.Builder
		b.WriteString(s.Name)
		b.WriteByte('{')
		for i, l := range s.Labels {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(l.Name + "=" + l.Value)
		}
		b.WriteString("} ")
		b.WriteString(strconv.FormatFloat(s.Value, 'f', -1, 64))
		out = append(out, b.String())
	}
	return out
}

// TestBundledLimitsHeadroom loads every bundled plugin over its fixture
// and runs it five times, and checks its manifest leaves at least twice
// what the load or a call used in instructions and memory (the manifests
// aim at about three times). Loading compiles main.lua under the
// instruction limit, which is most of a small plugin's count.
func TestBundledLimitsHeadroom(t *testing.T) {
	for _, name := range BundledNames() {
		src := bundledSource(t, name)
		if src.Manifest.Allows("kv") {
			continue // needs a store; example-counter only
		}
		_, stats := runBundled(t, name, bundledFixture(t, name), Identity{Key: []byte("k")}, 5)
		var instr, mem int64
		for _, st := range stats {
			instr = max(instr, st.Instructions)
			mem = max(mem, st.PeakMemory)
		}
		lim := src.Manifest.Limits
		t.Logf("%-14s %7d instructions (limit %8d, %4.1fx)  %7d bytes (limit %8d, %4.1fx)", name, instr, lim.Instructions,
			float64(lim.Instructions)/float64(max(instr, 1)), mem, lim.Memory, float64(lim.Memory)/float64(max(mem, 1)))
		if instr*2 > lim.Instructions || mem*2 > lim.Memory {
			t.Errorf("%s: used %d instructions and %d bytes; limits %d and %d leave less than 2x", name, instr, mem, lim.Instructions, lim.Memory)
		}
	}
}

// TestBundledPluginsOnEmptyBoard: on a device where none of their sources
// exist, every bundled plugin runs without error and exports nothing
// (time has a clock everywhere).
func TestBundledPluginsOnEmptyBoard(t *testing.T) {
	empty := board.NewFS(fstest.MapFS{})
	for _, name := range BundledNames() {
		if name == "time" || name == "example-counter" {
			continue
		}
		p, _ := runBundled(t, name, empty, Identity{Key: []byte("k")}, 2)
		if got := seriesText(p); len(got) > 0 {
			t.Errorf("%s exported on an empty board: %q", name, got)
		}
	}
}

// TestBundledNetstatFields: the netstat plugin exports exactly the
// fields NetstatDefaultField admits, so its Lua table and the Go rule
// agree, on the fixture's 300-odd fields.
func TestBundledNetstatFields(t *testing.T) {
	b := bundledFixture(t, "netstat")
	stats, err := b.NetStats()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for proto, fields := range stats {
		for field := range fields {
			if NetstatDefaultField(proto + "_" + field) {
				want = append(want, "node_netstat_"+proto+"_"+field)
			}
		}
	}
	p, _ := runBundled(t, "netstat", b, Identity{}, 1)
	var got []string
	for _, s := range p.Metrics().Snapshot() {
		got = append(got, s.Name)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) || len(want) < 30 {
		t.Errorf("exported %d names:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
}

// fewerStations is a board whose Wi-Fi stations after the first read are
// the first n of the fixture's: the others have left.
type fewerStations struct {
	*board.Board
	reads, n int
}

func (b *fewerStations) WifiStations() ([]board.WifiStation, error) {
	ss, err := b.Board.WifiStations()
	if b.reads++; b.reads > 1 {
		ss = ss[:b.n]
	}
	return ss, err
}

// TestBundledWifiStationsIdentity runs wifi-stations in the three client
// identity settings: the mac label is the MAC, its keyed hash (the value
// TestClientIdentity fixes), or absent with only the counts exported.
func TestBundledWifiStationsIdentity(t *testing.T) {
	for _, tt := range []struct {
		name   string
		id     Identity
		laptop string // the 5 GHz laptop's signal series
		series int
	}{
		{"exposed", Identity{Expose: true}, "wifi_station_signal_dbm{ifname=phy1-ap0,mac=00:00:5e:00:53:a1} -47", 2 + 3*9},
		{"hashed", Identity{Key: []byte("heimnetz-test-key")}, "wifi_station_signal_dbm{ifname=phy1-ap0,mac=h:a5a789023675} -47", 2 + 3*9},
		{"removed", Identity{}, "", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := runBundled(t, "wifi-stations", bundledFixture(t, "wifi-stations"), tt.id, 2)
			got := seriesText(p)
			if len(got) != tt.series || tt.laptop != "" && !slices.Contains(got, tt.laptop) ||
				!slices.Contains(got, "wifi_stations{ifname=phy0-ap0} 2") {
				t.Errorf("got %d series, want %d with %q:\n%s", len(got), tt.series, tt.laptop, strings.Join(got, "\n"))
			}
			for _, s := range got {
				if strings.Contains(s, "mac=00:") && !tt.id.Expose {
					t.Errorf("a MAC address in %s", s)
				}
			}
		})
	}
}

// TestBundledWifiStationsLeave: the series of a station that left are
// deleted and the counts follow.
func TestBundledWifiStationsLeave(t *testing.T) {
	b := &fewerStations{Board: bundledFixture(t, "wifi-stations"), n: 2}
	p, _ := runBundled(t, "wifi-stations", b, Identity{Expose: true}, 2)
	got := strings.Join(seriesText(p), "\n")
	if strings.Contains(got, "00:00:5e:00:53:a1") || !strings.Contains(got, "wifi_stations{ifname=phy1-ap0} 0") ||
		!strings.Contains(got, "wifi_station_transmit_bytes_total{ifname=phy0-ap0,mac=00:00:5e:00:53:a2} 921033441") || p.Metrics().Series() != 2+2*9 {
		t.Errorf("after the laptop left (%d series):\n%s", p.Metrics().Series(), got)
	}
}

// manyStations is a board with n stations on the first interface, made
// from the fixture's first.
type manyStations struct {
	*board.Board
	n int
}

func (b *manyStations) WifiStations() ([]board.WifiStation, error) {
	ss, err := b.Board.WifiStations()
	if err != nil {
		return nil, err
	}
	out := make([]board.WifiStation, b.n)
	for i := range out {
		out[i] = ss[0]
		out[i].MAC = fmt.Sprintf("00:00:5e:00:54:%02x", i)
	}
	return out, nil
}

// TestBundledWifiStationsAtItsBound: with more stations than it gives
// series to, wifi-stations stays within its series and instruction
// limits (the manifest is sized for this case) and counts them all.
func TestBundledWifiStationsAtItsBound(t *testing.T) {
	p, stats := runBundled(t, "wifi-stations", &manyStations{Board: bundledFixture(t, "wifi-stations"), n: 60}, Identity{Key: []byte("k")}, 3)
	lim := bundledSource(t, "wifi-stations").Manifest.Limits
	var instr, mem int64
	for _, st := range stats {
		instr, mem = max(instr, st.Instructions), max(mem, st.PeakMemory)
	}
	t.Logf("60 stations: %d series, %d instructions (limit %d), %d bytes peak (limit %d)", p.Metrics().Series(), instr, lim.Instructions, mem, lim.Memory)
	if got := seriesText(p); !slices.Contains(got, "wifi_stations{ifname=phy0-ap0} 60") || p.Metrics().Series() != 2+48*9 {
		t.Errorf("%d series", p.Metrics().Series())
	}
	if instr*2 > lim.Instructions || mem*2 > lim.Memory {
		t.Errorf("at its bound: %d instructions, %d bytes; limits %d and %d leave less than 2x", instr, mem, lim.Instructions, lim.Memory)
	}
}
