package luaplugins

import "sync/atomic"

// DefaultLiveEvery is how often, in collect() calls, a plugin's live
// memory is recounted when Env.LiveEvery is 0. A recount walks everything
// the state can reach: about 30-60 µs for a bundled plugin over the
// fixture board (BenchmarkRecount), so one every fourth run keeps the
// cost near 10 µs a run while a leak detector still gets a figure every
// few runs.
const DefaultLiveEvery = 4

// liveSample is the result of one recount.
type liveSample struct {
	bytes int64
	run   uint64
}

// liveMemory is the plugin's most recent recount, readable from any
// goroutine.
type liveMemory struct {
	every   uint64 // recount after every every-th collect()
	collect uint64 // collect() calls ended; guarded by Plugin.mu
	last    atomic.Pointer[liveSample]
}

// LiveMemory returns the plugin's live memory: the bytes its state could
// still reach at the most recent recount, without the garbage that the
// memory charge (MemoryInUse) keeps counting until the next one. run is
// the number of collect() calls that had ended when it was taken; 0 means
// right after Load. A recount runs after Load and after every
// Env.LiveEvery-th collect(); between two the figure stays. Safe from any
// goroutine.
func (p *Plugin) LiveMemory() (bytes int64, run uint64) {
	s := p.live.last.Load()
	if s == nil {
		return 0, 0
	}
	return s.bytes, s.run
}

// recountLive recounts the state and records the live figure; the caller
// holds p.mu, or owns p alone (in Load), and the state's stack is empty.
func (p *Plugin) recountLive() int64 {
	p.meter.Recount(p.L)
	n := p.meter.MemoryInUse()
	p.live.last.Store(&liveSample{bytes: n, run: p.live.collect})
	p.memory.Store(n)
	return n
}

// afterCollect counts an ended collect() and recounts when it is due; a
// call that broke a limit or was stopped leaves its state to be thrown
// away, so it is not recounted.
func (p *Plugin) afterCollect(stats *Stats, err error) {
	p.live.collect++
	if err != nil && !isLuaError(err) {
		return
	}
	if p.live.collect%p.live.every == 0 {
		stats.LiveMemory = p.recountLive()
		stats.Memory = stats.LiveMemory
	}
}

// isLuaError reports whether err is an error raised by the plugin's own
// code, after which its state is still sound.
func isLuaError(err error) bool {
	_, ok := err.(*Error)
	return ok
}
