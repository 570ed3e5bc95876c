package alerts

import (
	"cmp"
	"sort"
	"time"
)

// key names one alert instance: an agent-wide alert has no plugin.
type key struct{ name, plugin string }

// instance is one alert's state between evaluations.
type instance struct {
	st Status
	// fired is true once the alert has fired, so a pending alert whose
	// condition ends goes back to Resolved, not Inactive.
	fired bool
	// clearSince is when the condition of a firing alert stopped
	// holding; zero while it holds. An alert with a hold resolves once
	// its condition has been clear for the hold too, so a condition that
	// comes and goes does not fire and resolve over and over.
	clearSince time.Time
}

// observation is what one condition says in one evaluation.
type observation struct {
	key
	// known is false when the input could not tell (the part was not
	// read): the alert keeps its state.
	known    bool
	active   bool
	severity string
	summary  string
	value    float64
	hold     time.Duration
}

// breakCount is one plugin's limit breaks within the window: the total
// seen last and when the breaks since were seen.
type breakCount struct {
	total  uint64
	events []breakEvent
}

type breakEvent struct {
	at time.Time
	n  uint64
}

// wanMemo remembers the probe counters of the evaluation before, so loss
// is measured over every round between two evaluations, and the last
// measured loss while no round ended.
type wanMemo struct {
	seen       bool
	sent, recv uint64
	loss       float64 // share 0..1; valid when measured
	measured   bool
}

// Evaluator keeps the alerts' states across evaluations. Build it with
// New; it is not safe for concurrent use.
type Evaluator struct {
	th      Thresholds
	started time.Time
	alerts  map[key]*instance
	breaks  map[string]*breakCount
	wan     wanMemo
	storeN  uint64 // flush plus snapshot errors at the evaluation before
}

// New returns an evaluator with th, which must be valid (see
// Thresholds.Validate); the agent-wide alerts start Inactive.
func New(th Thresholds) *Evaluator {
	return &Evaluator{th: th, alerts: map[key]*instance{}, breaks: map[string]*breakCount{}}
}

// Thresholds returns the thresholds the evaluator uses.
func (e *Evaluator) Thresholds() Thresholds { return e.th }

// defaultSeverity is the severity an alert is listed with before it fires.
var defaultSeverity = map[string]string{
	PluginDisabled: Warning, PluginLimitBreaks: Warning, PluginMemoryLeak: Warning,
	AgentMemoryHigh: Warning, StoreWriteFailing: Critical, FlashNearlyFull: Warning,
	WANDown: Critical, WANLossy: Warning, ClockNotSynchronised: Warning,
}

// Evaluate looks at in and returns the transitions it made, in the order
// of Statuses. An alert that holds for less than its hold is Pending and
// makes no transition; one whose plugin is gone resolves and is then
// forgotten.
func (e *Evaluator) Evaluate(in Input) []Transition {
	now := in.Time
	if e.started.IsZero() {
		e.started = now
		for _, name := range []string{AgentMemoryHigh, StoreWriteFailing, FlashNearlyFull, WANDown, WANLossy, ClockNotSynchronised} {
			e.alerts[key{name: name}] = &instance{st: Status{Name: name, Severity: defaultSeverity[name], State: Inactive, Since: now}}
		}
	}
	var out []Transition
	seen := map[key]bool{}
	for _, o := range e.observe(in) {
		seen[o.key] = true
		if t, ok := e.apply(o, now); ok {
			out = append(out, t)
		}
	}
	for k, inst := range e.alerts {
		if k.plugin == "" || seen[k] {
			continue
		}
		// The plugin or its report is gone: what fired resolves (at once:
		// there is nothing left to wait for); then the instance is dropped.
		if inst.st.State == Firing {
			if t, ok := e.apply(observation{key: k, known: true, severity: inst.st.Severity, summary: inst.st.Summary, value: inst.st.Value}, now); ok {
				out = append(out, t)
			}
			continue
		}
		delete(e.alerts, k)
	}
	// sort.Slice, not slices.SortFunc: a generic sort per element type
	// costs ~12 KB of code each on MIPS, sort.Slice's is linked already.
	sort.Slice(out, func(i, j int) bool { return compareStatus(out[i].Status, out[j].Status) < 0 })
	return out
}

// apply moves one alert by what its condition says now.
func (e *Evaluator) apply(o observation, now time.Time) (Transition, bool) {
	inst := e.alerts[o.key]
	if inst == nil {
		if !o.known || !o.active {
			return Transition{}, false // a plugin's alert is kept only once it is pending
		}
		inst = &instance{st: Status{Name: o.name, Plugin: o.plugin, Severity: defaultSeverity[o.name], State: Inactive, Since: now}}
		e.alerts[o.key] = inst
	}
	if !o.known {
		return Transition{}, false
	}
	st := &inst.st
	before := *st
	if !o.active {
		switch st.State {
		case Firing:
			if inst.clearSince.IsZero() {
				inst.clearSince = now
			}
			if now.Sub(inst.clearSince) < o.hold {
				return Transition{}, false
			}
			st.State, st.Since, inst.clearSince = Resolved, now, time.Time{}
			return Transition{Status: *st, From: string(Firing)}, true
		case Pending:
			st.State, st.Since = Inactive, now
			if inst.fired {
				st.State = Resolved
			}
			st.Summary, st.Value = "", 0
			if inst.fired {
				st.Summary, st.Value = before.Summary, before.Value
			}
		}
		if o.plugin != "" && st.State == Inactive {
			delete(e.alerts, o.key)
		}
		return Transition{}, false
	}
	st.Summary, st.Value = o.summary, o.value
	inst.clearSince = time.Time{}
	switch st.State {
	case Inactive, Resolved:
		st.State, st.Since, st.Severity = Pending, now, o.severity
		if o.hold > 0 {
			return Transition{}, false
		}
		fallthrough
	case Pending:
		st.Severity = o.severity
		if now.Sub(st.Since) < o.hold {
			return Transition{}, false
		}
		st.State, inst.fired = Firing, true
		from := string(before.State)
		return Transition{Status: *st, From: from}, true
	case Firing:
		if st.Severity != o.severity {
			st.Severity = o.severity
			return Transition{Status: *st, From: before.Severity}, true
		}
	}
	return Transition{}, false
}

// Statuses returns every alert the evaluator knows: the agent-wide ones
// always, a plugin's once it was pending. Firing ones come first, the
// critical before the warnings, then pending, resolved and inactive ones,
// each by name and plugin.
func (e *Evaluator) Statuses() []Status {
	out := make([]Status, 0, len(e.alerts))
	for _, inst := range e.alerts {
		out = append(out, inst.st)
	}
	sort.Slice(out, func(i, j int) bool { return compareStatus(out[i], out[j]) < 0 })
	return out
}

// Firing returns the alerts that fire now, in the order of Statuses.
func (e *Evaluator) Firing() []Status {
	var out []Status
	for _, s := range e.Statuses() {
		if s.State == Firing {
			out = append(out, s)
		}
	}
	return out
}

var stateRank = map[State]int{Firing: 0, Pending: 1, Resolved: 2, Inactive: 3}

func compareStatus(a, b Status) int {
	sev := func(s string) int {
		if s == Critical {
			return 0
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(stateRank[a.State], stateRank[b.State]),
		cmp.Compare(sev(a.Severity), sev(b.Severity)),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Plugin, b.Plugin),
	)
}
