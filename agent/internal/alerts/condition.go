package alerts

import (
	"fmt"
	"time"
)

// observe runs every condition over in.
func (e *Evaluator) observe(in Input) []observation {
	var out []observation
	out = append(out, e.pluginConditions(in)...)
	out = append(out, e.memory(in.Memory), e.store(in.Store), e.flash(in.Flash))
	out = append(out, e.wanConditions(in.WAN)...)
	out = append(out, e.clock(in.Clock))
	return out
}

// pluginConditions: PluginDisabled for a plugin the agent disabled,
// PluginLimitBreaks for one that broke its limits BreaksCount times within
// BreaksWindow (not while disabled: PluginDisabled says more), and
// PluginMemoryLeak from the leak detector's reports.
func (e *Evaluator) pluginConditions(in Input) []observation {
	var out []observation
	now := in.Time
	alive := map[string]bool{}
	for _, p := range in.Plugins {
		alive[p.Name] = true
		out = append(out, observation{
			key: key{PluginDisabled, p.Name}, known: true, active: p.AutoDisabled, severity: Warning,
			summary: fmt.Sprintf("plugin %s was disabled by the agent: %s", p.Name, p.DisabledReason),
		})
		n := e.countBreaks(p, now)
		out = append(out, observation{
			key: key{PluginLimitBreaks, p.Name}, known: true, severity: Warning,
			active:  n >= uint64(e.th.BreaksCount) && !p.AutoDisabled,
			summary: fmt.Sprintf("plugin %s broke its limits %d times in the last %s", p.Name, n, e.th.BreaksWindow),
			value:   float64(n),
		})
	}
	for name := range e.breaks {
		if !alive[name] {
			delete(e.breaks, name)
		}
	}
	for _, l := range in.Leaks {
		out = append(out, observation{
			key: key{PluginMemoryLeak, l.Plugin}, known: true, active: l.Leaking, severity: Warning,
			summary: fmt.Sprintf("plugin %s: live memory grows by %s per run over %d runs (now %s)",
				l.Plugin, formatBytes(l.BytesPerRun), l.Runs, formatBytes(float64(l.LiveBytes))),
			value: l.BytesPerRun,
		})
	}
	return out
}

// countBreaks adds the plugin's new breaks and returns how many fall
// within the window ending now.
func (e *Evaluator) countBreaks(p Plugin, now time.Time) uint64 {
	b := e.breaks[p.Name]
	if b == nil {
		b = &breakCount{}
		e.breaks[p.Name] = b
	}
	delta := p.Breaks - b.total
	if p.Breaks < b.total {
		delta = p.Breaks // counting started again
	}
	b.total = p.Breaks
	if delta > 0 {
		b.events = append(b.events, breakEvent{at: now, n: delta})
	}
	cut := 0
	for cut < len(b.events) && now.Sub(b.events[cut].at) >= e.th.BreaksWindow {
		cut++
	}
	b.events = b.events[cut:]
	if p.AutoDisabled {
		// The breaks that disabled it are PluginDisabled's; once an admin
		// enables it again, counting starts afresh.
		b.events = nil
	}
	var n uint64
	for _, ev := range b.events {
		n += ev.n
	}
	return n
}

// memory: AgentMemoryHigh at MemoryWarningPercent of the limit, critical
// at MemoryCriticalPercent.
func (e *Evaluator) memory(m Memory) observation {
	o := observation{key: key{name: AgentMemoryHigh}, severity: Warning, hold: e.th.Hold}
	if m.Limit <= 0 || m.Bytes <= 0 {
		return o
	}
	pct := 100 * float64(m.Bytes) / float64(m.Limit)
	o.known, o.value = true, pct
	o.active = pct >= e.th.MemoryWarningPercent
	if pct >= e.th.MemoryCriticalPercent {
		o.severity = Critical
	}
	o.summary = fmt.Sprintf("agent memory %s is %.0f%% of memory_limit %s", formatBytes(float64(m.Bytes)), pct, formatBytes(float64(m.Limit)))
	return o
}

// store: StoreWriteFailing while the store reports its flushes or
// snapshots failing, or when failures were counted since the evaluation
// before.
func (e *Evaluator) store(s Store) observation {
	n := s.FlushErrors + s.SnapshotErrors
	rising := n > e.storeN
	e.storeN = n
	o := observation{key: key{name: StoreWriteFailing}, known: true, severity: Critical, value: float64(n),
		active: s.FlushFailing || s.SnapshotFailing || rising}
	what := "store writes"
	switch {
	case s.FlushFailing && s.SnapshotFailing:
		what = "store flushes and snapshots"
	case s.FlushFailing:
		what = "store flushes"
	case s.SnapshotFailing:
		what = "store snapshots"
	}
	o.summary = fmt.Sprintf("%s failing (%d flush and %d snapshot errors since start)", what, s.FlushErrors, s.SnapshotErrors)
	if s.LastError != "" {
		o.summary += ": " + s.LastError
	}
	return o
}

