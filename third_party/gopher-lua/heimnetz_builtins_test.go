package lua

import (
	"errors"
	"strings"
	"testing"
)

// builtinBombs each make one builtin allocate far past an 8 MiB cap in a
// single call (or a short loop keeping the results).
var builtinBombs = []struct {
	name string
	src  string
}{
	{"string.rep", `return string.rep("x", 1e9)`},
	{"string.rep of a long string", `local s = string.rep("x", 1e6) return s:rep(100)`},
	{"string.rep kept", `local t = {} for i = 1, 100 do t[i] = string.rep("x", 1e6) end`},
	// C Lua's widths and precisions have two digits at most (patch 14), so
	// the bombs repeat directives instead of widening one.
	{"string.format width", `local f = string.rep("%99d", 400) local a = {} for i = 1, 400 do a[i] = i end
		local t = {} for i = 1, 300 do t[i] = string.format(f, unpack(a)) end`},
	{"string.format kept", `local t = {} for i = 1, 1e5 do t[i] = string.format("%99d", i) end`},
	{"string.format %f of 1e308", `local t = {} for i = 1, 1e5 do t[i] = string.format("%99.99f", 1e308) end`},
	{"string.format precision", `local f = string.rep("%.99f", 400) local a = {} for i = 1, 400 do a[i] = 1.5 end
		local t = {} for i = 1, 300 do t[i] = string.format(f, unpack(a)) end`},
	{"string.format %s of huge strings", `local s = string.rep("x", 2e6) return string.format("%s%s%s%s%s", s, s, s, s, s)`},
	{"string.format %q", `local s = string.rep("\0", 2e6) return string.format("%q", s)`},
	{"table.concat", `local s = string.rep("x", 1e6) local t = {} for i = 1, 5 do t[i] = s end return table.concat(t, s)`},
	{"table.concat many", `local t = {} for i = 1, 1e5 do t[i] = "abcdefghij" end local r = {} for i = 1, 100 do r[i] = table.concat(t) end`},
	{"string.gsub repl string", `return string.gsub(string.rep("x", 1e5), "x", string.rep("y", 1000))`},
	{"string.gsub %0", `return string.gsub(string.rep("x", 1e5), "x", "%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0%0")`},
	{"string.gsub function", `local r = string.rep("y", 1000) return string.gsub(string.rep("x", 1e5), "x", function() return r end)`},
	{"string.gsub table", `local r = {x = string.rep("y", 1000)} return string.gsub(string.rep("x", 1e5), "x", r)`},
	{"string.upper", `local s = string.rep("x", 3e6) local a, b, c = s:upper(), s:lower(), s:reverse() return a, b, c`},
	{"string.upper non-ASCII", `local s = string.rep("\255", 2e6) return s:upper(), s:lower(), s:upper(), s:lower()`},
	{"string.reverse", `local t = {} local s = string.rep("x", 1e6) for i = 1, 10 do t[i] = s:reverse() end`},
	{"string.sub kept", `local t = {} local s = string.rep("x", 1e6) .. "y" for i = 1, 20 do t[i] = s:sub(2) .. "" end`},
	{"string.char", `local t = {} for i = 1, 1e6 do t[i] = string.char(65, 66, 67, 68, 69, 70, 71, 72) .. i end`},
	{"tostring", `local t = setmetatable({}, {__tostring = function() return string.rep("x", 1e8) end}) return tostring(t)`},
	{"error with huge value", `local t = {} local s = string.rep("e", 1e6) for i = 1, 20 do local ok, e = pcall(error, s) t[i] = e end`},
	{"concat doubling", `local s = "xy" for i = 1, 40 do s = s .. s end`},
	{"load pieces", `local s = string.rep(" ", 1e6) return load(function() return s end)`},
	{"loadstring of huge source", `local src = "return {" .. string.rep("1,", 3e6) .. "}" return loadstring(src)`},
}

func TestMeterBuiltinBombs(t *testing.T) {
	for _, tc := range builtinBombs {
		t.Run(tc.name, func(t *testing.T) {
			err, growth := runBomb(t, tc.src, 8*mib)
			if !errors.Is(err, ErrMemoryLimit) {
				t.Fatalf("err = %v, want ErrMemoryLimit", err)
			}
			if growth > heapGrowthLimit {
				t.Fatalf("Go heap grew by %d MiB", growth/mib)
			}
		})
	}
}

func TestMeterAbsurdRanges(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unpack huge", `return unpack({}, 1, 1e8)`, "too many results to unpack"},
		{"unpack full int range", `return unpack({}, -2^31, 2^31)`, "too many results to unpack"},
		{"string.byte huge", `local s = string.rep("x", 4e6) return s:byte(1, -1)`, "too many results to string.byte"},
		{"string.rep overflow", `return string.rep("abc", 2^62)`, "resulting string too large"},
		{"select out of range", `return select(-2^40, 1)`, "index out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err, growth := runBomb(t, tc.src, 8*mib)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if growth > heapGrowthLimit {
				t.Fatalf("Go heap grew by %d MiB", growth/mib)
			}
		})
	}
}

func TestMeterBuiltinsStillWork(t *testing.T) {
	tests := []struct {
		name, src string
		want      LValue
	}{
		{"table.concat", `return table.concat({1, "a", 2.5}, "-")`, LString("1-a-2.5")},
		{"table.concat range", `return table.concat({"a", "b", "c", "d"}, ",", 2, 3)`, LString("b,c")},
		{"table.concat 5000 elements", `local t = {} for i = 1, 5000 do t[i] = "x" end return #table.concat(t, ",")`, LNumber(9999)},
		{"gsub string", `return (string.gsub("hello world", "o", "0"))`, LString("hell0 w0rld")},
		{"gsub captures", `return (string.gsub("abc", "(%w)", "%1%1"))`, LString("aabbcc")},
		{"gsub function", `return (string.gsub("a b", "%w", function(c) return c:upper() end))`, LString("A B")},
		{"gsub table", `return (string.gsub("$x $y", "%$(%w)", {x = "1"}))`, LString("1 $y")},
		{"gsub empty matches", `return (string.gsub("abc", "x*", "-"))`, LString("-a-b-c-")},
		{"format", `return string.format("%5.2f|%-4d|%s|%q", 3.14159, 7, "s", "a\n")`, LString(" 3.14|7   |s|\"a\\\n\"")},
		{"rep", `return string.rep("ab", 3)`, LString("ababab")},
		{"upper", `return ("abc"):upper() .. ("ABC"):lower() .. ("abc"):reverse()`, LString("ABCabccba")},
		{"unpack", `return select("#", unpack({1, 2, 3}))`, LNumber(3)},
		{"insert and remove", `local t = {1, 2, 3} table.insert(t, 2, 9) table.remove(t, 1) return table.concat(t, ",")`, LString("9,2,3")},
		{"sort", `local t = {3, 1, 2} table.sort(t) return table.concat(t)`, LString("123")},
		{"error message", `local ok, e = pcall(error, "boom") return e`, LString("<string>:1: boom")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 1000000)
			m.SetMemoryLimit(8 * mib)
			if err := runChunk(L, tc.src); err != nil {
				t.Fatal(err)
			}
			if got := L.Get(1); got != tc.want {
				t.Fatalf("got %q, want %q", got.String(), tc.want.String())
			}
		})
	}
}
