package luaplugins

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the calling thread's CPU time from
// CLOCK_THREAD_CPUTIME_ID, which is exact at every reading. getrusage
// (limits.ThreadCPUTime, Stats.CPU) brings the running thread's time up
// to date only at a timer tick or a context switch, so a plugin that
// blocks (filesystem's bounded statfs) was charged the time of the
// plugins before it since the last tick.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
