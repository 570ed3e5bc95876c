package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/settings"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
	"github.com/heimnetz/heimnetz/web/webtest"
)

// settingsManager builds a manager over the store at opts with cfg; its
// log goes to logs when that is not nil.
func settingsManager(t *testing.T, opts store.Options, cfg config.Config, logs io.Writer) (*Manager, *store.DB) {
	t.Helper()
	db, err := store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	brd, err := board.New("../../../board/testdata/openwrt-mt7621")
	if err != nil {
		t.Fatal(err)
	}
	var log *slog.Logger
	if logs != nil {
		log = slog.New(slog.NewTextHandler(logs, nil))
	}
	m, err := New(Options{Config: cfg, DB: db, Board: brd, Metrics: vm.NewSet(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return m, db
}

// TestSettingsCasesRealBackend runs web's settings API table against the
// agent's backend, over a real store.
func TestSettingsCasesRealBackend(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	m, db := settingsManager(t, cfg.StoreOptions(), cfg, nil)
	defer db.Close()
	webtest.RunSettings(t, m.Backend(time.Now()))
}

// TestSettingsAppliedAndPersisted changes every setting through the
// backend, checks each is applied, restarts (closes and reopens the store,
// builds a new manager from the same config file) and finds them again,
// overriding the config file's values.
func TestSettingsAppliedAndPersisted(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	opts := cfg.StoreOptions()
	m, db := settingsManager(t, opts, cfg, nil)
	for range 30 {
		if _, err := db.AppendEvent(store.Event{Type: "t", Message: "filler"}); err != nil {
			t.Fatal(err)
		}
	}
	want := settings.Settings{PagesRequireLogin: true, LogLevel: "debug", BreaksBeforeDisable: 0, EventRetention: 20}
	if err := m.Backend(time.Now()).UpdateSettings(want); err != nil {
		t.Fatal(err)
	}
	// The fillers are audit events, which keep nine tenths of the ring
	// (store/eventring.go).
	if kept, _, _ := db.EventStats(); kept != 18 || db.Options().MaxEvents != 20 {
		t.Errorf("event_retention 20: the ring keeps %d (bound %d), want the audit share 18", kept, db.Options().MaxEvents)
	}
	if got := m.level.Level(); got != slog.LevelDebug {
		t.Errorf("log_level debug: logger at %v", got)
	}
	if got := m.breaksBeforeDisable(); got != 0 {
		t.Errorf("breaks_before_disable 0: scheduler reads %d", got)
	}
	if err := m.Backend(time.Now()).UpdateSettings(settings.Settings{LogLevel: "loud", EventRetention: 20}); err == nil {
		t.Error("an invalid update was accepted")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	var logs bytes.Buffer
	m, db = settingsManager(t, opts, cfg, &logs)
	defer db.Close()
	if got := m.Backend(time.Now()).Settings(); got != want {
		t.Fatalf("after restart: %+v, want the saved %+v", got, want)
	}
	if db.Options().MaxEvents != 20 || m.level.Level() != slog.LevelDebug {
		t.Errorf("after restart the saved settings are not applied: MaxEvents %d, level %v", db.Options().MaxEvents, m.level.Level())
	}
	if !strings.Contains(logs.String(), "override the config file") {
		t.Errorf("the start log does not say which settings won:\n%s", logs.String())
	}
}

// TestSettingsNamesAreTheConfigNames fails when the settings API and the
// config file name one setting differently: every name the API writes
// must be a config field holding the same value.
func TestSettingsNamesAreTheConfigNames(t *testing.T) {
	cfg := config.Default()
	cfg.PagesRequireLogin, cfg.BreaksBeforeDisable, cfg.EventRetention, cfg.LogLevel = true, 9, 77, "warn"
	fields := func(v any) map[string]json.RawMessage {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]json.RawMessage
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	api := fields(web.Settings(cfg.Settings))
	file := fields(cfg)
	if len(api) != 4 {
		t.Fatalf("the settings API has %d fields, want 4: %v", len(api), slices.Sorted(maps.Keys(api)))
	}
	for name, v := range api {
		if fv, ok := file[name]; !ok || string(fv) != string(v) {
			t.Errorf("settings API field %q = %s; the config file has %s (present %v)", name, v, fv, ok)
		}
	}
}

// TestAdminCasesRealBackend runs web's admin API table against the
// agent's backend, with the bundled plugins started.
func TestAdminCasesRealBackend(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	m, db := settingsManager(t, cfg.StoreOptions(), cfg, nil)
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	webtest.RunAdmin(t, m.Backend(time.Now()), "netdev")
}