// flash: FlashNearlyFull at FlashUsedPercent.
func (e *Evaluator) flash(f *Flash) observation {
	o := observation{key: key{name: FlashNearlyFull}, severity: Warning, hold: e.th.Hold}
	if f == nil || f.Size == 0 {
		return o
	}
	pct := f.UsedPercent()
	o.known, o.active, o.value = true, pct >= e.th.FlashUsedPercent, pct
	o.summary = fmt.Sprintf("%s is %.0f%% full (%s available)", f.MountPoint, pct, formatBytes(float64(f.Avail)))
	return o
}

// wanConditions: WANDown without a default route, with its link down, or
// when no echo request of the probe since the evaluation before got a
// reply; WANLossy when the probe lost WANLossPercent or more.
func (e *Evaluator) wanConditions(w *WAN) []observation {
	down := observation{key: key{name: WANDown}, severity: Critical, hold: e.th.Hold}
	lossy := observation{key: key{name: WANLossy}, severity: Warning, hold: e.th.Hold}
	if w == nil {
		return []observation{down, lossy}
	}
	if w.Probing {
		m := &e.wan
		if m.seen && w.SentTotal >= m.sent && w.ReceivedTotal >= m.recv {
			if sent := w.SentTotal - m.sent; sent > 0 {
				m.loss = 1 - min(1, float64(w.ReceivedTotal-m.recv)/float64(sent))
				m.measured = true
			}
		} else if w.SentTotal > 0 {
			// First look (or the counters started again): the totals are
			// the rounds so far.
			m.loss = 1 - min(1, float64(w.ReceivedTotal)/float64(w.SentTotal))
			m.measured = true
		}
		m.seen, m.sent, m.recv = true, w.SentTotal, w.ReceivedTotal
	} else {
		e.wan = wanMemo{}
	}
	probed := w.Probing && e.wan.measured
	loss := 100 * e.wan.loss
	switch {
	case w.RouteKnown && !w.DefaultRoute:
		down.known, down.active, down.value = true, true, 100
		down.summary = "no default route: the uplink is down or not configured"
	case w.RouteKnown && !w.LinkUp:
		down.known, down.active, down.value = true, true, 100
		down.summary = fmt.Sprintf("the link of the uplink %s is down", w.Interface)
	case probed && loss >= 100:
		down.known, down.active, down.value = true, true, loss
		down.summary = fmt.Sprintf("no reply from %s to the WAN probe", w.Target)
		if w.ProbeReason != "" {
			down.summary += " (" + w.ProbeReason + ")"
		}
	case w.RouteKnown || probed:
		down.known = true
	}
	if probed {
		lossy.known, lossy.value = true, loss
		lossy.active = !down.active && loss >= e.th.WANLossPercent
		lossy.summary = fmt.Sprintf("%.0f%% of the WAN probe's echo requests to %s were lost", loss, w.Target)
	}
	return []observation{down, lossy}
}

// clock: ClockNotSynchronised while the kernel says no time service
// disciplines the clock, or the clock is before the build.
func (e *Evaluator) clock(c *Clock) observation {
	o := observation{key: key{name: ClockNotSynchronised}, severity: Warning, hold: e.th.ClockHold}
	if c == nil {
		return o
	}
	o.known = true
	switch {
	case !c.Build.IsZero() && c.Now.Before(c.Build):
		o.active = true
		o.summary = fmt.Sprintf("the clock (%s) is before this build (%s): it was never set", c.Now.UTC().Format(time.DateTime), c.Build.UTC().Format(time.DateOnly))
	case c.Unsynchronised:
		o.active = true
		o.summary = "the kernel reports the clock unsynchronised: no NTP service keeps it (OpenWrt: System → Time Synchronization)"
	}
	return o
}

// formatBytes writes a byte count the way the pages do: 512 B, 1.5 KiB,
// 12.0 MiB.
func formatBytes(v float64) string {
	neg := ""
	if v < 0 {
		neg, v = "-", -v
	}
	units := []string{"B", "KiB", "MiB", "GiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%s%.0f B", neg, v)
	}
	return fmt.Sprintf("%s%.1f %s", neg, v, units[i])
}
