package limits

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// ThreadCPUTime returns the CPU time (user + system) used so far by the
// calling OS thread. The caller must hold the thread with
// runtime.LockOSThread for two readings to measure the same thread.
//
// It reads CLOCK_THREAD_CPUTIME_ID, which the kernel brings up to date at
// every reading. getrusage(RUSAGE_THREAD) does so only at a timer tick or
// a context switch, so a plugin that blocked in a host call was charged
// the CPU of whatever ran on its thread since the last tick, and its CPU
// share throttled it for others' work. Where the clock is refused (a
// kernel or emulator without it), getrusage is used for every reading,
// so two readings never mix the sources.
func ThreadCPUTime() (time.Duration, error) {
	if threadClockWorks() {
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
			return 0, err
		}
		return time.Duration(ts.Nano()), nil
	}
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// threadClockWorks reports, once per process, whether the kernel answers
// CLOCK_THREAD_CPUTIME_ID.
var threadClockWorks = sync.OnceValue(func() bool {
	var ts unix.Timespec
	return unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) == nil
})
