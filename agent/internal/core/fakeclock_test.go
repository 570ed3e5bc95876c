package core

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when the test advances it. Its
// After channels fire when Advance reaches their time, so a schedule is
// tested step by step: wait until the plugin loops are blocked in After
// (Blocked), then Advance, then wait for the next block.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	changed chan struct{} // closed and replaced whenever waiters change
}

// fakeWaiter is one pending After call.
type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), changed: make(chan struct{})}
}

// Now implements Clock.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After implements Clock: the channel fires at once for d <= 0, else when
// Advance reaches now+d.
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.signal()
	return ch
}

// signal wakes everyone waiting for a change of the waiters; c.mu is held.
func (c *fakeClock) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock forward by d and fires every After whose time
// has come; it returns how many fired.
func (c *fakeClock) Advance(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	fired := 0
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
		fired++
	}
	c.waiters = kept
	c.signal()
	return fired
}

// Pending is how many After calls wait for their time. A loop that
// returned (stopped) leaves its waiter behind: count only while the
// manager runs, or compare with Advance's result.
func (c *fakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Blocked waits until n After calls are pending, failing the test after
// a generous deadline (the race detector and a loaded machine make real
// runs slow; the deadline only bounds a hang).
func (c *fakeClock) Blocked(t testing.TB, n int) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		c.mu.Lock()
		got, changed := len(c.waiters), c.changed
		c.mu.Unlock()
		if got == n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("fake clock: %d After calls pending after 30s, want %d", got, n)
		}
	}
}

// Waiting returns the channels of the After calls pending now. A test
// that then stops or restarts a plugin's loop passes them to Forget:
// the stopped loop no longer reads them.
func (c *fakeClock) Waiting() []chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]chan time.Time, 0, len(c.waiters))
	for _, w := range c.waiters {
		out = append(out, w.ch)
	}
	return out
}

// Forget drops the pending After calls whose channels are in chans.
func (c *fakeClock) Forget(chans []chan time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !slices.Contains(chans, w.ch) {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
	c.signal()
}
