package core

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/alerts"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// alertsRunner evaluates the built-in alerts (package alerts) on the
// manager's own data: every EvaluateInterval on the manager's clock and
// right after a plugin is disabled or enabled. Each transition is one
// security event of type alert; what fires is exported as heimnetz_alert.
type alertsRunner struct {
	interval time.Duration
	kick     chan struct{} // a plugin's state changed: evaluate now

	// mu serialises evaluations (input, evaluation, events) so that
	// events come in the order of the transitions; it guards eval,
	// running and cancel.
	mu   sync.Mutex
	eval *alerts.Evaluator
	// statusMu guards statuses, the last evaluation's result, apart from
	// mu: a page view never waits for an evaluation reading the board.
	statusMu sync.Mutex
	statuses []alerts.Status

	// storeMu guards what the store's failure reports said last.
	storeMu         sync.Mutex
	flushFailing    bool
	snapshotFailing bool
	storeErr        string

	running bool
	cancel  context.CancelFunc
	done    sync.WaitGroup

	// Sources of the input that are not the manager's own state; tests
	// replace them before StartAlerts.
	//
	// leaks returns the leak detector's reports (the manager's
	// LeakReports, converted field by field).
	leaks func() []alerts.Leak
	// memory returns the agent's Go memory and the runtime's limit.
	memory func() alerts.Memory
	// clock returns what the host says of its clock at now; nil when it
	// cannot tell.
	clock func(now time.Time) *alerts.Clock
}

// newAlertsRunner builds the runner for m's config (validated by New).
func newAlertsRunner(m *Manager) *alertsRunner {
	th := m.cfg.Alerts.Thresholds()
	a := &alertsRunner{
		interval: th.EvaluateInterval,
		kick:     make(chan struct{}, 1),
		eval:     alerts.New(th),
		memory:   goMemoryAgainstLimit,
	}
	a.leaks = func() []alerts.Leak {
		reports := m.LeakReports()
		out := make([]alerts.Leak, len(reports))
		for i, r := range reports {
			out[i] = alerts.Leak(r)
		}
		return out
	}
	// The kernel's clock state says something about the manager's clock
	// only when that clock is the system's.
	if _, ok := m.clock.(systemClock); ok {
		a.clock = hostClock
	}
	return a
}

// StartAlerts starts evaluating the built-in alerts: at once, then every
// alerts.evaluate_interval on the manager's clock, and right after a
// plugin is disabled or enabled, until ctx ends or Stop. The agent calls
// it after Start.
func (m *Manager) StartAlerts(ctx context.Context) {
	a := m.alerts
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return
	}
	a.running = true
	ctx, a.cancel = context.WithCancel(ctx)
	a.mu.Unlock()
	a.done.Add(1)
	go func() {
		defer a.done.Done()
		m.evaluateAlerts()
		// One timer across kicks: a kick evaluates and the schedule
		// stays. The timer is armed after the evaluation, so a test that
		// sees the loop wait on its clock again knows the evaluation ended.
		next := m.clock.After(a.interval)
		for {
			select {
			case <-ctx.Done():
				return
			case <-next:
				m.evaluateAlerts()
				next = m.clock.After(a.interval)
			case <-a.kick:
				m.evaluateAlerts()
			}
		}
	}()
}

// stopAlerts ends the evaluation loop and waits for it.
func (m *Manager) stopAlerts() {
	a := m.alerts
	a.mu.Lock()
	cancel := a.cancel
	a.running, a.cancel = false, nil
	a.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	a.done.Wait()
}

// pokeAlerts asks the loop, if it runs, to evaluate now (a plugin's state
// changed); it never blocks.
func (m *Manager) pokeAlerts() {
	select {
	case m.alerts.kick <- struct{}{}:
	default:
	}
}

// storeResult is told by the store when its flushes or snapshots start
// failing (err set) and work again (err nil).
func (a *alertsRunner) storeResult(op string, err error) {
	a.storeMu.Lock()
	defer a.storeMu.Unlock()
	failing := err != nil
	switch op {
	case "flush":
		a.flushFailing = failing
	case "snapshot":
		a.snapshotFailing = failing
	}
	if failing {
		a.storeErr = op + ": " + err.Error()
	}
}

// evaluateAlerts gathers the input, evaluates it and records every
// transition as an event.
func (m *Manager) evaluateAlerts() {
	a := m.alerts
	a.mu.Lock()
	defer a.mu.Unlock()
	trans := a.eval.Evaluate(m.alertInput(m.clock.Now()))
	sts := a.eval.Statuses()
	a.statusMu.Lock()
	a.statuses = sts
	a.statusMu.Unlock()
	for _, t := range trans {
		sev, msg := alertEvent(t)
		m.sec.record(EvAlert, sev, t.Plugin, msg)
	}
	if len(trans) > 0 {
		m.invalidateMetrics()
	}
}

// alertEvent is the event of one transition: the alert's severity when
// it fires or rises, info when it resolves.
func alertEvent(t alerts.Transition) (store.Severity, string) {
	sev := store.Warning
	if t.Severity == alerts.Critical {
		sev = store.Critical
	}
	switch {
	case t.State == alerts.Resolved:
		return store.Info, fmt.Sprintf("%s resolved (was %s): %s", t.Name, t.Severity, t.Summary)
	case t.From == alerts.Warning || t.From == alerts.Critical:
		return sev, fmt.Sprintf("%s now %s (was %s): %s", t.Name, t.Severity, t.From, t.Summary)
	default:
		return sev, fmt.Sprintf("%s firing (%s): %s", t.Name, t.Severity, t.Summary)
	}
}

