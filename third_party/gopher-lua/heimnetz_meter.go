package lua

// heimnetz patch: resource meter (see PATCHES.md).

import (
	"errors"
	"sync/atomic"
)

// ErrInstructionLimit is the violation raised when a call runs more VM
// instructions than the budget given to Meter.Reset.
var ErrInstructionLimit = errors.New("instruction limit exceeded")

// ErrMemoryLimit is the violation raised when the estimated bytes of a
// state's Lua values would exceed the cap set with Meter.SetMemoryLimit.
var ErrMemoryLimit = errors.New("memory limit exceeded")

// ErrDepthLimit is the violation raised when Go→Lua re-entries (L.Call and
// PCall from Go, pcall, xpcall, metamethods, sort and gsub callbacks,
// coroutine.resume) nest deeper than Meter.SetMaxDepth allows.
var ErrDepthLimit = errors.New("call depth limit exceeded")

// meterChunk is how many instructions run between two checks of the Stop
// flag; it bounds how late a Stop takes effect.
const meterChunk = 1024

// defaultMaxDepth is the Go→Lua nesting allowed by a new Meter. Each level
// costs a few KB of Go stack, so 200 keeps a runaway chain well under 1 MB.
const defaultMaxDepth = 200

type stopRequest struct{ err error }

// Meter meters one Lua state and every coroutine thread created from it
// (threads share it through NewThread). It counts VM instructions against a
// per-call budget, estimates the bytes held by Lua values against a cap,
// bounds Go→Lua nesting and lets another goroutine stop the running code.
//
// A violation (ErrInstructionLimit, ErrMemoryLimit, ErrDepthLimit or the
// error given to Stop) cannot be caught by Lua code: pcall, xpcall,
// coroutine.resume and PCalls nested inside running code re-raise it, and
// every further instruction raises it again, until the host's outermost
// PCall returns it as an *ApiError whose Cause is the violation.
//
// Apart from Stop, a Meter must only be used from the goroutine that runs
// the state.
type Meter struct {
	tick     int64 // instructions left in the current chunk (hot: first field)
	chunk    int64 // size of the current chunk
	consumed int64 // instructions counted before the current chunk
	limit    int64 // instruction budget of this call, 0 = unlimited
	err      error // violation in effect since Reset
	stop     atomic.Pointer[stopRequest]

	depth    int // current Go→Lua nesting
	maxDepth int

	main *LState // state the meter was set on; root of Recount

	memLimit   int64
	inUse      int64
	peak       int64
	tight      int // consecutive recounts that left little free
	recounts   int64
	recounting bool
	held       int64      // bytes held by running Go builtins, unseen by Recount
	recounter  *recounter // kept between walks (patch 19); nil before the first

	// Patch 22: where the traversals of tables in patch 18's form are
	// (the place of the key each was last given), and the slot the next
	// new traversal takes.
	orderAt   [orderHints]int32
	orderNext int
}

// meteredNumberBlock is how many numbers share an allocation in a
// metered state (patch 23): a block stays alive while any of its numbers
// is held, and Recount counts numberBytes for each number it finds.
const meteredNumberBlock = int(numberBytes / 8)

// NewMeter returns a Meter with an unlimited instruction budget, no memory
// cap and a maximum Go→Lua nesting of 200.
func NewMeter() *Meter {
	return &Meter{maxDepth: defaultMaxDepth}
}

// SetMeter attaches m to the state (call it on the main state before running
// code; nil detaches). It selects the metered main loop; threads created
// afterwards with NewThread share m.
func (ls *LState) SetMeter(m *Meter) {
	ls.meter = m
	ls.reg.meter = m
	if m == nil {
		if ls.ctx != nil {
			ls.mainLoop = mainLoopWithContext
		} else {
			ls.mainLoop = mainLoop
		}
		return
	}
	// heimnetz patch 23: numbers come two to an allocation instead of 32,
	// so one number a program keeps holds 16 bytes, what Recount counts,
	// not a 256-byte block.
	if ls.alloc.size != meteredNumberBlock {
		ls.alloc = newAllocator(meteredNumberBlock)
		ls.reg.alloc = ls.alloc
	}
	if m.main == nil {
		m.main = ls
		m.Recount(ls) // baseline; makes the existing tables charge m
	}
	ls.mainLoop = mainLoopWithMeter
}

// Meter returns the state's meter, or nil if none is set.
func (ls *LState) Meter() *Meter {
	return ls.meter
}

// Reset starts a new host call: it sets the instruction budget (0 means
// unlimited) and clears a previous violation, a pending Stop and the
// instruction count. Call it before each top-level PCall, never while Lua
// code of the state is running.
func (m *Meter) Reset(instructions int64) {
	if instructions < 0 {
		instructions = 0
	}
	m.limit = instructions
	m.consumed, m.chunk, m.tick = 0, 0, 0
	m.err = nil
	m.depth = 0
	m.tight = 0
	m.held = 0
	m.stop.Store(nil)
}

// Used returns the VM instructions executed since Reset, across all threads
// of the state.
func (m *Meter) Used() int64 {
	return m.consumed + m.chunk - m.tick
}

// Stop asks the running code to end with err (a nil err becomes a generic
// "stopped" error). It is safe to call from any goroutine: the VM raises err within at most 1024
// instructions or pattern-matcher chunks.
func (m *Meter) Stop(err error) {
	if err == nil {
		err = errStopped
	}
	m.stop.Store(&stopRequest{err: err})
}

