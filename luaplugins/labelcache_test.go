package luaplugins

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// labelCacheCases are plugins that reuse, change and abuse their label
// tables between metrics calls. Each prints what its calls raise, so the
// output with and without the cache can be compared.
var labelCacheCases = []struct{ name, main string }{
	{"kept table", `
local t = {device = "eth0", kind = "wired"}
function collect()
  for i = 1, 3 do metrics.set("g", i, t); metrics.add("c_total", i, t) end
  metrics.set("n", 1); metrics.set("n", 2); metrics.set("n", 3, nil)
end`},
	{"value changed", `
local t = {device = "eth0"}
local n = 0
function collect()
  n = n + 1
  metrics.set("g", n, t)
  t.device = "eth" .. n
  metrics.set("g", n * 10, t)
  metrics.add("c_total", n, t)
end`},
	{"keys added and removed", `
local t = {a = "1"}
local n = 0
function collect()
  n = n + 1
  metrics.set("g", n, t)
  t.b = "x"
  metrics.set("g", n, t)
  t.a = nil
  metrics.set("g", n, t)
  t.a, t.b = "1", nil
  metrics.set("g", n + 100, t)
end`},
	{"value types", `
local t = {v = "1"}
local vals = {1, "1", true, "true", 0, -0, "-0", 0/0, 1e300, "1e+300", 0.1, "0.1", false}
function collect()
  for i, v in ipairs(vals) do
    t.v = v
    local ok, err = pcall(metrics.set, "g", i, t)
    if not ok then print(err) end
  end
end`},
	{"turned invalid", `
local t = {a = "ok"}
local bad = {
  function(t) t.a = string.rep("x", 100000) end,
  function(t) t.a = nil; t.plugin = "x" end,
  function(t) t.plugin = nil; t["Bad-Name"] = "x" end,
  function(t) t["Bad-Name"] = nil; t[1] = "x" end,
  function(t) t[1] = nil; for i = 1, 9 do t["l" .. i] = "x" end end,
  function(t) for i = 1, 9 do t["l" .. i] = nil end; t.a = {} end,
  function(t) t.a = "\255" end,
  function(t) t.a = "ok" end,
}
function collect()
  for i, f in ipairs(bad) do
    for k in pairs(t) do t[k] = nil end
    t.a = "ok"
    metrics.set("g", i, t)
    f(t)
    local ok, err = pcall(metrics.set, "g", i, t)
    if not ok then print(i, err) end
    ok, err = pcall(metrics.add, "c_total", i, t)
    if not ok then print(i, err) end
  end
end`},
	{"deleted and made again", `
local t = {a = "1"}
function collect()
  metrics.add("c_total", 5, t)
  metrics.set("g", 5, t)
  print(metrics.delete("c_total", t))
  metrics.add("c_total", 1, t)
  metrics.set("g", 6)
  print(metrics.delete("g"))
  metrics.set("g", 7)
end`},
	{"series cap through one table", `
local t = {i = "0"}
function collect()
  for i = 1, 510 do
    t.i = tostring(i)
    local ok, err = pcall(metrics.set, "s", i, t)
    if not ok then print(i, err) end
  end
  t.i = "1"
  metrics.set("s", -1, t)
end`},
	{"kind mixed up", `
local t = {a = "1"}
function collect()
  metrics.set("g", 1, t)
  print(pcall(metrics.add, "g", 1, t))
  metrics.add("c_total", 1, t)
  print(pcall(metrics.set, "c_total", 1, t))
  print(pcall(metrics.add, "c_total", -1, t))
  metrics.add("c_total", 1e308, t)
  print(pcall(metrics.add, "c_total", 1e308, t))
end`},
	{"fresh tables", `
local n = 0
function collect()
  for i = 1, 1500 do
    n = n + 1
    metrics.add("c_total", 1, {i = tostring(n % 300), parity = n % 2 == 0})
  end
end`},
	{"two names one table", `
local t = {a = "1"}
function collect()
  metrics.set("x", 1, t); metrics.set("y", 2, t)
  t.a = "2"
  metrics.set("y", 3, t); metrics.set("x", 4, t)
  t.a = "1"
  metrics.set("y", 5, t)
end`},
}

