package lua

import (
	"errors"
	"testing"
	"time"
)

// goSideAttacks spend their time in Go code that runs few or no VM
// instructions: builtins used as callbacks or metamethods, and builtins
// whose work grows with their arguments.
var goSideAttacks = []struct {
	name string
	src  string
}{
	{"sort with a builtin comparator", `local t = {} for i = 1, 20000 do t[i] = i end
		while true do table.sort(t, math.max) end`},
	{"sort with rawequal comparator", `local t = {} for i = 1, 20000 do t[i] = i end
		while true do table.sort(t, rawequal) end`},
	{"sort with a builtin __lt", `local mt = {__lt = rawequal} local t = {}
		for i = 1, 20000 do t[i] = setmetatable({}, mt) end
		while true do table.sort(t) end`},
	{"__index builtin on strings", `getmetatable("").__index = string.rep
		while true do local x = ("ab")[200000] end`},
	{"__eq builtin", `local mt = {__eq = rawequal} local a, b = setmetatable({}, mt), setmetatable({}, mt)
		local t = {} for i = 1, 5000 do t[i] = a end
		while true do for i = 1, #t do local x = t[i] == b end end`},
	{"gsub with a builtin replacement", `local s = string.rep("a", 100000)
		while true do s:gsub(".", string.upper) end`},
	{"length of a table of nils", `local t = {} for i = 1, 100000 do t[i] = i end for i = 1, 100000 do t[i] = nil end
		t[1] = 1 while true do local n = #t end`},
	{"next over nils", `local t = {} for i = 1, 100000 do t[i] = i end for i = 1, 99999 do t[i] = nil end
		while true do next(t) end`},
	{"maxn", `local t = {} for i = 1, 100000 do t[i] = i end for i = 2, 100000 do t[i] = nil end
		while true do table.maxn(t) end`},
	{"plain find", `local s = string.rep("a", 2000000)
		while true do s:find("b", 1, true) end`},
	{"tonumber of a long string", `local s = string.rep(" ", 2000000) .. "1"
		while true do tonumber(s) end`},
	{"rep", `while true do string.rep("x", 1000000) end`},
	{"upper", `local s = string.rep("x", 1000000) while true do s:upper() end`},
	{"concat", `local t = {} for i = 1, 50000 do t[i] = "abcdefgh" end
		while true do table.concat(t) end`},
	{"string order", `local a, b = string.rep("x", 2000000), string.rep("x", 2000000)
		while true do local c = a < b end`},
	{"string equality", `local a, b = string.rep("x", 2000000), string.rep("x", 2000000)
		while true do local c = a == b end`},
	{"unpack and select", `local t = {} for i = 1, 1000 do t[i] = i end
		while true do select("#", unpack(t)) end`},
}

// TestMeterStopsGoSideWork checks that Stop ends every Go-side attack
// promptly although it runs few VM instructions (patch 9).
func TestMeterStopsGoSideWork(t *testing.T) {
	const after, slack = 100 * time.Millisecond, 400 * time.Millisecond
	stopErr := errors.New("deadline")
	for _, tc := range goSideAttacks {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			m.SetMemoryLimit(64 << 20)
			fn, err := L.LoadString(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			timer := time.AfterFunc(after, func() { m.Stop(stopErr) })
			defer timer.Stop()
			L.Push(fn)
			err = L.PCall(0, 0, nil)
			took := time.Since(start)
			if !errors.Is(err, stopErr) {
				t.Fatalf("err = %v, want the Stop error", err)
			}
			if took > after+slack {
				t.Errorf("stopped after %v, want within %v of the Stop", took, slack)
			}
			t.Logf("stopped after %v", took.Round(time.Millisecond))
		})
	}
}

// TestMeterBudgetCountsGoSideWork checks that the same attacks exhaust an
// instruction budget instead of running on.
func TestMeterBudgetCountsGoSideWork(t *testing.T) {
	for _, tc := range goSideAttacks {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 5_000_000)
			m.SetMemoryLimit(64 << 20)
			start := time.Now()
			err := runChunk(L, tc.src)
			if !errors.Is(err, ErrInstructionLimit) {
				t.Fatalf("err = %v, want ErrInstructionLimit", err)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("a 5M budget took %v", took)
			}
		})
	}
}
