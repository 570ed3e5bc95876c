package web

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRingKeepsNewest(t *testing.T) {
	r := newRing(3)
	if r.last() != 0 || len(r.values()) != 0 {
		t.Fatal("empty ring not empty")
	}
	for i := 1; i <= 5; i++ {
		r.push(float64(i))
	}
	got := r.values()
	if len(got) != 3 || got[0] != 3 || got[2] != 5 || r.last() != 5 {
		t.Fatalf("values %v last %v, want [3 4 5] 5", got, r.last())
	}
	r.push(math.NaN())
	r.push(math.Inf(1))
	if v := r.values(); v[1] != 0 || v[2] != 0 {
		t.Fatalf("non-finite samples stored: %v", v)
	}
}

func TestHistoryRatesAndBounds(t *testing.T) {
	h := newHistory(4, 15*time.Second)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ov := Overview{Interfaces: []Interface{{Name: "wan", RxBytes: 1000, TxBytes: 50}}, System: SystemStats{MemTotalBytes: 100, MemAvailableBytes: 40, Load1: 0.5}}
	ps := []PluginSummary{{Name: "net", CPUSeconds: 10, MemoryBytes: 4096}}
	h.add(sampleInput{now: t0, overview: ov, plugins: ps, requests: 30})
	ov.Interfaces[0].RxBytes, ov.Interfaces[0].TxBytes = 16000, 20 // tx counter reset
	ps[0].CPUSeconds = 10.3
	h.add(sampleInput{now: t0.Add(15 * time.Second), overview: ov, plugins: ps, requests: 30, latMean: 0.001})
	s := h.snapshot()
	if rx := s.Interfaces["wan"].RxBytesPerSecond; rx[0] != 0 || rx[1] != 1000 {
		t.Fatalf("rx = %v, want [0 1000]", rx)
	}
	if tx := s.Interfaces["wan"].TxBytesPerSecond; tx[1] != 0 {
		t.Fatalf("tx after counter reset = %v, want 0", tx)
	}
	if cpu := s.Plugins["net"].CPUPercent; math.Abs(cpu[1]-2) > 1e-9 {
		t.Fatalf("cpu = %v, want [0 2]", cpu)
	}
	if rps := s.RequestsPerSecond; rps[0] != 0 || rps[1] != 2 {
		t.Fatalf("requests/s = %v, want [0 2]", rps)
	}
	if s.MemUsedBytes[1] != 60 || s.LatencyMeanSeconds[1] != 0.001 {
		t.Fatalf("mem used %v latency %v", s.MemUsedBytes, s.LatencyMeanSeconds)
	}
	// A plugin that goes away is dropped.
	h.add(sampleInput{now: t0.Add(30 * time.Second), overview: ov})
	if _, ok := h.plugin("net"); ok {
		t.Fatal("vanished plugin kept")
	}
	// The number of tracked plugins is capped.
	many := make([]PluginSummary, maxHistoryPlugins+10)
	for i := range many {
		many[i].Name = "p" + itoa(uint64(i))
	}
	h.add(sampleInput{now: t0.Add(45 * time.Second), plugins: many})
	if n := len(h.snapshot().Plugins); n != maxHistoryPlugins {
		t.Fatalf("%d plugins tracked, want %d", n, maxHistoryPlugins)
	}
}

func TestSparkline(t *testing.T) {
	sp := newSparkline([]float64{0, 5, 10}, 200, 22, 100, "CPU", pctText)
	if sp.Empty || sp.Line != "0,21 100,11 200,1" || sp.Last != "10.0 %" || sp.Peak != "10.0 %" {
		t.Fatalf("sparkline = %+v", sp)
	}
	if sp.Area != "0,22 0,21 100,11 200,1 200,22" {
		t.Fatalf("area = %q", sp.Area)
	}
	small := newSparkline([]float64{1, 1}, 96, 24, 40, "x", loadText)
	if small.Area != "" || small.Line != "0,1 96,1" {
		t.Fatalf("small sparkline = %+v", small)
	}
	flat := newSparkline([]float64{0, 0, 0}, 100, 20, 10, "x", loadText)
	if flat.Line != "0,19 50,19 100,19" {
		t.Fatalf("all-zero line = %q", flat.Line)
	}
	if one := newSparkline([]float64{3}, 100, 20, 10, "x", loadText); !one.Empty || one.Last != "3.00" {
		t.Fatalf("one point = %+v", one)
	}
	long := make([]float64, 240)
	for i := range long {
		long[i] = float64(i)
	}
	sp = newSparkline(long, 96, 24, 40, "x", loadText)
	if n := strings.Count(sp.Line, " ") + 1; n != 40 {
		t.Fatalf("%d points, want 40", n)
	}
}

