package core

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// fixtureBoard is the board the in-process tests read: a capture of an
// OpenWrt MT7621 router.
const fixtureBoard = "../../../board/testdata/openwrt-mt7621"

// harness is a manager built as the agent builds it, over a temporary
// store and plugins directory, the fixture board and a fake clock. The
// bundled plugins are left out so that only the test's plugins run.
type harness struct {
	t   *testing.T
	cfg config.Config
	db  *store.DB
	clk *fakeClock
	m   *Manager
	b   web.Backend
}

// newHarness builds the manager; edit adjusts the config first (nil for
// the defaults). Nothing runs until start.
func newHarness(t *testing.T, edit func(*config.Config)) *harness {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.PluginsDir = filepath.Join(cfg.DataDir, "plugins")
	cfg.NoBundled = true
	if edit != nil {
		edit(&cfg)
	}
	if err := os.MkdirAll(cfg.PluginsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cfg.StoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	brd, err := board.New(fixtureBoard)
	if err != nil {
		t.Fatal(err)
	}
	// As cmd_run does: /metrics carries HELP and TYPE, which promtool wants.
	vm.ExposeMetadata(true)
	t.Cleanup(func() { vm.ExposeMetadata(false) })
	clk := newFakeClock()
	m, err := New(Options{Config: cfg, DB: db, Board: brd, Clock: clk, Metrics: vm.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, cfg: cfg, db: db, clk: clk, m: m, b: m.Backend(clk.Now())}
}

// start starts the manager; the test's cleanup stops it.
func (h *harness) start() {
	h.t.Helper()
	if err := h.m.Start(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(h.m.Stop)
}

// writePlugin writes a plugin directory into the plugins directory:
// manifest is everything after the name line, main the Lua source.
func (h *harness) writePlugin(name, manifest, main string) {
	h.t.Helper()
	dir := filepath.Join(h.cfg.PluginsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.yml"), []byte("name: "+name+"\n"+manifest), 0o644); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.lua"), []byte(main), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// view returns the plugin as the API shows it.
func (h *harness) view(name string) web.PluginDetail {
	h.t.Helper()
	d, err := h.b.Plugin(name)
	if err != nil {
		h.t.Fatalf("plugin %s: %v", name, err)
	}
	return d
}

// record returns the plugin's record as the manager keeps it.
func (h *harness) record(name string) store.PluginRecord {
	h.t.Helper()
	e, err := h.m.get(name)
	if err != nil {
		h.t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rec
}

// kv returns the plugin's stored data as its running entry sees it.
func (h *harness) kv(name string) *store.KV {
	h.t.Helper()
	e, err := h.m.get(name)
	if err != nil {
		h.t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kv
}

// events returns the stored events of type typ about plugin, oldest first.
func (h *harness) events(typ, plugin string) []web.Event {
	h.t.Helper()
	evs, _, err := h.b.Events(web.EventQuery{Type: typ, Plugin: plugin})
	if err != nil {
		h.t.Fatal(err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// metrics renders /metrics afresh.
func (h *harness) metrics() string {
	h.m.invalidateMetrics()
	var buf bytes.Buffer
	h.b.WriteMetrics(&buf)
	return buf.String()
}

// wantMetric fails unless /metrics holds the sample line exactly.
func (h *harness) wantMetric(line string) {
	h.t.Helper()
	text := h.metrics()
	if !strings.Contains(text, "\n"+line+"\n") {
		name := line[:strings.IndexAny(line, "{ ")]
		var got []string
		for l := range strings.Lines(text) {
			if strings.HasPrefix(l, name) {
				got = append(got, strings.TrimSpace(l))
			}
		}
		h.t.Errorf("/metrics lacks %q; it has %q", line, got)
	}
}

// runs waits until the plugin has recorded n runs (a run is recorded
// when it ends; the next is scheduled after that).
func (h *harness) runs(name string, n uint64) {
	h.t.Helper()
	waitFor(h.t, func() bool { return h.record(name).Runs >= n }, "plugin %s to record %d runs", name, n)
	if got := h.record(name).Runs; got != n {
		h.t.Fatalf("plugin %s recorded %d runs, want %d", name, got, n)
	}
}

// next lets one interval pass for a single running plugin: it waits
// until its loop waits for the clock, advances it by interval and waits
// for the run to be recorded.
func (h *harness) next(name string, interval time.Duration) {
	h.t.Helper()
	before := h.record(name).Runs
	h.clk.Blocked(h.t, 1)
	if n := h.clk.Advance(interval); n != 1 {
		h.t.Fatalf("advancing %s fired %d runs, want 1", interval, n)
	}
	h.runs(name, before+1)
}

// waitFor polls cond until it holds, failing the test after a deadline
// that only bounds a hang: it is for outcomes the manager reaches on
// another goroutine (an automatic disable), not a timing assumption.
func waitFor(t testing.TB, cond func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for "+format, args...)
		}
		time.Sleep(time.Millisecond)
	}
}

// reload reloads a plugin through the backend. The loop it replaces has
// ended when the reload returns, so its pending After call is forgotten
// and the clock counts only the new loop's.
func (h *harness) reload(name string) error {
	old := h.clk.Waiting()
	err := h.b.ReloadPlugin(name)
	if err == nil {
		h.clk.Forget(old)
	}
	return err
}

// restart stops the manager and builds and starts a new one over the same
// store and plugins directory, as a restart of the agent does.
func (h *harness) restart() {
	h.t.Helper()
	h.m.Stop()
	brd, err := board.New(fixtureBoard)
	if err != nil {
		h.t.Fatal(err)
	}
	h.clk = newFakeClock()
	m, err := New(Options{Config: h.cfg, DB: h.db, Board: brd, Clock: h.clk, Metrics: vm.NewSet()})
	if err != nil {
		h.t.Fatal(err)
	}
	h.m, h.b = m, m.Backend(h.clk.Now())
	h.start()
}

// disabledBreaker starts a harness whose breaker plugin (version 1.0.0) is
// disabled after its first run: by its one allowed limit break, or, when
// byAdmin, by an admin after a clean run. It returns the harness and the
// reason recorded.
func disabledBreaker(t *testing.T, byAdmin bool) (*harness, string) {
	t.Helper()
	h := newHarness(t, func(cfg *config.Config) { cfg.BreaksBeforeDisable = 1 })
	h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.0"), breakerMain)
	mode := byte('b')
	if byAdmin {
		mode = 'o'
	}
	h.setModeBeforeStart("breaker", mode)
	h.start()
	h.runs("breaker", 1)
	if byAdmin {
		if err := h.b.DisablePlugin("breaker"); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return !h.record("breaker").Enabled }, "the plugin to be disabled")
	return h, h.record("breaker").DisabledReason
}
