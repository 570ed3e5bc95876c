package core

import (
	"bytes"
	"io"
	"strings"
	"testing"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web/fixedgzip"
)

// newTestManager returns a manager over a temp store and a fixture board,
// with the bundled plugins loaded and run once.
func newTestManager(tb testing.TB) *Manager {
	tb.Helper()
	db, err := store.Open(store.DefaultOptions(tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	brd, err := board.New("../../../board/testdata/openwrt-mt7621")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := New(Options{Config: config.Default(), DB: db, Board: brd, Metrics: vm.NewSet()})
	if err != nil {
		tb.Fatal(err)
	}
	for _, src := range m.loadSources() {
		e := &entry{m: m, name: src.Name(), src: src, rec: store.PluginRecord{Name: src.Name(), Enabled: true}, kv: db.KV(src.Name(), store.QuotaFor(src.Manifest.Limits)), state: stateIdle}
		m.plugins[src.Name()] = e
		m.registerMetrics(e)
		p, _, err := luaplugins.Load(src, luaplugins.Env{Registry: m.registry, KV: e.kv, Families: m.families, Board: brd, RequireCollect: true})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := p.Collect(); err != nil {
			tb.Fatal(err)
		}
		e.plugin = p
		tb.Cleanup(p.Close)
	}
	return m
}

// BenchmarkWriteMetrics is the agent's share of one /metrics scrape.
func BenchmarkWriteMetrics(b *testing.B) {
	m := newTestManager(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.writeMetrics(io.Discard)
	}
}

// BenchmarkRenderMetrics is one full rendering, as the first scrape after
// the cache expires pays it, with every bundled plugin over the MT7621
// fixture; it reports the scrape's size (the agent's part, without web's
// heimnetz_server_* families) in lines and bytes.
func BenchmarkRenderMetrics(b *testing.B) {
	m := newTestManager(b)
	var page, scratch bytes.Buffer
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		page.Reset()
		m.renderMetrics(&page, &scratch)
	}
	// The scrape size of the agent's part (web adds its own few dozen
	// lines): lines, series (lines that are not comments), bytes plain
	// and as web sends them gzipped.
	lines := bytes.Count(page.Bytes(), []byte{'\n'})
	b.ReportMetric(float64(lines), "lines")
	b.ReportMetric(float64(lines-bytes.Count(page.Bytes(), []byte("\n#"))-boolInt(bytes.HasPrefix(page.Bytes(), []byte("#")))), "series")
	b.ReportMetric(float64(page.Len()), "bytes")
	b.ReportMetric(float64(len(fixedgzip.Append(nil, page.Bytes()))), "gzip-bytes")
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func TestWriteMetricsSharesOneRendering(t *testing.T) {
	m := newTestManager(t)
	var a, b strings.Builder
	m.writeMetrics(&a)
	m.writeMetrics(&b)
	if a.String() != b.String() || !strings.Contains(a.String(), `node_load1{plugin="loadavg"} 0.08`) {
		t.Fatalf("renderings differ or lack the system plugin's series:\n%.600s", a.String())
	}
	m.invalidateMetrics()
	if m.metricsCache.rendered.Load() != nil {
		t.Fatal("invalidate kept the rendering")
	}
}
