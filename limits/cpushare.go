package limits

import (
	"fmt"
	"sync"
	"time"
)

// CPUShare enforces a plugin's share of one core averaged over a window.
// It is a token bucket holding at most share×window of CPU time, refilled
// at share seconds per second; every call's measured CPU time is taken
// out. A plugin whose bucket is empty is throttled: its runs are skipped
// until the bucket refills, with the reason available from Allow.
//
// CPUShare is safe for concurrent use.
type CPUShare struct {
	mu     sync.Mutex
	share  float64
	window time.Duration
	tokens time.Duration // may go negative after an expensive call
	last   time.Time
	used   time.Duration // total CPU time charged, for metrics
}

// NewCPUShare returns a full bucket for share (0.10 = 10 %) over window.
func NewCPUShare(share float64, window time.Duration, now time.Time) *CPUShare {
	c := &CPUShare{share: share, window: window, last: now}
	c.tokens = c.capacity()
	return c
}

func (c *CPUShare) capacity() time.Duration {
	return time.Duration(c.share * float64(c.window))
}

func (c *CPUShare) refill(now time.Time) {
	if now.After(c.last) {
		c.tokens += time.Duration(c.share * float64(now.Sub(c.last)))
		if capa := c.capacity(); c.tokens > capa {
			c.tokens = capa
		}
		c.last = now
	}
}

// Allow reports whether the plugin may run now. When it may not, the
// returned *Violation says which share was used up and the duration says
// how long until the bucket holds CPU time again.
func (c *CPUShare) Allow(now time.Time) (time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refill(now)
	if c.tokens > 0 {
		return 0, nil
	}
	wait := time.Duration(float64(-c.tokens)/c.share) + time.Millisecond
	return wait, &Violation{Kind: ErrCPU, Limit: fmt.Sprintf("%s over %s", FormatPercent(c.share), c.window)}
}

// Charge takes d of CPU time used by one call out of the bucket.
func (c *CPUShare) Charge(now time.Time, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refill(now)
	c.tokens -= d
	c.used += d
}

// Used returns the total CPU time charged so far.
func (c *CPUShare) Used() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Remaining returns the CPU time left in the bucket at now (negative when
// the plugin is in debt).
func (c *CPUShare) Remaining(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refill(now)
	return c.tokens
}