func TestDownsample(t *testing.T) {
	got := downsample([]float64{1, 3, 5, 7, 9, 11}, 3)
	if len(got) != 3 || got[0] != 2 || got[1] != 6 || got[2] != 10 {
		t.Fatalf("downsample = %v, want [2 6 10]", got)
	}
	if got := downsample([]float64{1, 2}, 5); len(got) != 2 {
		t.Fatalf("short input changed: %v", got)
	}
}

func TestFormatters(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct{ got, want string }{
		{formatBytes(512), "512 B"},
		{formatBytes(1536), "1.5 KiB"},
		{formatBytes(128 << 20), "128 MiB"},
		{formatBytes(5 << 30), "5 GiB"},
		{formatBytes(-1), "–"},
		{formatSeconds(0.00042), "420 µs"},
		{formatSeconds(0.0125), "12.5 ms"},
		{formatSeconds(15), "15 s"},
		{formatSeconds(7200), "2 h 0 min"},
		{formatSeconds(0), "0 s"},
		{formatDuration(49 * time.Hour), "2 d 1 h"},
		{formatAgo(now, now.Add(-90*time.Second)), "1 min ago"},
		{formatAgo(now, time.Time{}), "never"},
		{formatAgo(now, now.Add(time.Minute)), "just now"},
		{formatNumber(240), "240"},
		{formatNumber(0.125), "0.125"},
		{formatCount(12345), "12.3 k"},
		{formatCount(10_000_000), "10 M"},
		{formatLimit(Limit{Max: 8 << 20, Used: 1 << 20, Unit: "bytes"}), "1 MiB of 8 MiB"},
		{formatLimit(Limit{Max: 10_000_000, Used: 12345, Unit: "instructions"}), "12.3 k of 10 M"},
		{formatLimit(Limit{Used: 3, Unit: "count"}), "3 (no limit)"},
		{shortCommit("0123456789abcdef"), "0123456789ab"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if p := limitPercent(Limit{Max: 10, Used: 20}); p != 100 {
		t.Errorf("limitPercent over max = %v", p)
	}
	if p := memPercent(SystemStats{MemTotalBytes: 200, MemAvailableBytes: 50}); p != 75 {
		t.Errorf("memPercent = %v", p)
	}
}

func TestSampleValue(t *testing.T) {
	text := []byte("# HELP process_resident_memory_bytes\n# TYPE process_resident_memory_bytes gauge\n" +
		"process_resident_memory_bytes_peak 9\nprocess_resident_memory_bytes 4206592\nprocess_virtual_memory_bytes 1e9\n")
	tests := []struct {
		text, name string
		want       uint64
	}{
		{string(text), "process_resident_memory_bytes", 4206592},
		{string(text), "process_virtual_memory_bytes", 1e9},
		{string(text), "process_open_fds", 0},
		{"process_resident_memory_bytes x\n", "process_resident_memory_bytes", 0},
		{"process_resident_memory_bytes -1\n", "process_resident_memory_bytes", 0},
		{"", "process_resident_memory_bytes", 0},
	}
	for _, tc := range tests {
		if got := sampleValue([]byte(tc.text), tc.name); got != tc.want {
			t.Errorf("sampleValue(%q, %s) = %d, want %d", tc.text, tc.name, got, tc.want)
		}
	}
	if got := residentBytes(); runtime.GOOS == "linux" && got < 1<<20 {
		t.Errorf("residentBytes() = %d on Linux, want the process's RSS", got)
	}
}
