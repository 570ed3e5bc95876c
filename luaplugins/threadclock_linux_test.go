package luaplugins

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the calling thread's CPU time from
// CLOCK_THREAD_CPUTIME_ID, which is exact at every reading; the round
// benchmark reads it directly so that its per-plugin figures stay exact
// even where limits.ThreadCPUTime falls back to getrusage.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
