package luaplugins

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/limits/oneline"
)

// maxErrorText caps the text of a plugin error kept and shown.
const maxErrorText = 512

// ErrNoCollect is returned by Load for a plugin that defines no collect().
var ErrNoCollect = errors.New("plugin defines no collect() function")

// ErrStopped is the error a call ends with when the agent stops the plugin.
var ErrStopped = errors.New("stopped by the agent")

// Env is what the agent gives a plugin: the host modules' backends.
// Fields a plugin's permissions do not need may be nil.
type Env struct {
	Registry *Registry
	Log      LogSink
	KV       KV
	Families *Families
	Board    Board
	Reporter Reporter
	// Identity is what the clients module tells the plugin of who a
	// client is; the zero value removes MAC addresses, host names and
	// client ids.
	Identity Identity
	// RequireCollect makes Load fail for a plugin without collect().
	RequireCollect bool
	// TestAPI is for the test runner alone: its functions become globals
	// beside the registry's modules, and the source's test.lua runs after
	// main.lua in the same load, as its own chunk named test.lua, so
	// positions in either file are reported as they are written. The
	// agent and `plugin run` leave it nil.
	TestAPI []Func
	// LiveEvery is how often, in collect() calls, the plugin's live
	// memory is recounted (Plugin.LiveMemory); 0 means DefaultLiveEvery,
	// 1 after every call.
	LiveEvery int
	// Context, when set, stops the plugin when it is done: a call in
	// progress, the top-level chunk Load runs included, ends with
	// ErrStopped, and so does every later call. Interrupt only ends a
	// call already in progress.
	Context context.Context
}

// Stats describes one call.
type Stats struct {
	Duration     time.Duration
	CPU          time.Duration // CPU time of the calling thread; 0 where not measurable
	Instructions int64
	Memory       int64 // bytes held after the call
	PeakMemory   int64 // most bytes held during the call
	// LiveMemory is what a recount at the end of the call found
	// reachable (see Plugin.LiveMemory); 0 when the call did not recount.
	LiveMemory int64
}

// Plugin is a loaded plugin: one Lua state under its limits. Its methods
// are safe for concurrent use; calls into Lua are serialised.
type Plugin struct {
	src     *Source
	host    *Host
	metrics *PluginMetrics

	mu sync.Mutex // serialises calls into L
	// stopMu orders the timer and the context, which stop a call from
	// their own goroutines, against calls starting and ending: they stop
	// only a call running (and the timer only one that has run its whole
	// timeout, so a timer that fires late as its call ends cannot stop
	// the next).
	stopMu    sync.Mutex
	running   bool      // a call is in progress; guarded by stopMu
	callStart time.Time // when it began; guarded by stopMu
	timer     *time.Timer
	unwatch   func() bool // ends the context's watch; nil without one
	memory    atomic.Int64
	live      liveMemory
	L         *lua.LState
	meter     *lua.Meter
	collect   *lua.LFunction
	closed    bool
	ctx       context.Context // Env.Context; nil never stops
}

// Load opens a sandboxed state for src, installs the host modules its
// manifest grants, and runs its top-level chunk under its limits.
func Load(src *Source, env Env) (*Plugin, *Stats, error) {
	m := src.Manifest
	if env.Registry == nil {
		env.Registry = NewRegistry()
	}
	if env.Families == nil {
		env.Families = NewFamilies()
	}
	p := &Plugin{src: src, ctx: env.Context}
	p.live.every = DefaultLiveEvery
	if env.LiveEvery > 0 {
		p.live.every = uint64(env.LiveEvery)
	}
	p.metrics = NewPluginMetrics(m.Name, env.Families, m.Limits)
	p.metrics.bundled = src.Origin == OriginBundled
	p.host = &Host{
		Plugin: m.Name, Limits: m.Limits, Log: env.Log, KV: env.KV,
		Metrics: p.metrics, Board: env.Board, Reporter: env.Reporter,
		Identity: env.Identity.withMemo(),
	}
	if m.Allows("kv") && env.KV == nil {
		return nil, nil, fmt.Errorf("plugin %q: kv permission granted but no store given", m.Name)
	}
	if m.Allows("board") && env.Board == nil {
		return nil, nil, fmt.Errorf("plugin %q: board permission granted but no board given", m.Name)
	}
	p.L, p.meter = newSandbox(m.Limits)
	if p.ctx != nil {
		// Once for the plugin's life, not per call: it runs at once if
		// the context is done already.
		p.unwatch = context.AfterFunc(p.ctx, p.contextDone)
	}
	env.Registry.install(p.L, p.host, m.Allows)
	for _, f := range env.TestAPI {
		p.L.SetGlobal(f.Name, p.L.NewFunction(f.New(p.host)))
	}

	stats, err := p.call(false, func(L *lua.LState) error {
		if err := runChunk(L, src.Main, MainFile); err != nil || env.TestAPI == nil || src.Test == nil {
			return err
		}
		return runChunk(L, src.Test, TestFile)
	})
	if err != nil {
		p.Close()
		return nil, stats, err
	}
	if fn, ok := p.L.GetGlobal("collect").(*lua.LFunction); ok {
		p.collect = fn
	} else if env.RequireCollect {
		p.Close()
		return nil, stats, fmt.Errorf("plugin %q: %w", m.Name, ErrNoCollect)
	}
	stats.LiveMemory = p.recountLive() // the baseline, run 0
	stats.Memory = stats.LiveMemory
	return p, stats, nil
}

