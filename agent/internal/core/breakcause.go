package core

import (
	"fmt"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// Causes of a limit break, the cause label of
// heimnetz_plugin_limit_breaks_total.
const (
	causePlugin = "plugin" // the plugin used what the limit caps
	causeLoad   = "load"   // others used the wall time: see breakCause
)

// loadShare is the share of a call's wall time below which its own use
// (CPU plus time in host calls) makes a wall-time break one of load: the
// plugin had less than a quarter of a core through its whole allowance.
// A busy loop keeps its thread on a core unless more than three other
// runnable threads per core share the machine, so it is still disabled on
// a busy router (and under `make test`); a small collector starved by
// traffic, softirqs or a scrape flood runs a few percent of its wall time
// (the stress test's netstat: tens of ms of CPU in 500 ms).
const loadShare = 4 // own * loadShare < wall

// breakCause tells whether a limit break is the plugin's own doing, and
// so counts toward breaks_before_disable and the PluginLimitBreaks alert,
// or load the plugin did not make. The call is ended either way: every
// limit stays a cap; the cause only decides what the break counts for.
//
// Only a wall-time break can be load: every other limit (instructions,
// memory, depth, output, the CPU share) counts what the plugin itself
// used. A wall-time break is load when the call's own use — the CPU time
// of its thread (the Lua VM and every host function run on it, GC assists
// for its allocations included) plus all the wall time it spent inside
// host calls (hostTime) — is less than a quarter of its wall time. The
// rest was spent off the CPU outside the host: waiting for the kernel or
// Go's scheduler to run its thread, or for a garbage collection others
// caused. Waiting for a run slot is before the call's timer is armed
// (runOnce takes the slot, luaplugins arms the timer inside the call), so
// it is in neither figure.
//
// Why a hostile plugin cannot make its own breaks look like load: to make
// wall time without CPU a plugin must block, and a plugin can block only
// in a host call — Lua code, coroutines included, runs on its own thread
// and cannot sleep, and the sandbox has no os, io or socket functions. The
// host calls that may block are the ones hostTime wraps (kv, board and
// clients reads, log, output reports), and their wall time counts in full
// as the plugin's, blocked or not, even when another plugin or the disk
// made them slow: a kv write waiting for fsync, a statfs of a hung mount
// up to its deadline, board reads in a loop. The metrics module does not
// block on I/O; its time is the thread's CPU. What is left — being
// preempted — a plugin cannot cause for itself beyond what it can with
// any CPU-bound loop, and the CPU share limit still caps what a starved
// plugin uses over a minute. Where the thread's CPU time cannot be read
// (not Linux), no break is load.
func breakCause(v *limits.Violation, call *luaplugins.Stats, host time.Duration, cpuKnown bool) string {
	if v == nil || v.Kind != limits.ErrTimeout || !cpuKnown || call == nil {
		return causePlugin
	}
	if own := call.CPU + host; own*loadShare < call.Duration {
		return causeLoad
	}
	return causePlugin
}

// loadNote is what a load break's event and record add to the break's
// own text: how little of the wall time the plugin used.
func loadNote(call *luaplugins.Stats, host time.Duration) string {
	return fmt.Sprintf(" under load: %v of CPU and %v in host calls in %v; not counted toward disabling",
		call.CPU.Round(time.Millisecond), host.Round(time.Millisecond), call.Duration.Round(time.Millisecond))
}
