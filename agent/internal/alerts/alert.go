package alerts

import "time"

// Alert names: the fixed set, named as Prometheus alerts are
// (heimnetz_alert{alertname="..."}).
const (
	PluginDisabled       = "PluginDisabled"
	PluginLimitBreaks    = "PluginLimitBreaks"
	PluginMemoryLeak     = "PluginMemoryLeak"
	AgentMemoryHigh      = "AgentMemoryHigh"
	StoreWriteFailing    = "StoreWriteFailing"
	FlashNearlyFull      = "FlashNearlyFull"
	WANDown              = "WANDown"
	WANLossy             = "WANLossy"
	ClockNotSynchronised = "ClockNotSynchronised"
)

// Severities an alert fires with.
const (
	Warning  = "warning"
	Critical = "critical"
)

// State is where an alert stands.
type State string

// States of an alert.
const (
	// Inactive: the condition has not held since the agent started.
	Inactive State = "inactive"
	// Pending: the condition holds but not yet for its hold time.
	Pending State = "pending"
	// Firing: the condition has held for its hold time and still does.
	Firing State = "firing"
	// Resolved: the alert fired and its condition no longer holds.
	Resolved State = "resolved"
)

// Status is one alert as it stands after an evaluation.
type Status struct {
	// Name is one of the alert names (PluginDisabled, ...).
	Name string `json:"name"`
	// Severity is Warning or Critical; it may rise while an alert fires
	// (AgentMemoryHigh).
	Severity string `json:"severity"`
	State    State  `json:"state"`
	// Since is when the alert entered its state (for Inactive: when the
	// evaluator first saw it).
	Since time.Time `json:"since"`
	// Summary says in one line what is wrong (or, resolved, what was).
	Summary string `json:"summary"`
	// Plugin is the plugin the alert is about; empty for the agent-wide
	// alerts.
	Plugin string `json:"plugin,omitempty"`
	// Value is the measured value behind the alert (a percentage, a count,
	// bytes per run); 0 where there is none.
	Value float64 `json:"value"`
}

// Firing reports whether the alert fires.
func (s Status) Firing() bool { return s.State == Firing }

// Transition is a change an evaluation made: an alert started firing,
// resolved, or changed severity while firing. A pending alert that never
// fired makes no transition.
type Transition struct {
	Status
	// From is the state (or, for a severity change, the severity) before.
	From string `json:"from"`
}
