package core

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/alerts"
	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/promtool"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
	"github.com/heimnetz/heimnetz/web/webtest"
)

// startAlerts starts the manager's alert loop until the test ends.
func (h *harness) startAlerts() {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(func() {
		cancel()
		h.m.stopAlerts()
	})
	h.m.StartAlerts(ctx)
}

// alert returns the named alert (of plugin, if set) as the backend lists
// it; ok is false when it is not listed.
func (h *harness) alert(name, plugin string) (web.AlertStatus, bool) {
	for _, a := range h.b.Alerts() {
		if a.Name == name && a.Labels["plugin"] == plugin {
			return a, true
		}
	}
	return web.AlertStatus{}, false
}

// TestAlertPluginDisabled: a plugin that breaks its limit until the agent
// disables it fires PluginDisabled once, with one event, a heimnetz_alert
// series and the overview's banner; more evaluations add nothing; the
// admin's enable resolves it with one more event and the series goes.
func TestAlertPluginDisabled(t *testing.T) {
	h := newHarness(t, func(cfg *config.Config) { cfg.BreaksBeforeDisable = 1 })
	h.writePlugin("breaker", "version: 1.0.0\ninterval: 10s\npermissions: [kv]\nlimits:\n  instructions: 100000\n", breakerMain)
	h.setModeBeforeStart("breaker", 'b')
	h.start()
	h.startAlerts()
	waitFor(t, func() bool { return len(h.events(EvAlert, "breaker")) == 1 }, "one alert event")
	for range 3 {
		h.m.evaluateAlerts()
	}
	evs := h.events(EvAlert, "breaker")
	if len(evs) != 1 || evs[0].Severity != "warning" || !strings.HasPrefix(evs[0].Message, "PluginDisabled firing (warning): plugin breaker was disabled by the agent: disabled after 1 limit breaks in a row") {
		t.Fatalf("alert events %+v, want one PluginDisabled warning naming the plugin and the reason", evs)
	}
	if a, ok := h.alert(alerts.PluginDisabled, "breaker"); !ok || a.State != web.AlertFiring || a.Severity != web.SeverityWarning {
		t.Errorf("API lists %+v (listed %v), want PluginDisabled firing as a warning", a, ok)
	}
	h.wantMetric(`heimnetz_alert{alertname="PluginDisabled",severity="warning",plugin="breaker"} 1`)
	h.wantMetric(`heimnetz_alerts_firing 1`)
	promtool.Check(t, h.metrics())
	webtest.RunAlerts(t, h.b)
	if ov := h.b.Overview().Alerts; len(ov) != 1 || ov[0].Name != alerts.PluginDisabled || ov[0].Source != "breaker" || ov[0].Since.IsZero() {
		t.Errorf("overview banners %+v, want the PluginDisabled alert of breaker", ov)
	}

	h.setMode("breaker", "ok")
	if err := h.b.EnablePlugin("breaker"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return len(h.events(EvAlert, "breaker")) == 2 }, "the resolving event")
	h.m.evaluateAlerts()
	evs = h.events(EvAlert, "breaker")
	if len(evs) != 2 || evs[1].Severity != "info" || !strings.HasPrefix(evs[1].Message, "PluginDisabled resolved (was warning)") {
		t.Fatalf("alert events %+v, want the firing one and one resolving it", evs)
	}
	if a, _ := h.alert(alerts.PluginDisabled, "breaker"); a.State != web.AlertResolved {
		t.Errorf("API lists %+v, want PluginDisabled resolved", a)
	}
	text := h.metrics()
	if strings.Contains(text, "heimnetz_alert{") || !strings.Contains(text, "\nheimnetz_alerts_firing 0\n") {
		t.Errorf("/metrics still exports a resolved alert:\n%s", grepLines(text, "heimnetz_alert"))
	}
	promtool.Check(t, text)
}

// TestAlertAdminDisableIsNone: a plugin an admin disabled is the owner's
// choice: no alert, no alert event, no banner.
func TestAlertAdminDisableIsNone(t *testing.T) {
	h, _ := disabledBreaker(t, true)
	h.m.evaluateAlerts()
	if evs := h.events(EvAlert, ""); len(evs) != 0 {
		t.Errorf("alert events %+v, want none", evs)
	}
	if a, ok := h.alert(alerts.PluginDisabled, "breaker"); ok {
		t.Errorf("API lists %+v", a)
	}
	for _, b := range h.b.Overview().Alerts {
		if b.Source == "breaker" {
			t.Errorf("banner %+v for a plugin the admin disabled", b)
		}
	}
}

