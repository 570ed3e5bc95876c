package lua

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// newMeteredState returns a state with the sandbox's libraries, a meter and
// the given instruction budget.
func newMeteredState(t testing.TB, instructions int64) (*LState, *Meter) {
	t.Helper()
	L := NewState(Options{SkipOpenLibs: true, RegistrySize: 1024, CallStackSize: 64})
	t.Cleanup(L.Close)
	for _, open := range []LGFunction{OpenBase, OpenTable, OpenString, OpenMath, OpenCoroutine} {
		L.Push(L.NewFunction(open))
		L.Call(0, 0)
	}
	m := NewMeter()
	L.SetMeter(m)
	m.Reset(instructions)
	return L, m
}

// runChunk compiles and runs src as the host's outermost PCall.
func runChunk(L *LState, src string) error {
	fn, err := L.LoadString(src)
	if err != nil {
		return err
	}
	L.Push(fn)
	return L.PCall(0, MultRet, nil)
}

func TestMeterInstructionLimitIsUncatchable(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"plain loop", `while true do end`},
		{"pcall in loop", `while true do pcall(function() while true do end end) end`},
		{"pcall of error in loop", `while true do pcall(error, "x") end`},
		{"xpcall handler loops", `while true do xpcall(function() error("x") end, function() while true do end end) end`},
		{"xpcall body loops", `while true do xpcall(function() while true do end end, function(e) return e end) end`},
		{"coroutine", `while true do coroutine.resume(coroutine.create(function() while true do end end)) end`},
		{"coroutine pcall", `local co = coroutine.create(function() while true do pcall(function() while true do end end) end end)
			while true do coroutine.resume(co) end`},
		{"coroutine.wrap", `while true do pcall(coroutine.wrap(function() while true do pcall(function() while true do end end) end end)) end`},
		{"__index metamethod", `local t = setmetatable({}, {__index = function() while true do pcall(function() while true do end end) end end})
			while true do pcall(function() return t.x end) end`},
		{"__add metamethod", `local t = setmetatable({}, {__add = function() while true do end end})
			while true do pcall(function() return t + 1 end) end`},
		{"nested pcall chain", `while true do pcall(pcall, pcall, function() while true do end end) end`},
		{"error handler via tostring", `local t = setmetatable({}, {__tostring = function() while true do end end})
			while true do pcall(tostring, t) end`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 100000)
			err := runChunk(L, tc.src)
			if !errors.Is(err, ErrInstructionLimit) {
				t.Fatalf("err = %v, want ErrInstructionLimit", err)
			}
			if !errors.Is(m.Err(), ErrInstructionLimit) {
				t.Fatalf("m.Err() = %v", m.Err())
			}
			if got := m.Used(); got != 100000 {
				t.Fatalf("Used() = %d, want 100000", got)
			}
			var aerr *ApiError
			if !errors.As(err, &aerr) || aerr.Cause != ErrInstructionLimit {
				t.Fatalf("err is %T %v, want *ApiError with Cause", err, err)
			}
			if L.GetTop() != 0 {
				t.Fatalf("stack top = %d after violation, want 0", L.GetTop())
			}
			if L.G.CurrentThread != L {
				t.Fatalf("current thread not restored")
			}
			// The state stays usable after Reset.
			m.Reset(1000)
			if err := runChunk(L, `x = 1 + 1`); err != nil {
				t.Fatalf("after Reset: %v", err)
			}
			if got := L.GetGlobal("x"); got != LNumber(2) {
				t.Fatalf("x = %v, want 2", got)
			}
		})
	}
}

func TestMeterBudgetIsExact(t *testing.T) {
	src := `local x = 0 for i = 1, 100 do x = x + i end result = x`
	L, m := newMeteredState(t, 0)
	if err := runChunk(L, src); err != nil {
		t.Fatal(err)
	}
	n := m.Used()
	// About 2 per iteration, plus about 120 for compiling the chunk (patch
	// 10) and 2 for the Go→Lua call (patch 9).
	if n < 200 || n > 400 {
		t.Fatalf("Used() = %d, want about 2 per iteration", n)
	}
	m.Reset(n)
	if err := runChunk(L, src); err != nil {
		t.Fatalf("budget %d: %v", n, err)
	}
	if L.GetGlobal("result") != LNumber(5050) {
		t.Fatalf("result = %v", L.GetGlobal("result"))
	}
	m.Reset(n - 1)
	if err := runChunk(L, src); !errors.Is(err, ErrInstructionLimit) {
		t.Fatalf("budget %d: err = %v, want ErrInstructionLimit", n-1, err)
	}
}

