package core

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
)

// startLoop starts the plugin's own goroutine: every plugin runs on its
// own schedule, so a plugin that uses its whole time budget delays no
// other plugin.
func (e *entry) startLoop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		return
	}
	if e.sw.Off() {
		e.state = stateDisabled
		return
	}
	ctx, cancel := context.WithCancel(e.m.ctx)
	e.cancel, e.done = cancel, make(chan struct{})
	e.due = e.m.clock.Now() // not a stale due of a loop stopped long ago
	e.state = stateIdle
	e.m.wg.Add(1)
	go e.loop(ctx, e.done)
}

// stopLoop stops the plugin's goroutine, interrupting a call in progress,
// waits for it and closes the plugin's state.
func (e *entry) stopLoop() {
	e.mu.Lock()
	cancel, done, p := e.cancel, e.done, e.plugin
	e.cancel, e.done = nil, nil
	e.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	if p != nil {
		p.Interrupt(luaplugins.ErrStopped)
	}
	<-done
	e.mu.Lock()
	if e.plugin != nil {
		e.plugin.Close()
		e.plugin = nil
	}
	e.forgetLeak()
	e.mu.Unlock()
}

func (e *entry) loop(ctx context.Context, done chan struct{}) {
	defer e.m.wg.Done()
	defer close(done)
	e.mu.Lock()
	interval := e.interval()
	e.mu.Unlock()
	clock := e.m.clock
	next := clock.Now()
	e.setDue(next)
	for {
		select {
		case <-ctx.Done():
			return
		case <-clock.After(next.Sub(clock.Now())):
		}
		e.runOnce(ctx)
		// Keep to the schedule: the next run is one interval after this
		// one was due, or right away if the run took longer.
		next = next.Add(interval)
		if now := clock.Now(); next.Before(now) {
			next = now
		}
		e.setDue(next)
	}
}

// setDue records when the loop's next run is due.
func (e *entry) setDue(t time.Time) {
	e.mu.Lock()
	e.due = t
	e.mu.Unlock()
}

// runOnce loads the plugin if needed and runs collect() once, unless the
// plugin is over its CPU share.
func (e *entry) runOnce(ctx context.Context) {
	m := e.m
	name := e.name
	// What an upgrade replaces is read under the lock, once per run.
	e.mu.Lock()
	src, kv, cpu := e.src, e.kv, e.cpu
	e.mu.Unlock()
	if wait, err := cpu.Allow(m.clock.Now()); err != nil {
		e.mu.Lock()
		first := e.throttled == ""
		e.throttled = fmt.Sprintf("%v; runs skipped for %s", err, wait.Round(time.Second))
		e.mu.Unlock()
		m.pluginResult(name, "skipped").Inc()
		if first {
			m.sec.record(EvCPUThrottled, store.Warning, name, e.throttledText())
		}
		return
	}
	release := m.runSlots.take(ctx) // held for the Lua calls only
	e.mu.Lock()
	e.throttled = ""
	p := e.plugin
	e.state = stateRunning
	e.mu.Unlock()

	var stats *luaplugins.Stats
	var err error
	var use callUse // what a break is judged by (breakCause)
	fresh := p == nil
	if p == nil {
		hkv, hboard, hlog, hrep := m.hostEnv(&e.host, kv)
		h0 := e.host.total()
		p, stats, err = luaplugins.Load(src, luaplugins.Env{
			Registry: m.registry, Log: hlog, KV: hkv,
			Families: m.families, Board: hboard, Reporter: hrep, RequireCollect: true, Identity: m.identity,
			Context: ctx,
		})
		use.add(stats, e.host.total()-h0)
		e.loaded(src, p, err)
	}
	if err == nil { // a stopped loop's ctx ends it with ErrStopped
		var s *luaplugins.Stats
		h0 := e.host.total()
		s, err = p.Collect()
		use.add(s, e.host.total()-h0)
		if stats != nil {
			s.Duration += stats.Duration
			s.CPU += stats.CPU
		}
		stats = s
	}
	release()
	if errors.Is(err, luaplugins.ErrStopped) {
		return
	}
	if p != nil {
		m.watchLeak(e, p, fresh)
	}
	e.record(stats, err, &use)
}

// loaded keeps a plugin that loaded and records a plugin_error event when
// one fails to load (a compile error, an error or limit break in its
// top-level chunk): at start, or after a reload or upgrade. Only the first
// failure of src is an event; each run's error is in the plugin's record,
// log and metrics, and a limit break has its own event too.
func (e *entry) loaded(src *luaplugins.Source, p *luaplugins.Plugin, err error) {
	if errors.Is(err, luaplugins.ErrStopped) {
		return
	}
	e.mu.Lock()
	first := err != nil && e.loadFailed != src
	if err == nil {
		e.plugin, e.loadFailed = p, nil
	} else {
		e.loadFailed = src
	}
	e.mu.Unlock()
	if first {
		e.m.sec.record(EvPluginError, store.Warning, e.name, fmt.Sprintf("version %s failed to load: %v", src.Manifest.Version, err))
	}
}

func (e *entry) throttledText() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.throttled
}