// TestAlertHoldOnClock: conditions with a hold (agent memory, the clock)
// are pending until the hold has passed on the manager's clock, then fire
// once; the memory alert's rise to critical is one event, and once it has
// been clear for the hold too, its end one more.
func TestAlertHoldOnClock(t *testing.T) {
	h := newHarness(t, func(cfg *config.Config) {
		cfg.Alerts.Hold = config.Duration(30 * time.Second)
		cfg.Alerts.ClockHold = config.Duration(45 * time.Second)
	})
	mem := make(chan alerts.Memory, 1)
	mem <- alerts.Memory{Bytes: 85 << 20, Limit: 100 << 20}
	last := alerts.Memory{}
	h.m.alerts.memory = func() alerts.Memory {
		select {
		case last = <-mem:
		default:
		}
		return last
	}
	h.m.alerts.clock = func(now time.Time) *alerts.Clock { return &alerts.Clock{Now: now, Unsynchronised: true} }
	h.start()
	h.startAlerts()
	step := func(want ...string) {
		t.Helper()
		h.clk.Blocked(t, 1) // the alert loop waits on the clock: its evaluation ended
		if n := h.clk.Advance(15 * time.Second); n != 1 {
			t.Fatalf("advancing fired %d timers, want the alert loop's", n)
		}
		h.clk.Blocked(t, 1)
		var got []string
		for _, e := range h.events(EvAlert, "") {
			got = append(got, strings.SplitN(e.Message, ":", 2)[0])
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("after %s: alert events %q, want %q", h.clk.Now().Format(time.TimeOnly), got, want)
		}
	}
	h.clk.Blocked(t, 1)
	if a, _ := h.alert(alerts.AgentMemoryHigh, ""); a.State != web.AlertPending {
		t.Fatalf("AgentMemoryHigh %+v, want pending", a)
	}
	step()
	step("AgentMemoryHigh firing (warning)")
	h.wantMetric(`heimnetz_alert{alertname="AgentMemoryHigh",severity="warning"} 1`)
	mem <- alerts.Memory{Bytes: 97 << 20, Limit: 100 << 20}
	step("AgentMemoryHigh firing (warning)", "AgentMemoryHigh now critical (was warning)", "ClockNotSynchronised firing (warning)")
	h.wantMetric(`heimnetz_alert{alertname="AgentMemoryHigh",severity="critical"} 1`)
	h.wantMetric(`heimnetz_alerts_firing 2`)
	if ov := h.b.Overview().Alerts; len(ov) < 2 || ov[0].Name != alerts.AgentMemoryHigh || ov[0].Severity != web.SeverityCritical || ov[0].Source != "agent" {
		t.Errorf("overview banners %+v, want the critical memory alert first", ov)
	}
	// Clear for the hold (30 s) before it resolves.
	mem <- alerts.Memory{Bytes: 10 << 20, Limit: 100 << 20}
	step("AgentMemoryHigh firing (warning)", "AgentMemoryHigh now critical (was warning)", "ClockNotSynchronised firing (warning)")
	step("AgentMemoryHigh firing (warning)", "AgentMemoryHigh now critical (was warning)", "ClockNotSynchronised firing (warning)")
	step("AgentMemoryHigh firing (warning)", "AgentMemoryHigh now critical (was warning)", "ClockNotSynchronised firing (warning)", "AgentMemoryHigh resolved (was critical)")
	step("AgentMemoryHigh firing (warning)", "AgentMemoryHigh now critical (was warning)", "ClockNotSynchronised firing (warning)", "AgentMemoryHigh resolved (was critical)")
}

// TestAlertWANFromProbe: WANDown when no echo request since the last
// evaluation got a reply, WANLossy when many were lost (no hold here);
// the fixture board's uplink has its default route and link.
func TestAlertWANFromProbe(t *testing.T) {
	h := newHarness(t, func(cfg *config.Config) { cfg.Alerts.Hold = 0 })
	h.start()
	probe := func(sent, recvd uint64) (firing []string) {
		h.m.board.SetWANProbe(board.WANProbe{Target: "192.0.2.1", SentTotal: sent, ReceivedTotal: recvd})
		h.m.evaluateAlerts()
		for _, a := range h.m.FiringAlerts() {
			firing = append(firing, a.Name)
		}
		return firing
	}
	for i, c := range []struct {
		sent, recvd uint64
		want        string
	}{
		{3, 3, ""},
		{6, 6, ""},
		{9, 6, "WANDown"},
		{12, 6, "WANDown"},
		{15, 8, "WANLossy"},
		{18, 11, ""},
	} {
		if got := strings.Join(probe(c.sent, c.recvd), ","); got != c.want {
			t.Errorf("round %d (%d sent, %d received in all): firing %q, want %q", i, c.sent, c.recvd, got, c.want)
		}
	}
	if n := len(h.events(EvAlert, "")); n != 4 {
		t.Errorf("%d alert events, want 4 (WANDown fired and resolved, WANLossy fired and resolved)", n)
	}
	if evs := h.events(EvAlert, ""); len(evs) > 0 && (evs[0].Severity != "critical" || !strings.Contains(evs[0].Message, "192.0.2.1")) {
		t.Errorf("first event %+v, want WANDown critical naming the target", evs[0])
	}
}

