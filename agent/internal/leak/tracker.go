package leak

import (
	"math"
	"time"
)

const (
	// ringSize bounds the samples kept. When the ring is full every two
	// samples are merged into one and the stride between samples
	// doubles, up to maxStride; from then on the oldest sample is
	// dropped. So the ring covers the last ringSize×maxStride runs (8 to
	// 16 times Config.Runs) in bounded space, finely for recent runs and
	// coarsely for older ones, and a leak that starts late in a long life
	// is judged on recent samples, not on days-wide ones.
	ringSize = 32
	// minSamples is the fewest samples a verdict is drawn from; a recent
	// window with fewer takes the latest minSamples instead.
	minSamples = 5
	// startConcordance is the share of sample pairs that must rise for
	// a plugin to be flagged; stayConcordance to stay flagged.
	startConcordance = 0.75
	stayConcordance  = 0.6
	// recentShare: the later half of a fit must still rise at least
	// this share of the fit's slope (a warm-up that has settled does
	// not).
	recentShare = 0.25
)

// sample is the least live memory seen over the runs from run to last
// (the plugin's run counts): one figure, or several merged into one
// when the ring thins. The least, because garbage and passing data only
// ever add to what a leak leaves behind, and because a sample picked
// from every n-th run can alias a periodic pattern into a ramp.
type sample struct {
	run   uint64
	last  uint64
	bytes int64
}

// Tracker follows one plugin's live memory. The zero value is not
// usable; call NewTracker.
type Tracker struct {
	cfg       Config
	stride    uint64 // runs between accepted samples; doubles as the ring thins
	maxStride uint64 // the largest power of two not above Runs/2

	ring  []sample // oldest first; at most ringSize
	fits  fitter
	last  fit  // the fit of the last verdict
	valid bool // last is a fit over at least Runs runs
	live  int64

	leaking bool
	since   time.Time
}

// NewTracker returns a tracker with the thresholds of cfg, which the
// caller has validated (out-of-bound values are clamped).
func NewTracker(cfg Config) *Tracker {
	cfg.Runs = min(max(cfg.Runs, MinRuns), MaxRuns)
	cfg.MinGrowth = max(cfg.MinGrowth, MinMinGrowth)
	maxStride := uint64(1)
	for maxStride*2 <= uint64(cfg.Runs/2) {
		maxStride *= 2
	}
	return &Tracker{cfg: cfg, stride: 1, maxStride: maxStride, ring: make([]sample, 0, ringSize)}
}

// Reset forgets every sample and the verdict: the plugin has a new state.
func (t *Tracker) Reset() {
	t.ring, t.stride = t.ring[:0], 1
	t.last, t.valid, t.live = fit{}, false, 0
	t.leaking, t.since = false, time.Time{}
}

// Add records that the plugin's live memory was bytes after its run-th
// run, at time at, and reports whether this sample made the plugin
// flagged (true once per episode, not for every run while it leaks).
// A run number lower than the last one's means a new state and resets
// the tracker; a repeated one, or one closer to the last than the
// current stride, only updates the latest figure.
func (t *Tracker) Add(run uint64, bytes int64, at time.Time) (started bool) {
	t.live = bytes
	if n := len(t.ring); n > 0 {
		newest := &t.ring[n-1]
		switch {
		case run < newest.last:
			t.Reset()
			t.live = bytes
		case run == newest.last:
			return false
		case run-newest.run < t.stride:
			newest.last, newest.bytes = run, min(newest.bytes, bytes)
			return t.judge(at)
		}
	}
	if len(t.ring) == ringSize {
		if t.stride < t.maxStride {
			t.thin()
		} else {
			t.ring = append(t.ring[:0], t.ring[1:]...)
		}
	}
	t.ring = append(t.ring, sample{run: run, last: run, bytes: bytes})
	return t.judge(at)
}

// thin halves the ring, merging every two samples into one (the newest
// stays alone when their number is odd), and doubles the stride.
func (t *Tracker) thin() {
	n := len(t.ring)
	kept := t.ring[:0]
	for i := 0; i < n; i += 2 {
		s := t.ring[i]
		if i+1 < n {
			next := t.ring[i+1]
			s.last, s.bytes = next.last, min(s.bytes, next.bytes)
		}
		kept = append(kept, s)
	}
	t.ring = kept
	t.stride *= 2
}

// recent returns the samples that cover the last Runs runs (from the
// newest sample taken at or before their start), or the latest
// minSamples when those are fewer.
func (t *Tracker) recent() []sample {
	n := len(t.ring)
	newest := t.ring[n-1].last
	var from uint64
	if newest > uint64(t.cfg.Runs) {
		from = newest - uint64(t.cfg.Runs)
	}
	first := n - 1
	for first > 0 && t.ring[first].run > from {
		first--
	}
	return t.ring[min(first, max(n-minSamples, 0)):]
}

// judge fits the recent window and the whole ring and updates the
// verdict: a steady leak shows in the recent window, a slow one only
// once it has grown by MinGrowth within the ring's span.
func (t *Tracker) judge(at time.Time) bool {
	n := len(t.ring)
	if n < minSamples || t.ring[n-1].last-t.ring[0].run < uint64(t.cfg.Runs) {
		t.valid = false
		return false
	}
	recent := t.fits.fit(t.recent())
	whole := t.fits.fit(t.ring)
	// The growth reported: the whole ring's fit while it shows steady
	// growth (more runs, a steadier rate), else the recent window's.
	t.last, t.valid = recent, true
	if t.stays(whole) {
		t.last = whole
	}
	if t.leaking {
		if !t.stays(recent) && !t.stays(whole) {
			t.leaking, t.since = false, time.Time{}
		}
		return false
	}
	if !t.starts(recent) && !t.starts(whole) {
		return false
	}
	t.leaking, t.since = true, at
	return true
}

// starts reports whether f shows a leak.
func (t *Tracker) starts(f fit) bool {
	return f.span >= t.cfg.Runs && f.slope > 0 && f.growth() >= float64(t.cfg.MinGrowth) &&
		f.concordance >= startConcordance && f.recent >= f.slope*recentShare && f.stillRising
}

// stays reports whether f still shows the leak of a flagged plugin.
func (t *Tracker) stays(f fit) bool {
	return f.span >= t.cfg.Runs && f.slope > 0 && f.growth() >= float64(t.cfg.MinGrowth)/2 &&
		f.concordance >= stayConcordance
}

// Report returns the verdict for the plugin named plugin.
func (t *Tracker) Report(plugin string) Report {
	r := Report{Plugin: plugin, Leaking: t.leaking, LiveBytes: t.live, Since: t.since}
	if t.valid {
		r.Runs = t.last.span
		if s := t.last.slope; s > 0 && !math.IsInf(s, 0) {
			r.BytesPerRun = s
		}
	}
	return r
}
