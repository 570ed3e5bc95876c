package web

import "runtime"

// handlerSlots bounds how many requests run their handler at once. A
// request waiting for a slot is parked on the channel, not runnable, so
// however many connections are busy the Go scheduler's run queue holds
// only a few handlers besides the plugins' goroutines, and a plugin that
// wakes for its next run is not queued behind hundreds of page renders.
// Measured with agent/stress_test.go (1000 busy connections, every bundled
// plugin at 1 s, two shared cores): without the bound the plugins made 5
// to 9 of 14 due runs and loadavg's runs took 57 ms instead of under 1 ms;
// with 4 slots they made all of them (largest gap between runs 1.4 s),
// at the same request rate and with a lower p99. Connections and bodies
// are bounded before this, by the gate and the body budget; a slot is
// taken after the body is read, so a slow upload never holds one.
type handlerSlots chan struct{}

// newHandlerSlots returns slots for twice the processors the Go runtime
// uses, at least 4: handlers are CPU work with short waits on the store.
func newHandlerSlots() handlerSlots {
	return make(handlerSlots, max(4, 2*runtime.GOMAXPROCS(0)))
}

// enter waits for a free slot.
func (h handlerSlots) enter() { h <- struct{}{} }

// leave frees the slot enter took.
func (h handlerSlots) leave() { <-h }
