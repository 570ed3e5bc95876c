package core

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// recentRuns is how many past runs each plugin keeps for its page.
const recentRuns = 20

// errUnknownPlugin is returned for a name no plugin has.
var errUnknownPlugin = errors.New("no such plugin")

// Manager owns the plugins: it loads them, schedules them, records their
// runs in the store and in metrics, and disables the ones that keep
// breaking their limits.
type Manager struct {
	cfg      config.Config // guarded by mu: settings change it at run time
	ceilings limits.Limits
	db       *store.DB
	board    *board.Board
	registry *luaplugins.Registry
	families *luaplugins.Families
	metrics  *metrics.Set // the agent's plugin metrics
	sec      *securityLog
	log      *slog.Logger
	level    *LogLevel
	clock    Clock
	identity luaplugins.Identity // what the clients module tells plugins
	runSlots *runSlots           // bounds the plugin calls that run at once
	probe    *wanProber          // the owner's WAN probe; nil when off
	memUsed  func() int64        // Go memory as memory_limit counts it (health.go)
	alerts   *alertsRunner       // the built-in alerts (alerts.go)
	// cpuKnown is whether a plugin call's thread CPU time can be read
	// here; without it no limit break is one of load (breakCause).
	cpuKnown bool

	metricsCache metricsCache

	// settingsMu makes settings updates one at a time, so the saved
	// record and the running settings end up the same; it is held across
	// the store commit, mu only while cfg changes.
	settingsMu sync.Mutex

	mu      sync.Mutex
	plugins map[string]*entry
	busy    map[string]bool // names being installed or removed (claim)
	// memOverSince is when health checks began to see memory past
	// memory_limit; zero while under it (health.go).
	memOverSince time.Time
	wg           sync.WaitGroup
	ctx          context.Context
}

// kvStore returns the plugin's kv store, which an upgrade replaces under
// e.mu; readers outside the plugin's own loop take it through here.
func (e *entry) kvStore() *store.KV {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kv
}

// entry is one known plugin, loaded or not.
type entry struct {
	m    *Manager
	name string // the plugin's name; never changes
	src  *luaplugins.Source

	// life serialises what stops and starts the plugin's loop (enable,
	// disable, reload, upgrade, remove, stop), so none of them can start
	// a loop on a source, kv store or CPU share another is replacing.
	life sync.Mutex

	mu        sync.Mutex
	plugin    *luaplugins.Plugin // nil when not loaded
	rec       store.PluginRecord
	kv        *store.KV
	cpu       *limits.CPUShare
	state     string
	throttled string // why runs are being skipped, if they are
	runs      []runRecord
	cpuTotal  time.Duration
	cancel    context.CancelFunc
	done      chan struct{}
	// due is when the loop's next run is due, or the running one was:
	// what /healthz's stall check measures from (health.go).
	due time.Time
	// loadFailed is the source whose loads fail, so only its first
	// failure is a plugin_error event.
	loadFailed *luaplugins.Source
	// sw is the owner's switch for this plugin from the config (off, or
	// another interval); set once when the entry is made.
	sw config.PluginSwitch
	// leak is the plugin's leak detector (leak.go).
	leak leakWatch
	// breaks counts the plugin's limit breaks since the agent started,
	// for the PluginLimitBreaks alert; breaks of load (breakCause) are
	// not counted.
	breaks uint64
	// host adds up the wall time the plugin's calls spend in host calls
	// (hosttime.go).
	host hostTime
	// okOwn is the most a successful call used of its own (CPU and host
	// time), decaying: what breakCause compares a wall-time break with.
	okOwn time.Duration
	// loadRuns has one bit per recent run (newest lowest): set when load
	// ended it (breakCause); maxLoadRuns of the last 16 make the next
	// load break count as the plugin's own.
	loadRuns uint16
}

// configOffReason is the disabled reason of a plugin the config turned off.
const configOffReason = "disabled in the config"

// interval is how often the plugin runs: the config's interval for it,
// else its manifest's.
func (e *entry) interval() time.Duration {
	if e.sw.Interval > 0 {
		return time.Duration(e.sw.Interval)
	}
	return e.src.Manifest.Interval
}

// enabled reports whether the plugin may run: enabled in its record (not
// disabled by an admin or the agent) and not turned off in the config.
func (e *entry) enabled() bool { return e.rec.Enabled && !e.sw.Off() }

