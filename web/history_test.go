package web

import (
	"math"
	"os"
	"runtime"
	"strconv"
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
	sp := newSparkline([]float64{0, 5, 10}, 200, 22, 100, "CPU", 0, pctText)
	if sp.Empty || sp.Line != "0,21 100,11 200,1" || sp.Last != "10.0\u00a0%" || sp.Peak != "10.0\u00a0%" {
		t.Fatalf("sparkline = %+v", sp)
	}
	if sp.Area != "0,22 0,21 100,11 200,1 200,22" {
		t.Fatalf("area = %q", sp.Area)
	}
	small := newSparkline([]float64{1, 1}, 96, 24, 40, "x", 0, loadText)
	if small.Area != "" || small.Line != "0,1 96,1" {
		t.Fatalf("small sparkline = %+v", small)
	}
	flat := newSparkline([]float64{0, 0, 0}, 100, 20, 10, "x", 0, loadText)
	if flat.Line != "0,19 50,19 100,19" {
		t.Fatalf("all-zero line = %q", flat.Line)
	}
	if one := newSparkline([]float64{3}, 100, 20, 10, "x", 0, loadText); !one.Empty || one.Last != "3.00" {
		t.Fatalf("one point = %+v", one)
	}
	long := make([]float64, 240)
	for i := range long {
		long[i] = float64(i)
	}
	sp = newSparkline(long, 96, 24, 40, "x", 0, loadText)
	if n := strings.Count(sp.Line, " ") + 1; n != 40 {
		t.Fatalf("%d points, want 40", n)
	}
}