// runChunk compiles code as the chunk name and runs it.
func runChunk(L *lua.LState, code []byte, name string) error {
	fn, err := L.Load(strings.NewReader(string(code)), name)
	if err != nil {
		return err
	}
	L.Push(fn)
	return L.PCall(0, 0, nil)
}

// Name returns the plugin's name.
func (p *Plugin) Name() string { return p.src.Manifest.Name }

// Source returns what the plugin was loaded from.
func (p *Plugin) Source() *Source { return p.src }

// Metrics returns the plugin's metric series.
func (p *Plugin) Metrics() *PluginMetrics { return p.metrics }

// HasCollect reports whether the plugin defines collect().
func (p *Plugin) HasCollect() bool { return p.collect != nil }

// MemoryInUse returns the bytes the plugin's state held at the end of its
// last call, as its memory limit counts them. Safe from any goroutine.
func (p *Plugin) MemoryInUse() int64 { return p.memory.Load() }

// Collect runs collect() once under the plugin's limits.
func (p *Plugin) Collect() (*Stats, error) {
	if p.collect == nil {
		return &Stats{}, fmt.Errorf("plugin %q: %w", p.Name(), ErrNoCollect)
	}
	return p.call(true, func(L *lua.LState) error {
		L.Push(p.collect)
		return L.PCall(0, 0, nil)
	})
}

// CallGlobal runs the global function name under the plugin's limits; the
// test runner uses it for test_* functions.
func (p *Plugin) CallGlobal(name string) (*Stats, error) {
	fn, ok := p.L.GetGlobal(name).(*lua.LFunction)
	if !ok {
		return &Stats{}, fmt.Errorf("plugin %q: no function %s", p.Name(), name)
	}
	return p.call(false, func(L *lua.LState) error {
		L.Push(fn)
		return L.PCall(0, 0, nil)
	})
}

// Interrupt stops a call in progress, from any goroutine; the call ends
// with err.
func (p *Plugin) Interrupt(err error) { p.meter.Stop(err) }

// Close stops the plugin and releases its state and metric series.
func (p *Plugin) Close() {
	p.meter.Stop(ErrStopped)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	if p.unwatch != nil {
		p.unwatch()
	}
	if p.timer != nil {
		p.timer.Stop()
	}
	p.L.Close()
	p.metrics.Drop()
}

