package lua

import (
	"strings"
	"testing"
)

// yieldAcross are yields out of a Lua function that Go code called: upstream
// unwound the inner main loop as if the coroutine had yielded and left its
// stack broken (a nil dereference on the next resume). Each must fail inside
// the coroutine as in C Lua 5.1, with the coroutine still usable by the
// caller's pcall/resume.
var yieldAcross = []struct {
	name string
	src  string
}{
	{"pcall of yield", `return pcall(coroutine.yield, 1)`},
	{"pcall of function", `return pcall(function() coroutine.yield(1) end)`},
	{"xpcall", `return xpcall(function() coroutine.yield(1) end, function(e) return e end)`},
	{"__index", `local t = setmetatable({}, {__index = function() coroutine.yield(1) return 3 end}) return t.x`},
	{"__add", `local t = setmetatable({}, {__add = function() coroutine.yield(1) return 3 end}) return t + 1`},
	{"__eq", `local mt = {__eq = function() coroutine.yield(1) return true end}
		return setmetatable({}, mt) == setmetatable({}, mt)`},
	{"__concat", `local t = setmetatable({}, {__concat = function() coroutine.yield(1) return "" end}) return t .. "x"`},
	{"__call", `local t = setmetatable({}, {__call = function() coroutine.yield(1) end}) return pcall(t)`},
	{"iterator", `for k in function() coroutine.yield(7) end do end`},
	{"sort comparator", `table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)`},
	{"gsub callback", `return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))`},
	{"tostring", `return tostring(setmetatable({}, {__tostring = function() coroutine.yield() return "" end}))`},
}

func TestYieldAcrossGoCall(t *testing.T) {
	const want = "attempt to yield across metamethod/C-call boundary"
	for _, metered := range []bool{false, true} {
		for _, tc := range yieldAcross {
			t.Run(tc.name, func(t *testing.T) {
				L := NewState()
				defer L.Close()
				if metered {
					L.SetMeter(NewMeter())
				}
				src := `local co = coroutine.create(function() ` + tc.src + ` end)
					local r = {coroutine.resume(co)}
					local again = {coroutine.resume(co)}
					return tostring(r[1]) .. "|" .. tostring(r[2]) .. "|" .. tostring(r[3]) .. "|" .. tostring(again[1])`
				if err := L.DoString(src); err != nil {
					t.Fatalf("error escaped the coroutine: %v", err)
				}
				got := L.Get(-1).String()
				// pcall/xpcall return false and the message inside the
				// coroutine, which then ends normally.
				if !strings.Contains(got, want) || strings.Contains(got, "runtime error") {
					t.Fatalf("got %q, want %q", got, want)
				}
				if !strings.HasSuffix(got, "|false") {
					t.Fatalf("second resume: %q, want the coroutine dead", got)
				}
			})
		}
		// The main thread is never a coroutine: C Lua gives the same message.
		L := NewState()
		if metered {
			L.SetMeter(NewMeter())
		}
		if err := L.DoString(`coroutine.yield(1)`); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("yield on the main thread: %v", err)
		}
		L.Close()
	}
}

// TestYieldStillWorks checks ordinary yields, including after a caught
// error inside the coroutine restored the Go call count.
func TestYieldStillWorks(t *testing.T) {
	L := NewState()
	defer L.Close()
	L.SetMeter(NewMeter())
	err := L.DoString(`
		local co = coroutine.wrap(function(a)
			for i = 1, 3 do
				pcall(error, "x")
				pcall(coroutine.yield)
				a = coroutine.yield(a + i)
			end
			return "done"
		end)
		return table.concat({co(1), co(10), co(20), co(0)}, ",")`)
	if err != nil {
		t.Fatal(err)
	}
	if got := L.Get(-1).String(); got != "2,12,23,done" {
		t.Fatalf("got %q", got)
	}
}