// disabledReason is why the plugin does not run, empty when it does; the
// config's switch comes first, as it is the one to change.
func (e *entry) disabledReason() string {
	if e.sw.Off() {
		return configOffReason
	}
	return e.rec.DisabledReason
}

// runRecord is one past run for the plugin page.
type runRecord struct {
	Time         time.Time
	Duration     time.Duration
	Instructions int64
	Memory       int64
	Err          string
}

// Plugin states.
const (
	stateRunning  = "running"
	stateIdle     = "idle"
	stateDisabled = "disabled"
	stateFailed   = "failed"
)

// loadSources reads the bundled plugins and those in the plugin directory;
// a directory plugin replaces a bundled one of the same name. Plugins that
// do not validate are reported as security events and skipped.
func (m *Manager) loadSources() []*luaplugins.Source {
	byName := map[string]*luaplugins.Source{}
	add := func(srcs []*luaplugins.Source, errs []error) {
		for _, err := range errs {
			m.sec.record(EvManifestInvalid, store.Warning, "", err.Error())
		}
		for _, s := range srcs {
			if old, ok := byName[s.Name()]; ok {
				m.log.Info("plugin replaces the bundled one", "plugin", s.Name(), "from", s.Origin, "bundled", old.Origin)
			}
			byName[s.Name()] = s
		}
	}
	if !m.cfg.NoBundled {
		add(luaplugins.ReadBundled(m.registry, m.ceilings))
	}
	dir := m.cfg.PluginsDirectory()
	switch _, err := os.Stat(dir); {
	case err == nil:
		add(luaplugins.ReadAll(os.DirFS(dir), ".", dir, m.registry, m.ceilings))
	case errors.Is(err, fs.ErrNotExist) && m.cfg.PluginsDir == "":
		// The default directory appears with the first install.
	default:
		m.log.Warn("plugin directory not readable", "dir", dir, "err", err)
	}
	out := make([]*luaplugins.Source, 0, len(byName))
	for _, s := range byName {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// start registers and starts every plugin.
func (m *Manager) start(ctx context.Context) error {
	m.ctx = ctx
	loaded := map[string]bool{}
	for _, src := range m.loadSources() {
		if err := m.add(src); err != nil {
			return err
		}
		loaded[src.Name()] = true
	}
	m.mu.Lock()
	switches := m.cfg.Plugins
	m.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(switches)) {
		if !loaded[name] {
			m.log.Warn("config plugins: no plugin has this name; its setting waits for one to be installed", "plugin", name)
		}
	}
	return nil
}

// add registers src (keeping its stored record) and starts it if enabled.
func (m *Manager) add(src *luaplugins.Source) error {
	name := src.Name()
	rec, ok, err := m.db.Plugin(name)
	if err != nil {
		return fmt.Errorf("plugin %q: %w", name, err)
	}
	if !ok {
		rec = store.PluginRecord{Name: name, Enabled: true}
	}
	if newVersionClears(rec, src) {
		m.sec.record(EvPluginEnabled, store.Info, name, fmt.Sprintf("version %s replaces %s, which the agent had disabled: enabled again", src.Manifest.Version, rec.Version))
		rec.Enabled, rec.DisabledReason, rec.ConsecutiveBreaks = true, "", 0
	}
	rec.Version = src.Manifest.Version
	lim := src.Manifest.Limits
	m.mu.Lock()
	sw := m.cfg.Plugins[name]
	m.mu.Unlock()
	e := &entry{
		m: m, name: name, src: src, rec: rec, sw: sw,
		kv:    m.db.KV(name, store.QuotaFor(lim)),
		cpu:   limits.NewCPUShare(lim.CPU, lim.CPUWindow, m.clock.Now()),
		state: stateIdle,
	}
	m.mu.Lock()
	m.plugins[name] = e
	m.mu.Unlock()
	m.registerMetrics(e)
	if err := m.db.PutPlugin(rec); err != nil {
		return err
	}
	if rec.Enabled && !sw.Off() {
		e.startLoop()
	} else {
		e.state = stateDisabled
	}
	return nil
}

// autoDisabledPrefix starts the reason of a plugin the agent disabled
// itself; an admin's disable uses another reason.
const autoDisabledPrefix = "disabled after "

// newVersionClears reports whether src is a new version of a plugin the
// agent disabled after repeated breaks: a new version gets a new chance,
// a plugin an admin disabled stays disabled.
func newVersionClears(rec store.PluginRecord, src *luaplugins.Source) bool {
	return !rec.Enabled && strings.HasPrefix(rec.DisabledReason, autoDisabledPrefix) &&
		rec.Version != "" && rec.Version != src.Manifest.Version
}

// get returns the plugin named name.
func (m *Manager) get(name string) (*entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.plugins[name]
	if !ok {
		return nil, fmt.Errorf("plugin %q: %w", name, errUnknownPlugin)
	}
	return e, nil
}

// entries returns every plugin sorted by name.
func (m *Manager) entries() []*entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*entry, 0, len(m.plugins))
	for _, e := range m.plugins {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// stop stops every plugin and waits for their loops to end.
func (m *Manager) stop() {
	for _, e := range m.entries() {
		e.life.Lock()
		e.stopLoop()
		e.life.Unlock()
	}
	m.wg.Wait()
}

// enable re-enables a plugin (an admin action), clearing its breaks.
func (m *Manager) enable(name string) error {
	e, err := m.get(name)
	if err != nil {
		return err
	}
	if e.sw.Off() {
		return fmt.Errorf("%w: plugin %q is %s; set plugins.%s.enabled (UCI: option enabled in its config plugin section) and restart", web.ErrConfig, name, configOffReason, name)
	}
	e.life.Lock()
	defer e.life.Unlock()
	e.mu.Lock()
	e.rec.Enabled, e.rec.DisabledReason, e.rec.ConsecutiveBreaks = true, "", 0
	e.throttled = ""
	rec := e.rec
	e.mu.Unlock()
	if err := m.db.PutPlugin(rec); err != nil {
		return err
	}
	m.sec.record(EvPluginEnabled, store.Info, name, "enabled by an admin")
	m.invalidateMetrics()
	e.startLoop()
	m.pokeAlerts()
	return nil
}

// disable stops a plugin and keeps it disabled across restarts.
func (m *Manager) disable(name, reason string, sev store.Severity) error {
	e, err := m.get(name)
	if err != nil {
		return err
	}
	e.life.Lock()
	defer e.life.Unlock()
	e.stopLoop()
	// The event first: whoever sees the plugin disabled finds its event.
	m.sec.record(EvPluginDisabled, sev, name, reason)
	e.mu.Lock()
	e.rec.Enabled, e.rec.DisabledReason = false, reason
	e.state = stateDisabled
	rec := e.rec
	e.mu.Unlock()
	m.invalidateMetrics()
	defer m.pokeAlerts()
	return m.db.PutPlugin(rec)
}

// reload re-reads a plugin from where it came from and restarts it; its
// stored data stays and its old metric series are dropped. If the new
// version does not validate, the old one keeps running.
func (m *Manager) reload(name string) error {
	e, src, done, err := m.change(name)
	if err != nil {
		return err
	}
	defer done()
	if src.Origin != luaplugins.OriginBundled {
		fresh, err := luaplugins.ReadPath(src.Origin, m.registry, m.ceilings)
		if err != nil {
			m.sec.record(EvManifestInvalid, store.Warning, name, err.Error())
			return fmt.Errorf("reload %q: %w: %v (the running version is kept)", name, errRejected, err)
		}
		src = fresh
	}
	e.stopLoop()
	e.mu.Lock()
	if newVersionClears(e.rec, src) {
		e.rec.Enabled, e.rec.DisabledReason, e.rec.ConsecutiveBreaks = true, "", 0
		m.sec.record(EvPluginEnabled, store.Info, name, "version "+src.Manifest.Version+" replaces the disabled "+e.rec.Version+": enabled again")
	}
	e.src = src
	e.rec.Version = src.Manifest.Version
	enabled := e.enabled()
	e.mu.Unlock()
	if enabled {
		e.startLoop()
	}
	return nil
}

// clearData deletes a plugin's stored key/value data.
func (m *Manager) clearData(name string) error {
	e, err := m.get(name)
	if err != nil {
		return err
	}
	return e.kvStore().Clear()
}

// change claims the plugin named name (no install or removal of it runs
// meanwhile) and locks its lifecycle, for a reload or a removal; it
// returns the plugin, its source at that moment, and done, which undoes
// both.
func (m *Manager) change(name string) (e *entry, src *luaplugins.Source, done func(), err error) {
	e, err = m.get(name)
	if err != nil {
		return nil, nil, nil, err
	}
	release, err := m.claim(name)
	if err != nil {
		return nil, nil, nil, err
	}
	e.life.Lock()
	e.mu.Lock()
	src = e.src
	e.mu.Unlock()
	return e, src, func() {
		e.life.Unlock()
		release()
	}, nil
}
