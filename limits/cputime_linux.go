package limits

import (
	"time"

	"golang.org/x/sys/unix"
)

// ThreadCPUTime returns the CPU time (user + system) used so far by the
// calling OS thread. The caller must hold the thread with
// runtime.LockOSThread for two readings to measure the same thread.
func ThreadCPUTime() (time.Duration, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
