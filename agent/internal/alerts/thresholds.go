package alerts

import (
	"errors"
	"fmt"
	"time"
)

// Thresholds are the owner's settings for the conditions (config
// section alerts). The zero value is not usable; start from
// DefaultThresholds.
type Thresholds struct {
	// EvaluateInterval is how often the agent evaluates the conditions
	// (besides right after a plugin's state changes).
	EvaluateInterval time.Duration
	// Hold is how long a condition that may blip (agent memory, flash,
	// WAN) must hold before its alert fires, and be clear before it
	// resolves.
	Hold time.Duration
	// ClockHold is the hold of ClockNotSynchronised: NTP needs a while
	// after boot.
	ClockHold time.Duration
	// FlashUsedPercent fires FlashNearlyFull at or above this use of the
	// overlay (or, without one, the root filesystem).
	FlashUsedPercent float64
	// MemoryWarningPercent and MemoryCriticalPercent fire AgentMemoryHigh
	// at these shares of memory_limit.
	MemoryWarningPercent  float64
	MemoryCriticalPercent float64
	// WANLossPercent fires WANLossy at or above this probe loss.
	WANLossPercent float64
	// BreaksCount limit breaks of one plugin within BreaksWindow fire
	// PluginLimitBreaks.
	BreaksWindow time.Duration
	BreaksCount  int
}

// DefaultThresholds are the thresholds the agent uses unless its config
// says otherwise.
func DefaultThresholds() Thresholds {
	return Thresholds{
		EvaluateInterval:      15 * time.Second,
		Hold:                  time.Minute,
		ClockHold:             15 * time.Minute,
		FlashUsedPercent:      90,
		MemoryWarningPercent:  80,
		MemoryCriticalPercent: 95,
		WANLossPercent:        20,
		BreaksWindow:          time.Hour,
		BreaksCount:           3,
	}
}

// Validate reports the first threshold the evaluator cannot work with,
// naming it as the config file does (alerts.<field>).
func (t Thresholds) Validate() error {
	percent := func(name string, v float64) error {
		if !(v > 0 && v <= 100) {
			return fmt.Errorf("config alerts.%s: %g, want more than 0 and at most 100", name, v)
		}
		return nil
	}
	switch {
	case t.EvaluateInterval < time.Second || t.EvaluateInterval > time.Hour:
		return fmt.Errorf("config alerts.evaluate_interval: %s, want 1s to 1h", t.EvaluateInterval)
	case t.Hold < 0 || t.Hold > 24*time.Hour:
		return fmt.Errorf("config alerts.hold: %s, want 0 to 24h", t.Hold)
	case t.ClockHold < 0 || t.ClockHold > 24*time.Hour:
		return fmt.Errorf("config alerts.clock_hold: %s, want 0 to 24h", t.ClockHold)
	case t.BreaksWindow < time.Minute || t.BreaksWindow > 7*24*time.Hour:
		return fmt.Errorf("config alerts.breaks_window: %s, want 1m to 168h", t.BreaksWindow)
	case t.BreaksCount < 1 || t.BreaksCount > 100000:
		return fmt.Errorf("config alerts.breaks_count: %d, want 1 to 100000", t.BreaksCount)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{
		{"flash_used_percent", t.FlashUsedPercent},
		{"memory_warning_percent", t.MemoryWarningPercent},
		{"memory_critical_percent", t.MemoryCriticalPercent},
		{"wan_loss_percent", t.WANLossPercent},
	} {
		if err := percent(p.name, p.v); err != nil {
			return err
		}
	}
	if t.MemoryCriticalPercent < t.MemoryWarningPercent {
		return errors.New("config alerts.memory_critical_percent: less than memory_warning_percent")
	}
	return nil
}