// alertInput is what the manager knows now, as the evaluator reads it.
func (m *Manager) alertInput(now time.Time) alerts.Input {
	a := m.alerts
	in := alerts.Input{Time: now, Memory: a.memory()}
	for _, e := range m.entries() {
		e.mu.Lock()
		in.Plugins = append(in.Plugins, alerts.Plugin{
			Name:           e.name,
			AutoDisabled:   !e.rec.Enabled && !e.sw.Off() && strings.HasPrefix(e.rec.DisabledReason, autoDisabledPrefix),
			DisabledReason: e.rec.DisabledReason,
			Breaks:         e.breaks,
		})
		e.mu.Unlock()
	}
	if a.leaks != nil {
		in.Leaks = a.leaks()
	}
	flushes, snapshots := m.db.FailureCounts()
	a.storeMu.Lock()
	in.Store = alerts.Store{FlushFailing: a.flushFailing, SnapshotFailing: a.snapshotFailing,
		FlushErrors: flushes, SnapshotErrors: snapshots, LastError: a.storeErr}
	a.storeMu.Unlock()
	in.Flash = flashInput(m.board)
	in.WAN = wanInput(m.board)
	if a.clock != nil {
		in.Clock = a.clock(now)
	}
	return in
}

// goMemoryAgainstLimit is the Go memory the runtime's soft limit counts
// (mapped less released) against that limit (memory_limit, which the
// agent sets at start); without a limit there is nothing to compare.
func goMemoryAgainstLimit() alerts.Memory {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		limit = 0
	}
	return alerts.Memory{Bytes: goMemoryUsed(), Limit: limit}
}

// flashInput is the overlay's use, else the root filesystem's; nil when
// neither could be read.
func flashInput(b *board.Board) *alerts.Flash {
	fss, _ := b.Filesystems() // a stale mount elsewhere does not matter here
	var root *alerts.Flash
	for _, fs := range fss {
		f := &alerts.Flash{MountPoint: fs.MountPoint, Size: fs.Size, Free: fs.Free, Avail: fs.Avail}
		switch fs.MountPoint {
		case "/overlay":
			return f
		case "/":
			root = f
		}
	}
	return root
}

// wanInput is the uplink: the default routes and their link, and the
// owner's probe; nil when the routing table cannot be read.
func wanInput(b *board.Board) *alerts.WAN {
	v4, v6, err := b.Routes()
	if err != nil && len(v4) == 0 && len(v6) == 0 {
		return nil
	}
	w := &alerts.WAN{RouteKnown: true, LinkUp: true}
	if up, _ := b.WAN(); up.Interface != "" || up.Interface6 != "" {
		w.DefaultRoute, w.Interface = true, cmp.Or(up.Interface, up.Interface6)
		// An interface whose state could not be read is not taken as down.
		w.LinkUp = up.Up || up.OperState == ""
	}
	if p, err := b.WANProbe(); err == nil {
		w.Probing, w.Target, w.SentTotal, w.ReceivedTotal, w.ProbeReason = true, p.Target, p.SentTotal, p.ReceivedTotal, p.Reason
	}
	return w
}

// buildTime is the build's source time (the commit's, vcs.time), else
// the running binary's modification time (the ipk sets it to the commit's
// time, a local build to when it was built); zero when neither is known.
var buildTime = sync.OnceValue(func() time.Time {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					return t
				}
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return time.Time{}
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
})

// writeAlertMetrics writes heimnetz_alerts_firing and, while any fires,
// heimnetz_alert{alertname,severity[,plugin]} 1 per firing alert.
func (m *Manager) writeAlertMetrics(w io.Writer) {
	firing := m.FiringAlerts()
	fmt.Fprintf(w, "# HELP heimnetz_alerts_firing Built-in alerts firing now.\n# TYPE heimnetz_alerts_firing gauge\nheimnetz_alerts_firing %d\n", len(firing))
	if len(firing) == 0 {
		return
	}
	io.WriteString(w, "# HELP heimnetz_alert A built-in alert that fires now (1); absent while it does not.\n# TYPE heimnetz_alert gauge\n")
	for _, s := range firing {
		fmt.Fprintf(w, "heimnetz_alert{alertname=%q,severity=%q", s.Name, s.Severity)
		if s.Plugin != "" {
			fmt.Fprintf(w, ",plugin=%q", s.Plugin)
		}
		io.WriteString(w, "} 1\n")
	}
}

// Alerts returns every built-in alert as the last evaluation left it:
// firing first (critical before warning), then pending, resolved and
// inactive ones.
func (m *Manager) Alerts() []alerts.Status {
	a := m.alerts
	a.statusMu.Lock()
	defer a.statusMu.Unlock()
	return append([]alerts.Status(nil), a.statuses...)
}

// FiringAlerts returns the alerts that fire now, in the order of Alerts.
func (m *Manager) FiringAlerts() []alerts.Status {
	var out []alerts.Status
	for _, s := range m.Alerts() {
		if s.Firing() {
			out = append(out, s)
		}
	}
	return out
}

// webAlerts converts statuses for the web's API and pages.
func webAlerts(sts []alerts.Status) []web.AlertStatus {
	out := make([]web.AlertStatus, 0, len(sts))
	for _, s := range sts {
		w := web.AlertStatus{Name: s.Name, Severity: s.Severity, State: string(s.State), Since: s.Since, Summary: s.Summary, Value: s.Value}
		if s.Plugin != "" {
			w.Labels = map[string]string{"plugin": s.Plugin}
		}
		out = append(out, w)
	}
	return out
}
