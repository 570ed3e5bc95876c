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

// loadShare: a wall-time break can be one of load only when the call's
// own use was less than 1/loadShare of its wall time, a quarter: the
// plugin had less than a quarter of a core through its whole allowance.
const loadShare = 4

// okOwnMargin: ... and only when its own use was at most okOwnMargin
// times what a successful call of the plugin used lately (entry.okOwn):
// it was cut off before it had used what its work takes.
const okOwnMargin = 2

// maxLoadRuns: when load ended this many of a plugin's last 16 runs, its
// next load break counts as its own. A plugin whose calls keep running
// into their time limit does not fit the router as it is, whatever the
// cause, and a hostile plugin that first sets a high okOwn with one heavy
// successful run, then spins whenever the router is loaded, has at most
// maxLoadRuns of every 16 runs exempted: past that its breaks count, so
// it is disabled as any plugin is (breaks_before_disable in a row) and
// fires PluginLimitBreaks, instead of holding its run slot to its time
// limit run after run. A healthy plugin on a
// router that is briefly overloaded (the stress test: about one run in
// four) stays below it.
const maxLoadRuns = 8

// okOwnDecay: each successful run lowers entry.okOwn by 1/okOwnDecay
// before taking the larger of it and the run's own use, so one heavy run
// long ago does not widen the margin for ever.
const okOwnDecay = 16

// callUse is what a run's calls used of their own.
type callUse struct {
	last luaplugins.Stats // the run's last call: the one that broke, if one did
	host time.Duration    // the last call's wall time in host calls (hostTime)
	peak time.Duration    // the most own use (CPU + host time) of any of the run's calls
}

// add records a call of the run (the top-level chunk's, then collect's).
func (u *callUse) add(s *luaplugins.Stats, host time.Duration) {
	if s == nil {
		return
	}
	u.last, u.host = *s, host
	u.peak = max(u.peak, u.own())
}

// own is the last call's own use: the CPU time of its thread and its
// wall time in host calls.
func (u *callUse) own() time.Duration { return u.last.CPU + u.host }

// loadNote is what a load break's event and record add to the break's
// own text: how little of the wall time the plugin used.
func (u *callUse) loadNote() string {
	return fmt.Sprintf(" under load: %v of CPU and %v in host calls in %v; not counted toward disabling",
		u.last.CPU.Round(time.Millisecond), u.host.Round(time.Millisecond), u.last.Duration.Round(time.Millisecond))
}

// breakCause tells whether a limit break is the plugin's own doing, and
// so counts toward breaks_before_disable and the PluginLimitBreaks alert,
// or load the plugin did not make. The call is ended either way: every
// limit stays a cap; the cause only decides what the break counts for.
//
// Only a wall-time break can be load: every other limit (instructions,
// memory, depth, output, the CPU share) counts what the plugin itself
// used. A call's own use is the CPU time of its thread (the Lua VM and
// every host function run on it, GC assists for its allocations included)
// plus all the wall time it spent inside host calls (hostTime). A
// wall-time break is load when, both:
//   - its own use was under a quarter of its wall time (loadShare): the
//     rest was spent off the CPU outside the host, waiting for the kernel
//     or Go's scheduler to run its thread, or for a garbage collection
//     others caused; and
//   - its own use was at most twice what a successful call of the plugin
//     used lately (okOwn, okOwnMargin): the plugin had shown that its work
//     fits its limit, and was cut off before it had used that much. A
//     plugin that has never finished a call (a busy loop) has no such
//     figure, so its breaks count however loaded the machine is.
//
// Waiting for a run slot is before the call's timer is armed (runOnce
// takes the slot; luaplugins arms the timer inside the call), so it is in
// neither the wall time nor the limit.
//
// Why a hostile plugin cannot make its own breaks look like load: to make
// wall time without CPU a plugin must block, and it can block only in a
// host call — Lua code, coroutines included, runs on its own thread and
// cannot sleep, and the sandbox has no os, io or socket functions. The
// host calls that may block are the ones hostTime wraps (kv, board and
// clients reads, log, output reports), and their wall time counts in full
// as the plugin's, blocked or not, even when another plugin or the disk
// made them slow: a kv write waiting for fsync, a statfs of a hung mount
// up to its deadline, board reads in a loop. The metrics module does not
// block on I/O; its time is the thread's CPU. What is left is being
// preempted, which a plugin cannot cause for itself; a plugin that
// succeeds with heavy calls to raise okOwn gains only while the machine
// really is loaded, okOwn decays, and the CPU share limit still caps what
// it uses over a minute. Where the thread's CPU time cannot be read (not
// Linux), no break is load.
func breakCause(v *limits.Violation, use *callUse, okOwn time.Duration, cpuKnown bool) string {
	if v == nil || v.Kind != limits.ErrTimeout || !cpuKnown || use == nil || okOwn <= 0 {
		return causePlugin
	}
	own := use.own()
	if own*loadShare < use.last.Duration && own <= okOwn*okOwnMargin {
		return causeLoad
	}
	return causePlugin
}