var errStopped = errors.New("stopped")

// Check raises the Stop request or violation in effect, if any, the way
// the VM does at the end of an instruction chunk. Go functions called
// from Lua call it around work that can wait (a commit, a read with a
// deadline): the VM looks at Stop requests only every 1024 instructions,
// and a loop of slow Go calls runs few instructions, so without it a
// call could outlast its wall-time limit many times over. Call it only
// from the goroutine running the state.
func (m *Meter) Check() {
	if m.err == nil {
		if p := m.stop.Load(); p != nil {
			m.err = p.err
		}
	}
	if m.err != nil {
		m.raise()
	}
}

// Err returns the violation in effect since Reset, or nil.
func (m *Meter) Err() error {
	return m.err
}

// SetMaxDepth sets the maximum nesting of Go→Lua re-entries; 0 means no
// limit beyond the Go stack (not recommended).
func (m *Meter) SetMaxDepth(n int) {
	if n < 0 {
		n = 0
	}
	m.maxDepth = n
}

// slow runs when the current instruction chunk is used up: it accounts the
// chunk, notices Stop requests and exhausted budgets, and starts the next
// chunk.
func (m *Meter) slow(L *LState) {
	m.consumed += m.chunk - m.tick
	m.chunk, m.tick = 0, 0
	if m.err == nil {
		if p := m.stop.Load(); p != nil {
			m.err = p.err
		} else if m.limit > 0 && m.consumed > m.limit {
			m.err = ErrInstructionLimit
		}
	}
	if m.err != nil {
		if m.limit > 0 && m.consumed > m.limit {
			m.consumed = m.limit
		}
		m.raise()
	}
	if L != nil && L.ctx != nil {
		select {
		case <-L.ctx.Done():
			L.RaiseError(L.ctx.Err().Error())
		default:
		}
	}
	next := int64(meterChunk)
	if m.limit > 0 && m.limit-m.consumed < next {
		next = m.limit - m.consumed
	}
	m.chunk, m.tick = next, next
}

// steps charges n units of work done outside the VM (pattern matching)
// against the instruction budget.
func (m *Meter) steps(n int64) {
	m.tick -= n
	if m.tick < 0 {
		m.slow(nil)
	}
}

// violate records err as the violation in effect (unless one already is)
// and raises it.
func (m *Meter) violate(err error) {
	if m.err == nil {
		m.err = err
	}
	m.raise()
}

// raise panics with the violation in effect, the way RaiseError does.
func (m *Meter) raise() {
	m.chunk, m.tick = 0, 0
	panic(m.apiError())
}

func (m *Meter) apiError() *ApiError {
	return &ApiError{Type: ApiErrorRun, Object: LString(m.err.Error()), Cause: m.err}
}

// enter accounts one Go→Lua re-entry, charges it as work (patch 9) and
// raises ErrDepthLimit beyond the maximum. The caller decrements depth when the re-entry returns; PCall and
// threadRun restore it when a panic unwinds through them.
func (m *Meter) enter() {
	if m.err != nil {
		m.raise()
	}
	m.tick -= goCallWork // heimnetz patch 9: a Go callback runs no instruction
	if m.tick < 0 {
		m.slow(nil)
	}
	m.depth++
	if m.maxDepth > 0 && m.depth > m.maxDepth {
		m.depth--
		m.violate(ErrDepthLimit)
	}
}

// Unwrap returns the error that caused e (a limit violation, a syntax or a
// file error), so errors.Is(err, ErrMemoryLimit) works on PCall's result.
func (e *ApiError) Unwrap() error {
	return e.Cause
}

// mainLoopWithMeter is mainLoop plus one decrement per instruction; the
// meter's slow path runs every meterChunk instructions.
func mainLoopWithMeter(L *LState, baseframe *callFrame) {
	var inst uint32
	var cf *callFrame

	if L.stack.IsEmpty() {
		return
	}

	m := L.meter
	L.currentFrame = L.stack.Last()
	if L.currentFrame.Fn.IsG {
		callGFunction(L, false)
		return
	}

	for {
		cf = L.currentFrame
		inst = cf.Fn.Proto.Code[cf.Pc]
		cf.Pc++
		m.tick--
		if m.tick < 0 {
			m.slow(L)
		}
		if jumpTable[int(inst>>26)](L, inst, baseframe) == 1 {
			return
		}
	}
}

// unwindPCall ends a PCall that caught a panic while a violation is in
// effect: it restores the stack and the nesting depth, re-raises the
// violation when the PCall runs inside Lua code (depth > 0) and returns it
// from the host's outermost PCall.
func (m *Meter) unwindPCall(ls *LState, depth, sp, base int) error {
	m.depth = depth
	err := m.apiError()
	if depth == 0 {
		err.StackTrace = ls.stackTrace(0)
	}
	ls.stack.SetSp(sp)
	ls.currentFrame = ls.stack.Last()
	ls.reg.SetTop(base)
	if sp == 0 {
		ls.currentFrame = nil
	}
	if depth > 0 {
		panic(err)
	}
	return err
}

// unwindThread ends a coroutine that a violation ran through: the thread is
// dead, its parent becomes current again and the violation propagates into
// the parent instead of becoming resume's false return.
func (m *Meter) unwindThread(L *LState, depth int) {
	m.depth = depth
	if parent := L.Parent; parent != nil {
		L.G.CurrentThread = parent
		L.Parent = nil
	}
	L.kill()
	panic(m.apiError())
}