func TestMeterCountsCoroutineInstructions(t *testing.T) {
	loop := `local x = 0 for i = 1, 1000 do x = x + i end`
	L, m := newMeteredState(t, 0)
	if err := runChunk(L, loop); err != nil {
		t.Fatal(err)
	}
	plain := m.Used()
	m.Reset(0)
	if err := runChunk(L, `local co = coroutine.create(function() `+loop+` end) coroutine.resume(co)`); err != nil {
		t.Fatal(err)
	}
	// The longer chunk costs about 10 per token and node more to compile
	// (patch 10).
	if got := m.Used(); got < plain || got > plain+250 {
		t.Fatalf("Used() with coroutine = %d, want %d plus a few", got, plain)
	}
}

func TestMeterStopFromOtherGoroutine(t *testing.T) {
	errTimeout := errors.New("time limit exceeded")
	tests := []struct {
		name string
		src  string
	}{
		{"loop", `while true do end`},
		{"pcall loop", `while true do pcall(function() while true do end end) end`},
		{"coroutine loop", `coroutine.wrap(function() while true do pcall(coroutine.wrap(function() while true do end end)) end end)()`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			timer := time.AfterFunc(20*time.Millisecond, func() { m.Stop(errTimeout) })
			defer timer.Stop()
			err := runChunk(L, tc.src)
			if !errors.Is(err, errTimeout) {
				t.Fatalf("err = %v, want the Stop error", err)
			}
			if m.Err() != errTimeout {
				t.Fatalf("m.Err() = %v", m.Err())
			}
		})
	}
}

func TestMeterNestedGoPCallReraises(t *testing.T) {
	L, m := newMeteredState(t, 50000)
	reached := 0
	L.SetGlobal("hostcall", L.NewFunction(func(L *LState) int {
		L.Push(L.CheckFunction(1))
		err := L.PCall(0, 0, nil)
		reached++ // must not run: the violation passes through
		L.Push(LString(err.Error()))
		return 1
	}))
	err := runChunk(L, `while true do pcall(hostcall, function() while true do end end) end`)
	if !errors.Is(err, ErrInstructionLimit) {
		t.Fatalf("err = %v", err)
	}
	if reached != 0 {
		t.Fatalf("host function saw the violation %d times, want 0", reached)
	}
	if m.Used() != 50000 {
		t.Fatalf("Used() = %d", m.Used())
	}
}

func TestMeterErrorsStayCatchable(t *testing.T) {
	L, m := newMeteredState(t, 100000)
	src := `
		local ok, e = pcall(error, "boom")
		local co = coroutine.create(function() error("in co") end)
		local ok2, e2 = coroutine.resume(co)
		local ok3, e3 = xpcall(function() error("x") end, function(e) return "handled" end)
		result = tostring(ok) .. e .. tostring(ok2) .. e2 .. tostring(ok3) .. e3`
	if err := runChunk(L, src); err != nil {
		t.Fatal(err)
	}
	want := "false<string>:2: boomfalse<string>:3: in cofalsehandled"
	if got := L.GetGlobal("result").String(); got != want {
		t.Fatalf("result = %q, want %q", got, want)
	}
	if m.Err() != nil {
		t.Fatalf("m.Err() = %v", m.Err())
	}
}

func TestMeterUnsetKeepsUpstreamBehaviour(t *testing.T) {
	L := NewState()
	defer L.Close()
	if L.Meter() != nil {
		t.Fatal("Meter() != nil on a new state")
	}
	if err := L.DoString(`local ok, e = pcall(error, "x", 0) assert(not ok and e == "x")`); err != nil {
		t.Fatal(err)
	}
	err := L.DoString(`error("plain")`)
	if err == nil || !strings.Contains(err.Error(), "plain") || errors.Unwrap(err) != nil {
		t.Fatalf("err = %v", err)
	}
}
