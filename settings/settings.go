package settings

import (
	"errors"
	"fmt"
	"slices"
)

// Ranges of the numeric settings, inclusive.
const (
	// MinBreaksBeforeDisable is the lowest BreaksBeforeDisable; 0 means a
	// plugin is never disabled for breaking its limits (every break is
	// still stopped, recorded and counted).
	MinBreaksBeforeDisable = 0
	// MaxBreaksBeforeDisable is the highest BreaksBeforeDisable.
	MaxBreaksBeforeDisable = 1000
	// MinEventRetention is the fewest events the agent may be told to keep.
	MinEventRetention = 10
	// MaxEventRetention is the most events the agent may be told to keep;
	// the store's byte bound on the event ring still applies.
	MaxEventRetention = 100_000
)

// ErrInvalid is the error every validation failure wraps.
var ErrInvalid = errors.New("invalid setting")

// logLevels are the log levels a setting may name, lowest first.
var logLevels = []string{"debug", "info", "warn", "error"}

// LogLevels returns the log levels a setting may name, lowest first.
func LogLevels() []string { return slices.Clone(logLevels) }

// Settings are the owner's settings that the config file sets and the
// status page and admin API change at run time.
type Settings struct {
	// PagesRequireLogin puts the read-only pages and API behind login
	// too. /metrics and /healthz stay open.
	PagesRequireLogin bool `json:"pages_require_login"`
	// LogLevel is the agent's log level: debug, info, warn or error.
	LogLevel string `json:"log_level"`
	// BreaksBeforeDisable is how many plugin calls in a row may break a
	// limit before the plugin is disabled; 0 never disables.
	BreaksBeforeDisable int `json:"breaks_before_disable"`
	// EventRetention is how many security events the agent keeps; the
	// oldest are dropped first.
	EventRetention int `json:"event_retention"`
}

// Validate reports the first setting that holds a value out of its range
// or choices, naming it by its JSON name; the error wraps ErrInvalid.
func (s Settings) Validate() error {
	switch {
	case !slices.Contains(logLevels, s.LogLevel):
		return fmt.Errorf("%w: log_level must be debug, info, warn or error, not %q", ErrInvalid, clip(s.LogLevel))
	case s.BreaksBeforeDisable < MinBreaksBeforeDisable || s.BreaksBeforeDisable > MaxBreaksBeforeDisable:
		return fmt.Errorf("%w: breaks_before_disable must be in %d..%d (0: never disable)", ErrInvalid, MinBreaksBeforeDisable, MaxBreaksBeforeDisable)
	case s.EventRetention < MinEventRetention || s.EventRetention > MaxEventRetention:
		return fmt.Errorf("%w: event_retention must be in %d..%d", ErrInvalid, MinEventRetention, MaxEventRetention)
	}
	return nil
}

// clip shortens a value quoted in an error message.
func clip(v string) string {
	const most = 32
	if len(v) > most {
		return v[:most] + "…"
	}
	return v
}
