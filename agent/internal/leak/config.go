package leak

import "fmt"

// Defaults of Config.
const (
	// DefaultRuns is the window: how many runs the growth is fitted over.
	DefaultRuns = 30
	// DefaultMinGrowth is the least growth over the window, in bytes,
	// that counts as a leak: caches that fill once stay below it.
	DefaultMinGrowth = 64 << 10
)

// Bounds that Config.Validate enforces.
const (
	MinRuns = 10
	MaxRuns = 10000
	// MinMinGrowth keeps the threshold above the noise of the memory
	// estimate (a few table slots).
	MinMinGrowth = 1 << 10
)

// Config holds the thresholds of a Tracker.
type Config struct {
	// Runs is the window: a plugin is judged on the samples of its last
	// Runs runs, and not before it has run that many.
	Runs int
	// MinGrowth is the growth in bytes over the window below which a
	// plugin is not flagged, however steady.
	MinGrowth int64
}

// DefaultConfig returns the thresholds the agent uses unless the config
// file sets others.
func DefaultConfig() Config {
	return Config{Runs: DefaultRuns, MinGrowth: DefaultMinGrowth}
}

// Validate reports a threshold out of its bounds, naming it as the
// config file does (runs, min_growth_bytes).
func (c Config) Validate() error {
	if c.Runs < MinRuns || c.Runs > MaxRuns {
		return fmt.Errorf("runs: %d, want %d to %d", c.Runs, MinRuns, MaxRuns)
	}
	if c.MinGrowth < MinMinGrowth {
		return fmt.Errorf("min_growth_bytes: %d, want at least %d", c.MinGrowth, MinMinGrowth)
	}
	return nil
}
