package core

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/promtool"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// addPlugin loads a plugin granted metrics from main into m, as the
// agent does, and runs collect() once.
func addPlugin(t *testing.T, m *Manager, name, main string) *entry {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "name: " + name + "\nversion: 1.0.0\ndescription: test\ninterval: 10s\npermissions: [metrics]\n"
	if err := os.WriteFile(filepath.Join(dir, "manifest.yml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.lua"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := luaplugins.ReadPath(dir, m.registry, m.ceilings)
	if err != nil {
		t.Fatal(err)
	}
	lim := src.Manifest.Limits
	e := &entry{m: m, name: src.Name(), src: src, rec: store.PluginRecord{Name: name, Enabled: true}, kv: m.db.KV(name, store.QuotaFor(lim)), state: stateIdle,
		cpu: limits.NewCPUShare(lim.CPU, lim.CPUWindow, m.clock.Now())}
	m.plugins[name] = e
	m.registerMetrics(e)
	p, _, err := luaplugins.Load(src, luaplugins.Env{Registry: m.registry, Families: m.families, RequireCollect: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	if _, err := p.Collect(); err != nil {
		t.Fatalf("%s: collect: %v", name, err)
	}
	e.plugin = p
	m.invalidateMetrics()
	return e
}

// TestPluginMetricsInAPI: the API lists a plugin's series with the values
// and labels /metrics exports, whatever the label values hold (it used
// to show every value as 0 and cut label values at `",`).
func TestPluginMetricsInAPI(t *testing.T) {
	m := newTestManager(t)
	addPlugin(t, m, "tricky", `function collect()
  metrics.set("tricky_value", 42.5, {a = 'x",y', b = 'back\\slash', c = "new\nline", d = "k=v", e = "{}"})
  metrics.add("tricky_events_total", 3, {a = '",', z = '"}'})
end`)
	d, err := (&backend{m: m}).Plugin("tricky")
	if err != nil {
		t.Fatal(err)
	}
	kv := func(pairs ...string) []web.KeyValue {
		out := []web.KeyValue{{Key: "plugin", Value: "tricky"}}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, web.KeyValue{Key: pairs[i], Value: pairs[i+1]})
		}
		return out
	}
	want := []web.Series{
		{Name: "tricky_events_total", Type: "counter", Value: 3, Labels: kv("a", `",`, "z", `"}`)},
		{Name: "tricky_value", Type: "gauge", Value: 42.5, Labels: kv("a", `x",y`, "b", `back\slash`, "c", "new\nline", "d", "k=v", "e", "{}")},
	}
	if !reflect.DeepEqual(d.Metrics, want) {
		t.Fatalf("API metrics:\n got %+v\nwant %+v", d.Metrics, want)
	}
	var exp bytes.Buffer
	m.writeMetrics(&exp)
	for _, s := range d.Metrics {
		var line strings.Builder
		line.WriteString(s.Name + "{")
		for i, l := range s.Labels {
			if i > 0 {
				line.WriteByte(',')
			}
			line.WriteString(l.Key + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(l.Value) + `"`)
		}
		line.WriteString("} " + strconv.FormatFloat(s.Value, 'g', -1, 64) + "\n")
		if !bytes.Contains(exp.Bytes(), []byte(line.String())) {
			t.Errorf("/metrics lacks the API's series %q", line.String())
		}
	}
	var budget *web.Limit
	for i := range d.Limits {
		if d.Limits[i].Name == "metric names and labels" {
			budget = &d.Limits[i]
		}
	}
	if budget == nil || budget.Used <= 0 || budget.Max != float64(m.plugins["tricky"].src.Manifest.Limits.MetricSeries*luaplugins.MetricBytesPerSeries) {
		t.Errorf("metric byte budget row = %+v", budget)
	}
}

// hostileMetrics is a plugin that tries every kind of metric call that
// could break a scrape; the bad ones must fail, the rest must render into
// an exposition promtool accepts. It counts its refused calls in
// <prefix>_refused.
const hostileMetrics = `
local P = "%s"
local refused = 0
local function try(f, ...) if not pcall(f, ...) then refused = refused + 1 end end
function collect()
  refused = 0
  -- names promtool lints or cannot parse
  for _, n in ipairs({"camelCase", "x_ms", "x_bucket", "x_count", "x_sum", "x_gauge", "a:b", "x-y", "\255", "heimnetz_plugin_series", "go_goroutines", "process_open_fds", "x_total", "", string.rep("a", 101)}) do
    try(metrics.set, n, 1)
  end
  try(metrics.add, "x_requests", 1)
  try(metrics.add, "x_counter_total", 1)
  -- labels promtool lints, the agent's own, and values Prometheus refuses
  for _, l in ipairs({"le", "quantile", "plugin", "__name__", "camelCase", "a:b", "x y"}) do
    try(metrics.set, P .. "_labelled", 1, {[l] = "v"})
  end
  try(metrics.set, P .. "_labelled", 1, {v = "bad\255\254utf8"})
  try(metrics.set, P .. "_labelled", 1, {v = string.rep("x", 129)})
  try(metrics.set, P .. "_nan", 0/0)
  try(metrics.set, P .. "_inf", 1/0)
  try(metrics.add, P .. "_neg_total", -1)
  try(metrics.add, P .. "_inf_total", 1/0)
  -- what is allowed must still render cleanly
  metrics.set("shared_value", 1, {v = 'q"uote\\back\nnew\rcr\ttab\0nul'})
  metrics.set("shared_value", 2, {v = "\226\128\168bidi\226\128\174"})
  metrics.set("shared", 3)
  metrics.add("shared_total", 1)
  metrics.set(P .. "_big", 1e308)
  metrics.set(P .. "_small", -1e-308)
  metrics.set(P .. "_zero", -0.0)
  metrics.set(P .. "_refused", refused)
end`

// TestMetricsPassPromtool renders /metrics with several hostile plugins
// next to the bundled ones and the agent's own families, and runs the
// real promtool over it: it must say nothing.
func TestMetricsPassPromtool(t *testing.T) {
	vm.ExposeMetadata(true) // as cmd_run does
	defer vm.ExposeMetadata(false)
	m := newTestManager(t)
	plugins := map[string]string{"hostile-one": "hostile_one", "hostile-two": "hostile_two"}
	for name, prefix := range plugins {
		addPlugin(t, m, name, strings.Replace(hostileMetrics, "%s", prefix, 1))
	}
	var exp bytes.Buffer
	m.writeMetrics(&exp)
	for name, prefix := range plugins {
		if want := prefix + `_refused{plugin="` + name + `"} 30`; !strings.Contains(exp.String(), want+"\n") {
			t.Errorf("/metrics lacks %s: not every bad call was refused", want)
		}
	}
	// Every family that is not a plugin's lies under a prefix plugins may
	// not use, so no plugin family can collide with an agent family.
	pluginFamilies := map[string]bool{}
	for _, e := range m.entries() {
		for _, smp := range e.plugin.Metrics().Snapshot() {
			pluginFamilies[smp.Name] = true
		}
	}
	for line := range strings.Lines(exp.String()) {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != "#" || f[1] != "TYPE" || pluginFamilies[f[2]] {
			continue
		}
		if err := luaplugins.ValidateMetricName(f[2], luaplugins.KindGauge); err == nil || !strings.Contains(err.Error(), "reserved prefix") {
			t.Errorf("agent family %s is not under a prefix reserved from plugins (%v)", f[2], err)
		}
	}
	promtool.Check(t, exp.String())
}

// famHog names 25 new metric families a call, each a 16-byte substring of
// a fresh 2 MB string; labelHog does the same with label values.
