package luaplugins

import (
	"runtime"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/heimnetz/heimnetz/limits"
)

// TestBlockedPluginNotChargedOthersCPU: on one thread, a plugin that
// spins for 3 ms and then one that blocks 20 ms in a host call (as a
// bounded statfs does) alternate; the blocking one's Stats.CPU, which its
// CPU share is charged, stays under 1 ms, and the spinning one's is at
// least what it spun. (getrusage could charge the blocking plugin with
// the spinner's time since the last tick; the calls' own context
// switches make that rare here, so limits' TestThreadCPUTimeNotCharged-
// WhileBlocked is the test that tells the two clocks apart.)
func TestBlockedPluginNotChargedOthersCPU(t *testing.T) {
	lim := limits.Defaults()
	lim.Instructions = 0
	lim.Timeout = time.Minute
	block := Func{Name: "block", New: func(*Host) lua.LGFunction {
		return func(L *lua.LState) int {
			if err := unix.Nanosleep(&unix.Timespec{Nsec: 20e6}, nil); err != nil {
				L.RaiseError("nanosleep: %v", err)
			}
			return 0
		}
	}}
	spin := Func{Name: "spin", New: func(*Host) lua.LGFunction {
		return func(L *lua.LState) int {
			// 3 ms of this thread's CPU time, read from the clock
			// itself so that a loaded machine cannot shorten it.
			x := 0
			for start := threadClock(); threadClock()-start < 3*time.Millisecond; {
				for i := range 10_000 {
					x += i ^ (x >> 3)
				}
			}
			L.Push(lua.LNumber(x & 1))
			return 1
		}
	}}
	load := func(name, main string) *Plugin {
		src := &Source{Origin: "test", Main: []byte(main), Manifest: &Manifest{Name: name, Version: "1.0.0", Interval: time.Minute, Limits: lim}}
		p, _, err := Load(src, Env{TestAPI: []Func{block, spin}, Log: LogFunc(func(string, string, string) {})})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	spinner := load("spinner", "function collect() spin() end")
	blocker := load("blocker", "function collect() block() end")
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, err := limits.ThreadCPUTime(); err != nil {
		t.Skipf("no per-thread CPU time here: %v", err)
	}
	for i := range 5 {
		s1, err := spinner.Collect()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := blocker.Collect()
		if err != nil {
			t.Fatal(err)
		}
		if s2.CPU > time.Millisecond {
			t.Errorf("round %d: the blocking plugin was charged %v of CPU (the spinner %v)", i, s2.CPU, s1.CPU)
		}
		if s1.CPU < 3*time.Millisecond {
			t.Errorf("round %d: the spinner was charged only %v for 3 ms of spinning", i, s1.CPU)
		}
	}
}

// threadClock reads CLOCK_THREAD_CPUTIME_ID directly, whatever
// limits.ThreadCPUTime reads.
func threadClock() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
