package core

import (
	"context"
	"runtime"
	"time"
)

// runSlots bounds how many plugin calls run at once, softly.
//
// A plugin call holds its OS thread (luaplugins measures the thread's CPU
// time), so calls that run together each need a thread of their own, and
// Go never gives a thread back: each keeps 48 KiB of stacks (a 16 KiB
// system stack and a 32 KiB signal stack). The bundled plugins are all
// due together at start and, with equal intervals, ever after; under
// qemu-mipsel the agent kept about 20 threads and 1.2 MiB of stacks.
// With calls taking turns (two at a time under qemu on two cores), 0.7
// MiB.
//
// The bound is soft so that no plugin waits long for others: a call that
// has waited runSlotWait runs anyway, on a thread of its own, as all did
// before. A plugin's run is then late by at most that, and only while
// others use much of their time budget together (a first run, which
// compiles the plugin, takes over 100 ms under qemu, so a shorter wait
// kept most of the threads).
type runSlots struct {
	slots chan struct{}
	wait  time.Duration // runSlotWait; tests shorten it
}

// runSlotWait is the longest a call waits for a slot before it runs
// without one.
const runSlotWait = time.Second

// newRunSlots returns slots for as many calls as Go runs threads at once
// (GOMAXPROCS), at least two: more calls at once than that only share
// the same cores.
func newRunSlots() *runSlots {
	return &runSlots{slots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))), wait: runSlotWait}
}

// take waits for a slot, at most r.wait (real time: it is about
// threads, not the plugins' schedule) or until ctx is done, and returns
// the function that gives the slot back; it does nothing when no slot was
// taken.
func (r *runSlots) take(ctx context.Context) (release func()) {
	select {
	case r.slots <- struct{}{}:
		return r.release
	default:
	}
	t := time.NewTimer(r.wait)
	defer t.Stop()
	select {
	case r.slots <- struct{}{}:
		return r.release
	case <-t.C:
	case <-ctx.Done():
	}
	return func() {}
}

func (r *runSlots) release() { <-r.slots }
