package luaplugins

import (
	"flag"
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

var updateGolden = flag.Bool("update", false, "rewrite testdata/bundled.golden.prom")

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
	return runSource(t, bundledSource(t, name), b, id, times)
}

// halfLimits returns the bundled plugin name with half its manifest's
// instruction and memory limits: a plugin that runs under them has at
// least twice what it needs. (Peak memory is no measure of need: garbage
// piles up to the cap before the meter recounts what is live.)
func halfLimits(t *testing.T, name string) *Source {
	src := *bundledSource(t, name)
	m := *src.Manifest
	m.Limits.Instructions /= 2
	m.Limits.Memory /= 2
	src.Manifest = &m
	return &src
}

// runSource is runBundled for a source.
func runSource(t *testing.T, src *Source, b Board, id Identity, times int) (*Plugin, []*Stats) {
	t.Helper()
	name := src.Name()
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		// Under qemu on a shared machine the VM runs ~10x slower: these
		// tests measure instructions, memory and series, which do not
		// depend on speed, so the wall-time limit is raised to match.
		cp, m := *src, *src.Manifest
		m.Limits.Timeout *= 10
		cp.Manifest = &m
		src = &cp
	}
	p, load, err := Load(src, Env{Board: b, Identity: id, RequireCollect: true, Log: LogFunc(func(string, string, string) {})})
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
// under half its manifest's instruction and memory limits and runs it
// five times: each has at least twice what it needs (the manifests aim
// at about three times). Loading compiles main.lua under the instruction
// limit, which is most of a small plugin's count.
func TestBundledLimitsHeadroom(t *testing.T) {
	for _, name := range BundledNames() {
		src := halfLimits(t, name)
		if src.Manifest.Allows("kv") {
			continue // needs a store; example-counter only
		}
		_, stats := runSource(t, src, bundledFixture(t, name), Identity{Key: []byte("k")}, 5)
		var instr, mem int64
		for _, st := range stats {
			instr = max(instr, st.Instructions)
			mem = max(mem, st.PeakMemory)
		}
		lim := src.Manifest.Limits
		t.Logf("%-14s %7d instructions (half limit %8d)  %7d bytes peak (half limit %8d)", name, instr, lim.Instructions, mem, lim.Memory)
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

// TestBundledScrapePassesPromtool runs every bundled plugin over its
// fixture into one family registry, with client identity exposed (host
// names in labels), and checks the whole exposition with promtool: the
// only complaints may be NodeExporterLint's. It also prints the scrape's
// size.
func TestBundledScrapePassesPromtool(t *testing.T) {
	fam := NewFamilies()
	var sets []*PluginMetrics
	for _, name := range BundledNames() {
		src := bundledSource(t, name)
		if src.Manifest.Allows("kv") {
			continue
		}
		p, _, err := Load(src, Env{Board: bundledFixture(t, name), Families: fam, Identity: Identity{Expose: true}, Log: LogFunc(func(string, string, string) {})})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		for range 2 {
			if _, err := p.Collect(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		sets = append(sets, p.Metrics())
	}
	var out strings.Builder
	WritePrometheus(&out, fam, sets)
	text := out.String()
	t.Logf("%d lines, %d bytes from %d plugins", strings.Count(text, "\n"), len(text), len(sets))
	said, _ := promtool(t, text)
	tolerated := 0
	for l := range strings.Lines(said) {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !NodeExporterLint(l) {
			t.Errorf("promtool: %s", l)
		}
		tolerated++
	}
	for _, want := range []string{`wifi_station_signal_dbm{plugin="wifi-stations",ifname="phy1-ap0",mac="00:00:5e:00:53:a1"} -47`,
		`heimnetz_dhcp_lease_info{plugin="dhcp-leases",family="ipv4",hostname="laptop-anna",ip="192.168.1.23",mac="00:00:5e:00:53:a1",source="dnsmasq"} 1`,
		`node_netstat_Tcp_CurrEstab{plugin="netstat"} 14`, `heimnetz_wan_up{plugin="wan",family="ipv4"} 1`,
		`node_nat_traffic{plugin="nat-traffic",src="192.168.1.23"} 3659431`} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("scrape lacks %s", want)
		}
	}
	t.Logf("promtool: %d node_exporter lints tolerated", tolerated)

	// The whole scrape but the clock's and the local zone's, against a
	// golden file: a change to any bundled plugin's output shows in
	// review.
	var stable strings.Builder
	for l := range strings.Lines(text) {
		if !strings.HasPrefix(l, "node_time_seconds{") && !strings.HasPrefix(l, "node_time_zone_offset_seconds{") {
			stable.WriteString(l)
		}
	}
	const golden = "testdata/bundled.golden.prom"
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(stable.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if stable.String() != string(want) {
		t.Errorf("scrape differs from %s (run go test -run TestBundledScrapePassesPromtool -update and review the diff)", golden)
	}
}
