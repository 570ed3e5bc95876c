package limits

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestThreadCPUTimeNotChargedWhileBlocked: a thread that blocks after
// running is charged nothing for the block, even when it ran for less
// than a timer tick since the last one (getrusage, which the first
// version read, showed the run only after the block, so a plugin that
// blocked in a host call was charged its predecessors' CPU).
//
// The figure is the median of five tries: under qemu-user a single sleep
// was once charged 1.1 ms (the emulator's own work on the thread around
// the system call), while the old clock's error, the run since the last
// tick, is in most tries as large as the run itself.
func TestThreadCPUTimeNotChargedWhileBlocked(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, err := ThreadCPUTime(); err != nil {
		t.Skipf("no per-thread CPU time here: %v", err)
	}
	const tries = 5
	charged := make([]time.Duration, 0, tries)
	x := 0
	for range tries {
		// Run for 3 ms of wall time, not of ThreadCPUTime: with a clock
		// updated at ticks, the loop would end just after one.
		for start := time.Now(); time.Since(start) < 3*time.Millisecond; {
			for i := 0; i < 10_000; i++ {
				x += i ^ (x >> 3)
			}
		}
		before, _ := ThreadCPUTime()
		// A blocking system call, as a host call's statfs is; time.Sleep
		// would also run the Go scheduler on the thread, which is CPU time
		// (a millisecond of it under qemu-user).
		if err := unix.Nanosleep(&unix.Timespec{Nsec: 20e6}, nil); err != nil {
			t.Fatal(err)
		}
		after, _ := ThreadCPUTime()
		charged = append(charged, after-before)
	}
	slices.Sort(charged)
	if d := charged[tries/2]; d > time.Millisecond {
		t.Errorf("a 20 ms sleep was charged %v of CPU (median of %v; x=%d)", d, charged, x)
	}
}
