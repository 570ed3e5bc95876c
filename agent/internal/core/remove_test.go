package core

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
	"github.com/heimnetz/heimnetz/store"
)

// packageOf writes a plugin directory with manifest and main and returns
// it as a package archive.
func packageOf(t *testing.T, name, manifest, main string) []byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for f, body := range map[string]string{"manifest.yml": manifest, "main.lua": main} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := pack.FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	archive, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	return archive
}

// waitRuns waits until plugin name has run at least n times.
func waitRuns(t *testing.T, m *Manager, name string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		e, err := m.get(name)
		if err != nil {
			t.Fatal(err)
		}
		e.mu.Lock()
		runs := e.rec.Runs
		e.mu.Unlock()
		if runs >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("plugin %q ran %d times in 10 s, want %d", name, runs, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRemoveLeavesNoSeries installs a plugin, lets it run (and break a
// limit, so every kind of per-plugin series exists), removes it and
// checks that /metrics has no series of it, the agent's set no name of
// it, and the plugin's entry is garbage.
func TestRemoveLeavesNoSeries(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.NoBundled = t.TempDir(), true
	db, err := store.Open(cfg.StoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	brd, err := board.New("../../../board/testdata/openwrt-mt7621")
	if err != nil {
		t.Fatal(err)
	}
	set := vm.NewSet()
	m, err := New(Options{Config: cfg, DB: db, Board: brd, Metrics: set})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	const manifest = "name: leaky\nversion: 1.0.0\ninterval: 1s\npermissions: [metrics]\nlimits:\n  instructions: 100000\n"
	const main = `n = 0
function collect()
  n = n + 1
  metrics.set("leaky_value", n, {kind = "a"})
  if n == 2 then while true do end end
end
`
	if _, err := m.install(packageOf(t, "leaky", manifest, main), nil, InstallOptions{AllowUnsigned: true}, "test"); err != nil {
		t.Fatal(err)
	}
	waitRuns(t, m, "leaky", 3)
	scrape := func() string {
		m.invalidateMetrics()
		var b bytes.Buffer
		m.writeMetrics(&b)
		return b.String()
	}
	before := scrape()
	for _, want := range []string{
		`heimnetz_plugin_enabled{plugin="leaky"} 1`, `heimnetz_plugin_executions_total{plugin="leaky",result="ok"}`,
		`heimnetz_plugin_execution_duration_seconds_bucket{plugin="leaky"`, `heimnetz_plugin_cpu_seconds_total{plugin="leaky"}`,
		`heimnetz_plugin_limit_breaks_total{plugin="leaky",limit=`, `leaky_value{plugin="leaky",kind="a"}`,
	} {
		if !strings.Contains(before, want) {
			t.Fatalf("before removal /metrics lacks %s:\n%s", want, before)
		}
	}
	e, err := m.get("leaky")
	if err != nil {
		t.Fatal(err)
	}
	gone := weak.Make(e)
	e = nil
	if err := m.remove("leaky", false); err != nil {
		t.Fatal(err)
	}
	after := scrape()
	for line := range strings.Lines(after) {
		if strings.Contains(line, `plugin="leaky"`) {
			t.Errorf("after removal /metrics still has %s", strings.TrimSpace(line))
		}
	}
	for _, name := range set.ListMetricNames() {
		if strings.Contains(name, `plugin="leaky"`) {
			t.Errorf("after removal the agent's set still holds %s", name)
		}
	}
	if !strings.Contains(after, `heimnetz_security_events_total{type="plugin_removed"`) {
		t.Errorf("the security event counters went with the plugin:\n%s", after)
	}
	// Goroutines that end with the plugin (its loop after closing done,
	// the context's AfterFunc) may hold the entry a moment longer on a
	// loaded machine; a leak holds it for good.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		runtime.GC()
		if gone.Value() == nil {
			return
		}
	}
	buf := make([]byte, 1<<20)
	t.Errorf("the removed plugin's entry is still reachable 10 s after its removal; goroutines:\n%s", buf[:runtime.Stack(buf, true)])
}

func TestHasLabel(t *testing.T) {
	tests := []struct {
		metric string
		want   bool
	}{
		{`heimnetz_plugin_enabled{plugin="net"}`, true},
		{`heimnetz_plugin_errors_total{plugin="net",kind="lua"}`, true},
		{`heimnetz_plugin_errors_total{kind="lua",plugin="net"}`, true},
		{`heimnetz_plugin_enabled{plugin="net2"}`, false},
		{`heimnetz_plugin_enabled{plugin="ne"}`, false},
		{`x{other="plugin=\"net\"",plugin="wan"}`, false},
		{`x{other="a\\",plugin="net"}`, true},
		{`heimnetz_go_memory_total_bytes`, false},
		{`x{broken="`, false},
	}
	for _, tc := range tests {
		if got := hasLabel(tc.metric, `plugin="net"`); got != tc.want {
			t.Errorf("hasLabel(%s) = %v, want %v", tc.metric, got, tc.want)
		}
	}
}