// TestLabelCacheSameOutput runs each case three rounds with and without
// the label cache: the series, their values and the errors raised must be
// the same.
func TestLabelCacheSameOutput(t *testing.T) {
	for _, c := range labelCacheCases {
		t.Run(c.name, func(t *testing.T) {
			with := labelCacheRun(t, c.main, false)
			without := labelCacheRun(t, c.main, true)
			if with != without {
				t.Errorf("with the cache:\n%s\nwithout:\n%s", with, without)
			}
			if testing.Verbose() {
				t.Logf("%d lines of output", strings.Count(with, "\n"))
			}
		})
	}
}

// labelCacheRun runs main's collect() three times and returns its printed
// lines and its series.
func labelCacheRun(t *testing.T, main string, off bool) string {
	t.Helper()
	labelCacheOff = off
	defer func() { labelCacheOff = false }()
	p, logs, err := load(t, main, "metrics")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for round := range 3 {
		if _, err := p.Collect(); err != nil {
			fmt.Fprintf(&b, "round %d: %v\n", round, err)
		}
	}
	for _, l := range logs.lines {
		b.WriteString(l + "\n")
	}
	smp := p.Metrics().Snapshot()
	for _, s := range smp {
		fmt.Fprintf(&b, "%s %v %g\n", s.Name, s.Labels, s.Value)
	}
	if len(smp) == 0 || !slices.ContainsFunc(smp, func(s Sample) bool { return s.Value != 0 }) {
		t.Errorf("no series written:\n%s", b.String())
	}
	return b.String()
}

// TestLabelCacheBounded: a plugin passing a fresh table of MaxLabels
// labels on every call, 5,000 times over 200 series, keeps the cache
// within its pair and byte bounds and its content index within one entry
// per series, and each call's series is found again.
func TestLabelCacheBounded(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	pm := NewPluginMetrics("t", NewFamilies(), limits.Defaults())
	c := newLabelCache(pm)
	for i := range 5000 {
		tb := L.NewTable()
		labels := map[string]string{}
		for j := range MaxLabels {
			k, v := fmt.Sprintf("label_%d", j), fmt.Sprint(i%200)
			tb.RawSetString(k, lua.LString(v))
			labels[k] = v
		}
		s, err := pm.write("g", KindGauge, float64(i), labels)
		if err != nil {
			t.Fatal(err)
		}
		c.put(tb, s)
		if over := cachedTableCost + cachedLabelCost*MaxLabels + cachedPairCost; c.bytes > c.maxBytes+over || c.pairs > c.max {
			t.Fatalf("call %d: cache holds %d bytes in %d pairs, bounds %d and %d", i, c.bytes, c.pairs, c.maxBytes, c.max)
		}
		if got := c.get("g", tb); got != s {
			t.Fatalf("call %d: the table just put is not found", i)
		}
	}
	n := 0
	for _, ss := range c.byContent {
		n += len(ss)
	}
	if n != pm.Series() {
		t.Errorf("content index holds %d series, the plugin has %d", n, pm.Series())
	}
	t.Logf("%d bytes in %d pairs (bounds %d, %d)", c.bytes, c.pairs, c.maxBytes, c.max)
}

// BenchmarkLabelCacheGet is a cache hit for a kept label table of three
// labels (the bundled plugins' way) and for a fresh table with the same
// labels each call.
func BenchmarkLabelCacheGet(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	pm := NewPluginMetrics("t", NewFamilies(), limits.Defaults())
	c := newLabelCache(pm)
	labels := map[string]string{"device": "eth0", "duplex": "full", "operstate": "up"}
	fill := func() *lua.LTable {
		tb := L.NewTable()
		for k, v := range labels {
			tb.RawSetString(k, lua.LString(v))
		}
		return tb
	}
	kept := fill()
	s, err := pm.write("node_network_info", KindGauge, 1, labels)
	if err != nil {
		b.Fatal(err)
	}
	c.put(kept, s)
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			if c.get("node_network_info", kept) != s {
				b.Fatal("miss")
			}
		}
	})
	fresh := make([]*lua.LTable, 1024)
	for i := range fresh {
		fresh[i] = fill()
	}
	b.Run("fresh", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if c.get("node_network_info", fresh[i%len(fresh)]) != s {
				b.Fatal("miss")
			}
			i++
		}
	})
}