// TestAlertStoreWriteFailing: snapshots that fail (a file where the
// snapshot directory was) fire StoreWriteFailing as critical; once they
// work again it resolves.
func TestAlertStoreWriteFailing(t *testing.T) {
	m, db, opts, logs := snapshottingManager(t)
	defer db.Close()
	firing := func() bool {
		m.evaluateAlerts()
		for _, a := range m.FiringAlerts() {
			if a.Name == alerts.StoreWriteFailing {
				return true
			}
		}
		return false
	}
	if firing() {
		t.Fatal("StoreWriteFailing fires before anything failed")
	}
	dir := breakSnapshots(t, opts)
	keepWriting := func() {
		if err := db.PutPlugin(store.PluginRecord{Name: "p", Runs: uint64(time.Now().UnixNano())}); err != nil {
			t.Fatal(err)
		}
		if err := db.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { keepWriting(); return strings.Contains(logs.String(), "store snapshot failing") }, "the snapshot to fail")
	if !firing() {
		t.Fatal("StoreWriteFailing does not fire while snapshots fail")
	}
	evs, _, err := m.Backend(time.Now()).Events(web.EventQuery{Type: EvAlert})
	if err != nil || len(evs) != 1 || evs[0].Severity != "critical" || !strings.Contains(evs[0].Message, "StoreWriteFailing firing (critical): store snapshots failing") {
		t.Fatalf("alert events %+v (%v), want one critical StoreWriteFailing naming the snapshots", evs, err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { keepWriting(); return strings.Contains(logs.String(), "store snapshot works again") }, "the snapshot to work again")
	// Failures counted before the recovery was reported may still be
	// new to one evaluation; the next sees none.
	firing()
	if firing() {
		t.Error("StoreWriteFailing still fires after the snapshots work again")
	}
}

// TestAlertInputFromBoard reads the fixture router's overlay and uplink
// as the evaluator sees them.
func TestAlertInputFromBoard(t *testing.T) {
	brd, err := board.New(fixtureBoard)
	if err != nil {
		t.Fatal(err)
	}
	f := flashInput(brd)
	// statfs of /overlay on the device: 27054 blocks, 25012 free, 23721
	// available, of 4096 bytes.
	if f == nil || f.MountPoint != "/overlay" || f.Size != 27054*4096 {
		t.Fatalf("flash %+v, want the overlay", f)
	}
	if pct := f.UsedPercent(); pct < 7.9 || pct > 8.0 {
		t.Errorf("overlay %.2f%% used, want 7.93%%", pct)
	}
	w := wanInput(brd)
	if w == nil || !w.RouteKnown || !w.DefaultRoute || !w.LinkUp || w.Interface == "" || w.Probing {
		t.Errorf("WAN %+v, want a default route over an interface that is up, no probe", w)
	}
}

// TestAlertPluginLimitBreaks: with disabling off, a plugin that breaks
// its limits breaks_count times fires PluginLimitBreaks, labelled with the
// plugin; a leak report flagged by the detector fires PluginMemoryLeak.
func TestAlertPluginLimitBreaks(t *testing.T) {
	h := newHarness(t, func(cfg *config.Config) {
		cfg.BreaksBeforeDisable = 0
		cfg.Alerts.BreaksCount = 2
	})
	h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.0"), breakerMain)
	h.setModeBeforeStart("breaker", 'b')
	var leaking atomic.Bool
	h.m.alerts.leaks = func() []alerts.Leak {
		return []alerts.Leak{{Plugin: "breaker", Leaking: leaking.Load(), BytesPerRun: 4096, Runs: 40, LiveBytes: 300 << 10}}
	}
	h.start()
	h.runs("breaker", 1)
	h.m.evaluateAlerts()
	if f := h.m.FiringAlerts(); len(f) != 0 {
		t.Fatalf("firing after one break: %+v", f)
	}
	h.next("breaker", 10*time.Second)
	h.m.evaluateAlerts()
	a, _ := h.alert(alerts.PluginLimitBreaks, "breaker")
	if a.State != web.AlertFiring || a.Value != 2 || !strings.Contains(a.Summary, "broke its limits 2 times in the last 1h0m0s") {
		t.Errorf("PluginLimitBreaks %+v, want firing after 2 breaks", a)
	}
	h.wantMetric(`heimnetz_alert{alertname="PluginLimitBreaks",severity="warning",plugin="breaker"} 1`)
	leaking.Store(true)
	h.m.evaluateAlerts()
	h.wantMetric(`heimnetz_alert{alertname="PluginMemoryLeak",severity="warning",plugin="breaker"} 1`)
	h.wantMetric(`heimnetz_alerts_firing 2`)
	evs := h.events(EvAlert, "breaker")
	if len(evs) != 2 || !strings.HasPrefix(evs[1].Message, "PluginMemoryLeak firing (warning): plugin breaker: live memory grows by 4.0 KiB per run over 40 runs (now 300.0 KiB)") {
		t.Errorf("alert events %+v", evs)
	}
	promtool.Check(t, h.metrics())
}
