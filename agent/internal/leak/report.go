package leak

import "time"

// Report is a tracker's verdict on one plugin.
type Report struct {
	// Plugin is the plugin's name.
	Plugin string
	// Leaking is true while the plugin is flagged.
	Leaking bool
	// BytesPerRun is the fitted growth of live memory per run over the
	// window; 0 when flat, shrinking or not yet known.
	BytesPerRun float64
	// Runs is how many runs the fit covers (0 before the first fit).
	Runs int
	// LiveBytes is the most recent live-memory sample.
	LiveBytes int64
	// Since is when the plugin was flagged; zero while not leaking.
	Since time.Time
}
