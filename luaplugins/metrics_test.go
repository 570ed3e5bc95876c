package luaplugins

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// heapInUse returns the live Go heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// loadMetricsPlugin loads main with the metrics permission and the
// default limits into fam, as the agent does.
func loadMetricsPlugin(t *testing.T, name, main string, fam *Families) *Plugin {
	t.Helper()
	src := &Source{Origin: name, Main: []byte(main), Manifest: &Manifest{Name: name, Version: "1.0.0", Interval: time.Minute,
		Permissions: []string{"metrics"}, Limits: limits.Defaults()}}
	p, _, err := Load(src, Env{Families: fam, Log: LogFunc(func(string, string, string) {})})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMetricMemoryBound runs the metrics memory attacks against one
// agent-wide family registry and measures, from outside, what the Go heap
// keeps while the plugins stay loaded: each plugin's kept metrics must
// stay within its byte budget, and the heap within the budgets plus the
// Lua states. Before the host copied what it keeps, the substring attack
// kept a 2 MB string alive per family (1.1 GB peak RSS for `plugin run`).
func TestMetricMemoryBound(t *testing.T) {
	attacks := []struct {
		name, main string
		calls      int
		limit      string // the limit the error names; "": every call succeeds
	}{
		{"substring-family", `local n = 0
function collect()
  n = n + 1
  local big = string.format("sub_family_%04d_", n) .. string.rep("a", 2000000)
  metrics.set(big:sub(1, 16), 1)
end`, 150, fmt.Sprintf("%d metric families", MaxPluginFamilies)},
		{"substring-label", `local n = 0
function collect()
  n = n + 1
  local big = string.format("%08d", n) .. string.rep("b", 2000000)
  metrics.set("sub_label_value", n, { id = big:sub(1, 8) })
end`, 400, ""},
		{"long-labels", `local n = 0
function collect()
  n = n + 1
  local labels = {}
  for k = 1, 8 do labels["label_" .. k] = string.rep(string.char(96 + k), 120) .. string.format("%08d", n) end
  metrics.set("long_labels", n, labels)
end`, 500, "256000 bytes of metric names and labels"},
	}
	fam := NewFamilies()
	base := heapInUse()
	var plugins []*Plugin
	budgets := 0
	for _, a := range attacks {
		p := loadMetricsPlugin(t, a.name, a.main, fam)
		plugins = append(plugins, p)
		var err error
		for i := 0; i < a.calls && err == nil; i++ {
			_, err = p.Collect()
		}
		switch {
		case a.limit == "" && err != nil:
			t.Errorf("%s: %v", a.name, err)
		case a.limit != "" && (err == nil || !strings.Contains(err.Error(), limits.ErrOutput.Error()+" ("+a.limit+")")):
			t.Errorf("%s: error %v, want the output limit naming %q", a.name, err, a.limit)
		}
		pm := p.Metrics()
		if pm.Bytes() > pm.MaxBytes() {
			t.Errorf("%s: %d metric bytes kept, over the budget of %d", a.name, pm.Bytes(), pm.MaxBytes())
		}
		budgets += pm.MaxBytes()
		t.Logf("%s: %d series, %d metric bytes charged, Lua memory %d", a.name, pm.Series(), pm.Bytes(), p.MemoryInUse())
	}
	grew := heapInUse() - base
	t.Logf("Go heap grew by %d KiB with %d plugins loaded (metric byte budgets %d KiB)", grew>>10, len(plugins), budgets>>10)
	// The bound: the byte budgets and 1 MiB for the Lua states' live
	// values (their 2 MB strings are garbage once a call returns). One
	// 2 MB parent kept alive by the host breaks it.
	if bound := int64(budgets) + 1<<20; grew > bound {
		t.Errorf("Go heap grew by %d bytes, more than the bound of %d", grew, bound)
	}
	for _, p := range plugins {
		p.Metrics().Drop()
		p.Close()
	}
	if n := fam.Len(); n != 0 {
		t.Errorf("%d families left after every plugin dropped its metrics", n)
	}
}

// TestSeriesOverhead measures what one series costs the Go heap besides
// its strings, to keep seriesOverhead an upper bound of it.
func TestSeriesOverhead(t *testing.T) {
	lim := limits.Defaults()
	lim.MetricSeries = 2000
	pm := NewPluginMetrics("overhead", NewFamilies(), lim)
	pm.maxBytes = 1 << 30
	before := heapInUse()
	for i := range lim.MetricSeries {
		if err := pm.SetGauge("overhead_value", 1, map[string]string{"id": fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	grew := heapInUse() - before
	perSeries := grew / int64(lim.MetricSeries)
	charged := int64(pm.Bytes() / lim.MetricSeries)
	t.Logf("heap per series %d B, charged per series %d B", perSeries, charged)
	if perSeries > charged {
		t.Errorf("a series costs %d B of heap but is charged %d B: raise seriesOverhead", perSeries, charged)
	}
	runtime.KeepAlive(pm)
}

// FuzzSetGaugeLabels: any label value the rules accept becomes a series
// the metrics library accepts (it panics on one it does not) and reads
// back unchanged in the snapshot.
func FuzzSetGaugeLabels(f *testing.F) {
	for _, s := range []string{`a",b`, `\`, "x\ny", `\"`, "{}", "=", "\r\t\x00", "a\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		pm := NewPluginMetrics("fuzz", NewFamilies(), limits.Defaults())
		err := pm.SetGauge("fuzz_value", 1, map[string]string{"v": v})
		if err != nil {
			if !errors.Is(err, ErrMetric) {
				t.Fatalf("error %v does not wrap ErrMetric", err)
			}
			return
		}
		snap := pm.Snapshot()
		if len(snap) != 1 || len(snap[0].Labels) != 1 || snap[0].Labels[0].Value != v {
			t.Fatalf("snapshot %+v does not hold %q", snap, v)
		}
	})
}

// TestKnownFamilyOtherKind: a family a plugin already has is not a pass
// for the other kind.
func TestKnownFamilyOtherKind(t *testing.T) {
	pm := NewPluginMetrics("kinds", NewFamilies(), limits.Defaults())
	if err := pm.SetGauge("queue_depth", 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := pm.AddCounter("queue_depth", 1, nil); !errors.Is(err, ErrMetric) {
		t.Errorf("counter on a known gauge family: %v", err)
	}
	if err := pm.AddCounter("queue_events_total", 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := pm.SetGauge("queue_events_total", 1, nil); !errors.Is(err, ErrMetric) {
		t.Errorf("gauge on a known counter family: %v", err)
	}
}

// TestNodeExporterNamesBundledOnly: a plugin loaded from the binary may
// export node_exporter's exact names; the same code from a directory (a
// local plugin, an installed one, one replacing a bundled plugin, one in
// a directory that happens to be called "bundled") may not.
func TestNodeExporterNamesBundledOnly(t *testing.T) {
	const main = `function collect()
  metrics.set("node_memory_MemTotal_bytes", 268435456)
  metrics.set("node_memory_HugePages_Total", 0)
  metrics.set("node_entropy_available_bits", 256)
end`
	run := func(origin string) (*Plugin, error) {
		t.Helper()
		src := &Source{Origin: origin, Main: []byte(main), Manifest: &Manifest{Name: "meminfo", Version: "1.0.0", Interval: time.Minute,
			Permissions: []string{"metrics"}, Limits: limits.Defaults()}}
		p, _, err := Load(src, Env{Families: NewFamilies(), Log: LogFunc(func(string, string, string) {})})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		_, err = p.Collect()
		return p, err
	}
	p, err := run(OriginBundled)
	if err != nil {
		t.Fatalf("bundled: %v", err)
	}
	var names []string
	for _, s := range p.Metrics().Snapshot() {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "node_entropy_available_bits,node_memory_HugePages_Total,node_memory_MemTotal_bytes" {
		t.Errorf("bundled plugin exported %s", got)
	}
	for _, origin := range []string{"/etc/heimnetz/plugins/meminfo", "/var/lib/heimnetz/installed/meminfo", "meminfo", "bundled/meminfo", "./bundled"} {
		p, err := run(origin)
		if err == nil || !strings.Contains(err.Error(), "invalid metric") || !strings.Contains(err.Error(), "lowercase") {
			t.Errorf("origin %s: %v, want the lowercase rule", origin, err)
		}
		if n := p.Metrics().Series(); n != 0 {
			t.Errorf("origin %s: %d series kept", origin, n)
		}
	}
}

// TestMetricsDelete: a deleted series leaves /metrics, gives back its
// place under the series limit and its bytes, and a counter written
// again starts from 0.
func TestMetricsDelete(t *testing.T) {
	fam := NewFamilies()
	lim := limits.Defaults()
	lim.MetricSeries = 2
	src := &Source{Origin: "t", Manifest: &Manifest{Name: "t", Version: "1.0.0", Interval: time.Minute, Permissions: []string{"metrics"}, Limits: lim}, Main: []byte(`
function collect()
  metrics.add("station_bytes_total", 5, { mac = "a" })
  metrics.set("stations", 1)
  assert(metrics.delete("station_bytes_total", { mac = "a" }) == true)
  assert(metrics.delete("station_bytes_total", { mac = "a" }) == false)
  assert(metrics.delete("never_set") == false)
  metrics.add("station_bytes_total", 2, { mac = "b" }) -- the freed place
  metrics.add("station_bytes_total", 3, { mac = "a" }) -- the third series: over the limit
end`)}
	p, _, err := Load(src, Env{Families: fam})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	before := 0
	if _, err := p.Collect(); err == nil || !strings.Contains(err.Error(), "2 metric series") {
		t.Fatalf("collect: %v, want the series limit on the third series", err)
	}
	var out strings.Builder
	WritePrometheus(&out, fam, []*PluginMetrics{p.Metrics()})
	got := out.String()
	if strings.Contains(got, `mac="a"`) || !strings.Contains(got, `station_bytes_total{plugin="t",mac="b"} 2`) || p.Metrics().Series() != 2 {
		t.Fatalf("after delete:\n%s", got)
	}
	m := p.Metrics()
	before = m.Bytes()
	if !m.Delete("station_bytes_total", map[string]string{"mac": "b"}) || m.Bytes() >= before || m.Series() != 1 {
		t.Fatalf("Delete: bytes %d → %d, series %d", before, m.Bytes(), m.Series())
	}
	if err := m.AddCounter("station_bytes_total", 1, map[string]string{"mac": "b"}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	WritePrometheus(&out, fam, []*PluginMetrics{m})
	if !strings.Contains(out.String(), `station_bytes_total{plugin="t",mac="b"} 1`) {
		t.Errorf("counter written after delete:\n%s", out.String())
	}
}
