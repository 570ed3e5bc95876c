package core

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/limits/oneline"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// TestSecurityEventTextIsBoundedAndClean records events whose plugin name
// and message a plugin or a client controls: the agent's log line and the
// stored event must each be one bounded, clean line.
func TestSecurityEventTextIsBoundedAndClean(t *testing.T) {
	db, err := store.Open(store.DefaultOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logBuf bytes.Buffer
	s := &securityLog{db: db, set: metrics.NewSet(), log: slog.New(slog.NewTextHandler(&logBuf, nil))}
	msgs := []string{
		"kv quota: bad kv key: " + strings.Repeat("\xff", 7_500_000),
		"one\u0085two\u2028three\u2029four\x85five",
		"invoice\u202efdp.exe \u2066isolated\u2069 \u200fmark",
	}
	for _, m := range msgs {
		s.record(EvOutputLimit, store.Info, "net\u202e", m)
	}
	evs, err := db.Events(len(msgs), 0)
	if err != nil || len(evs) != len(msgs) {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	for _, e := range evs {
		for what, v := range map[string]string{"message": e.Message, "plugin": e.Plugin} {
			if len(v) > store.MaxEventMessage {
				t.Errorf("event %s is %d bytes", what, len(v))
			}
			if at, r := oneline.Find(v); at >= 0 {
				t.Errorf("event %s holds %U: %.80q", what, r, v)
			}
		}
	}
	if n := strings.Count(logBuf.String(), "\n"); n != len(msgs) || logBuf.Len() > len(msgs)*(store.MaxEventMessage+300) {
		t.Errorf("agent log: %d lines, %d bytes for %d events", n, logBuf.Len(), len(msgs))
	}
	if at, r := oneline.Find(strings.ReplaceAll(logBuf.String(), "\n", "")); at >= 0 {
		t.Errorf("agent log holds %U", r)
	}
}

// TestOneSeverityModel records one event of each severity: each has the
// log level that matches it, is found by the API's severity filter alone,
// is counted under its own name and in the unacknowledged stats.
func TestOneSeverityModel(t *testing.T) {
	h := newHarness(t, nil)
	h.start()
	var logBuf bytes.Buffer
	h.m.sec.log = slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	wantLevel := map[string]string{"info": "INFO", "warning": "WARN", "high": "ERROR", "critical": "ERROR"}
	for _, name := range store.SeverityNames() {
		sev, err := store.ParseSeverity(name)
		if err != nil {
			t.Fatal(err)
		}
		h.m.sec.record(EvOutputLimit, sev, "", "severity probe "+name)
	}
	b := h.b
	_, st, err := b.Events(web.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if st.UnackedWarning < 1 || st.UnackedHigh != 1 || st.UnackedCritical != 1 {
		t.Errorf("stats %+v: want high and critical counted on their own", st)
	}
	for _, name := range store.SeverityNames() {
		evs, _, err := b.Events(web.EventQuery{Severity: name, Type: EvOutputLimit})
		if err != nil || len(evs) != 1 || evs[0].Message != "severity probe "+name {
			t.Errorf("filter severity=%s: %+v, %v", name, evs, err)
		}
		h.wantMetric(`heimnetz_security_events_total{type="output_limit",severity="` + name + `"} 1`)
		line := ""
		for l := range strings.Lines(logBuf.String()) {
			if strings.Contains(l, "severity probe "+name) {
				line = l
			}
		}
		if !strings.Contains(line, "level="+wantLevel[name]+" ") {
			t.Errorf("log line for %s: %q, want level=%s", name, line, wantLevel[name])
		}
	}
}

// TestStoreRecoveredIsAnEvent: a damaged database file found at start is
// moved aside by the store; once the security log is up the recovery is a
// store_recovered event, counted and logged at its severity like others.
func TestStoreRecoveredIsAnEvent(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		live := c.StoreOptions().LivePath
		if err := os.MkdirAll(filepath.Dir(live), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(live, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
			t.Fatal(err)
		}
	})
	evs := h.events(EvStoreRecovered, "")
	if len(evs) == 0 || evs[0].Severity != "high" || !strings.Contains(evs[0].Message, "moved aside") {
		t.Fatalf("store_recovered events %+v, want the bad file moved aside", evs)
	}
	h.wantMetric(`heimnetz_security_events_total{type="store_recovered",severity="high"} ` + strconv.Itoa(len(evs)))
}

// TestStartupLoadFailuresAreEvents: each plugin that fails to load at
// start is one event naming it and the reason (a compile error, an error
// or a limit break in its top-level chunk, a manifest that does not
// validate), however often its later runs fail.
func TestStartupLoadFailuresAreEvents(t *testing.T) {
	h := newHarness(t, nil)
	const manifest = "version: 1.0.0\ninterval: 10s\nlimits:\n  instructions: 100000\n"
	h.writePlugin("syntax", manifest, "function collect( end")
	h.writePlugin("raises", manifest, "error('no uplink configured')\nfunction collect() end")
	h.writePlugin("spins", manifest, "while true do end\nfunction collect() end")
	h.writePlugin("badmanifest", "version: one\ninterval: 10s\n", "function collect() end")
	h.start()
	for i := uint64(1); i <= 3; i++ {
		h.clk.Blocked(t, 3)
		for _, name := range []string{"syntax", "raises", "spins"} {
			waitFor(t, func() bool { return h.record(name).Runs >= i }, "%s run %d", name, i)
		}
		h.clk.Advance(10 * time.Second)
	}
	for name, want := range map[string]string{
		"syntax": "version 1.0.0 failed to load: ",
		"raises": "no uplink configured",
		"spins":  "instruction limit",
	} {
		evs := h.events(EvPluginError, name)
		if len(evs) != 1 || !strings.Contains(evs[0].Message, want) {
			t.Errorf("plugin_error events of %s: %+v, want one with %q", name, evs, want)
		}
	}
	if evs := h.events(EvManifestInvalid, ""); len(evs) != 1 || !strings.Contains(evs[0].Message, "badmanifest") {
		t.Errorf("manifest_rejected events %+v, want one naming badmanifest", evs)
	}
}

// TestEveryWebEventIsStored: the core keeps every event web reports (web
// has already counted floods into summaries): 600 admin actions are 600
// stored events, within the default retention.
func TestEveryWebEventIsStored(t *testing.T) {
	h := newHarness(t, nil)
	h.start()
	for i := range 600 {
		h.b.SecurityEvent(web.EventTypeAdminAction, web.SeverityInfo, "plugin net: reload by admin token from 10.0.0."+strconv.Itoa(i%250))
	}
	evs, err := h.db.Events(0, 0) // all: the API pages by 500
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Type == EvAdminAction {
			n++
		}
	}
	if n != 600 {
		t.Errorf("%d admin_action events stored for 600 reported", n)
	}
	h.wantMetric(`heimnetz_security_events_total{type="admin_action",severity="info"} 600`)
}

// TestEventTypesKnownAndDocumented: every type web reports is one the
// security log knows (an unknown one would be stored as bad_request), and
// README's table names every type.
func TestEventTypesKnownAndDocumented(t *testing.T) {
	for _, typ := range []string{web.EventTypeLoginFailed, web.EventTypeLoginRateLimited, web.EventTypeLogin, web.EventTypeCSRF,
		web.EventTypeBadToken, web.EventTypeAdminAction, web.EventTypeBadRequest, web.EventTypeUnauthorized, web.EventTypeConnRefused} {
		if _, ok := EventTypes[typ]; !ok {
			t.Errorf("web reports %q, which the security log does not know", typ)
		}
	}
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for typ := range EventTypes {
		if !strings.Contains(string(readme), "`"+typ+"`") {
			t.Errorf("README.md does not name event type %q", typ)
		}
	}
}

// TestPluginEventsCannotEraseTheAuditTrail: a plugin that hits its caps
// and limits in every run causes events at will; they are kept in the
// ring's noise share, so a login and an admin action recorded before
// 10,000 of them are still listed, while a plugin's disabling (what the
// agent did) stays in the audit trail too.
func TestPluginEventsCannotEraseTheAuditTrail(t *testing.T) {
	db, err := store.Open(store.DefaultOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxEvents(20)
	s := &securityLog{db: db, set: metrics.NewSet(), log: slog.New(slog.DiscardHandler)}
	s.record(EvLogin, store.Info, "", "logged in from 10.0.0.7")
	s.record(EvAdminAction, store.Info, "", "plugin net: reload by admin token from 10.0.0.7")
	for i := range 10_000 {
		switch i % 4 {
		case 0:
			s.record(EvOutputLimit, store.Info, "hostile", "log lines: per-call cap reached")
		case 1:
			s.record(EvLimitBreak, store.Warning, "hostile", `plugin "hostile": memory limit exceeded (8 MiB)`)
		case 2:
			s.record(EvPluginError, store.Warning, "hostile", "collect: attempt to call a nil value")
		default:
			s.record(EvCPUThrottled, store.Warning, "hostile", "CPU share used up; run skipped")
		}
	}
	s.record(EvPluginDisabled, store.Warning, "hostile", "disabled after 3 limit breaks in a row")
	evs, err := db.Events(100, 0)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, e := range evs {
		kept[e.Type] = true
	}
	for _, typ := range []string{EvLogin, EvAdminAction, EvPluginDisabled} {
		if !kept[typ] {
			t.Errorf("the %s event is gone after 10,000 plugin-caused events; kept: %v", typ, kept)
		}
	}
	if len(evs) > 20 {
		t.Errorf("%d events kept, want at most the retention 20", len(evs))
	}
}
