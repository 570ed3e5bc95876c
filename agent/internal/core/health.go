package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// stallRuns and stallTimeouts make a plugin loop's stall bound: a loop is
// stalled when its run has been due for longer than stallRuns intervals
// plus stallTimeouts of its time limit (a run may load the plugin and
// then call collect, each under the limit), so a run that legitimately
// uses its whole time limit, or a skipped run, is never taken for a
// stall.
const (
	stallRuns     = 3
	stallTimeouts = 2
)

// memoryGrace is how long Go memory must be seen past memory_limit, at
// every health check in between, before it is a failure: the limit is
// soft, and a burst (a thousand connections opening at once) passes it
// for a moment while the runtime collects.
const memoryGrace = 30 * time.Second

// healthReasons returns why the agent is unhealthy, one short reason per
// failing check without paths (the /healthz answer is open to the LAN),
// or nil while it is healthy: the store cannot write, a plugin loop has
// stalled, or the Go runtime's memory is past memory_limit.
func (m *Manager) healthReasons() []string {
	var out []string
	switch flush, snapshot := m.db.Failing(); {
	case flush:
		out = append(out, "store cannot write: commits to the live database are failing (see the agent's log and security events)")
	case snapshot:
		out = append(out, "store cannot write: snapshots to flash are failing (see the agent's log and security events)")
	}
	if s := m.stalled(m.clock.Now()); s != "" {
		out = append(out, s)
	}
	if s := m.memoryOver(m.clock.Now()); s != "" {
		out = append(out, s)
	}
	return out
}

// health is healthReasons as one error (nil while healthy).
func (m *Manager) health() error {
	r := m.healthReasons()
	if len(r) == 0 {
		return nil
	}
	return errors.New(strings.Join(r, "; "))
}

// stalled names the plugin loops that have not made progress within their
// bound at now, or returns "". Only running loops count: with every plugin
// disabled nothing is due and nothing can stall.
func (m *Manager) stalled(now time.Time) string {
	m.mu.Lock()
	entries := make([]*entry, 0, len(m.plugins))
	for _, e := range m.plugins {
		entries = append(entries, e)
	}
	m.mu.Unlock()
	var late []string
	for _, e := range entries {
		e.mu.Lock()
		active, due := e.cancel != nil, e.due
		bound := stallRuns*e.interval() + stallTimeouts*e.src.Manifest.Limits.Timeout
		e.mu.Unlock()
		if active && !due.IsZero() && now.Sub(due) > bound {
			late = append(late, fmt.Sprintf("plugin %q %s overdue (bound %s)", e.name, now.Sub(due).Round(time.Second), bound))
		}
	}
	m.mu.Lock()
	probe := m.probe
	m.mu.Unlock()
	if probe != nil {
		if start := probe.roundStart.Load(); start != nil {
			// A round (count pings, each up to the timeout) fits in the
			// interval (config.WANProbe.Validate); resolving the target
			// may take a while more.
			interval := time.Duration(probe.cfg.Interval)
			bound := stallRuns*interval + time.Duration(probe.cfg.Count)*time.Duration(probe.cfg.Timeout)
			if over := now.Sub(start.Add(interval)); over > bound {
				late = append(late, fmt.Sprintf("WAN probe %s overdue (bound %s)", over.Round(time.Second), bound))
			}
		}
	}
	if len(late) == 0 {
		return ""
	}
	slices.Sort(late)
	return "scheduler stalled: " + strings.Join(late, ", ")
}

// memoryOver describes Go memory past the configured memory_limit since
// memoryGrace or longer, or returns "". It counts what the runtime's own
// limit counts (memory mapped by the runtime less heap returned to the
// OS); the limit is soft, so the runtime stays past it only when live
// data does.
func (m *Manager) memoryOver(now time.Time) string {
	used := m.memUsed()
	m.mu.Lock()
	defer m.mu.Unlock()
	limit := int64(m.cfg.MemoryLimit)
	if limit <= 0 || used <= limit {
		m.memOverSince = time.Time{}
		return ""
	}
	if m.memOverSince.IsZero() {
		m.memOverSince = now
	}
	if over := now.Sub(m.memOverSince); over < memoryGrace {
		return ""
	}
	return fmt.Sprintf("memory past its limit: %.1f MiB used, memory_limit %.1f MiB, for %s", float64(used)/(1<<20), float64(limit)/(1<<20), now.Sub(m.memOverSince).Round(time.Second))
}

// goMemoryUsed is the memory debug.SetMemoryLimit limits.
func goMemoryUsed() int64 {
	g := readGoMemory()
	return int64(g.Total - min(g.Total, g.Released))
}
