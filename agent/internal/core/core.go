// Package core is the agent's daemon core: the manager that loads,
// schedules, records and disables plugins, installs, upgrades and removes
// plugin packages, keeps the security log, renders the agent's metrics and
// adapts all of it to what the web server shows and does (Backend).
//
// The CLI in package main wires it to a store, a board, a clock and a
// listener; tests build it the same way over a temporary store, a fixture
// board and a fake clock.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// Options are what a Manager is built from.
type Options struct {
	// Config is the agent's configuration; its settings (see package
	// settings) are overridden by those saved in the store, and change at
	// run time through the backend.
	Config config.Config
	// DB is the open store; the caller closes it after Stop.
	DB *store.DB
	// Board reads the device's facts (the real root "/" or a fixture).
	Board *board.Board
	// Log is the agent's logger; nil discards.
	Log *slog.Logger
	// Level is the logger's level, set from the config and the settings;
	// nil keeps a level of its own.
	Level *LogLevel
	// Clock schedules runs; nil is the system clock.
	Clock Clock
	// Metrics is the set the agent's own series go to; nil makes one.
	Metrics *metrics.Set
	// Syslog also sends security events to the system log (on OpenWrt,
	// logd with their priority).
	Syslog bool
}

// New builds a manager from opts. Nothing runs until Start.
func New(opts Options) (*Manager, error) {
	if opts.DB == nil || opts.Board == nil {
		return nil, errors.New("core: a store and a board are needed")
	}
	if err := opts.Config.Validate(); err != nil {
		return nil, err
	}
	ceilings, err := opts.Config.MaxLimits()
	if err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Level == nil {
		opts.Level = new(LogLevel)
	}
	if !opts.Level.SetName(opts.Config.LogLevel) {
		return nil, fmt.Errorf("config log_level: unknown level %q", opts.Config.LogLevel)
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Metrics == nil {
		opts.Metrics = metrics.NewSet()
	}
	registerAgentMetrics(opts.Metrics)
	registerDeviceInfo(opts.Metrics, opts.Board, opts.Log)
	m := &Manager{
		cfg: opts.Config, ceilings: ceilings, db: opts.DB, board: opts.Board,
		registry: luaplugins.NewRegistry(), families: luaplugins.NewFamilies(),
		metrics: opts.Metrics, log: opts.Log, level: opts.Level, clock: opts.Clock,
		plugins: map[string]*entry{}, memUsed: goMemoryUsed, runSlots: newRunSlots(),
	}
	_, cpuErr := limits.ThreadCPUTime()
	m.cpuKnown = cpuErr == nil
	m.loadSettings()
	m.alerts = newAlertsRunner(m)
	key, err := opts.DB.ClientIdentityKey()
	if err != nil {
		return nil, err
	}
	m.identity = luaplugins.Identity{Expose: opts.Config.ExposeClientIdentity, Key: key}
	m.sec = &securityLog{db: opts.DB, set: opts.Metrics, log: opts.Log}
	if opts.Syslog {
		if sl, err := openSyslog("", ""); err != nil {
			opts.Log.Warn("security events go to this log only", "err", err)
		} else {
			m.sec.syslog = sl
		}
	}
	opts.DB.OnFailure(func(op string, err error) {
		m.alerts.storeResult(op, err)
		switch {
		case err == nil:
			opts.Log.Info("store " + op + " works again")
		case op == "flush" || op == "snapshot":
			// The store put the failure into its event ring itself (it
			// cannot call back into its writes from here); it is counted
			// and logged at high's level like every event.
			m.sec.announce(EvStore, store.High, "", "store "+op+" failing (also counted in heimnetz_store_"+op+"_errors_total): "+err.Error())
		default:
			opts.Log.Error("store "+op+" failing", "err", err)
		}
	})
	// What the store did while it opened (store_recovered after a damaged
	// file, a snapshot restored, a migration) is in its event ring
	// already; now that the security log is up it is counted and logged
	// at its severity's level like every other event.
	for _, n := range opts.DB.Notices() {
		m.sec.announce(n.Type, n.Severity, "", "store: "+n.Message)
	}
	return m, nil
}

// Start loads every plugin and starts the enabled ones; they run until
// ctx ends or Stop is called. The built-in alerts start with StartAlerts.
func (m *Manager) Start(ctx context.Context) error {
	m.startWANProbe(ctx)
	return m.start(ctx)
}

// Stop stops the alerts and every plugin, waits for their runs to end and
// closes the system log connection. The store stays open.
func (m *Manager) Stop() {
	m.stopAlerts()
	m.stopWANProbe()
	m.stop()
	if m.sec.syslog != nil {
		m.sec.syslog.Close()
	}
}

// Event records a security event (see EventTypes) from the agent itself.
func (m *Manager) Event(typ string, sev store.Severity, msg string) {
	m.sec.record(typ, sev, "", msg)
}

// PluginCount is how many plugins the manager knows, loaded or not.
func (m *Manager) PluginCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.plugins)
}

// Backend returns what the web server shows and does, answering from this
// manager; started is when the agent started.
func (m *Manager) Backend(started time.Time) web.Backend {
	return &backend{m: m, started: started}
}

// breaksBeforeDisable is the setting read under the lock the settings
// handler writes it under.
func (m *Manager) breaksBeforeDisable() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg.BreaksBeforeDisable
}