// record stores the outcome of one run and applies the disable policy:
// breaksBeforeDisable breaks of the plugin's own in a row disable it. A
// break of load (breakCause, judged by use) is recorded and counted by
// cause but neither counts toward disabling nor ends a streak.
func (e *entry) record(stats *luaplugins.Stats, err error, use *callUse) {
	m := e.m
	name := e.name
	now := m.clock.Now()
	if stats == nil {
		stats = &luaplugins.Stats{}
	}
	e.mu.Lock()
	cpu, okOwn, loadRuns := e.cpu, e.okOwn, e.loadRuns
	e.mu.Unlock()
	cpu.Charge(now, stats.CPU)

	var viol *limits.Violation
	isBreak := errors.As(err, &viol)
	cause, errText := causePlugin, ""
	if isBreak {
		cause = breakCause(viol, use, okOwn, m.cpuKnown)
		if cause == causeLoad && bits.OnesCount16(loadRuns) >= maxLoadRuns {
			// Load has ended most of its recent runs: whatever the
			// cause, the plugin does not fit this router as it is now,
			// and a plugin must not hold its run slot to its time limit
			// run after run under a load exemption (breakcause.go).
			cause = causePlugin
		}
	}
	if err != nil {
		errText = err.Error()
		if cause == causeLoad {
			errText += use.loadNote()
		}
	}
	result := "ok"
	switch {
	case isBreak:
		result = "limit"
	case err != nil:
		result = "error"
	}
	m.pluginResult(name, result).Inc()
	m.metrics.GetOrCreatePrometheusHistogram(fmt.Sprintf(`heimnetz_plugin_execution_duration_seconds{plugin=%q}`, name)).Update(stats.Duration.Seconds())
	m.metrics.GetOrCreateFloatCounter(fmt.Sprintf(`heimnetz_plugin_cpu_seconds_total{plugin=%q}`, name)).Add(stats.CPU.Seconds())
	if err != nil {
		kind := "lua"
		if isBreak {
			kind = viol.Name()
			m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_limit_breaks_total{plugin=%q,limit=%q,cause=%q}`, name, kind, cause)).Inc()
		}
		m.metrics.GetOrCreateCounter(fmt.Sprintf(`heimnetz_plugin_errors_total{plugin=%q,kind=%q}`, name, kind)).Inc()
	}

	e.mu.Lock()
	e.cpuTotal += stats.CPU
	e.rec.Runs++
	e.rec.LastRun = now
	e.rec.LastDuration = stats.Duration
	run := runRecord{Time: now, Duration: stats.Duration, Instructions: stats.Instructions, Memory: stats.PeakMemory}
	if err != nil {
		e.rec.Errors++
		e.rec.LastError = errText
		run.Err = errText
		e.state = stateFailed
	} else {
		e.rec.LastError = ""
		e.state = stateIdle
	}
	switch {
	case isBreak && cause == causeLoad:
		// Neither the plugin's doing nor a run that went well: the
		// streak stands as it was.
	case isBreak:
		e.rec.ConsecutiveBreaks++
		e.breaks++
	default:
		e.rec.ConsecutiveBreaks = 0
	}
	if err == nil {
		e.okOwn = max(use.peak, e.okOwn-e.okOwn/okOwnDecay)
	}
	// The last 16 runs, one bit each: ended by load or not.
	e.loadRuns <<= 1
	if isBreak && cause == causeLoad {
		e.loadRuns |= 1
	}
	e.runs = append(e.runs, run)
	if len(e.runs) > recentRuns {
		e.runs = e.runs[len(e.runs)-recentRuns:]
	}
	breaks := e.rec.ConsecutiveBreaks
	rec := e.rec
	if isBreak && e.plugin != nil {
		// A state that broke a limit may hold half-built data; the next
		// run starts from a fresh state.
		e.plugin.Close()
		e.plugin = nil
		e.forgetLeak()
	}
	e.mu.Unlock()

	if err := m.db.PutPlugin(rec); err != nil {
		m.log.Error("plugin record not stored", "plugin", name, "err", err)
	}
	if err == nil {
		return
	}
	if !isBreak {
		m.log.Warn("plugin error", "plugin", name, "err", err)
		return
	}
	if cause == causeLoad {
		m.sec.record(EvLimitBreak, store.Info, name, errText)
		return
	}
	m.sec.record(EvLimitBreak, store.Warning, name, errText)
	if limit := m.breaksBeforeDisable(); limit > 0 && breaks >= uint64(limit) {
		reason := fmt.Sprintf(autoDisabledPrefix+"%d limit breaks in a row; last: %v", breaks, err)
		go func() {
			if err := m.disable(name, reason, store.High); err != nil {
				m.log.Error("disabling plugin", "plugin", name, "err", err)
			}
		}()
	}
}

// pluginLog writes a plugin's log line to the store's log ring and, at
// debug level, to the agent's log.
func (m *Manager) pluginLog(plugin, level, line string) {
	if err := m.db.AppendLog(plugin, level, line, m.clock.Now()); err != nil {
		m.log.Error("plugin log line not stored", "plugin", plugin, "err", err)
	}
	m.log.Debug(line, "plugin", plugin, "level", level)
}

// LimitHit implements luaplugins.Reporter: output caps become events.
func (m *Manager) LimitHit(plugin, what, detail string) {
	m.sec.record(EvOutputLimit, store.Info, plugin, what+": "+detail)
}