// TestSparklineCaptionFollowsLine checks that a chart's caption is made of
// the numbers it draws: the newest point and the highest, each shown
// non-zero whenever the line rises visibly above the baseline.
func TestSparklineCaptionFollowsLine(t *testing.T) {
	tiny := make([]float64, 240)
	for i := range tiny {
		tiny[i] = 0.002 * float64(i%7) // CPU shares of a few thousandths of a percent
	}
	rising := make([]float64, 240)
	for i := range rising {
		rising[i] = float64(i)
	}
	cases := []struct {
		name      string
		vals      []float64
		fullScale float64
		format    func(float64) string
		last      string
		peak      string
	}{
		{"tiny CPU, auto scale", tiny, 0, pctText, "0.0063~%", "0.0070~%"},
		{"tiny CPU, 1 % full scale", tiny, cpuFullScale, pctText, "0.0063~%", "0.0070~%"},
		{"mean of the newest bucket", rising, 0, loadText, "236.50", "236.50"},
		{"one spike", []float64{0, 0, 0.04, 0}, 0, pctText, "0~%", "0.040~%"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := newSparkline(c.vals, sparkW, sparkH, overviewPoints, "x", c.fullScale, c.format)
			if want := strings.ReplaceAll(c.last, "~", "\u00a0"); sp.Last != want {
				t.Errorf("Last = %q, want %q", sp.Last, want)
			}
			if want := strings.ReplaceAll(c.peak, "~", "\u00a0"); sp.Peak != want {
				t.Errorf("Peak = %q, want %q", sp.Peak, want)
			}
			top := float64(sparkH)
			for _, pt := range strings.Fields(sp.Line) {
				_, y, _ := strings.Cut(pt, ",")
				v, err := strconv.ParseFloat(y, 64)
				if err != nil {
					t.Fatalf("point %q: %v", pt, err)
				}
				top = min(top, v)
			}
			visible := top < float64(sparkH-1)-0.5
			if zero := strings.Trim(strings.TrimSuffix(sp.Peak, "\u00a0%"), "0.") == ""; visible && zero {
				t.Errorf("the line rises to y=%v but the caption says peak %q", top, sp.Peak)
			}
			if c.fullScale > 0 && visible && top < float64(sparkH)/2 {
				t.Errorf("a peak of %s fills %v of %d px under a full scale of %v", sp.Peak, float64(sparkH-1)-top, sparkH, c.fullScale)
			}
		})
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
	// want writes the no-break space between a number and its unit as ~.
	cases := []struct{ got, want string }{
		{formatBytes(512), "512~B"},
		{formatBytes(1536), "1.5~KiB"},
		{formatBytes(128 << 20), "128~MiB"},
		{formatBytes(5 << 30), "5~GiB"},
		{formatBytes(-1), "–"},
		{formatSeconds(0.00042), "420~µs"},
		{formatSeconds(0.0125), "12.5~ms"},
		{formatSeconds(15), "15~s"},
		{formatSeconds(7200), "2~h 0~min"},
		{formatSeconds(0), "0~s"},
		{formatDuration(49 * time.Hour), "2~d 1~h"},
		{formatAgo(now, now.Add(-90*time.Second)), "1~min ago"},
		{formatAgo(now, time.Time{}), "never"},
		{formatAgo(now, now.Add(time.Minute)), "just now"},
		{formatNumber(240), "240"},
		{formatNumber(0.125), "0.125"},
		{formatCount(12345), "12.3~k"},
		{formatCount(10_000_000), "10~M"},
		{formatLimit(Limit{Max: 8 << 20, Used: 1 << 20, Unit: "bytes"}), "1~MiB of 8~MiB"},
		{formatLimit(Limit{Max: 10_000_000, Used: 12345, Unit: "instructions"}), "12.3~k of 10~M"},
		{formatLimit(Limit{Used: 3, Unit: "count"}), "3 (no limit)"},
		{formatPercent(42), "42.0~%"},
		{formatPercent(0.5), "0.50~%"},
		{formatPercent(0.031), "0.031~%"},
		{formatPercent(0.00012), "0.0001~%"},
		{formatPercent(0.00001), "<0.0001~%"},
		{formatPercent(0), "0~%"},
		{formatLimit(Limit{Max: 10, Used: 0.04, Unit: "percent"}), "0.040~% of 10.0~%"},
		{formatWindow(240, 15), "1~h"},
		{formatWindow(2, 15), "30~s"},
		{formatWindow(48, 15), "12~min"},
		{shortCommit("0123456789abcdef"), "0123456789ab"},
	}
	for i, c := range cases {
		if want := strings.ReplaceAll(c.want, "~", "\u00a0"); c.got != want {
			t.Errorf("case %d: got %q, want %q", i, c.got, want)
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
	// qemu-user answers /proc/self/stat itself, with an RSS of 0: the
	// figure is checked natively only.
	if got := residentBytes(); runtime.GOOS == "linux" && os.Getenv("HEIMNETZ_EMULATED") == "" && got < 1<<20 {
		t.Errorf("residentBytes() = %d on Linux, want the process's RSS", got)
	}
}

func TestDownsampleWeighted(t *testing.T) {
	// Four intervals: 10 requests at 2 ms, a quiet one, 30 at 4 ms, quiet.
	means := []float64{0.002, 0, 0.004, 0}
	rates := []float64{10, 0, 30, 0}
	if got := downsampleWeighted(means, rates, 2); len(got) != 2 || got[0] != 0.002 || got[1] != 0.004 {
		t.Errorf("two buckets = %v, want [0.002 0.004]: quiet intervals do not lower the mean", got)
	}
	if got := downsampleWeighted(means, rates, 1); len(got) != 4 {
		t.Errorf("n=1 = %v, want the input unchanged in length, as downsample", got)
	}
	if got := downsampleWeighted(means, rates, 10); got[0] != 0.002 || got[1] != 0 || got[2] != 0.004 {
		t.Errorf("more buckets than points = %v, want the means as they are", got)
	}
	if got := downsampleWeighted(means, rates[:2], 2); got[0] != 0.001 {
		t.Errorf("mismatched weights = %v, want plain averages", got)
	}
}