// call runs fn on the plugin's state with every per-call limit armed, and
// turns whatever ends it into a plugin error. A Go panic inside the call
// is recovered and reported, never passed on. collect marks a collect()
// call, which counts towards the live-memory recounts.
func (p *Plugin) call(collect bool, fn func(L *lua.LState) error) (stats *Stats, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stats = &Stats{}
	if p.closed {
		return stats, fmt.Errorf("plugin %q: %w", p.Name(), ErrStopped)
	}
	lim := p.src.Manifest.Limits
	p.host.beginCall()
	p.meter.Reset(lim.Instructions)
	p.meter.ResetPeak()
	runtime.LockOSThread()
	cpu0, cpuErr := limits.ThreadCPUTime()
	start := time.Now()
	// After the meter's Reset, which would clear a stop made before.
	p.stopMu.Lock()
	p.running, p.callStart = true, start
	p.stopMu.Unlock()
	if p.ctx != nil && p.ctx.Err() != nil {
		// contextDone ran, or will, before running was set.
		p.meter.Stop(ErrStopped)
	}
	if p.timer == nil {
		p.timer = time.AfterFunc(lim.Timeout, p.timedOut)
	} else {
		p.timer.Reset(lim.Timeout)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %q: internal error: %v", p.Name(), oneline.Clean(fmt.Sprint(r), maxErrorText))
			if debugPanics {
				err = fmt.Errorf("%w\n%s", err, debug.Stack())
			}
		}
		p.timer.Stop()
		p.stopMu.Lock()
		p.running = false
		p.stopMu.Unlock()
		stats.Duration = time.Since(start)
		if cpu1, err2 := limits.ThreadCPUTime(); cpuErr == nil && err2 == nil {
			stats.CPU = cpu1 - cpu0
		}
		runtime.UnlockOSThread()
		stats.Instructions = p.meter.Used()
		stats.Memory = p.meter.MemoryInUse()
		p.memory.Store(stats.Memory)
		stats.PeakMemory = p.meter.Peak()
		p.L.SetTop(0)
		if collect {
			// After the CPU figure: the recount is the agent's cost,
			// not charged to the plugin's CPU share.
			p.afterCollect(stats, err)
		}
	}()
	err = fn(p.L)
	if err != nil {
		err = p.classify(err)
	}
	return stats, err
}

// timedOut stops the call in progress if it has run its whole wall-time
// limit. It runs on the timer's goroutine, possibly late: a call that
// began after the one the timer was set for has not run as long.
func (p *Plugin) timedOut() {
	lim := p.src.Manifest.Limits
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	if p.running && time.Since(p.callStart) >= lim.Timeout {
		p.meter.Stop(&limits.Violation{Plugin: p.Name(), Kind: limits.ErrTimeout, Limit: lim.Timeout.String()})
	}
}

// contextDone stops the call in progress when Env.Context is done; calls
// that begin later see the context's error themselves.
func (p *Plugin) contextDone() {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	if p.running {
		p.meter.Stop(ErrStopped)
	}
}

// debugPanics adds Go stacks to recovered panics (tests set it).
var debugPanics = false

// classify maps what ended a call to a *limits.Violation or a plugin
// error with bounded text.
func (p *Plugin) classify(err error) error {
	lim := p.src.Manifest.Limits
	cause := p.meter.Err()
	if cause == nil {
		cause = err
	}
	var v *limits.Violation
	switch {
	case errors.As(cause, &v):
		return v
	case errors.Is(cause, lua.ErrInstructionLimit):
		return &limits.Violation{Plugin: p.Name(), Kind: limits.ErrInstructions, Limit: lim.Format(limits.KeyInstructions)}
	case errors.Is(cause, lua.ErrMemoryLimit):
		return &limits.Violation{Plugin: p.Name(), Kind: limits.ErrMemory, Limit: lim.Format(limits.KeyMemory)}
	case errors.Is(cause, lua.ErrDepthLimit):
		return &limits.Violation{Plugin: p.Name(), Kind: limits.ErrDepth, Limit: lim.Format(limits.KeyDepth)}
	case errors.Is(cause, ErrStopped):
		return fmt.Errorf("plugin %q: %w", p.Name(), ErrStopped)
	}
	return &Error{Plugin: p.Name(), Msg: errorText(err)}
}

// Error is a Lua error raised by a plugin (not a limit break).
type Error struct {
	Plugin string
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("plugin %q: %s", e.Plugin, e.Msg) }

// errorText renders a Lua error as one bounded line. The error value is
// never converted by running Lua code (a __tostring could loop).
func errorText(err error) string {
	var msg string
	var api *lua.ApiError
	if errors.As(err, &api) {
		switch o := api.Object.(type) {
		case lua.LString:
			msg = string(o[:min(len(o), maxErrorText+1)])
		case nil:
			msg = "error"
		default:
			msg = "error object is a " + o.Type().String()
		}
	} else {
		msg = err.Error()
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return oneline.Clean(msg, maxErrorText)
}
