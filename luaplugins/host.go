package luaplugins

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/limits/oneline"
)

// Log levels a plugin writes at.
const (
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
)

// LogSink receives a plugin's log lines, already cut to length and rate
// limited.
type LogSink interface {
	PluginLog(plugin, level, line string)
}

// LogFunc adapts a function to LogSink.
type LogFunc func(plugin, level, line string)

// PluginLog calls f.
func (f LogFunc) PluginLog(plugin, level, line string) { f(plugin, level, line) }

// Reporter is told, once per occurrence, when a plugin hits one of the
// limits that do not end a call (log, metric series, kv quota) or makes a
// blocked call. The agent turns these into security events.
type Reporter interface {
	LimitHit(plugin, what, detail string)
}

// Host is what one plugin's host functions act on: its name and limits,
// its log, its stored data, its metrics and the board. A Host is used by
// one plugin call at a time.
type Host struct {
	Plugin   string
	Limits   limits.Limits
	Log      LogSink
	KV       KV
	Metrics  *PluginMetrics
	Board    Board
	Reporter Reporter
	// Identity is what the clients module tells of who a client is.
	Identity Identity
	// Now returns the current time; tests replace it.
	Now func() time.Time

	// deadline is when the running call's wall time runs out. The agent's
	// timer stops the VM then, but a Go loop inside a host function runs
	// no VM instructions; those a plugin can make long (json) check it.
	deadline time.Time

	mu          sync.Mutex
	callLines   int
	minuteStart time.Time
	minuteLines int
	reported    map[string]bool // limit hits already reported in this call or minute
}

// beginCall resets the per-call output counters.
func (h *Host) beginCall() {
	h.deadline = time.Time{}
	if h.Limits.Timeout > 0 {
		h.deadline = time.Now().Add(h.Limits.Timeout)
	}
	h.mu.Lock()
	h.callLines = 0
	for k := range h.reported {
		if strings.HasPrefix(k, "call:") {
			delete(h.reported, k)
		}
	}
	h.mu.Unlock()
}

// errPastDeadline ends a host function's loop whose call has used up its
// wall time; raiseIfPastDeadline turns it into the time limit break.
var errPastDeadline = errors.New("time limit exceeded")

// raiseIfPastDeadline ends the call with the time limit once its wall time
// is used up. It records the same violation the agent's timer records and
// has the meter raise it at once: a host function's loop runs no VM
// instructions, and a plain Lua error would be caught by pcall, so a loop
// of pcall(json.decode, big) could finish before the timer's stop is seen
// and leave the call unbroken.
func (h *Host) raiseIfPastDeadline(L *lua.LState) {
	if !h.pastDeadline() {
		return
	}
	if m := L.Meter(); m != nil {
		m.Stop(&limits.Violation{Plugin: h.Plugin, Kind: limits.ErrTimeout, Limit: h.Limits.Timeout.String()})
		// Enough work to end the meter's chunk: its slow path takes the
		// stop before it looks at the budget and raises it, uncatchable.
		m.Work(1 << 20)
	}
	L.RaiseError("%v", errPastDeadline)
}

// pastDeadline reports whether the running call has used up its wall
// time. A nil Host (host code called outside a plugin) has no deadline.
func (h *Host) pastDeadline() bool {
	return h != nil && !h.deadline.IsZero() && time.Now().After(h.deadline)
}

func (h *Host) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// report tells the Reporter about a limit hit, once per key.
func (h *Host) report(key, what, detail string) {
	if h.reported == nil {
		h.reported = map[string]bool{}
	}
	if h.reported[key] {
		return
	}
	h.reported[key] = true
	if h.Reporter != nil {
		h.Reporter.LimitHit(h.Plugin, what, oneline.Clean(detail, maxErrorText))
	}
}

// writeLog applies the line length, per-call and per-minute caps and
// passes the line on. It reports the first dropped line of a call or a
// minute once, never every dropped line.
func (h *Host) writeLog(level, line string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if now.Sub(h.minuteStart) >= time.Minute {
		h.minuteStart, h.minuteLines = now, 0
		for k := range h.reported {
			if strings.HasPrefix(k, "minute:") {
				delete(h.reported, k)
			}
		}
	}
	if h.callLines >= h.Limits.LogLinesPerCall {
		h.report("call:log", "log lines per call", fmt.Sprintf("more than %d lines in one call; the rest were dropped", h.Limits.LogLinesPerCall))
		return
	}
	if h.minuteLines >= h.Limits.LogLinesPerMinute {
		h.report("minute:log", "log lines per minute", fmt.Sprintf("more than %d lines in a minute; the rest were dropped", h.Limits.LogLinesPerMinute))
		return
	}
	h.callLines++
	h.minuteLines++
	if h.Log != nil {
		h.Log.PluginLog(h.Plugin, level, oneline.Clean(line, h.Limits.LogLineBytes))
	}
}

// argText returns argument n as text for printing: strings and numbers as
// they are, other values by type, without running metamethods. The
// length is capped before any copy is made.
func argText(L *lua.LState, n int, max int) string {
	v := L.Get(n)
	switch v := v.(type) {
	case lua.LString:
		if len(v) > max {
			return string(v[:max])
		}
		return string(v)
	case lua.LNumber, lua.LBool:
		return v.String()
	case *lua.LNilType:
		return "nil"
	}
	return v.Type().String()
}
